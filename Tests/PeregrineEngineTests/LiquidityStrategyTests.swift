import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// `grid` and `market-making` on hand-made bars: which limit rests where, what fills, and the exact
/// money it leaves.
@Suite struct LiquidityStrategyTests {
    static func bars(_ rows: [(String, String, String, String)]) -> [Bar] {
        var day = BarBuilder.civil("2024-01-01")
        return rows.map { row in
            while day.weekday == 0 || day.weekday == 6 { day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1) }
            defer { day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1) }
            return BarBuilder.bar(day.description, row.0, row.1, row.2, row.3)
        }
    }

    static func run(_ strategy: String, _ parameters: [String: String], _ bars: [Bar]) throws -> BacktestResult {
        try StrategyRegistry.shared.backtest(strategy: strategy, parameters: StrategyParameters(parameters),
                                             series: [BarSeries(instrument: .usEquity("X"), bars: bars)],
                                             configuration: BacktestConfiguration())
    }

    /// Lines 96, 98, 100, 102, 104 (100 ± 4%, five lines), 10 shares a line. Bar 0 rests buys on 96 and
    /// 98; bar 1 reaches 98 (bought), so a sell rests on 100; bar 2 reaches 100 (sold: +20) and the
    /// close of 100.2 puts buys on 98 and 100; bar 3 falls to 90, filling 100 (at the open), 98 and 96,
    /// and closes below 96 · 0.95 = 91.2: the stop sells the 30 shares at bar 4's open of 89 (-270).
    @Test func gridBuysLinesSellsOneLineUpAndStopsBelowTheGrid() throws {
        let bars = Self.bars([("100", "100", "100", "100"), ("99.5", "99.5", "97.5", "98.5"), ("99", "100.5", "98.5", "100.2"),
                              ("100", "100", "90", "90"), ("89", "89", "88", "88.5"), ("88", "120", "80", "100")])
        let result = try Self.run("grid", ["range": "0.04", "levels": "5", "quantity": "10"], bars)
        let fills = result.fills.map { fill in
            "\(fill.side) \(fill.quantity)@\(fill.price) bar \(bars.firstIndex { $0.timestamp == fill.timestamp } ?? -1)"
        }
        #expect(fills.sorted() == ["buy 10@100 bar 3", "buy 10@96 bar 3", "buy 10@98 bar 1", "buy 10@98 bar 3", "sell 10@100 bar 2",
                                   "sell 30@89 bar 4"], "\(fills)")
        #expect(result.account.cash == Money(1_000_000) + Money(20) - Money(270))
        let stop = try #require(result.decisions.first { $0.detail.hasPrefix("grid_stop") })
        #expect(stop.timestamp == bars[3].timestamp)
        // Off after the stop: bar 5's wide range fills nothing.
        #expect(result.account.position(InstrumentID(0)).isFlat)
        try BookCheck.reconcile(result)
    }

    /// With `recenter=true` the grid is rebuilt around the first close after the stop once flat.
    @Test func aRecenteredGridTradesAgainAfterTheStop() throws {
        let bars = Self.bars([("100", "100", "100", "100"), ("100", "100", "90", "90"), ("89", "89", "88", "88.5"),
                              ("88.5", "88.5", "88.5", "88.5"), ("88", "88", "86", "87")])
        let result = try Self.run("grid", ["range": "0.04", "levels": "5", "quantity": "10", "recenter": "true"], bars)
        // Flat again on bar 2, whose close 88.5 centers the new grid (± 4%): lines 84.96, 86.73, 88.5, ...; bar 4 reaches 86.73.
        let last = try #require(result.fills.last)
        #expect(last.side == .buy && last.price == Price("86.73")! && last.timestamp == bars[4].timestamp)
    }

    /// EMA(3) of 100, 100, 100 is 100: bid 99, ask 101 (2% apart). Bar 3 reaches 99: long 10, the
    /// inventory limit (1 quote of 10). The EMA moves to 99.75, inventory skew 1% lowers the
    /// reservation to 98.7525, and only an ask is quoted, at 98.7525 · 1.01 = 99.740025, 99.75 on
    /// the tick grid; bar 4 reaches it: +7.50.
    @Test func quotesAroundTheFairValueSkewWithInventoryAndRespectTheLimit() throws {
        let bars = Self.bars([("100", "100", "100", "100"), ("100", "100", "100", "100"), ("100", "100", "100", "100"),
                              ("100", "100.5", "98.9", "99.5"), ("99.5", "99.8", "99.4", "99.6")])
        let result = try Self.run("market-making", ["period": "3", "spread": "0.02", "skew": "0.01", "max_inventory": "1",
                                                    "quantity": "10"], bars)
        let quotes2 = result.decisions.filter { $0.timestamp == bars[2].timestamp && $0.outcome == .submitted }
        #expect(quotes2.count == 2)
        let fills = result.fills.map { "\($0.side) \($0.quantity)@\($0.price)" }
        #expect(fills == ["buy 10@99", "sell 10@99.75"], "\(fills)")
        let quotes3 = result.decisions.filter { $0.timestamp == bars[3].timestamp && $0.outcome == .submitted }
        #expect(quotes3.count == 1 && quotes3.first?.side == .sell && quotes3.first?.detail.hasPrefix("mm_ask; fair=99.75 inventory=10") == true)
        #expect(result.account.cash == Money(1_000_000) + Money(units: 75 * Money.scale / 10))
        try BookCheck.reconcile(result)
    }

    /// Long only (`short=false`): flat, no ask is quoted.
    @Test func withoutShortingAFlatBookQuotesOnlyTheBid() throws {
        let bars = Self.bars(Array(repeating: ("100", "100", "100", "100"), count: 5))
        let result = try Self.run("market-making", ["period": "3", "short": "false"], bars)
        let quotes = result.decisions.filter { $0.outcome == .submitted }
        #expect(!quotes.isEmpty && quotes.allSatisfy { $0.side == .buy })
        #expect(throws: ConfigurationError.self) { try Self.run("market-making", ["quantity": "5", "percent": "0.1"], bars) }
        #expect(throws: ConfigurationError.self) { try Self.run("grid", ["lower": "110", "upper": "90"], bars) }
        // Lines closer than a cent: no grid, and a decision that says why.
        let tight = try Self.run("grid", ["range": "0.0001", "levels": "50"], bars)
        #expect(tight.fills.isEmpty && tight.decisions.first?.detail.hasPrefix("grid_invalid") == true)
    }
}
