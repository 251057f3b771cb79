import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// `ts-momentum` and `donchian-breakout` on hand-made bars, rule by rule, and on real daily closes.
@Suite struct TrendStrategyTests {
    static func run(_ strategy: String, _ parameters: [String: String], _ bars: [Bar]) throws -> BacktestResult {
        try StrategyRegistry.shared.backtest(strategy: strategy, parameters: StrategyParameters(parameters),
                                             series: [BarSeries(instrument: .usEquity("X"), bars: bars)],
                                             configuration: BacktestConfiguration())
    }

    /// Lookback 3, volatility over 3 returns: the first decision is on bar 3 (102 over 100, up), sized
    /// 1,000,000 · min(1, 0.15 / (σ √252)) / 102 with σ the sample deviation of the three log returns;
    /// the exit is on bar 7, the first close below the close three bars before (101 < 104).
    @Test func momentumEntersOnAPositiveLookbackReturnSizedToTheVolatilityTarget() throws {
        let closes = ["100", "101", "103", "102", "104", "105", "103", "101", "99", "100"]
        let bars = BarBuilder.flatDaily(closes)
        let result = try Self.run("ts-momentum", ["lookback": "3", "vol_window": "3", "band": "100"], bars)
        let values = closes.map { Double($0)! }
        let logReturns = (1...3).map { log(values[$0] / values[$0 - 1]) }
        let mean = logReturns.reduce(0, +) / 3
        let sigma = (logReturns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        let expected = (1_000_000 * min(1, 0.15 / (sigma * 252.0.squareRoot())) / 102).rounded(.down)
        let opens = result.decisions.filter { $0.reason == .openLong }
        let closesLong = result.decisions.filter { $0.reason == .closeLong }
        #expect(opens.count == 1 && closesLong.count == 1)
        #expect(opens.first?.timestamp == bars[3].timestamp)
        #expect(opens.first?.detail.hasPrefix("momentum_up") == true)
        #expect(closesLong.first?.timestamp == bars[7].timestamp)
        #expect(result.fills.first?.quantity == Quantity(Int(expected)))
        #expect(result.fills.first?.timestamp == bars[4].timestamp)
        #expect(result.account.position(InstrumentID(0)).isFlat)
    }

    /// Calm bars, then wide swings that keep the trend up: the target shrinks by more than the band, so a
    /// sell order trims the long without closing it.
    @Test func momentumTrimsThePositionWhenVolatilityRises() throws {
        let closes = ["100", "100.5", "101", "101.5", "102", "102.5", "110", "104", "112", "113", "120", "114", "122"]
        let result = try Self.run("ts-momentum", ["lookback": "3", "vol_window": "3", "band": "0.1"], BarBuilder.flatDaily(closes))
        var position = Quantity.zero
        var trims = 0
        for fill in result.fills {
            position += fill.signedQuantity
            if fill.side == .sell && position > .zero { trims += 1 }
        }
        #expect(trims >= 1)
        #expect(result.fills.first.map { position < $0.quantity } == true)
        #expect(result.decisions.filter { $0.reason == .closeLong }.isEmpty)
    }

    /// Six bars in 99...101, then a close of 104 above the five-bar high of 101: a buy on bar 6 of
    /// 0.01 · 1,000,000 / ATR units, ATR(3) = (2 · 2 + 5) / 3 = 3, so 3,333 shares filled at bar 7's open of 104.
    static func breakoutBars(thenClose: [(String, String, String, String)]) -> [Bar] {
        var rows = Array(repeating: ("100", "101", "99", "100"), count: 6)
        rows.append(("100", "105", "100", "104"))
        rows.append(("104", "106", "103", "105"))
        rows += thenClose
        var day = BarBuilder.civil("2024-01-01")
        return rows.map { row in
            while day.weekday == 0 || day.weekday == 6 { day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1) }
            defer { day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1) }
            return BarBuilder.bar(day.description, row.0, row.1, row.2, row.3)
        }
    }

    @Test func breakoutEntersOnTheChannelAndStopsOutAtTheATRStop() throws {
        // Stop 0.5 ATR under the 104 fill: 102.5; bar 8 closes at 102, above the 3-bar low of 99.
        let bars = Self.breakoutBars(thenClose: [("105", "105", "101", "102"), ("102", "103", "101", "102")])
        let result = try Self.run("donchian-breakout", ["entry": "5", "exit": "3", "atr": "3", "stop_atr": "0.5"], bars)
        let open = try #require(result.decisions.first { $0.reason == .openLong })
        #expect(open.timestamp == bars[6].timestamp && open.detail.hasPrefix("breakout_up"))
        #expect(result.decisions.filter { $0.reason == .openLong }.count == 1)
        #expect(result.fills.first?.quantity == Quantity(3_333))
        #expect(result.fills.first?.price == Price("104")!)
        let exit = try #require(result.decisions.first { $0.reason == .closeLong })
        #expect(exit.timestamp == bars[8].timestamp)
        #expect(exit.detail.hasPrefix("atr_stop"), "\(exit.detail)")
    }

    @Test func breakoutExitsOnTheShorterChannelWhenTheStopIsFar() throws {
        // Stop 10 ATRs away (74); bar 9 closes at 101 above the 3-bar low of 100; bar 10 at 98.8 below it.
        let bars = Self.breakoutBars(thenClose: [("105", "105", "101", "102"), ("102", "102", "100", "101"),
                                                 ("101", "101", "98.5", "98.8"), ("99", "99", "98", "98.5")])
        let result = try Self.run("donchian-breakout", ["entry": "5", "exit": "3", "atr": "3", "stop_atr": "10"], bars)
        let exit = try #require(result.decisions.first { $0.reason == .closeLong })
        #expect(exit.timestamp == bars[10].timestamp)
        #expect(exit.detail.hasPrefix("exit_channel"), "\(exit.detail)")
        // The unit is capped by notional: with risk 0.5 the ATR rule asks 166,666 shares, equity buys 9,615 at 104.
        let capped = try Self.run("donchian-breakout", ["entry": "5", "exit": "3", "atr": "3", "risk": "0.5"], bars)
        #expect(capped.fills.first?.quantity == Quantity(9_615))
        #expect(throws: ConfigurationError.self) { try Self.run("donchian-breakout", ["entry": "5", "exit": "10"], bars) }
    }

    /// Both strategies on 20 years of ORCL daily bars: they trade, every decision has a reason, and
    /// the books hold no short position in long-only mode.
    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)),
          arguments: ["ts-momentum", "donchian-breakout"])
    func runsOnRealDailyBars(strategy: String) throws {
        let series = try BarCSVReader().read(path: TestPaths.sharedFile("orcl_daily.csv"), instrument: .usEquity("ORCL")).series
        let result = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: StrategyParameters(), series: [series],
                                                          configuration: BacktestConfiguration())
        #expect(result.roundTrips.count >= 5, "\(result.roundTrips.count) round trips")
        #expect(result.decisions.allSatisfy { !$0.reason.code.isEmpty })
        var position = Quantity.zero
        for fill in result.fills {
            position += fill.signedQuantity
            #expect(position >= .zero)
        }
        #expect(result.finalEquity > .zero)
    }
}
