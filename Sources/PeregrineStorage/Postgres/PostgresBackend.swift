import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The PostgreSQL backend: many processes, one database. Each `write` is one transaction on one
/// connection (`BEGIN` ... `COMMIT`, rolled back when the body throws); PostgreSQL's default
/// `synchronous_commit = on` makes a returned write durable, as `synchronous = FULL` does for SQLite.
///
/// The store's API is synchronous and postgres-nio is asynchronous. The bridge waits on each
/// `EventLoopFuture` from the calling thread, and the connections live on an event loop group of
/// their own (`eventLoops`) that runs nothing but postgres-nio's channel handlers and the
/// non-blocking callbacks that complete those futures. So a wait can never hold up the loop that
/// would complete it: no caller runs on that group, whatever thread it blocks (a Swift concurrency
/// thread, or another NIO group's loop serving HTTP). NIO's `wait()` also traps if it is ever called
/// on an event loop, so a mistake would show at once rather than hang.
final class PostgresBackend: StoreBackend {
    /// The store's own loops; never shut down (they live as long as the process, like a file handle).
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    /// postgres-nio logs nothing of ours; the store reports failures as errors instead (no URL, no password).
    static let logger = Logger(label: "peregrine.store.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Idle connections kept for the next transaction; more are opened when several threads need one.
    static let idleLimit = 4

    let location: PostgresLocation
    let configuration: PostgresConnection.Configuration
    let migrationsAppliedOnOpen: [String]
    private let idle = NIOLockedValueBox<[PostgresConnection]>([])
    private let connectionCount = NIOLockedValueBox(0)

    /// Connects, then migrates the schema (or, `readOnly`, checks that nothing is missing and makes every
    /// transaction read-only).
    init(_ location: PostgresLocation, readOnly: Bool) throws {
        self.location = location
        let configuration = try Self.configuration(location, readOnly: readOnly)
        self.configuration = configuration
        let first = try Self.connect(configuration, location: location, id: 0)
        let appliedNow: [String]
        do {
            if readOnly {
                let applied = try Self.transaction(on: first, location: location, begin: Self.readBegin) {
                    try PostgresSchema.appliedIdentifiers($0)
                }
                let missing = PostgresSchema.migrations.count - applied.count
                guard missing == 0 else { throw StoreError.migrationsMissing(missing, store: location.redacted) }
                appliedNow = []
            } else {
                let now = Int64(Date().timeIntervalSince1970 * 1e9)
                appliedNow = try Self.transaction(on: first, location: location, begin: "BEGIN") {
                    try PostgresSchema.migrate($0, schema: location.schema, at: now)
                }
            }
        } catch {
            try? first.close().wait()
            throw error
        }
        migrationsAppliedOnOpen = appliedNow
        release(first)
    }

    /// Closes the idle connections (postgres-nio requires a connection closed before it is freed).
    deinit {
        for connection in idle.withLockedValue({ $0 }) { try? connection.close().wait() }
    }

    static let readBegin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        let connection = try acquire()
        defer { release(connection) }
        return try Self.transaction(on: connection, location: location, begin: Self.readBegin, body)
    }

