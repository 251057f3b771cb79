import PeregrineCore

/// The client order ids a venue generates: `PREFIX-1`, `PREFIX-2`, ... counting up, so they never
/// repeat. Each is kept as the shared prefix and its number (`DeferredClientOrderID`), its text
/// written only when read: writing the digits of every order's id cost several hundred instructions
/// on every order of a backtest.
struct ClientOrderIDSequence {
    /// The prefix and its dash.
    private let head: String
    /// The number the next id carries (from 1).
    private(set) var next = 1

    init(prefix: String) { head = prefix + "-" }

    /// The next id; the sequence moves on.
    mutating func take() -> DeferredClientOrderID {
        defer { next += 1 }
        return DeferredClientOrderID(head: head, number: next)
    }
}
