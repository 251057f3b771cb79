import PeregrineCore
import PeregrineEngine
import Synchronization

/// The gross exposure of every bot of one account in one process (`[account_risk] max_gross_exposure`
/// in `peregrine run`). Each bot's books start from the account's whole cash and see only their own
/// positions, so each bot tells this what it holds (after every turn, at its last closes) and asks it
/// before an entry: the entry is refused with `account_exposure` when this bot's exposure, the order's
/// value and what the other bots last reported would together pass the limit.
///
/// In a stepped run (`--step`, bots moving the local exchange's clock together) an entry is checked
/// against the other bots' exposure as of the end of the previous step: a snapshot taken when the
/// last bot reaches the barrier (`closeStep`), so which bot finished its turn first never changes a
/// decision. Otherwise, what each other bot reported after its last turn.
public final class AccountExposure: Sendable {
    public let limit: Money
    /// Whether entries are checked against the snapshot of each step's end.
    public let stepped: Bool
    private let held = Mutex<(latest: [String: Money], atStepEnd: [String: Money])>(([:], [:]))

    public init(limit: Money, stepped: Bool = false) {
        self.limit = limit
        self.stepped = stepped
    }

    /// The limit as one bot asks it.
    public func member(_ bot: String) -> AccountExposureHandle {
        AccountExposureHandle(Member(account: self, bot: bot))
    }

    /// A bot's gross exposure now.
    public func record(bot: String, exposure: Money) {
        held.withLock { $0.latest[bot] = exposure }
    }

    /// Every bot has finished its turn of this step (the barrier calls it before the clock moves):
    /// what they reported is what the next step's entries are checked against.
    public func closeStep() {
        held.withLock { $0.atStepEnd = $0.latest }
    }

    /// What each bot last reported.
    public var exposures: [String: Money] { held.withLock { $0.latest } }

    func check(bot: String, exposure: Money, notional: Money) -> Rejection? {
        let others = held.withLock { (stepped ? $0.atStepEnd : $0.latest).filter { $0.key != bot } }
        var total = exposure + notional
        var otherTotal = Money.zero
        for value in others.values {
            otherTotal += value
            guard otherTotal.isInRange else { return Rejection(.accountExposure, "the other bots' exposure is beyond the books' range") }
        }
        total += otherTotal
        guard total > limit else { return nil }
        return Rejection(.accountExposure, "the account's gross exposure would be \(total.formatted(places: 2)) (this bot "
                         + "\(exposure.formatted(places: 2)), this order \(notional.formatted(places: 2)), other bots "
                         + "\(otherTotal.formatted(places: 2))), past its limit \(limit.formatted(places: 2))")
    }

    private final class Member: AccountExposureLimit {
        let account: AccountExposure
        let bot: String

        init(account: AccountExposure, bot: String) {
            self.account = account
            self.bot = bot
        }

        func check(exposure: Money, notional: Money) -> Rejection? {
            account.check(bot: bot, exposure: exposure, notional: notional)
        }
    }
}
