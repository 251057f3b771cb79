import PeregrineEngine

/// A go/no-go verdict on a strategy's results: every threshold it misses is listed, so a "no" says
/// exactly why. Backtests, walk-forward and Monte Carlo print it; live trading refuses a "no"
/// unless told otherwise.
public struct ValidationGate: Sendable, Equatable {
    public var minimumTrades = 100
    public var minimumWinRate = 0.45
    public var minimumSharpe = 1.0
    /// Out-of-sample Sharpe at least this share of the in-sample Sharpe (when both are known).
    public var minimumOutOfSampleRatio = 0.5
    /// Largest acceptable drawdown, as a positive fraction.
    public var maximumDrawdown = 0.25

    public init() {}

    public struct Verdict: Sendable, Equatable {
        public var passed: Bool { failures.isEmpty }
        public var failures: [String]
        public var description: String { passed ? "GO" : "NO-GO: " + failures.joined(separator: "; ") }
    }

    /// Judges round trips, win rate, Sharpe and drawdown, and the out-of-sample ratio when an
    /// in-sample Sharpe is given.
    public func judge(trades: Int, winRate: Double, sharpe: Double, maxDrawdown: Double, inSampleSharpe: Double? = nil)
        -> Verdict
    {
        var failures: [String] = []
        func f(_ x: Double) -> String { x.isFinite ? String(Double(Int((x * 1000).rounded())) / 1000) : "n/a" }
        if trades < minimumTrades { failures.append("\(trades) round trips < \(minimumTrades)") }
        if !(winRate >= minimumWinRate) { failures.append("win rate \(f(winRate)) < \(f(minimumWinRate))") }
        if !(sharpe >= minimumSharpe) { failures.append("Sharpe \(f(sharpe)) < \(f(minimumSharpe))") }
        if !(-maxDrawdown <= maximumDrawdown) { failures.append("max drawdown \(f(-maxDrawdown)) > \(f(maximumDrawdown))") }
        if let inSample = inSampleSharpe, inSample > 0, !(sharpe >= minimumOutOfSampleRatio * inSample) {
            failures.append("out-of-sample Sharpe \(f(sharpe)) < \(f(minimumOutOfSampleRatio)) x in-sample \(f(inSample))")
        }
        return Verdict(failures: failures)
    }

    /// The verdict on a backtest.
    public func judge(_ result: BacktestResult, inSampleSharpe: Double? = nil) -> Verdict {
        let m = result.metrics
        return judge(trades: m.trades.roundTrips, winRate: m.trades.winRate, sharpe: m.returns.sharpe,
                     maxDrawdown: m.returns.maxDrawdown, inSampleSharpe: inSampleSharpe)
    }
}
