import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineStorage

/// `peregrine db TABLE`: the listing that runs when no other `db` subcommand is named.
struct DatabaseListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show what a store holds: runs, orders, fills, bars, account snapshots.",
        discussion: """
            Lists one table of a store, a SQLite file or a PostgreSQL database (--store postgres://...). \
            The word list may be left out.

            Examples:
              peregrine db runs --store peregrine.sqlite
              peregrine db orders --store peregrine.sqlite --run 1 --limit 20
              peregrine db fills --store peregrine.sqlite --run 1
              peregrine db bars --store peregrine.sqlite
              peregrine db snapshots --store peregrine-trading.sqlite --run 3
              peregrine db runs --store postgres://peregrine@db.internal:5432/trading
            """
    )

    enum Listing: String, ExpressibleByArgument, CaseIterable {
        case runs, orders, fills, bars, snapshots
    }

    @Argument(help: ArgumentHelp("What to show: runs, orders, fills, bars or snapshots.", valueName: "table"))
    var table: Listing

    @Option(help: ArgumentHelp("The store: a SQLite file or a postgres:// URL.", valueName: "file-or-url"))
    var store: String

    @Option(name: .customLong("run"), help: ArgumentHelp("Only this run (orders, fills, snapshots).", valueName: "id"))
    var runID: Int64?

    @Option(help: ArgumentHelp("Show at most this many rows (0 = all).", valueName: "n"))
    var limit: Int = 50

    func run() throws {
        guard StoreLocation.isURL(store) || FileManager.default.fileExists(atPath: store) else { throw ValidationError("--store \(StoreLocation.redacted(store)): no such file") }
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
        let database: TradingStore
        do { database = try TradingStore(path: store) } catch { throw CLIFailure.store("--store", store, error) }
        var lines: [String]
        switch table {
        case .runs:
            lines = ["id  kind      strategy          bars  decisions  orders  fills  initial -> final  parameters"]
            lines += try database.runs().map {
                "\($0.id)  \($0.kind)  \($0.strategy)  \($0.bars)  \($0.decisions)  \($0.orders)  \($0.fills)  "
                    + "\($0.initialEquity) -> \($0.finalEquity?.description ?? "running")  \($0.parameters)"
            }
        case .orders:
            lines = ["client_order_id  symbol  side  qty  type  state  status"]
            lines += try database.orders(runID: runID).map {
                "\($0.clientOrderID)  \($0.symbol)  \($0.side)  \($0.quantity)  \($0.type)  \($0.state.rawValue)  \($0.status ?? "")"
            }
        case .fills:
            lines = ["time  symbol  side  qty  price  commission  client_order_id"]
            lines += try database.fills(runID: runID).map {
                "\($0.timestamp.compactDescription)  \($0.symbol)  \($0.side)  \($0.quantity)  \($0.price)  \($0.commission)  \($0.clientOrderID)"
            }
        case .bars:
            lines = ["symbol  bars"]
            lines += try database.barCounts().map { "\($0.symbol)  \($0.bars)" }
        case .snapshots:
            lines = ["run  time  cash  equity  positions"]
            lines += try database.snapshots(runID: runID).map { item in
                let held = item.snapshot.positions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                return "\(item.runID)  \(item.snapshot.time.compactDescription)  \(item.snapshot.cash)  \(item.snapshot.equity)  \(held.isEmpty ? "flat" : held)"
            }
        }
        let rows = lines.count - 1
        if limit > 0 && rows > limit { lines = Array(lines.prefix(limit + 1)) + ["... \(rows - limit) more (--limit 0 shows all)"] }
        print(lines.joined(separator: "\n"))
    }
}
