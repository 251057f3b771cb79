/// Moves every row of every table from one store to another (a SQLite file to PostgreSQL, or back),
/// ids kept, in one transaction of the destination, then reads both back and compares each table's
/// row count and checksum. Identity sequences on PostgreSQL are moved past the copied ids, so the next
/// run or audit line gets a new id.
public enum StoreCopy {
    /// Copies `source` into `destination`. A destination with rows is refused unless `replace`, which
    /// empties it first in the same transaction. A source holding a table this copy does not know is
    /// refused too, so that "every table" stays true when the schema grows.
    public static func copy(from source: TradingStore, to destination: TradingStore, replace: Bool,
                            batchRows: Int = 500, pageRows: Int = 10_000) throws -> [TableCopyReport] {
        try refuseUnknownTables(source)
        try destination.backend.write { db in
            var present: [String] = []
            for table in StoreTable.all {
                let count = try db.value(Int.self, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0
                if count > 0 { present.append("\(table.name) (\(count))") }
            }
            if !present.isEmpty && !replace {
                throw StoreError(.unreadable, "\(destination.path) is not empty: \(present.joined(separator: ", ")); "
                                 + "pass --replace to empty it first")
            }
            for table in StoreTable.all.reversed() { try db.execute(sql: "DELETE FROM \(table.name)") }
            // One consistent view of the source, read a page at a time: a store of years moves in
            // bounded memory.
            try source.backend.read { sourceDB in
              for table in StoreTable.all {
                let marks = "(" + table.columns.map { _ in "?" }.joined(separator: ", ") + ")"
                try table.forEachPage(in: sourceDB, pageRows: pageRows) { rows in
                    var start = 0
                    while start < rows.count {
                        let batch = rows[start..<min(start + max(1, batchRows), rows.count)]
                        let sql = "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES "
                            + Array(repeating: marks, count: batch.count).joined(separator: ", ")
                        try db.execute(sql: sql, arguments: batch.flatMap { $0.values.map { $0 as (any StoreBindable)? } })
                        start += batch.count
                    }
                }
                if let identity = table.identity, destination.backend is PostgresBackend {
                    try db.execute(sql: """
                        SELECT setval(pg_get_serial_sequence('\(table.name)', '\(identity)'), GREATEST(COALESCE(MAX(\(identity)), 0), 1),
                            COALESCE(MAX(\(identity)), 0) > 0) FROM \(table.name)
                        """)
                }
              }
            }
        }
        let before = try fingerprints(source, pageRows: pageRows)
        let after = try fingerprints(destination, pageRows: pageRows)
        return zip(before, after).map { source, destination in
            TableCopyReport(table: source.table, sourceRows: source.rows, destinationRows: destination.rows,
                            sourceChecksum: source.checksum, destinationChecksum: destination.checksum)
        }
    }

    /// Each table's row count and checksum: FNV-1a (64 bits) over its rows in key order, each value in
    /// its canonical text. The same rows give the same checksum on either backend.
    public static func fingerprints(_ store: TradingStore, pageRows: Int = 10_000) throws -> [(table: String, rows: Int, checksum: String)] {
        try store.backend.read { db in
            try StoreTable.all.map { table in
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                func mix(_ text: String) {
                    for byte in text.utf8 {
                        hash ^= UInt64(byte)
                        hash = hash &* 0x0000_0100_0000_01b3
                    }
                }
                var count = 0
                try table.forEachPage(in: db, pageRows: pageRows) { rows in
                    for row in rows {
                        for value in row.values {
                            mix(value.canonicalText)
                            mix("\u{1F}")
                        }
                        mix("\u{1E}")
                    }
                    count += rows.count
                }
                let hex = String(hash, radix: 16)
                return (table.name, count, String(repeating: "0", count: 16 - hex.count) + hex)
            }
        }
    }

    static func refuseUnknownTables(_ store: TradingStore) throws {
        let known = Set(StoreTable.all.map(\.name))
        let tables = try store.backend.read { db in
            if store.backend is PostgresBackend {
                return try db.values(String.self, sql: """
                    SELECT table_name::text FROM information_schema.tables
                    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                    """)
            }
            return try db.values(String.self, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        }
        let unknown = tables.filter { !known.contains($0) && $0 != "grdb_migrations" && $0 != "peregrine_migrations" }.sorted()
        guard unknown.isEmpty else {
            throw StoreError(.unreadable, "\(store.path) has tables db copy does not know: \(unknown.joined(separator: ", ")); "
                             + "nothing copied")
        }
    }
}
