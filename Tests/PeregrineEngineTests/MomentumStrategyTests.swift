import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// `xs-momentum` and `dual-momentum` on hand-made universes: who is ranked, held, sold and bought,
/// and when.
@Suite struct MomentumStrategyTests {
    /// Closes compounding by `rates[t]` on bar t (the first close is 100), two decimals.
    static func closes(_ rates: [Double]) -> [String] {
        var price = 100.0
        return rates.enumerated().map { t, rate in
            if t > 0 { price *= 1 + rate }
            return String(format: "%.2f", price)
        }
    }

    static func universe(_ symbols: [(String, [Double])]) -> [BarSeries] {
        symbols.map { BarSeries(instrument: .usEquity($0.0), bars: BarBuilder.flatDaily(closes($0.1))) }
    }

    static func run(_ strategy: String, _ parameters: [String: String], _ series: [BarSeries]) throws -> BacktestResult {
        try StrategyRegistry.shared.backtest(strategy: strategy, parameters: StrategyParameters(parameters), series: series,
                                             configuration: BacktestConfiguration())
    }

    /// A +1% a bar, B +3%, C -2% until bar 7 then +10%, D +2%; 17 bars.
    static let trends: [(String, [Double])] = [
        ("A", Array(repeating: 0.01, count: 17)),
        ("B", Array(repeating: 0.03, count: 17)),
        ("C", Array(repeating: -0.02, count: 8) + Array(repeating: 0.10, count: 9)),
        ("D", Array(repeating: 0.02, count: 17)),
    ]

    /// Lookback 5, top 2, every 5 bars. Bar 5 is the first with 5 returns: B and D lead, each bought
    /// with half of 1,000,000 at bar 5's close. At bar 10, C's 0.98² · 1.1³ - 1 = 27.8% passes D's
    /// 1.02⁵ - 1 = 10.4%: D is sold on bar 10 and C bought on bar 11, once D's sale has filled.
    @Test func holdsTheTopNAndRotatesSalesFirst() throws {
        let series = Self.universe(Self.trends)
        let result = try Self.run("xs-momentum", ["lookback": "5", "skip": "0", "top": "2", "rebalance": "5"], series)
        let times = series[0].bars.map(\.timestamp)
        let orders = result.decisions.filter { $0.outcome == .submitted }
        let first = orders.filter { $0.timestamp == times[5] }
        #expect(Set(first.map(\.instrument.index)) == [1, 3] && first.allSatisfy { $0.side == .buy })
        let closeB = series[1].bars[5].close.doubleValue, closeD = series[3].bars[5].close.doubleValue
        #expect(first.first { $0.instrument.index == 1 }?.quantity == Quantity(Int((500_000 / closeB).rounded(.down))))
        #expect(first.first { $0.instrument.index == 3 }?.quantity == Quantity(Int((500_000 / closeD).rounded(.down))))
        #expect(orders.filter { $0.timestamp > times[5] && $0.timestamp < times[10] }.isEmpty)
        let sellD = try #require(orders.first { $0.instrument.index == 3 && $0.side == .sell })
        #expect(sellD.timestamp == times[10] && sellD.detail.hasPrefix("rebalance; top 2 of 4"))
        let buyC = try #require(orders.first { $0.instrument.index == 2 })
        #expect(buyC.timestamp == times[11] && buyC.side == .buy && buyC.detail.hasPrefix("rebalance_buy"))
        #expect(result.account.position(InstrumentID(3)).isFlat && !result.account.position(InstrumentID(2)).isFlat)
        #expect(result.account.position(InstrumentID(0)).isFlat)
        #expect(result.decisions.allSatisfy { $0.outcome != .rejected })
        try BookCheck.reconcile(result)
    }

    /// Skipping the latest 2 bars, the first rebalance needs 5 + 2 earlier bars (bar 7), and the next
    /// is bar 12, which ranks the returns from bar 5 to bar 10: C's, 0.98² · 1.1³ - 1, passes D's, so C
    /// is bought on bar 13 (without the skip, bar 11).
    @Test func skippingTheLatestBarsRanksOlderReturns() throws {
        let series = Self.universe(Self.trends)
        let result = try Self.run("xs-momentum", ["lookback": "5", "skip": "2", "top": "2", "rebalance": "5"], series)
        let times = series[0].bars.map(\.timestamp)
        #expect(result.decisions.first { $0.outcome == .submitted }?.timestamp == times[7])
        let buyC = try #require(result.decisions.first { $0.outcome == .submitted && $0.instrument.index == 2 })
        #expect(buyC.timestamp == times[13])
        let closesC = series[2].bars.map(\.close.doubleValue)
        let expected = ((closesC[10] / closesC[5] - 1) * 10_000).rounded() / 10_000
        let rebalance = try #require(result.decisions.first { $0.timestamp == times[12] && $0.detail.hasPrefix("rebalance;") })
        #expect(rebalance.detail.contains("C=\(expected)"), "\(rebalance.detail)")
    }

