import Foundation
import PeregrineCore

/// Sweeps cut over machines: each shard writes its combinations and its completion record in one
/// transaction, replacing whatever an earlier run of the same shard wrote, so a shard killed half way
/// leaves nothing and a shard run twice is counted once. Plain SQL that PostgreSQL reads as well.
extension TradingStore {
    /// Replaces shard `record.shard` of `record.sweepID` with `rows`, in one transaction. Refused
    /// when the id already holds shards of another shard count or another fingerprint.
    public func replaceSweepShard(_ record: SweepShardRecord, rows: [SweepShardRow]) throws {
        let parameters = try rows.map { row -> String in
            String(decoding: try JSONSerialization.data(withJSONObject: row.parameters, options: .sortedKeys), as: UTF8.self)
        }
        // One write transaction (IMMEDIATE on SQLite): several shards finishing at once queue for the
        // write lock instead of failing.
        try backend.write { db in
                for other in try db.rows(sql: """
                    SELECT shard, shard_count, fingerprint FROM sweep_shard WHERE sweep_id = ? AND shard <> ?
                    """, arguments: [record.sweepID, record.shard]) {
                    let count: Int = try other["shard_count"], fingerprint: String = try other["fingerprint"], shard: Int = try other["shard"]
                    guard count == record.shardCount else {
                        throw SweepShardConflict("sweep \(record.sweepID) is cut into \(count) shards (shard \(shard) is stored); "
                            + "this shard says \(record.shardCount): give every shard the same N, or another --sweep-id")
                    }
                    guard fingerprint == record.fingerprint else {
                        throw SweepShardConflict("sweep \(record.sweepID) holds shard \(shard) of a different sweep (other options or "
                            + "data); give every shard the same command and data, or another --sweep-id")
                    }
                }
                try db.execute(sql: "DELETE FROM sweep_shard_row WHERE sweep_id = ? AND shard = ?",
                               arguments: [record.sweepID, record.shard])
                // Many rows a statement: on PostgreSQL every statement is a round trip through the bridge.
                let columns = "(sweep_id, position, shard, parameters, trade_count, open_trade_count, fill_count, final_equity, "
                    + "total_return, sharpe, sortino, max_drawdown, calmar, profit_factor, block_moments, failure)"
                let placeholders = "(" + Array(repeating: "?", count: 16).joined(separator: ", ") + ")"
                let pairs = Array(zip(rows, parameters))
                for start in stride(from: 0, to: pairs.count, by: Self.shardRowsPerStatement) {
                    let chunk = pairs[start..<min(start + Self.shardRowsPerStatement, pairs.count)]
                    var arguments: StoreArguments = []
                    arguments.reserveCapacity(chunk.count * 16)
                    for (row, parameters) in chunk {
                        arguments += [
                            record.sweepID, row.position, record.shard, parameters, row.trades, row.openTrades, row.fills,
                            row.finalEquity.description, "\(row.totalReturn)", "\(row.sharpe)", "\(row.sortino)", "\(row.maxDrawdown)",
                            "\(row.calmar)", "\(row.profitFactor)", row.blockMoments, row.failure,
                        ] as StoreArguments
                    }
                    try db.execute(sql: "INSERT INTO sweep_shard_row \(columns) VALUES "
                                       + Array(repeating: placeholders, count: chunk.count).joined(separator: ", "),
                                   arguments: arguments)
                }
                try db.execute(sql: """
                    INSERT INTO sweep_shard (sweep_id, shard, shard_count, fingerprint, settings, combinations, run_seconds, finished_ns,
                        chosen_position, chosen_moments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (sweep_id, shard) DO UPDATE SET shard_count = excluded.shard_count, fingerprint = excluded.fingerprint,
                        settings = excluded.settings, combinations = excluded.combinations, run_seconds = excluded.run_seconds,
                        finished_ns = excluded.finished_ns, chosen_position = excluded.chosen_position,
                        chosen_moments = excluded.chosen_moments
                    """, arguments: [record.sweepID, record.shard, record.shardCount, record.fingerprint, record.settings,
                                     record.combinations, record.runSeconds.isFinite ? record.runSeconds : 0, record.finished.nanoseconds,
                                     record.chosenPosition, record.chosenMoments])
        }
    }

    /// Rows a statement when a shard's rows are written: 16 values each, well within SQLite's 32,766
    /// and PostgreSQL's 65,535 parameters.
    static let shardRowsPerStatement = 200

    /// The finished shards of a sweep, by shard number.
    public func sweepShards(sweepID: String) throws -> [SweepShardRecord] {
        try backend.read { db in
            try db.rows(sql: "SELECT * FROM sweep_shard WHERE sweep_id = ? ORDER BY shard", arguments: [sweepID]).map { row in
                try SweepShardRecord(sweepID: row["sweep_id"], shard: row["shard"], shardCount: row["shard_count"],
                                     fingerprint: row["fingerprint"], settings: row["settings"], combinations: row["combinations"],
                                     runSeconds: row["run_seconds"], finished: Timestamp(nanoseconds: row["finished_ns"]),
                                     chosenPosition: row["chosen_position"], chosenMoments: row["chosen_moments"])
            }
        }
    }

    /// Every combination the finished shards of a sweep stored, by position; a value that does not
    /// read back is refused with its position and column.
    public func sweepShardRows(sweepID: String) throws -> [SweepShardRow] {
        try backend.read { db in
            try db.rows(sql: "SELECT * FROM sweep_shard_row WHERE sweep_id = ? ORDER BY position", arguments: [sweepID]).map { row in
                let position: Int = try row["position"]
                func corrupt(_ column: String) -> StoreError {
                    StoreError(.corruptValue, "sweep \(sweepID), combination \(position): \(column) does not read back")
                }
                func number(_ column: String) throws -> Double {
                    guard let text = try? row[column] as String, let value = Double(text) else { throw corrupt(column) }
                    return value
                }
                let json: String = try row["parameters"]
                guard let parameters = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: String] else {
                    throw corrupt("parameters")
                }
                guard let equity = Money(try row["final_equity"] as String) else { throw corrupt("final_equity") }
                return try SweepShardRow(position: position, shard: row["shard"], parameters: parameters, trades: row["trade_count"],
                                     openTrades: row["open_trade_count"], fills: row["fill_count"], finalEquity: equity,
                                     totalReturn: try number("total_return"), sharpe: try number("sharpe"), sortino: try number("sortino"),
                                     maxDrawdown: try number("max_drawdown"), calmar: try number("calmar"),
                                     profitFactor: try number("profit_factor"), blockMoments: row["block_moments"], failure: row["failure"])
            }
        }
    }

    /// The ids of every sweep with at least one finished shard, in order.
    public func shardedSweepIDs() throws -> [String] {
        try backend.read { db in try db.values(String.self, sql: "SELECT DISTINCT sweep_id FROM sweep_shard ORDER BY sweep_id") }
    }
}
