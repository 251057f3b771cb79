import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineLive
import PeregrineStorage

/// The parity panel: a bot's fills against a backtest of its strategy on exactly the bars it handled.
extension ControlAPI {
    func parity(_ request: APIRequest) async throws(APIError) -> APIResponse {
        // The check held the run's bars and a backtest over them, freed by now, and filled the store's
        // page caches: both go back to the system, so a bot fleet checked every minute stays flat.
        defer {
            store.releaseMemory()
            ProcessMemory.releaseFreePages()
        }
        return try await checkParity(request)
    }

    private func checkParity(_ request: APIRequest) async throws(APIError) -> APIResponse {
        let query = try QueryParameters(request, allowed: ["bot", "run"])
        guard let name = try query.text("bot") else { throw APIError(.badRequest, "give bot=NAME (the bot whose fills to compare)") }
        let asked = try query.integer("run", in: 1...Int64.max)
        let running = await plane.botSettings(named: name)
        if running == nil && !plane.readOnly { throw APIError(.notFound, "no bot named '\(name.prefix(100))'") }
        let latest = try read("the bot's runs") { try store.latestRunWithBars(bot: name) }
        guard let runID = asked ?? running?.runID ?? latest else {
            throw APIError(.notFound, "bot \(name.prefix(100)) has no run with stored bars yet")
        }
        // In columns, read a page at a time: a check of a long run holds its bars, never its rows.
        let bars = try read("the run's bars") { try store.runBarColumns(runID: runID) }
        guard let run = try read("the run", { try store.run(runID) }), !bars.isEmpty, bars.bots == [name] else {
            throw APIError(.notFound, "run \(runID) is not a run of bot \(name.prefix(100)) with stored bars")
        }
        // The bot's settings: the running bot's own, or those its run kept in the store.
        let settings: TradingSettings
        if let running {
            settings = running.settings
        } else {
            guard let kept = try read("the run's configuration", { try store.runConfiguration(runID: runID) }) else {
                throw APIError(.conflict, "run \(runID) kept no configuration (runs before this version kept none): ask the process running "
                               + "the bot (peregrine run or trade --serve)")
            }
            do {
                settings = try TradingSettings(TradeConfiguration.parse(kept.document, source: "run \(runID)'s configuration"))
            } catch {
                throw APIError(.conflict, "run \(runID)'s configuration cannot be read back: \(error)")
            }
        }
        let fills = try read("the run's fills") { try store.fills(runID: runID) }
        let assignments = run.parameters.split(separator: " ").map(String.init)
        // The run's own parameters: a threshold adapted at its start is the one it traded with.
        let parameters = (try? StrategyParameters(assignments: assignments)) ?? settings.parameters
        do {
            let report = try ParityCheck.compare(settings: settings, parameters: parameters, bars: bars, liveFills: fills,
                                                 initialCash: run.initialEquity)
            return .json(ParityView(bot: name, runID: runID, strategy: settings.strategy, parameters: parameters.text, report: report))
        } catch {
            throw APIError(.conflict, "parity of bot \(name.prefix(100)), run \(runID): \(error.message)")
        }
    }
}
