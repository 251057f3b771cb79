import PeregrineCore
import Testing

/// Volumes take four bytes a bar while they are whole units below 2^32, eight while they fit in
/// 64 bits of units, and widen, exactly, when one does not.
@Suite struct VolumeColumnTests {
    static let share: Int128 = 1_000_000_000

    @Test func wholeVolumesBelowTwoToTheThirtySecondTakeFourBytes() {
        let volumes: [Int128] = [0, Self.share, 123_456 * Self.share, Int128(UInt32.max) * Self.share]
        let column = VolumeColumn(volumes)
        #expect(column.bytesPerVolume == 4)
        #expect(Array(column) == volumes)
    }

    /// Each kind of volume the four-byte form cannot hold moves the whole column to eight bytes,
    /// every earlier volume read back unchanged.
    @Test(arguments: [Int128(500_000_000), (Int128(UInt32.max) + 1) * 1_000_000_000, -1_000_000_000, 1])
    func aVolumeThatIsNotAWholeUnitBelowTwoToTheThirtySecondNarrowsToEightBytes(_ odd: Int128) {
        var column = VolumeColumn([7 * Self.share, 0, Int128(UInt32.max) * Self.share])
        column.append(odd)
        column.append(3 * Self.share)
        #expect(column.bytesPerVolume == 8)
        #expect(Array(column) == [7 * Self.share, 0, Int128(UInt32.max) * Self.share, odd, 3 * Self.share])
        #expect(column == VolumeColumn(Array(column)))
    }

    @Test func volumesWithin64BitsStayNarrowAndExact() {
        let volumes: [Int128] = [0, 1, 123_456_789, Int128(Int64.max), Int128(Int64.min), -5]
        let column = VolumeColumn(volumes)
        #expect(!column.isWide && column.bytesPerVolume == 8)
        #expect(Array(column) == volumes)
    }

    /// Columns holding the same volumes in different forms are equal; different volumes are not.
    @Test func equalityIsTheVolumesWhateverTheForm() {
        var trimmed = VolumeColumn([Self.share / 2, 2 * Self.share, 3 * Self.share])
        trimmed.removeFirst(1)
        let whole = VolumeColumn([2 * Self.share, 3 * Self.share])
        #expect(trimmed.bytesPerVolume == 8 && whole.bytesPerVolume == 4)
        #expect(trimmed == whole)
        #expect(trimmed != VolumeColumn([2 * Self.share, 4 * Self.share]))
    }

    @Test func theFirstVolumePast64BitsWidensEveryOneExactly() {
        var column = VolumeColumn([7, Int128(Int64.max)])
        column.append(Int128(Int64.max) + 1)  // 9,223,372,036.854775808 shares at nine decimals
        column.append(3)
        #expect(column.isWide && column.bytesPerVolume == 16)
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
