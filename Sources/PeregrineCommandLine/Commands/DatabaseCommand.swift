import ArgumentParser

/// `peregrine db`: look into a store, bring its schema up to date, or copy it to another database.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Look into a store, migrate it, or copy it to PostgreSQL.",
        discussion: """
            A store is a SQLite file or a PostgreSQL database, named by --store as a path or as a URL \
            postgres://USER@HOST:PORT/DATABASE (see `peregrine db migrate --help` for the URL's options \
            and where the password comes from). Without a subcommand, db lists a table.

            Examples:
              peregrine db runs --store peregrine.sqlite
              peregrine db migrate --store postgres://peregrine@db.internal:5432/trading
              peregrine db copy --from peregrine-trading.sqlite --to postgres://peregrine@db.internal:5432/trading
            """,
        subcommands: [DatabaseListCommand.self, DatabaseMigrateCommand.self, DatabaseCopyCommand.self, DatabaseWriteFillsCommand.self],
        defaultSubcommand: DatabaseListCommand.self
    )
}
