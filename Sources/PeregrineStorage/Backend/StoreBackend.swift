/// The database under a `TradingStore`: SQLite by default, PostgreSQL for many processes on one store.
/// It exists so that the store's SQL and guarantees are written once: every `write` is one
/// transaction, committed durably before it returns (what makes an order intent safe to send), and
/// rolled back whole when the body throws.
protocol StoreBackend: Sendable {
    /// Runs `body` on a consistent view of the store.
    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T

    /// Runs `body` in one transaction and commits it.
    func write<T>(_ body: (any StoreConnection) throws -> T) throws -> T

    /// The migrations this process applied when it opened the store (empty when it was up to date).
    var migrationsAppliedOnOpen: [String] { get }

    /// The names of the applied migrations, oldest first.
    func appliedMigrations() throws -> [String]

    /// Frees what the connections cache in this process (after a large read), where the backend caches.
    func releaseMemory()
}
