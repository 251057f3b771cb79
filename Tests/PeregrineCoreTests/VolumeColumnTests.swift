import PeregrineCore
import Testing

/// Volumes take eight bytes a bar while they fit in 64 bits of units and widen, exactly, when one
/// does not.
@Suite struct VolumeColumnTests {
    @Test func volumesWithin64BitsStayNarrowAndExact() {
        let volumes: [Int128] = [0, 1, 123_456_789, Int128(Int64.max), Int128(Int64.min), -5]
        let column = VolumeColumn(volumes)
        #expect(!column.isWide)
        #expect(Array(column) == volumes)
    }

    @Test func theFirstVolumePast64BitsWidensEveryOneExactly() {
        var column = VolumeColumn([7, Int128(Int64.max)])
        column.append(Int128(Int64.max) + 1)  // 9,223,372,036.854775808 shares at nine decimals
        column.append(3)
        #expect(column.isWide)
        #expect(Array(column) == [7, Int128(Int64.max), Int128(Int64.max) + 1, 3])
        column.removeFirst(2)
        #expect(Array(column) == [Int128(Int64.max) + 1, 3])
    }

    @Test func aSeriesReadsItsVolumesBackThroughEveryView() {
        var series = BarSeries(instrument: .usEquity("V"))
        let big = Quantity("123456789012345678901")!
        for (k, volume) in [Quantity(100), big, Quantity("0.5")!].enumerated() {
            series.append(Bar(timestamp: Timestamp(nanoseconds: Int64(k)), open: Price(1), high: Price(1), low: Price(1),
                              close: Price(1), volume: volume))
        }
        #expect(series.volumes.isWide)
        #expect(series.bars.map(\.volume) == [Quantity(100), big, Quantity("0.5")!])
        #expect(series.withUnsafeColumns { columns in (0..<columns.count).map { columns[$0].volume } }
            == [Quantity(100), big, Quantity("0.5")!])
        #expect(series.slice(1..<3).volumes.map { $0 } == [big.units, Quantity("0.5")!.units])
    }
}
