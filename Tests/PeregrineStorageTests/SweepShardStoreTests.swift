import Foundation
import GRDB
import PeregrineCore
@testable import PeregrineStorage
import PeregrineTestSupport
import Testing

/// A sharded sweep's rows in the store: a shard run again replaces its rows (never doubles them), a
/// shard whose transaction fails leaves the rows before it, every figure reads back to the bit, and
/// shards of different sweeps never share an id.
@Suite struct SweepShardStoreTests {
    static func record(_ shard: Int, of count: Int = 3, fingerprint: String = "abc", rows: Int, seconds: Double = 1.5) -> SweepShardRecord {
        SweepShardRecord(sweepID: "sweep-test", shard: shard, shardCount: count, fingerprint: fingerprint, settings: #"{"k":1}"#,
                         combinations: rows, runSeconds: seconds, finished: Timestamp(seconds: 100 + Int64(shard)),
                         chosenPosition: shard, chosenMoments: "3:0.1:0.01:0.001:0.0001")
    }

    /// Rows at positions shard, shard + count, ... with figures that make every position distinct.
    static func rows(_ shard: Int, of count: Int = 3, total: Int = 10, sharpe: Double = 0.5) -> [SweepShardRow] {
        stride(from: shard, to: total, by: count).map { position in
            SweepShardRow(position: position, shard: shard, parameters: ["fast": String(position), "slow": "30", "note": "a,b \"c\""],
                          trades: position, openTrades: 1, fills: 2 * position + 1,
                          finalEquity: Money(units: 1_000_000 * Money.scale + Int128(position) * 123_456_789_012_345_678),
                          totalReturn: Double(position) / 7, sharpe: sharpe, sortino: .infinity, maxDrawdown: -0.0,
                          calmar: -Double.nan, profitFactor: .nan, blockMoments: "2:\(position):1e-300:5e-324:-inf", failure: nil)
        }
    }

    @Test func aShardRunAgainReplacesItsRowsAndTheRowsReadBackToTheBit() throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/shards.sqlite")
        for shard in 0..<3 { try store.replaceSweepShard(Self.record(shard, rows: Self.rows(shard).count), rows: Self.rows(shard)) }
        var back = try store.sweepShardRows(sweepID: "sweep-test")
        #expect(back.map(\.position) == Array(0..<10))
        #expect(back.map(\.shard) == (0..<10).map { $0 % 3 })
        let row = back[7]
        #expect(row.parameters == ["fast": "7", "slow": "30", "note": "a,b \"c\""])
        #expect(row.trades == 7 && row.openTrades == 1 && row.fills == 15)
        #expect(row.finalEquity == Money("1000000.864197523086419746")!)  // 10^6 + 7 × 0.123456789012345678
        #expect(row.totalReturn.bitPattern == (7.0 / 7).bitPattern && row.sharpe == 0.5 && row.sortino == .infinity)
        #expect(row.maxDrawdown.bitPattern == (-0.0).bitPattern, "negative zero keeps its sign")
        #expect(row.calmar.isNaN && row.calmar.sign == .minus && row.profitFactor.isNaN && row.profitFactor.sign == .plus)
        #expect(row.blockMoments == "2:7:1e-300:5e-324:-inf" && row.failure == nil)

        // Shard 1 again, with other figures: its three rows replaced, nothing doubled, the others untouched.
        try store.replaceSweepShard(Self.record(1, rows: 3, seconds: 4), rows: Self.rows(1, sharpe: 2))
        back = try store.sweepShardRows(sweepID: "sweep-test")
        #expect(back.count == 10)
        #expect(back.filter { $0.shard == 1 }.allSatisfy { $0.sharpe == 2 } && back.filter { $0.shard != 1 }.allSatisfy { $0.sharpe == 0.5 })
        let shards = try store.sweepShards(sweepID: "sweep-test")
        #expect(shards.map(\.shard) == [0, 1, 2] && shards[1].runSeconds == 4 && shards[0].runSeconds == 1.5)
        #expect(shards[2] == Self.record(2, rows: 3))
        #expect(try store.shardedSweepIDs() == ["sweep-test"])
    }

    @Test func aShardOfAnotherSweepUnderTheSameIdIsRefusedAndChangesNothing() throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/shards.sqlite")
        try store.replaceSweepShard(Self.record(0, rows: 4), rows: Self.rows(0))
        #expect { try store.replaceSweepShard(Self.record(1, of: 4, rows: 3), rows: Self.rows(1, of: 4)) } throws: {
            "\($0)".contains("cut into 3 shards")
        }
        #expect { try store.replaceSweepShard(Self.record(1, fingerprint: "other", rows: 3), rows: Self.rows(1)) } throws: {
            "\($0)".contains("different sweep")
        }
        #expect(try store.sweepShardRows(sweepID: "sweep-test").map(\.position) == [0, 3, 6, 9])
        #expect(try store.sweepShards(sweepID: "sweep-test").map(\.shard) == [0])
    }

    /// A shard whose write fails part way (here: a row at a position another shard holds) leaves the
    /// store as it was: its old rows and its old completion, not half of the new ones.
    /// A shard larger than one statement's rows (200): 450 rows go in three statements and come back whole.
    @Test(arguments: StoreKind.available)
    func aLargeShardIsWrittenInSeveralStatements(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        let rows = Self.rows(0, of: 1, total: 450)
        try store.replaceSweepShard(Self.record(0, of: 1, rows: rows.count), rows: rows)
        let back = try store.sweepShardRows(sweepID: "sweep-test")
        #expect(back.count == 450 && back.map(\.position) == Array(0..<450))
        #expect(back.map(\.finalEquity) == rows.map(\.finalEquity) && back.map(\.blockMoments) == rows.map(\.blockMoments))
        #expect(back.map(\.parameters) == rows.map(\.parameters))
    }

    @Test func aFailedRewriteLeavesTheShardAsItWas() throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/shards.sqlite")
        for shard in 0..<2 { try store.replaceSweepShard(Self.record(shard, rows: Self.rows(shard).count), rows: Self.rows(shard)) }
        var clash = Self.rows(1, sharpe: 9)
        clash[2].position = 0  // shard 0's position: the primary key refuses it after two rows went in
        #expect(throws: (any Error).self) { try store.replaceSweepShard(Self.record(1, rows: 3, seconds: 9), rows: clash) }
        let back = try store.sweepShardRows(sweepID: "sweep-test")
        #expect(back.map(\.position) == [0, 1, 3, 4, 6, 7, 9])
        #expect(back.allSatisfy { $0.sharpe == 0.5 })
        #expect(try store.sweepShards(sweepID: "sweep-test").map(\.runSeconds) == [1.5, 1.5])
    }

    @Test func aValueThatDoesNotReadBackIsNamed() throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/shards.sqlite")
        try store.replaceSweepShard(Self.record(0, rows: 4), rows: Self.rows(0))
        _ = try store.backend.write { db in try db.execute(sql: "UPDATE sweep_shard_row SET sharpe = 'x' WHERE position = 6") }
        #expect { try store.sweepShardRows(sweepID: "sweep-test") } throws: { "\($0)".contains("combination 6: sharpe") }
    }
}
