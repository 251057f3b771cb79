import PeregrineCore

/// The audit trail of people's actions on the bots.
extension TradingStore {
    public func recordAudit(_ entry: AuditEntry) throws {
        try backend.write { db in
            try db.execute(sql: "INSERT INTO audit (time_ns, actor, action, target, stage, detail) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [entry.time.nanoseconds, entry.actor, entry.action, entry.target, entry.stage.rawValue, entry.detail])
        }
    }

    /// Audit lines, newest first, at most `limit`, below the row id `before` when given.
    public func audit(limit: Int = 100, before: Int64? = nil) throws -> [AuditEntry] {
        try backend.read { db in
            try db.rows(sql: "SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
                             arguments: [before ?? Int64.max, limit]).map { row in
                try AuditEntry(id: row["id"], time: Timestamp(nanoseconds: row["time_ns"]), actor: row["actor"], action: row["action"],
                           target: row["target"], stage: AuditEntry.Stage(rawValue: row["stage"]) ?? .requested, detail: row["detail"])
            }
        }
    }
}
