import PeregrineCore

/// Reviews an entry after it passed every check and before it is sent: the `[veto]` model in trading,
/// its recorded answers in a backtest. It answers at once (a live reviewer waits for its model at most
/// its timeout), so the entry goes out at the same bar either way and a backtest replaying recorded
/// answers makes the same decisions as the run that recorded them.
public protocol EntryReviewer: AnyObject, Sendable {
    /// The verdict, or nil when this reviewer does not look at such entries (they go out unreviewed).
    func review(_ entry: EntryReview) -> ReviewVerdict?
}

/// What the reviewer sees of an entry: the order, the signal and its reasons, the position and the
/// account, and the recent bars.
public struct EntryReview: Sendable {
    public var time: Timestamp
    public var symbol: String
    public var side: OrderSide
    public var quantity: Quantity
    /// The last close, the price the entry is judged at.
    public var price: Price
    /// The signal (buy, sell), nil for an explicit order.
    public var action: String?
    /// The decision's reason code: `open_long`, `open_short`, `order`.
    public var reason: String
    /// The strategy's note on the signal (its reasons: indicator readings, regime, probabilities).
    public var note: String
    public var position: Quantity
    public var cash: Money
    public var equity: Money
    /// Instruments with a position now.
    public var openPositions: Int
    /// Up to the last 20 bars of the symbol, oldest first.
    public var recentBars: [Bar]
    /// How much of the risk limits is in use: the day's P&L and the drawdown against their limits, the
    /// losing streak, the breaker; "no risk limits" without any.
    public var riskUse: String

    public init(time: Timestamp, symbol: String, side: OrderSide, quantity: Quantity, price: Price, action: String?, reason: String,
                note: String, position: Quantity, cash: Money, equity: Money, openPositions: Int, recentBars: [Bar],
                riskUse: String = "no risk limits") {
        self.time = time
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.price = price
        self.action = action
        self.reason = reason
        self.note = note
        self.position = position
        self.cash = cash
        self.equity = equity
        self.openPositions = openPositions
        self.recentBars = recentBars
        self.riskUse = riskUse
    }
}

/// The reviewer's answer, and whether the entry goes out after the policy for failures is applied.
public struct ReviewVerdict: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The model allowed it.
        case allow
        /// The model refused it.
        case veto
        /// No answer within the timeout.
        case timeout
        /// An answer that is not the JSON asked for.
        case malformed
        /// The endpoint failed (connection, HTTP error).
        case error
        /// The day's call or cost budget is spent.
        case budget
        /// Replaying: no answer was recorded for this entry.
        case missing
    }

    public var kind: Kind
    public var allowed: Bool
    /// The model's reason, or what went wrong and the policy that decided.
    public var reason: String

    public init(kind: Kind, allowed: Bool, reason: String) {
        self.kind = kind
        self.allowed = allowed
        self.reason = reason
    }

    /// How the decision log states it: `veto model allowed: ...`, `veto timeout; refused by policy: ...`.
    public var detail: String {
        switch kind {
        case .allow: "veto model allowed: \(reason)"
        case .veto: "veto model refused: \(reason)"
        default: "veto \(kind.rawValue); \(allowed ? "allowed" : "refused") by policy: \(reason)"
        }
    }
}

/// A reviewer as a configuration value: equal when it is the same reviewer.
public struct EntryReviewerHandle: Sendable, Equatable {
    public let reviewer: any EntryReviewer

    public init(_ reviewer: any EntryReviewer) {
        self.reviewer = reviewer
    }

    public static func == (a: EntryReviewerHandle, b: EntryReviewerHandle) -> Bool { a.reviewer === b.reviewer }
}
