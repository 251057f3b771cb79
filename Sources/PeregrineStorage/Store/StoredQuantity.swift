import PeregrineCore

/// Quantities and volumes as the store keeps them: exact decimal text, because they are 128 bits
/// wide and SQLite's integers stop at 64 (an index's daily volume in nano-units already passes that).
enum StoredQuantity {
    /// The text written for a quantity.
    static func text(_ quantity: Quantity) -> String { quantity.description }

    /// Reads a quantity column, refusing text that is not one (a store edited by hand) with the
    /// table, column and value named, rather than reading it as zero.
    static func read(_ row: StoreRow, _ column: String, table: String) throws -> Quantity {
        let text: String? = try row[column]
        guard let text, let quantity = Quantity(text) else {
            throw StoreError(.corruptValue, "\(table).\(column): '\(text ?? "NULL")' is not a decimal quantity")
        }
        return quantity
    }

    /// SQL turning a column of integer nano-units (stores written before quantities were text) into
    /// exact decimal text.
    static func unitsToText(_ column: String) -> String {
        """
        (CASE WHEN \(column) < 0 THEN '-' ELSE '' END) || (abs(\(column)) / 1000000000) || '.' \
        || substr('000000000' || (abs(\(column)) % 1000000000), -9, 9)
        """
    }
}