    /// A's data ends at bar 11 while it is held: no order is sent for A afterwards (it could never
    /// fill), nothing is refused, and the rebalances go on with the symbols that still trade.
    @Test func aSymbolWhoseDataEndedIsLeftAlone() throws {
        var series = Self.universe([("A", Array(repeating: 0.03, count: 20)), ("B", Array(repeating: 0.01, count: 20)),
                                    ("C", Array(repeating: 0.02, count: 20))])
        series[0] = BarSeries(instrument: series[0].instrument, bars: Array(series[0].bars.prefix(12)))
        let result = try Self.run("xs-momentum", ["lookback": "3", "skip": "0", "top": "2", "rebalance": "2"], series)
        let end = series[0].bars[11].timestamp
        #expect(result.decisions.allSatisfy { $0.outcome != .rejected })
        #expect(!result.decisions.contains { $0.instrument.index == 0 && $0.timestamp > end })
        #expect(result.decisions.contains { $0.instrument.index == 1 && $0.side == .buy && $0.timestamp > end })
        #expect(!result.account.position(InstrumentID(0)).isFlat)
    }

    /// Two risky symbols falling and a safe one: absolute momentum fails, the safe symbol is held; once
    /// B's 5-bar return turns positive, the next rebalance sells the safe symbol and buys B.
    @Test func dualMomentumHoldsTheSafeSymbolUntilTheBestReturnIsPositive() throws {
        let series = Self.universe([
            ("A", Array(repeating: -0.01, count: 20)),
            ("B", Array(repeating: -0.005, count: 10) + Array(repeating: 0.03, count: 10)),
            ("SAFE", Array(repeating: 0.0005, count: 20)),
        ])
        let result = try Self.run("dual-momentum", ["lookback": "5", "rebalance": "3", "safe": "SAFE"], series)
        let times = series[0].bars.map(\.timestamp)
        let orders = result.decisions.filter { $0.outcome == .submitted }
        let firstBuy = try #require(orders.first)
        #expect(firstBuy.instrument.index == 2 && firstBuy.timestamp == times[5] && firstBuy.detail.hasPrefix("dual_momentum_risk_off"))
        // The first rebalance (every 3 bars from bar 5) at which B's 5-bar return is positive, from the closes.
        let closesB = series[1].bars.map(\.close.doubleValue)
        let rebalances = stride(from: 5, to: 20, by: 3)
        let firstOn = try #require(rebalances.first { closesB[$0] / closesB[$0 - 5] - 1 > 0 })
        // (Earlier rebalances may trim the safe holding back to its weight; this is the switch.)
        let sellSafe = try #require(orders.first { $0.instrument.index == 2 && $0.side == .sell && $0.detail.hasPrefix("dual_momentum_risk_on") })
        #expect(sellSafe.timestamp == times[firstOn] && sellSafe.detail.hasPrefix("dual_momentum_risk_on; best B"), "\(sellSafe.detail)")
        #expect(result.account.position(InstrumentID(2)).isFlat)
        let buyB = try #require(orders.first { $0.instrument.index == 1 })
        #expect(buyB.timestamp == times[firstOn + 1])
        #expect(orders.allSatisfy { $0.instrument.index != 0 })
        try BookCheck.reconcile(result)
    }

    /// Without a safe symbol a failed absolute test means cash: nothing is bought while both fall.
    @Test func dualMomentumWithoutASafeSymbolHoldsCash() throws {
        let series = Self.universe([("A", Array(repeating: -0.01, count: 12)), ("B", Array(repeating: -0.005, count: 12))])
        let result = try Self.run("dual-momentum", ["lookback": "5", "rebalance": "2"], series)
        #expect(result.fills.isEmpty)
        #expect(result.decisions.isEmpty)
        let missing = try Self.run("dual-momentum", ["lookback": "5", "safe": "TLT"], series)
        #expect(missing.decisions.first?.detail.hasPrefix("dual_momentum_no_safe; safe=TLT") == true)
    }
}
