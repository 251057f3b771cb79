/// A store operation that cannot go ahead, said in terms of what the user asked for.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Equatable, Sendable {
        case duplicateClientOrderID
        case unknownClientOrderID
        case unknownRun
        case invalidTransition
        case conflictingBar
        /// A stored value that does not read back as its type.
        case corruptValue
        /// A store that cannot be opened as asked (missing, or too old to read without migrating).
        case unreadable
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
