import ArgumentParser
import Foundation
import PeregrineStorage

/// `peregrine db copy`: moves a store to another database (SQLite to PostgreSQL, or back) and proves it.
struct DatabaseCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every row of a store to another store (a SQLite file to PostgreSQL), ids kept, and compare them.",
        discussion: """
            Opens both stores (migrating each to the latest schema), copies every table in one transaction \
            of the destination with every id kept, moves PostgreSQL's id sequences past the copied ids, \
            then reads both stores back and prints each table's row count and checksum on each side. It \
            fails if any table differs. A destination that already holds rows is refused unless --replace, \
            which empties it first, in the same transaction. Stop the bots writing to the source first: \
            rows they write during the copy are not moved.

            --from and --to each take a SQLite file or a postgres:// URL (see `peregrine db migrate --help` \
            for the URL's options and where the password comes from).

            Examples:
              peregrine db copy --from peregrine-trading.sqlite --to postgres://peregrine@db.internal:5432/trading
              peregrine db copy --from peregrine-trading.sqlite --to "postgres://peregrine@localhost/trading?schema=desk1" --replace
              peregrine db copy --from postgres://peregrine@db.internal/trading --to backup.sqlite
            """
    )

    @Option(help: ArgumentHelp("The store to copy: a SQLite file or a postgres:// URL.", valueName: "file-or-url"))
    var from: String

    @Option(help: ArgumentHelp("The store to copy into: a postgres:// URL or a SQLite file.", valueName: "url-or-file"))
    var to: String

    @Flag(help: "Empty a destination that holds rows before copying (otherwise it is refused).")
    var replace = false

    func run() throws {
        guard StoreLocation.isURL(from) || FileManager.default.fileExists(atPath: from) else {
            throw ValidationError("--from \(StoreLocation.redacted(from)): no such file")
        }
        let source: TradingStore
        let destination: TradingStore
        do { source = try TradingStore(path: from) } catch { throw CLIFailure.store("--from", from, error) }
        do { destination = try TradingStore(path: to) } catch { throw CLIFailure.store("--to", to, error) }
        guard source.location != destination.location else { throw ValidationError("--from and --to name the same store") }
        let reports: [TableCopyReport]
        do { reports = try StoreCopy.copy(from: source, to: destination, replace: replace) } catch { throw CLIFailure("db copy: \(error)") }
        print("\(source.path) -> \(destination.path)")
        let rows = [["table", "rows from", "rows to", "checksum from", "checksum to", "same"]] + reports.map {
            [$0.table, "\($0.sourceRows)", "\($0.destinationRows)", $0.sourceChecksum, $0.destinationChecksum, $0.matches ? "yes" : "NO"]
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  "))
        }
        let differing = reports.filter { !$0.matches }.map(\.table)
        guard differing.isEmpty else { throw CLIFailure("db copy: \(differing.joined(separator: ", ")) differ after the copy") }
        print("copied \(reports.reduce(0) { $0 + $1.destinationRows }) rows in \(reports.count) tables; every count and checksum matches")
    }
}
