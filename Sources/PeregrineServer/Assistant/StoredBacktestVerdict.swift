import Foundation
import PeregrineResearch

/// The validation gate's verdict on a stored backtest, from the summary its command wrote: the one
/// judgment the assistant and the dashboard's go/no-go panel both show.
public struct StoredBacktestVerdict: Codable, Sendable, Equatable {
    public var runId: Int64
    public var passed: Bool
    /// What failed (empty when it passed).
    public var failures: [String]
    public var trades: Int
    public var winRate: Double
    public var sharpe: Double
    public var maxDrawdown: Double

    /// Nil when the summary lacks the figures the gate needs.
    public init?(runID: Int64, summary: String, gate: ValidationGate = ValidationGate()) {
        guard let json = try? JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any],
              let trades = (json["trade_count"] as? NSNumber)?.intValue, let sharpe = (json["sharpe"] as? NSNumber)?.doubleValue,
              let drawdown = (json["max_drawdown"] as? NSNumber)?.doubleValue, sharpe.isFinite, drawdown.isFinite else { return nil }
        let winRate = (json["win_rate"] as? NSNumber)?.doubleValue ?? 0
        // The gate takes the drawdown as the metrics give it: a negative fraction.
        let verdict = gate.judge(trades: trades, winRate: winRate.isFinite ? winRate : 0, sharpe: sharpe, maxDrawdown: -abs(drawdown))
        runId = runID
        passed = verdict.passed
        failures = verdict.failures
        self.trades = trades
        self.winRate = winRate.isFinite ? winRate : 0
        self.sharpe = sharpe
        maxDrawdown = abs(drawdown)
    }
}
