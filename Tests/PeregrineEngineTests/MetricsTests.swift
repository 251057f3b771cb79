import PeregrineCore
import PeregrineEngine
import Testing

/// Statistics on series small enough to work out by hand.
@Suite struct MetricsTests {
    @Test func handWorkedReturnStatistics() {
        // Returns +10%, -20%, +25%: growth 1.1 * 0.8 * 1.25 = 1.1.
        let s = ReturnStatistics(returns: [0.1, -0.2, 0.25], periodsPerYear: 3)
        #expect(abs(s.totalReturn - 0.1) < 1e-15)
        #expect(abs(s.annualReturn - 0.1) < 1e-15)  // exactly one year of periods
        // Peak 1.1, trough 0.88: drawdown -20%; one period under water before recovering to 1.1.
        #expect(abs(s.maxDrawdown + 0.2) < 1e-15)
        #expect(s.maxDrawdownPeriods == 1)
        // mean 0.05, sample sd sqrt((0.05^2 + 0.25^2 + 0.2^2) / 2) = sqrt(0.105 / 2) = sqrt(0.0525)
        let sd = (0.0525).squareRoot()
        #expect(abs(s.sharpe - 0.05 / sd * 3.0.squareRoot()) < 1e-12)
        #expect(abs(s.annualVolatility - sd * 3.0.squareRoot()) < 1e-12)
        // downside: sqrt(mean([0, 0.04, 0])) * sqrt(3); sortino = 0.05 * 3 / that
        let downside = (0.04 / 3).squareRoot() * 3.0.squareRoot()
        #expect(abs(s.sortino - 0.15 / downside) < 1e-12)
        #expect(abs(s.calmar - 0.1 / 0.2) < 1e-12)
    }

    @Test func valueAtRiskInterpolatesLikeNumpy() {
        // 21 returns -0.10, -0.09, ..., 0.10: the 5th percentile sits at position 1.0 -> -0.09.
        let returns = (0...20).map { Double($0 - 10) / 100 }
        let s = ReturnStatistics(returns: returns.shuffled(), periodsPerYear: 252)
        #expect(abs(s.valueAtRisk95 + 0.09) < 1e-12)
        // CVaR: mean of the floor(20 * 0.05) + 1 = 2 worst: -0.095
        #expect(abs(s.conditionalValueAtRisk95 + 0.095) < 1e-12)
    }

    @Test func tradeStatistics() {
        func trip(_ pnl: String) -> RoundTrip {
            var t = RoundTrip(instrument: InstrumentID(0), direction: .long, entryTime: Timestamp(seconds: 0), entryBar: 0)
            t.realizedPnL = Money(pnl)!
            t.exitTime = Timestamp(seconds: 1)
            t.exitBar = 2
            return t
        }
        let s = TradeStatistics([trip("30"), trip("-10"), trip("20"), trip("-20")])
        #expect(s.winRate == 0.5)
        #expect(s.profitFactor == 50.0 / 30.0)
        #expect(s.expectancy == 5)
        #expect(s.averageWin == 25 && s.averageLoss == -15)
        #expect(s.averageBarsHeld == 2)
    }

    @Test func periodsPerYearFollowTheBarInterval() {
        #expect(BacktestConfiguration.inferredPeriodsPerYear(interval: Timestamp.nanosPerDay, calendar: .usEquity) == 252)
        #expect(BacktestConfiguration.inferredPeriodsPerYear(interval: Timestamp.nanosPerMinute, calendar: .usEquity) == 252 * 390)
        #expect(BacktestConfiguration.inferredPeriodsPerYear(interval: 5 * Timestamp.nanosPerMinute, calendar: .usEquity) == 252 * 78)
        #expect(BacktestConfiguration.inferredPeriodsPerYear(interval: Timestamp.nanosPerDay, calendar: .continuous) == 365)
    }
}
