import PeregrineCore

/// A run's stored bars as the parity check replays them: per symbol, its bars in time order in
/// columns (44 bytes a bar with whole volumes below 2^32), and how many of the first ones were warm-up history. Read from the
/// store a page at a time, so checking a long run never holds its rows, only its bars.
public struct RunBarColumns: Sendable {
    /// The symbols with stored bars, in name order, and each one's bars.
    public var symbols: [String] = []
    public var series: [BarSeries] = []
    /// Per symbol, how many of its first bars were warm-up history.
    public var warmUpCounts: [Int] = []
    /// The time of the latest warm-up bar of any symbol (nil: no warm-up).
    public var lastWarmUp: Int64?
    /// The bots whose bars these are (one, for a run of one bot).
    public var bots: [String] = []

    public init() {}

    public var barCount: Int { series.reduce(0) { $0 + $1.count } }
    public var warmUpCount: Int { warmUpCounts.reduce(0, +) }
    public var isEmpty: Bool { barCount == 0 }

    /// The bars of `symbol`, nil when the run stored none.
    public func series(of symbol: String) -> BarSeries? { symbols.firstIndex(of: symbol).map { series[$0] } }
}
