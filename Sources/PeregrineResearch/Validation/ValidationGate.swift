import PeregrineEngine
import PeregrineModels

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
    /// For a result chosen from many trials (a sweep, walk-forward or tune): the deflated Sharpe
    /// ratio, the probability that its true Sharpe beats the best that luck would give the trials,
    /// at least this. The raw Sharpe of the best of thousands of trials says little on its own.
    public var minimumDeflatedSharpe = 0.95

    public init() {}

    public struct Verdict: Sendable, Equatable {
        public var passed: Bool { failures.isEmpty }
        public var failures: [String]
        public var description: String { passed ? "GO" : "NO-GO: " + failures.joined(separator: "; ") }
    }

    /// Judges round trips, win rate, Sharpe and drawdown, the out-of-sample ratio when an
    /// in-sample Sharpe is given, and the deflated Sharpe when the result was chosen among trials.
    public func judge(trades: Int, winRate: Double, sharpe: Double, maxDrawdown: Double, inSampleSharpe: Double? = nil,
                      deflated: DeflatedSharpeRatio? = nil) -> Verdict
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
        if let deflated, !(deflated.probability >= minimumDeflatedSharpe) {
            failures.append("deflated Sharpe \(f(deflated.probability)) < \(f(minimumDeflatedSharpe)) over \(deflated.trials) trials")
        }
        return Verdict(failures: failures)
    }

    /// The verdict on a backtest.
    public func judge(_ result: BacktestResult, inSampleSharpe: Double? = nil, deflated: DeflatedSharpeRatio? = nil) -> Verdict {
        let m = result.metrics
        return judge(trades: m.trades.roundTrips, winRate: m.trades.winRate, sharpe: m.returns.sharpe,
                     maxDrawdown: m.returns.maxDrawdown, inSampleSharpe: inSampleSharpe, deflated: deflated)
    }
}
