import PeregrineCore

/// A limit on the gross exposure of every bot trading one account (`[account_risk] max_gross_exposure`
/// in `peregrine run`): each bot's books see only its own positions, so before an entry the bot asks
/// what the others hold. Defined here so the kernel can ask it; the trading runtime provides it.
public protocol AccountExposureLimit: AnyObject, Sendable {
    /// The refusal when an entry worth `notional` on top of this bot's gross `exposure` would take the
    /// account past its limit; nil lets it go.
    func check(exposure: Money, notional: Money) -> Rejection?
}

/// An account exposure limit as a configuration value: equal when it is the same limit.
public struct AccountExposureHandle: Sendable, Equatable {
    public let limit: any AccountExposureLimit

    public init(_ limit: any AccountExposureLimit) {
        self.limit = limit
    }

    public static func == (a: AccountExposureHandle, b: AccountExposureHandle) -> Bool { a.limit === b.limit }
}
