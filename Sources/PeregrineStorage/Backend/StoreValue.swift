/// One SQL value as both backends carry it: the four kinds the store's schema uses. Quantities and
/// money travel as exact decimal text, prices and times as 64-bit integers, so nothing is rounded.
enum StoreValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as one canonical line of text (what a table checksum hashes): integers in decimal,
    /// reals in Swift's shortest round-trip form, NULL as `\N`.
    var canonicalText: String {
        switch self {
        case .null: "\\N"
        case .integer(let value): String(value)
        case .real(let value): value.description
        case .text(let value): value
        }
    }
}

/// A Swift value the store's SQL can bind as a parameter.
protocol StoreBindable {
    var storeValue: StoreValue { get }
}

/// The arguments of one statement, in placeholder order (`?` in the SQL); a nil is NULL.
typealias StoreArguments = [(any StoreBindable)?]

extension Int64: StoreBindable { var storeValue: StoreValue { .integer(self) } }
extension Int: StoreBindable { var storeValue: StoreValue { .integer(Int64(self)) } }
extension Double: StoreBindable { var storeValue: StoreValue { .real(self) } }
extension String: StoreBindable { var storeValue: StoreValue { .text(self) } }
extension StoreValue: StoreBindable { var storeValue: StoreValue { self } }

extension Array where Element == (any StoreBindable)? {
    /// The arguments as values, NULL for nil.
    var storeValues: [StoreValue] { map { $0?.storeValue ?? .null } }
}
