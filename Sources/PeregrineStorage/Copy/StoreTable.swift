import Foundation
/// One table of the store as `StoreCopy` moves it: its columns (in the latest schema), the key its rows
/// are read in, and the identity column whose sequence must move past the copied ids.
struct StoreTable: Sendable {
    let name: String
    let columns: [String]
    let order: String
    let identity: String?

    /// Every table, parents before children (foreign keys hold at each insert). `rowid` is SQLite's
    /// implicit row id, an explicit identity column on PostgreSQL: copying it keeps the rows' order.
    static let all: [StoreTable] = [
        StoreTable(name: "run", columns: ["id", "kind", "strategy", "parameters", "started_ns", "bars", "initial_equity", "final_equity"],
                   order: "id", identity: "id"),
        StoreTable(name: "order_intent", columns: ["rowid", "client_order_id", "run_id", "symbol", "side", "quantity", "type", "body",
                                                   "state", "broker_order_id", "status", "created_ns", "updated_ns"],
                   order: "rowid", identity: "rowid"),
        StoreTable(name: "order_event", columns: ["id", "client_order_id", "time_ns", "event", "detail"], order: "id", identity: "id"),
        StoreTable(name: "fill", columns: ["rowid", "execution_id", "client_order_id", "time_ns", "symbol", "side", "quantity",
                                           "price_units", "commission", "multiplier"], order: "rowid", identity: "rowid"),
        StoreTable(name: "decision", columns: ["id", "run_id", "time_ns", "symbol", "action", "outcome", "reason", "detail", "side",
                                               "quantity", "order_client_id", "strategy"], order: "id", identity: "id"),
        StoreTable(name: "bar", columns: ["symbol", "time_ns", "open_units", "high_units", "low_units", "close_units", "volume"],
                   order: "symbol, time_ns", identity: nil),
        StoreTable(name: "state", columns: ["key", "value", "updated_ns"], order: "key", identity: nil),
        StoreTable(name: "sweep_result", columns: ["run_id", "parameters", "trade_count", "fill_count", "final_equity", "total_return",
                                                   "sharpe", "sortino", "max_drawdown", "calmar", "profit_factor"],
                   order: "run_id, parameters", identity: nil),
        StoreTable(name: "account_snapshot", columns: ["rowid", "run_id", "time_ns", "cash", "equity", "positions"],
                   order: "rowid", identity: "rowid"),
        StoreTable(name: "run_report", columns: ["run_id", "summary", "html"], order: "run_id", identity: nil),
        StoreTable(name: "audit", columns: ["id", "time_ns", "actor", "action", "target", "stage", "detail"], order: "id", identity: "id"),
        StoreTable(name: "sweep_shard", columns: ["sweep_id", "shard", "shard_count", "fingerprint", "settings", "combinations", "run_seconds",
                                                  "finished_ns", "chosen_position", "chosen_moments"],
                   order: "sweep_id, shard", identity: nil),
        StoreTable(name: "sweep_shard_row", columns: ["sweep_id", "position", "shard", "parameters", "trade_count", "open_trade_count",
                                                      "fill_count", "final_equity", "total_return", "sharpe", "sortino", "max_drawdown",
                                                      "calmar", "profit_factor", "block_moments", "failure"],
                   order: "sweep_id, position", identity: nil),
        StoreTable(name: "run_bar", columns: ["run_id", "bot", "symbol", "timeframe", "time_ns", "open_units", "high_units", "low_units",
                                              "close_units", "volume", "warm_up"],
                   order: "run_id, symbol, time_ns", identity: nil),
        StoreTable(name: "run_configuration", columns: ["run_id", "bot", "document"], order: "run_id", identity: nil),
    ]

    var selectAll: String { "SELECT \(columns.joined(separator: ", ")) FROM \(name) ORDER BY \(order)" }

    /// The columns of the key the rows are read in.
    var keyColumns: [String] { order.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    /// Reads the table in key order, `pageRows` rows at a time (a key greater than the last page's, as a
    /// row value, so each page is an index seek however far in), handing each page to `body`: memory
    /// holds one page, never the table.
    func forEachPage(in db: any StoreConnection, pageRows: Int, _ body: ([StoreRow]) throws -> Void) throws {
        let keys = keyColumns
        let positions = keys.map { key in columns.firstIndex(of: key)! }
        let select = "SELECT \(columns.joined(separator: ", ")) FROM \(name)"
        let after = keys.count == 1 ? "\(keys[0]) > ?" : "(\(keys.joined(separator: ", "))) > (\(keys.map { _ in "?" }.joined(separator: ", ")))"
        var last: [(any StoreBindable)?]?
        while true {
            let rows: [StoreRow]
            if let last {
                rows = try db.rows(sql: "\(select) WHERE \(after) ORDER BY \(order) LIMIT ?", arguments: StoreArguments(last + [pageRows]))
            } else {
                rows = try db.rows(sql: "\(select) ORDER BY \(order) LIMIT ?", arguments: [pageRows])
            }
            guard !rows.isEmpty else { return }
            try body(rows)
            guard rows.count == pageRows, let final = rows.last else { return }
            last = positions.map { final.values[$0] as (any StoreBindable)? }
        }
    }
}
