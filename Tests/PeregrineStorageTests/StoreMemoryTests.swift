import GRDB
import GRDBSQLite
import PeregrineCore
@testable import PeregrineStorage
import PeregrineTestSupport
import Testing

/// A long-running process reads long runs back (a parity check reads every bar of a run): the SQLite
/// connections' page caches it filled are handed back on `releaseMemory`.
@Suite struct StoreMemoryTests {
    /// Bytes of page cache held by the reader connection the pool hands out (SQLite's own count).
    func cacheUsed(_ store: TradingStore) throws -> Int32 {
        let backend = try #require(store.backend as? SQLiteBackend)
        return try backend.pool.read { db in
            var current: Int32 = 0, highest: Int32 = 0
            sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_USED, &current, &highest, 0)
            return current
        }
    }

    @Test func aLongReadsPageCacheIsReleased() throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/memory.sqlite")
        let run = try store.beginRun(kind: "sim", strategy: "sma-cross", parameters: "", started: Timestamp(seconds: 0), initialEquity: Money(1_000))
        let bars = (0..<30_000).map { k in
            RunBar(bot: "trend", symbol: "AAA", timeframe: "1Min",
                   bar: Bar(timestamp: Timestamp(seconds: 60 * Int64(k)), open: Price("100.5")!, high: Price("101.25")!, low: Price("99.75")!,
                            close: Price("100.125")!, volume: Quantity(1_000 + k)), warmUp: false)
        }
        try store.recordRunBars(runID: run, bars)
        let columns = try store.runBarColumns(runID: run)
        #expect(columns.barCount == 30_000)
        let filled = try cacheUsed(store)
        store.releaseMemory()
        let released = try cacheUsed(store)
        #expect(filled > 1_000_000 && released < filled / 4, "page cache \(filled) bytes after the read, \(released) after the release")
    }
}
