import PeregrineCore
import PeregrineData
import PeregrineLive
import PeregrineRisk
import PeregrineStorage

/// The control plane of bots running in this process: their published state for the API, and the
/// actions a person asks, queued for each bot's next turn and written to the audit trail first.
public final class TradingControlPlane: ControlPlane {
    public let bots: [BotControl]
    let store: TradingStore
    public let mode: String

    public init(bots: [BotControl], store: TradingStore, mode: String) {
        self.bots = bots
        self.store = store
        self.mode = mode
    }

    public var readOnly: Bool { false }

    public func bots() async -> [BotView]? {
        bots.map { bot in
            let status = bot.status
            let settings = bot.settings
            return BotView(name: bot.name, state: status.state == .starting ? "running" : status.state.rawValue,
                           strategy: settings.portfolio.map { "portfolio(" + $0.sleeves.joined(separator: ", ") + ")" } ?? settings.strategy,
                           parameters: settings.parameters.text, mode: mode, symbols: settings.symbols, timeframe: settings.timeframe.text,
                           schedule: settings.schedule.map { "\($0)" }, runId: status.runID,
                           started: status.startedNanoseconds.map { Timestamp(nanoseconds: $0).iso8601 }, error: status.error)
        }
    }

    public func connections() async -> [StatusView.Connection] {
        bots.flatMap { bot in
            [StatusView.Connection(name: "broker (\(bot.name))", state: bot.status.broker)]
                + bot.status.streams.sorted { $0.key < $1.key }.map { StatusView.Connection(name: $0.key, state: $0.value) }
        }
    }

    public func limits(of name: String) async -> [String: String] {
        guard let bot = bots.first(where: { $0.name == name || $0.settings.strategy == name }), let risk = bot.settings.risk else { return [:] }
        return risk.described
    }

    public func botSettings(named name: String) async -> (settings: TradingSettings, runID: Int64?)? {
        bots.first { $0.name == name }.map { ($0.settings, $0.status.runID) }
    }

    public func perform(_ action: ControlAction, requestedBy who: String) async throws(APIError) -> ActionResult {
        let running = bots.filter { $0.status.state != .finished && $0.status.state != .stopped }
        var targets: [(BotControl, BotControl.Command)] = []
        switch action {
        case .pause(let name), .resume(let name):
            guard let bot = bots.first(where: { $0.name == name }) else { throw APIError(.notFound, "no bot named '\(name.prefix(100))'") }
            guard running.contains(where: { $0 === bot }) else { throw APIError(.conflict, "bot \(name) is no longer running") }
            if case .pause = action { targets = [(bot, .pause)] } else { targets = [(bot, .resume)] }
        case .flatten(let symbol):
            targets = running.filter { $0.settings.symbols.contains(symbol) }.map { ($0, .flatten(symbol: symbol)) }
            guard !targets.isEmpty else { throw APIError(.notFound, "no running bot trades \(symbol)") }
        case .flattenAll:
            targets = running.map { ($0, .flatten(symbol: nil)) }
        case .cancelOrder(let clientOrderID):
            let intent: OrderIntent?
            do { intent = try store.intent(clientOrderID) } catch { throw APIError(.internalError, "reading the order failed: \(error)") }
            guard let intent, let bot = running.first(where: { $0.status.runID == intent.runID }) else {
                throw APIError(.notFound, "no order \(clientOrderID.prefix(100)) of a running bot")
            }
            targets = [(bot, .cancel(clientOrderID: clientOrderID))]
        case .resumeRisk:
            targets = running.map { ($0, .resumeRisk(by: who)) }
        case .submitOrder(let name, let order):
            guard let bot = bots.first(where: { $0.name == name }) else { throw APIError(.notFound, "no bot named '\(name.prefix(100))'") }
            guard running.contains(where: { $0 === bot }) else { throw APIError(.conflict, "bot \(name) is no longer running") }
            guard bot.settings.symbols.contains(order.symbol) else {
                throw APIError(.badRequest, "bot \(name) does not trade \(order.symbol); it trades " + bot.settings.symbols.joined(separator: ", "))
            }
            targets = [(bot, .order(order))]
        }
        guard !targets.isEmpty else { throw APIError(.conflict, "no bot is running") }
        do {
            try store.recordAudit(AuditEntry(time: WallClock.now(), actor: who, action: action.name, target: action.target, stage: .requested,
                                             detail: "for " + targets.map(\.0.name).joined(separator: ", ")))
        } catch {
            throw APIError(.internalError, "the audit trail could not be written, so nothing was done: \(error)")
        }
        for (bot, command) in targets { bot.enqueue(command, requestedBy: who) }
        return ActionResult(action, accepted: true, detail: "queued for the next turn of " + targets.map(\.0.name).joined(separator: ", "),
                            requestedBy: who)
    }
}
