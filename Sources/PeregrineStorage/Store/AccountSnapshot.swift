import PeregrineCore

/// The account at one moment of a trading run: cash, equity at the latest marks, and positions.
public struct AccountSnapshot: Equatable, Sendable {
    public var time: Timestamp
    public var cash: Money
    public var equity: Money
    public var positions: [String: Quantity]

    public init(time: Timestamp, cash: Money, equity: Money, positions: [String: Quantity]) {
        self.time = time
        self.cash = cash
        self.equity = equity
        self.positions = positions
    }
}
