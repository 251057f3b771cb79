import PeregrineCore

/// Running figures of an equity curve, point by point: what the summary of a live run needs, kept
/// as it goes so the curve itself may keep only a recent window (the store has every snapshot).
/// The definitions are `ReturnStatistics`': simple returns from the initial equity, drawdown from
/// a running peak that starts at it, the sample standard deviation (n - 1) of the returns.
public struct EquitySummary: Sendable, Equatable {
    public let initial: Money
    /// Points added so far.
    public private(set) var points = 0
    public private(set) var last: Money
    public private(set) var peak: Money
    public private(set) var firstTime: Timestamp?
    public private(set) var lastTime: Timestamp?
    /// The deepest fall below a previous peak, as a fraction (0 or negative).
    public private(set) var maxDrawdown = 0.0
    /// The longest stretch of points spent below a previous peak.
    public private(set) var maxDrawdownPeriods = 0
    private var underwater = 0
    /// Welford's running mean of the returns and sum of squared deviations from it: one pass,
    /// without the cancellation of a sum of squares.
    public private(set) var meanReturn = 0.0
    private var squaredDeviations = 0.0

    public init(initial: Money) {
        self.initial = initial
        last = initial
        peak = initial
    }

    public mutating func add(_ equity: Money, at time: Int64) {
        let previous = last.doubleValue
        let value = equity.doubleValue
        let change = value / previous - 1
        points += 1
        let delta = change - meanReturn
        meanReturn += delta / Double(points)
        squaredDeviations += delta * (change - meanReturn)
        if equity >= peak {
            peak = equity
            underwater = 0
        } else {
            underwater += 1
            maxDrawdownPeriods = max(maxDrawdownPeriods, underwater)
            maxDrawdown = min(maxDrawdown, value / peak.doubleValue - 1)
        }
        last = equity
        if firstTime == nil { firstTime = Timestamp(nanoseconds: time) }
        lastTime = Timestamp(nanoseconds: time)
    }

    /// Every point of `curve`, in order.
    public mutating func add(_ curve: EquityCurve) {
        for point in curve { add(point.equity, at: point.timestamp.nanoseconds) }
    }

    /// The summary with `curve`'s points added after these: the whole run, when `curve` holds
    /// what was not yet folded in.
    public func adding(_ curve: EquityCurve) -> EquitySummary {
        var whole = self
        whole.add(curve)
        return whole
    }

    public var totalReturn: Double { last.doubleValue / initial.doubleValue - 1 }
    /// Sample standard deviation of the per-point returns (NaN under two points).
    public var returnDeviation: Double { points > 1 ? (squaredDeviations / Double(points - 1)).squareRoot() : .nan }
    /// Mean over deviation, scaled by the square root of the periods in a year (no risk-free rate).
    public func sharpe(periodsPerYear: Double) -> Double {
        returnDeviation > 0 ? meanReturn / returnDeviation * periodsPerYear.squareRoot() : .nan
    }
}
