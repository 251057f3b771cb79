import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineRisk
import PeregrineStrategies
import Testing

/// The [sizing] policy replaces the strategy's entry sizes in the kernel, from the equity at the
/// signal and, for Kelly, the trades closed before it.
@Suite struct SizingPolicyBacktestTests {
    /// A market with a strong upward drift, so the crossover's trades have an edge and Kelly bets.
    static let series: BarSeries = {
        var options = SyntheticMarket.Options()
        options.bars = 3_000
        options.seed = 9
        options.interval = Timestamp.nanosPerDay
        options.drift = 0.6
        return SyntheticMarket(options: options).generate()
    }()

    func run(_ policy: SizingPolicy) throws -> BacktestResult {
        var configuration = BacktestConfiguration()
        configuration.sizing = policy
        return try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(["quantity": "7"]), series: [Self.series],
                                            configuration: configuration)
    }

    /// Entries as (bar index, quantity) with the equity and close at that bar.
    func entries(_ result: BacktestResult) -> [(bar: Int, quantity: Quantity, equity: Double, close: Double)] {
        result.decisions.filter { $0.outcome == .submitted && $0.reason == .openLong }.map { d in
            let bar = Self.series.timestamps.firstIndex(of: d.timestamp.nanoseconds)!
            return (bar, d.quantity, result.equity[bar].equity.doubleValue, Self.series[bar].close.doubleValue)
        }
    }

    @Test func percentOfEquityAtTheSignal() throws {
        var policy = SizingPolicy()
        policy.method = .percent
        policy.percent = 0.5
        let result = try run(policy)
        let list = entries(result)
        #expect(list.count > 20)
        for entry in list {
            #expect(entry.quantity == Quantity(approximating: entry.equity * 0.5 / entry.close).rounded(downToLot: Quantity(1)), "\(entry)")
        }
        #expect(list.contains { $0.quantity != Quantity(7) })
    }

    /// Kelly after 5 closed trades: each entry sized from the round trips closed before it, recomputed here.
    @Test func kellyLearnsFromTheTradesBeforeEachEntry() throws {
        var policy = SizingPolicy()
        policy.method = .kelly
        policy.minTrades = 5
        policy.kellyFraction = 0.5
        policy.percent = 0.2
        let result = try run(policy)
        var checkedKelly = 0
        for entry in entries(result) {
            var stats = SizingPolicy.TradeStats()
            for trip in result.roundTrips where trip.exitTime!.nanoseconds <= Self.series.timestamps[entry.bar] {
                stats.record(returnOnEntry: trip.returnOnEntry)
            }
            let share = stats.count < 5 ? 0.2 : 0.5 * max(0, stats.winProbability - (1 - stats.winProbability) / (stats.payoffRatio ?? .infinity))
            if stats.count >= 5 { checkedKelly += 1 }
            #expect(entry.quantity == Quantity(approximating: entry.equity * share / entry.close).rounded(downToLot: Quantity(1)),
                    "\(entry) with \(stats.count) trades")
        }
        #expect(checkedKelly > 10)
    }

    /// Volatility target: half the equity scaled to 15% annual volatility, the volatility recomputed
    /// here from the 20 log returns up to each signal's bar (daily bars, 252 a year).
    @Test func volatilityTargetFromTheRecentCloses() throws {
        var policy = SizingPolicy()
        policy.method = .volatilityTarget
        policy.percent = 0.5
        policy.volatilityTarget = 0.15
        policy.maxLeverage = 1.5
        let result = try run(policy)
        let list = entries(result)
        #expect(list.count > 10)
        for entry in list {
            let closes = (entry.bar - 20...entry.bar).map { Self.series[$0].close.doubleValue }
            let returns = (1..<closes.count).map { Foundationless.log(closes[$0] / closes[$0 - 1]) }
            let mean = returns.reduce(0, +) / 20
            let volatility = (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 19 * 252).squareRoot()
            let units = entry.equity * 0.5 * min(1.5, 0.15 / volatility) / entry.close
            #expect(entry.quantity == Quantity(approximating: units).rounded(downToLot: Quantity(1)), "\(entry) at volatility \(volatility)")
        }
    }
}
