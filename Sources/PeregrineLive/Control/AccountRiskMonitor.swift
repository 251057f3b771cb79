import Foundation
import PeregrineCore
import PeregrineData
import PeregrineStorage
import Synchronization

/// The account-wide limits of `peregrine run` (`[account_risk]`): every few seconds the broker's
/// account equity is compared with the day's first and with the run's peak; past a limit, every bot
/// is paused (no new entries) and flattened at its next turn, once, written to the audit trail and
/// told to the watchers. A person resumes the bots (API, Telegram) after looking. A stepped run reads the
/// equity once a step instead, at the step's end on the exchange's clock, so the limit trips at the same
/// bar however fast the machine is.
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
    /// Set at creation or, when the bots are made after the monitor (a stepped run's barrier reads it), by `watch`.
    private let watched: Mutex<[BotControl]>
    let store: TradingStore?
    let log: @Sendable (String) -> Void
    private let state = Mutex<(day: Int64?, dayStart: Double, peak: Double, tripped: Bool)>((nil, 0, 0, false))

    public init(settings: AccountRiskSettings, bots: [BotControl], store: TradingStore?, log: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.watched = Mutex(bots)
        self.store = store
        self.log = log
    }

    /// The bots paused and flattened past a limit.
    public var bots: [BotControl] { watched.withLock { $0 } }

    /// Names the bots to pause and flatten, for a monitor made before them.
    public func watch(_ bots: [BotControl]) {
        watched.withLock { $0 = bots }
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

    /// One reading at `time` (the wall clock, or a stepped exchange's clock): observed on `time`'s UTC day,
    /// acted on when it breaches. Returns the breach acted on.
    @discardableResult
    public func check(equity: Double, at time: Timestamp) -> Breach? {
        guard let breach = observe(equity: equity, day: time.nanoseconds.floorDivided(by: Timestamp.nanosPerDay)) else { return nil }
        act(on: breach, at: time)
        return breach
    }

    /// A stepped run's reading at the end of each step, before the exchange's clock moves: `reading` gives
    /// the account's equity and the exchange's time. A failed read is logged; the next step reads again.
    public func checkStep(reading: @Sendable () async throws -> (equity: Double, time: Timestamp)) async {
        // Tripped once, the limit acts no more: no need to ask the broker every step.
        guard !state.withLock({ $0.tripped }) else { return }
        do {
            let (equity, time) = try await reading()
            check(equity: equity, at: time)
        } catch {
            log("account risk: the account could not be read (\(error)); reading again at the next step")
        }
    }

    /// Reads the equity with `equity` every `check_seconds` until cancelled; a failed read is logged and retried.
    public func run(equity: @escaping @Sendable () async throws -> Double) async {
        while !Task.isCancelled {
            do {
                check(equity: try await equity(), at: WallClock.now())
            } catch {
                log("account risk: the account could not be read (\(error)); trying again")
            }
            // The configuration allows 0.05 to 3600 s; a value set in code is held to the same range.
            let seconds = settings.checkSeconds.isFinite ? min(3600, max(0.05, settings.checkSeconds)) : 5
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        }
    }
}
