import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// A universe of symbols with different histories and missing bars: fills only on bars that exist,
/// positions without a bar marked at their last close and counted as stale, `symbols` picking files.
@Suite struct UniverseTests {
    /// Writes `count` symbols' daily files, each starting later and missing bars at random.
    static func universe(count: Int, bars: Int, seed: UInt64) -> String {
        let folder = TestPaths.temporaryFolder()
        var generator = SeededGenerator(seed: seed)
        for k in 0..<count {
            let series = SyntheticMarket.series(bars: bars, seed: seed + UInt64(k), interval: Timestamp.nanosPerDay, symbol: "S\(k)")
            var thinned = BarSeries(instrument: series.instrument)
            let start = Int(generator.next() % UInt64(bars / 4))
            for t in start..<series.count where generator.next() % 10 != 0 { thinned.append(series[t]) }
            try! BarCSVWriter.write(thinned, to: folder + "/s\(k).csv")
        }
        return folder
    }

    @Test func fillsHappenOnlyOnBarsThatExistAndGapsAreStale() throws {
        let folder = Self.universe(count: 12, bars: 400, seed: 11)
        let sources = try MarketDataLoader().load([folder])
        let series = sources.map(\.series)
        let result = try StrategyRegistry.shared.backtest(
            strategy: "sma-cross", parameters: StrategyParameters(["fast": "3", "slow": "8", "percent": "0.05"]),
            series: series, configuration: BacktestConfiguration())
        #expect(result.fills.count > 100)
        for fill in result.fills {
            #expect(series[fill.instrument.index].timestamps.contains(fill.timestamp.nanoseconds), "\(fill)")
        }
        // Stale steps, recounted from the fills: a time step of the merged feed at which the instrument
        // was held and had no bar of its own.
        let times = Set(series.flatMap(\.timestamps)).sorted()
        for (index, s) in series.enumerated() {
            let own = Set(s.timestamps)
            let trades = result.fills.filter { $0.instrument.index == index }
            var held = Quantity.zero
            var cursor = 0
            var stale = 0
            for time in times {
                while cursor < trades.count, trades[cursor].timestamp.nanoseconds <= time {
                    held += trades[cursor].signedQuantity
                    cursor += 1
                }
                if !held.isZero && !own.contains(time) { stale += 1 }
            }
            #expect(result.staleMarkSteps[index] == stale, "\(s.instrument.symbol)")
        }
        #expect(result.staleMarkSteps.reduce(0, +) > 0)
        try BookCheck.reconcile(result)
    }

    @Test func symbolsPickFilesFromAFolderAndAMissingOneIsNamed() throws {
        let folder = Self.universe(count: 5, bars: 60, seed: 3)
        var loader = MarketDataLoader()
        loader.symbols = ["s3", "S1"]
        #expect(try loader.load([folder]).map(\.series.instrument.symbol) == ["S1", "S3"])
        loader.symbols = ["S1", "XYZ"]
        #expect(throws: MarketDataLoader.LoadError.self) { try loader.load([folder]) }
        do { _ = try loader.load([folder]) } catch { #expect(error.description.contains("no data file for XYZ")) }
    }
}
