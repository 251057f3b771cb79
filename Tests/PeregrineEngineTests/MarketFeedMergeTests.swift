import PeregrineCore
@testable import PeregrineEngine
import Testing

/// The feed's k-way merge puts bars in the order a full sort by (time, instrument) gives, for
/// universes with different starts, gaps and shared timestamps.
@Suite struct MarketFeedMergeTests {
    @Test(arguments: [1, 2, 7, 40]) func mergeEqualsASort(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let count = 2 + Int(generator.next() % 60)
        let series: [BarSeries] = (0..<count).map { k in
            var s = BarSeries(instrument: .usEquity("S\(k)"))
            var time = Int64(generator.next() % 50)
            for _ in 0..<Int(generator.next() % 200) {
                time += 1 + Int64(generator.next() % 3)
                let price = Price(10)
                s.append(Bar(timestamp: Timestamp(nanoseconds: time), open: price, high: price, low: price, close: price, volume: Quantity(1)))
            }
            return s
        }
        var walked: [(Int64, Int, Int)] = []
        var closes: [Int64] = []
        MarketFeed(series: series).walk(bar: { i, bar, b in walked.append((bar.timestamp.nanoseconds, i, b)) },
                                        close: { closes.append($0) })
        let expected = series.enumerated().flatMap { i, s in s.timestamps.enumerated().map { ($1, i, $0) } }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        #expect(walked.map { "\($0.0) \($0.1) \($0.2)" } == expected.map { "\($0.0) \($0.1) \($0.2)" })
        #expect(closes == Array(Set(expected.map(\.0))).sorted())
    }
}
