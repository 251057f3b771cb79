import ArgumentParser
import PeregrineStorage

/// `peregrine db migrate`: brings a store's schema up to date and says which migrations that took.
struct DatabaseMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring a store's schema up to date (SQLite or PostgreSQL) and say which migrations were applied.",
        discussion: """
            Every command that writes a store migrates it when it opens it; this does only that, so an \
            operator can upgrade a shared PostgreSQL database once, before the bots start. Migrations only \
            ever append, and on PostgreSQL they run in one transaction under a lock, so two processes \
            starting together apply each migration once. A PostgreSQL database keeps them in the table \
            peregrine_migrations.

            The URL is postgres://USER@HOST:PORT/DATABASE (or postgresql://). Options after a ?: \
            sslmode=disable, prefer (the default), require, verify-ca or verify-full; sslrootcert=FILE for \
            the verify modes; schema=NAME to keep the store in its own schema (created when missing); \
            host=/var/run/postgresql for a unix socket. The password comes from the URL \
            (postgres://USER:PASSWORD@...), else PGPASSWORD, else the pass file PGPASSFILE or ~/.pgpass \
            (lines host:port:database:user:password, mode 0600). It is never printed: messages show the \
            URL with *** in its place.

            Examples:
              peregrine db migrate --store peregrine-trading.sqlite
              PGPASSWORD=secret peregrine db migrate --store postgres://peregrine@db.internal:5432/trading
              peregrine db migrate --store "postgres://peregrine@db.internal/trading?sslmode=verify-full&schema=desk1"
            """
    )

    @Option(help: ArgumentHelp("The store: a SQLite file or a postgres:// URL.", valueName: "file-or-url"))
    var store: String

    func run() throws {
        let database: TradingStore
        do { database = try TradingStore(path: store) } catch { throw CLIFailure.store("--store", store, error) }
        let applied = database.migrationsAppliedOnOpen
        let all = try database.appliedMigrations()
        if applied.isEmpty {
            print("\(database.path) is up to date (\(all.count) migrations)")
        } else {
            print("\(database.path): applied \(applied.count) migration(s), now \(all.count)")
            for name in applied { print("  \(name)") }
        }
    }
}
