/// The inside of one transaction, whichever database holds the store: run a statement, read rows.
/// The SQL is written once with `?` placeholders in the dialect SQLite 3.40 and PostgreSQL 15 share
/// (`INSERT ... RETURNING`, `ON CONFLICT DO NOTHING`, `IS DISTINCT FROM`); a backend only translates
/// placeholders.
protocol StoreConnection {
    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    func execute(sql: String, arguments: StoreArguments) throws -> Int

    /// Runs one query and returns every row.
    func rows(sql: String, arguments: StoreArguments) throws -> [StoreRow]
}

extension StoreConnection {
    @discardableResult
    func execute(sql: String) throws -> Int { try execute(sql: sql, arguments: []) }

    func rows(sql: String) throws -> [StoreRow] { try rows(sql: sql, arguments: []) }

    /// The first row, nil when there is none.
    func row(sql: String, arguments: StoreArguments = []) throws -> StoreRow? {
        try rows(sql: sql, arguments: arguments).first
    }

    /// The first column of the first row, nil when there is no row or it is NULL.
    func value<T: StoreDecodable>(_ type: T.Type, sql: String, arguments: StoreArguments = []) throws -> T? {
        guard let row = try row(sql: sql, arguments: arguments), let column = row.columns.first else { return nil }
        return try T?.decode(row.values[0], column: column)
    }

    /// The first column of every row.
    func values<T: StoreDecodable>(_ type: T.Type, sql: String, arguments: StoreArguments = []) throws -> [T] {
        try rows(sql: sql, arguments: arguments).map { row in
            guard let column = row.columns.first else { throw StoreError(.corruptValue, "the query returned no column") }
            return try T.decode(row.values[0], column: column)
        }
    }

    /// Runs an `INSERT ... RETURNING id` and returns the new row's id.
    func insertReturningID(sql: String, arguments: StoreArguments) throws -> Int64 {
        guard let id = try value(Int64.self, sql: sql, arguments: arguments) else {
            throw StoreError(.corruptValue, "an insert returned no id")
        }
        return id
    }
}
