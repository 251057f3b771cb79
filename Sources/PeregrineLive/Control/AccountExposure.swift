import PeregrineCore
import PeregrineEngine
import Synchronization

/// The gross exposure of every bot of one account in one process (`[account_risk] max_gross_exposure`
/// in `peregrine run`). Each bot's books start from the account's whole cash and see only their own
/// positions, so each bot tells this what it holds (after every turn, at its last closes) and asks it
/// before an entry: the entry is refused with `account_exposure` when this bot's exposure, the order's
/// value and what the other bots last reported would together pass the limit.
public final class AccountExposure: Sendable {
    public let limit: Money
    private let held = Mutex<[String: Money]>([:])

    public init(limit: Money) {
        self.limit = limit
    }

    /// The limit as one bot asks it.
    public func member(_ bot: String) -> AccountExposureHandle {
        AccountExposureHandle(Member(account: self, bot: bot))
    }

    /// A bot's gross exposure now.
    public func record(bot: String, exposure: Money) {
        held.withLock { $0[bot] = exposure }
    }

    /// What each bot last reported.
    public var exposures: [String: Money] { held.withLock { $0 } }

    func check(bot: String, exposure: Money, notional: Money) -> Rejection? {
        let others = held.withLock { $0.filter { $0.key != bot } }
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
