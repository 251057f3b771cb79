import PeregrineCore

/// What start-up reconciliation found and did. Trading may start only when `isClean`.
public struct ReconciliationReport: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// The broker has the order: recorded as acknowledged with the broker's id.
        case foundAtBroker = "found_at_broker"
        /// The broker never saw it: marked rejected and not resent.
        case neverReachedBroker = "never_reached_broker"
    }

    public struct Mismatch: Sendable, Equatable {
        public var symbol: String
        public var store: Quantity
        public var broker: Quantity

        public init(symbol: String, store: Quantity, broker: Quantity) {
            self.symbol = symbol
            self.store = store
            self.broker = broker
        }
    }

    /// Pending intents and how each was settled, by client order id.
    public var intents: [String: Outcome] = [:]
    /// Fills the broker reported that the store lacked, now recorded (execution ids).
    public var recoveredFills: [String] = []
    /// Symbols whose position differs between the store's fills and the broker.
    public var mismatches: [Mismatch] = []
    /// Open orders at the broker that no intent in the store accounts for (placed by someone else).
    public var externalOrders: [String] = []

    public var isClean: Bool { mismatches.isEmpty && externalOrders.isEmpty }
}
