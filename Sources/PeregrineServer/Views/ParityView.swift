import PeregrineCore
import PeregrineLive

/// The parity panel's answer for one bot's run: its fills against a backtest on the bars it handled,
/// exact quantities, prices and money as decimal text, slippage in basis points.
public struct ParityView: Codable, Sendable, Equatable {
    public struct Difference: Codable, Sendable, Equatable {
        /// differs, live_only or backtest_only.
        public var kind: String
        public var time: String
        public var symbol: String
        public var side: String
        public var liveQuantity: String?
        public var livePrice: String?
        public var backtestQuantity: String?
        public var backtestPrice: String?
        /// Live less backtest.
        public var quantityDifference: String?
        public var priceDifference: String?
        public var slippageBps: Double?
    }

    public struct Position: Codable, Sendable, Equatable {
        public var symbol: String
        public var live: String
        public var backtest: String
    }

    public var bot: String
    public var runId: Int64
    public var strategy: String
    public var parameters: String
    public var bars: Int
    public var warmUpBars: Int
    public var from: String?
    public var to: String?
    public var clean: Bool
    public var liveFills: Int
    /// The bot's fills after the last stored bar, compared at a later check.
    public var pendingLiveFills: Int
    public var backtestFills: Int
    public var matched: Int
    public var meanSlippageBps: Double?
    public var maxSlippageBps: Double?
    public var livePnl: String
    public var backtestPnl: String
    public var pnlDifference: String
    public var positions: [Position]
    public var differences: [Difference]

    public init(bot: String, runID: Int64, strategy: String, parameters: String, report: ParityReport) {
        self.bot = bot
        runId = runID
        self.strategy = strategy
        self.parameters = parameters
        bars = report.bars
        warmUpBars = report.warmUpBars
        from = report.first?.iso8601
        to = report.last?.iso8601
        clean = report.isClean
        liveFills = report.liveFills
        pendingLiveFills = report.pendingLiveFills
        backtestFills = report.backtestFills
        matched = report.matched
        meanSlippageBps = report.meanSlippageBasisPoints
        maxSlippageBps = report.maxSlippageBasisPoints
        livePnl = report.livePnL.description
        backtestPnl = report.backtestPnL.description
        pnlDifference = (report.livePnL - report.backtestPnL).description
        positions = report.positions.map { Position(symbol: $0.symbol, live: $0.live.description, backtest: $0.backtest.description) }
        differences = report.differences.map { difference in
            let either = difference.live ?? difference.backtest
            return Difference(kind: difference.kind.rawValue, time: either?.time.iso8601 ?? "", symbol: either?.symbol ?? "",
                              side: either?.side.rawValue ?? "", liveQuantity: difference.live?.quantity.description,
                              livePrice: difference.live?.price.description, backtestQuantity: difference.backtest?.quantity.description,
                              backtestPrice: difference.backtest?.price.description,
                              quantityDifference: difference.quantityDifference?.description,
                              priceDifference: difference.priceDifference?.description, slippageBps: difference.slippageBasisPoints)
        }
    }
}
