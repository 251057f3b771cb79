import Foundation
import GRDB

/// The default backend: one SQLite file in WAL mode through GRDB. Writes use `synchronous = FULL`, so a
/// committed order intent survives a power cut; readers see a snapshot while a bot writes.
final class SQLiteBackend: StoreBackend {
    let pool: DatabasePool
    let migrationsAppliedOnOpen: [String]

    /// Opens (creating if needed) the file and brings its schema up to date.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another process may hold the file a moment (`peregrine serve` reading while a bot starts):
        // wait for it rather than fail.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        let before = try pool.read { db in try StoreSchema.migrator.appliedIdentifiers(db) }
        try StoreSchema.migrator.migrate(pool)
        migrationsAppliedOnOpen = try pool.read { db in try StoreSchema.migrator.appliedMigrations(db) }.filter { !before.contains($0) }
    }

    /// Opens an existing file for reading only; refuses one that is missing migrations.
    init(readingOnly path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError(.unreadable, "\(path): no such file") }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        migrationsAppliedOnOpen = []
        let missing = try pool.read { db in
            try Set(StoreSchema.migrator.migrations).subtracting(StoreSchema.migrator.appliedIdentifiers(db))
        }
        guard missing.isEmpty else { throw StoreError.migrationsMissing(missing.count, store: path) }
    }

    /// Each idle connection's page cache (up to SQLite's 2 MiB a connection, filled by a long read).
    func releaseMemory() { pool.releaseMemory() }

    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try pool.read { db in try body(Connection(db: db)) }
    }

    func write<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try pool.write { db in try body(Connection(db: db)) }
    }

    func appliedMigrations() throws -> [String] {
        try pool.read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    /// The journal mode SQLite reports (`wal` for a store).
    func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// One GRDB database access; statements are cached, so a loop of inserts prepares once.
    struct Connection: StoreConnection {
        let db: Database

        func execute(sql: String, arguments: StoreArguments) throws -> Int {
            let statement = try db.cachedStatement(sql: sql)
            try statement.execute(arguments: Self.arguments(arguments))
            return db.changesCount
        }

        func rows(sql: String, arguments: StoreArguments) throws -> [StoreRow] {
            let statement = try db.cachedStatement(sql: sql)
            let columns = statement.columnNames
            return try Row.fetchAll(statement, arguments: Self.arguments(arguments)).map { row in
                StoreRow(columns: columns, values: row.databaseValues.map(Self.value))
            }
        }

        static func arguments(_ arguments: StoreArguments) -> StatementArguments {
            StatementArguments(arguments.storeValues.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .null: nil
                case .integer(let number): number
                case .real(let number): number
                case .text(let text): text
                }
            })
        }

        static func value(_ value: DatabaseValue) -> StoreValue {
            switch value.storage {
            case .null: .null
            case .int64(let number): .integer(number)
            case .double(let number): .real(number)
            case .string(let text): .text(text)
            case .blob(let data): .text(String(decoding: data, as: UTF8.self))
            }
        }
    }
}
