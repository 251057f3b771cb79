import PeregrineEngine
import PeregrineLive
import PeregrineStorage

/// The parity panel: a bot's fills against a backtest of its strategy on exactly the bars it handled.
extension ControlAPI {
    func parity(_ request: APIRequest) async throws(APIError) -> APIResponse {
        let query = try QueryParameters(request, allowed: ["bot", "run"])
        guard let name = try query.text("bot") else { throw APIError(.badRequest, "give bot=NAME (the bot whose fills to compare)") }
        let asked = try query.integer("run", in: 1...Int64.max)
        guard let bot = await plane.botSettings(named: name) else {
            if plane.readOnly {
                throw APIError(.readOnly, "parity re-runs the bot's strategy with its own configuration (parameters, sizing, exits, risk), "
                               + "which only the process running it holds: ask peregrine run or trade --serve")
            }
            throw APIError(.notFound, "no bot named '\(name.prefix(100))'")
        }
        let latest = try read("the bot's runs") { try store.latestRunWithBars(bot: name) }
        guard let runID = asked ?? bot.runID ?? latest else { throw APIError(.notFound, "bot \(name) has no run with stored bars yet") }
        let bars = try read("the run's bars") { try store.runBars(runID: runID) }
        guard let run = try read("the run", { try store.run(runID) }), !bars.isEmpty, bars.allSatisfy({ $0.bot == name }) else {
            throw APIError(.notFound, "run \(runID) is not a run of bot \(name) with stored bars")
        }
        let fills = try read("the run's fills") { try store.fills(runID: runID) }
        let assignments = run.parameters.split(separator: " ").map(String.init)
        // The run's own parameters: a threshold adapted at its start is the one it traded with.
        let parameters = (try? StrategyParameters(assignments: assignments)) ?? bot.settings.parameters
        do {
            let report = try ParityCheck.compare(settings: bot.settings, parameters: parameters, bars: bars, liveFills: fills,
                                                 initialCash: run.initialEquity)
            return .json(ParityView(bot: name, runID: runID, strategy: bot.settings.strategy, parameters: parameters.text, report: report))
        } catch {
            throw APIError(.conflict, "parity of bot \(name), run \(runID): \(error.message)")
        }
    }
}