    func write<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        let connection = try acquire()
        defer { release(connection) }
        return try Self.transaction(on: connection, location: location, begin: "BEGIN", body)
    }

    func appliedMigrations() throws -> [String] {
        try read { try PostgresSchema.appliedIdentifiers($0) }
    }

    /// The server holds the cache; nothing sizable is kept here.
    func releaseMemory() {}

    /// Runs `body` between `begin` and `COMMIT` on `connection`; rolls back when it throws. A failed
    /// commit or rollback leaves the connection in doubt, so it is closed (before this returns, so that
    /// `release` sees it closed) rather than reused.
    private static func transaction<T>(on connection: PostgresConnection, location: PostgresLocation, begin: String,
                                       _ body: (any StoreConnection) throws -> T) throws -> T {
        let session = Connection(connection: connection, location: location)
        do {
            try session.execute(sql: begin)
            let value = try body(session)
            try session.execute(sql: "COMMIT")
            return value
        } catch {
            if (try? session.execute(sql: "ROLLBACK")) == nil { try? connection.close().wait() }
            throw error
        }
    }

    private func acquire() throws -> PostgresConnection {
        while let connection = idle.withLockedValue({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        let id = connectionCount.withLockedValue { count -> Int in
            count += 1
            return count
        }
        return try Self.connect(configuration, location: location, id: id)
    }

    private static func connect(_ configuration: PostgresConnection.Configuration, location: PostgresLocation, id: Int) throws -> PostgresConnection {
        do {
            return try PostgresConnection.connect(on: eventLoops.next(), configuration: configuration, id: id, logger: logger).wait()
        } catch {
            throw PostgresFailure.store(error, location: location, connecting: true)
        }
    }

    /// Keeps a healthy connection for the next transaction (a closed one, or one past `idleLimit`, goes).
    private func release(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let kept = idle.withLockedValue { connections -> Bool in
            guard connections.count < Self.idleLimit else { return false }
            connections.append(connection)
            return true
        }
        if !kept { try? connection.close().wait() }
    }

    static func configuration(_ location: PostgresLocation, readOnly: Bool) throws -> PostgresConnection.Configuration {
        let password = PostgresPassword.resolve(for: location)
        var configuration: PostgresConnection.Configuration
        if let directory = location.socketDirectory {
            configuration = .init(unixSocketPath: directory + "/.s.PGSQL.\(location.port)", username: location.user, password: password,
                                  database: location.database)
        } else {
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: location.user, password: password,
                                  database: location.database, tls: try tls(location))
        }
        // Run-time parameters in the startup message: the schema to work in, and read-only transactions
        // for a store opened for reading.
        var parameters: [(String, String)] = [("application_name", "peregrine")]
        if let schema = location.schema { parameters.append(("search_path", "\"\(schema)\"")) }
        if readOnly { parameters.append(("default_transaction_read_only", "on")) }
        configuration.options.additionalStartupParameters = parameters
        return configuration
    }

    static func tls(_ location: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        guard location.tls != .disable else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.tls {
        case .disable, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let file = location.rootCertificate {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw StoreError(.unreadable, "\(location.redacted): sslrootcert \(file) cannot be read (the CA certificate that signed the server's)")
            }
            tls.trustRoots = .file(file)
        }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: tls) } catch {
            throw StoreError(.unreadable, "\(location.redacted): cannot set up TLS (\(error))")
        }
        return location.tls == .prefer ? .prefer(context) : .require(context)
    }

    /// One transaction's connection: binds `?` arguments as `$n` parameters and reads rows by column.
    struct Connection: StoreConnection {
        let connection: PostgresConnection
        let location: PostgresLocation

        func execute(sql: String, arguments: StoreArguments) throws -> Int {
            try run(sql, arguments).metadata.rows ?? 0
        }

        func rows(sql: String, arguments: StoreArguments) throws -> [StoreRow] {
            let result = try run(sql, arguments)
            return try result.rows.map { row in
                var columns: [String] = []
                var values: [StoreValue] = []
                for cell in row {
                    columns.append(cell.columnName)
                    values.append(try Self.value(cell))
                }
                return StoreRow(columns: columns, values: values)
            }
        }

        private func run(_ sql: String, _ arguments: StoreArguments) throws -> PostgresQueryResult {
            var binds = PostgresBindings(capacity: arguments.count)
            for value in arguments.storeValues {
                switch value {
                case .null: binds.appendNull()
                case .integer(let number): binds.append(number)
                case .real(let number): binds.append(number)
                case .text(let text): binds.append(text)
                }
            }
            let query = PostgresQuery(unsafeSQL: PostgresPlaceholders.numbered(sql), binds: binds)
            do {
                return try connection.query(query, logger: PostgresBackend.logger).wait()
            } catch {
                throw PostgresFailure.store(error, location: location, connecting: false)
            }
        }

        static func value(_ cell: PostgresCell) throws -> StoreValue {
            guard cell.bytes != nil else { return .null }
            do {
                switch cell.dataType {
                case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
                case .float4, .float8: return .real(try cell.decode(Double.self))
                case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
                default: return .text(try cell.decode(String.self))
                }
            } catch {
                throw StoreError(.corruptValue, "column \(cell.columnName): a \(cell.dataType) value the store cannot read")
            }
        }
    }
}
