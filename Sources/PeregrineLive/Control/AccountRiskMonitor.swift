import Foundation
import PeregrineCore
import PeregrineData
import PeregrineStorage
import Synchronization

/// The account-wide limits of `peregrine run` (`[account_risk]`): every few seconds the broker's
/// account equity is compared with the day's first and with the run's peak; past a limit, every bot
/// is paused (no new entries) and flattened at its next turn, once, written to the audit trail and
/// told to the watchers. A person resumes the bots (API, Telegram) after looking.
public final class AccountRiskMonitor: Sendable {
    public enum Breach: Equatable, Sendable {
        case dailyLoss(loss: Double, limit: Double)
        case drawdown(drawdown: Double, limit: Double)

        public var description: String {
            switch self {
            case .dailyLoss(let loss, let limit):
                "account down \(String(format: "%.2f", loss * 100))% today (limit \(String(format: "%.2f", limit * 100))%)"
            case .drawdown(let drawdown, let limit):
                "account \(String(format: "%.2f", drawdown * 100))% below its peak (limit \(String(format: "%.2f", limit * 100))%)"
            }
        }
    }

    let settings: AccountRiskSettings
    let bots: [BotControl]
    let store: TradingStore?
    let log: @Sendable (String) -> Void
    private let state = Mutex<(day: Int64?, dayStart: Double, peak: Double, tripped: Bool)>((nil, 0, 0, false))

    public init(settings: AccountRiskSettings, bots: [BotControl], store: TradingStore?, log: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.bots = bots
        self.store = store
        self.log = log
    }

    /// Takes one reading of the account's equity on UTC day `day`: the breach it shows, the first time only.
    public func observe(equity: Double, day: Int64) -> Breach? {
        guard equity.isFinite, equity > 0 else { return nil }
        return state.withLock { state -> Breach? in
            if state.day != day {
                state.day = day
                state.dayStart = equity
            }
            state.peak = max(state.peak, equity)
            guard !state.tripped else { return nil }
            let loss = 1 - equity / state.dayStart, drawdown = 1 - equity / state.peak
            let breach: Breach? = if let limit = settings.dailyLossLimit, loss >= limit {
                .dailyLoss(loss: loss, limit: limit)
            } else if let limit = settings.maxDrawdown, drawdown >= limit {
                .drawdown(drawdown: drawdown, limit: limit)
            } else {
                nil
            }
            if breach != nil { state.tripped = true }
            return breach
        }
    }

    /// Pauses and flattens every running bot, after writing why to the audit trail.
    public func act(on breach: Breach, at time: Timestamp) {
        let who = "account risk: " + breach.description
        log("ACCOUNT LIMIT: \(breach.description); every bot paused and flattened")
        let running = bots.filter { $0.status.state != .finished && $0.status.state != .stopped }
        do {
            try store?.recordAudit(AuditEntry(time: time, actor: "account risk", action: "flatten_all", target: "all", stage: .requested,
                                              detail: breach.description + "; for " + running.map(\.name).joined(separator: ", ")))
        } catch {
            log("account risk: the audit trail could not record the flatten (\(error)); each bot's own pause and flatten are recorded")
        }
        for bot in running {
            bot.enqueue(.pause, requestedBy: who)
            bot.enqueue(.flatten(symbol: nil), requestedBy: who)
            bot.telemetry?.publish(.risk(bot: bot.name, time: time, halted: true, detail: who))
        }
    }

    /// Reads the equity with `equity` every `check_seconds` until cancelled; a failed read is logged and retried.
    public func run(equity: @escaping @Sendable () async throws -> Double) async {
        while !Task.isCancelled {
            do {
                let now = WallClock.now()
                if let breach = observe(equity: try await equity(), day: now.nanoseconds.floorDivided(by: Timestamp.nanosPerDay)) {
                    act(on: breach, at: now)
                }
            } catch {
                log("account risk: the account could not be read (\(error)); trying again")
            }
            // The configuration allows 0.05 to 3600 s; a value set in code is held to the same range.
            let seconds = settings.checkSeconds.isFinite ? min(3600, max(0.05, settings.checkSeconds)) : 5
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        }
    }
}
