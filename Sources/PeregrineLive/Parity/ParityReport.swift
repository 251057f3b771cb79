import PeregrineCore

/// A bot's fills set against a backtest of the same strategy on the bars it handled: which fills
/// matched (same time, symbol and side), by how much they differ in quantity and price, the slippage
/// against the backtest in basis points, and the position and P&L each side ends with. Clean when
/// nothing differs.
public struct ParityReport: Sendable, Equatable {
    /// One fill as either side saw it.
    public struct Fill: Sendable, Equatable {
        public var time: Timestamp
        public var symbol: String
        public var side: OrderSide
        public var quantity: Quantity
        public var price: Price
        public var commission: Money

        public init(time: Timestamp, symbol: String, side: OrderSide, quantity: Quantity, price: Price, commission: Money) {
            self.time = time
            self.symbol = symbol
            self.side = side
            self.quantity = quantity
            self.price = price
            self.commission = commission
        }
    }

    /// A fill that is not the same both ways.
    public struct Difference: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// Both sides filled at this time, symbol and side, with another quantity or price.
            case differs
            /// The bot filled; the backtest did not.
            case liveOnly = "live_only"
            /// The backtest filled; the bot did not.
            case backtestOnly = "backtest_only"
        }

        public var kind: Kind
        public var live: Fill?
        public var backtest: Fill?

        /// Live less backtest, when both filled.
        public var quantityDifference: Quantity? {
            guard let live, let backtest else { return nil }
            let (result, overflow) = live.quantity.units.subtractingReportingOverflow(backtest.quantity.units)
            return overflow ? nil : Quantity(units: result)
        }

        /// Live less backtest price, when both filled.
        public var priceDifference: Price? {
            guard let live, let backtest else { return nil }
            return ParityReport.difference(live.price, backtest.price)
        }

        /// How much worse the bot's price was than the backtest's, in basis points of the backtest's
        /// (a buy dearer or a sell cheaper is positive); nil unless both filled.
        public var slippageBasisPoints: Double? {
            guard let live, let backtest else { return nil }
            return ParityReport.slippageBasisPoints(live: live.price, backtest: backtest.price, side: live.side)
        }
    }

    /// Each symbol's position at the end, both ways.
    public struct Position: Sendable, Equatable {
        public var symbol: String
        public var live: Quantity
        public var backtest: Quantity
    }

    public var bars: Int
    public var warmUpBars: Int
    public var first: Timestamp?
    public var last: Timestamp?
    public var liveFills: Int
    public var backtestFills: Int
    /// Fills found both ways at the same time, symbol and side (whatever their quantity or price).
    public var matched: Int
    public var differences: [Difference]
    /// Mean and largest (in size) slippage of the matched fills, in basis points; nil without matches.
    public var meanSlippageBasisPoints: Double?
    public var maxSlippageBasisPoints: Double?
    public var positions: [Position]
    /// Cash from the fills (commissions paid) plus the positions at the last bar's close.
    public var livePnL: Money
    public var backtestPnL: Money
    /// The bot's fills after the last stored bar of their symbol, left for the next check: they answer
    /// orders the backtest cannot have filled yet (the bar they filled on is not stored until its turn
    /// ends), so both sides are compared over the same bars.
    public var pendingLiveFills = 0

    /// Nothing differs: every fill, every position and the P&L the same both ways.
    public var isClean: Bool {
        differences.isEmpty && positions.allSatisfy { $0.live == $0.backtest } && livePnL == backtestPnL
    }

    /// `a - b`, nil when it leaves the price grid (it cannot for two prices a market quotes).
    static func difference(_ a: Price, _ b: Price) -> Price? {
        let (result, overflow) = a.units.subtractingReportingOverflow(b.units)
        return overflow ? nil : Price(units: result)
    }

    static func slippageBasisPoints(live: Price, backtest: Price, side: OrderSide) -> Double? {
        guard backtest.units > 0 else { return nil }
        let moved = (Double(live.units) - Double(backtest.units)) / Double(backtest.units) * 10_000
        let value = side == .buy ? moved : -moved
        return value.isFinite ? value : nil
    }
}
