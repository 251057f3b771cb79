import Foundation
import PeregrineStorage
import PeregrineTestSupport

/// The backends every store test runs on: SQLite always, PostgreSQL when `TestPostgres` has a server
/// (otherwise the reason is printed once and only SQLite runs).
enum StoreKind: String, CustomStringConvertible, Sendable {
    case sqlite, postgres

    var description: String { rawValue }

    static let available: [StoreKind] = {
        if TestPostgres.available { return [.sqlite, .postgres] }
        FileHandle.standardError.write(Data((TestPostgres.unavailableReason + "\n").utf8))
        return [.sqlite]
    }()

    /// A fresh, empty store location of this kind: a new file, or a new schema.
    func freshLocation() throws -> StoreLocation {
        switch self {
        case .sqlite: return .sqlite(path: TestPaths.temporaryFolder() + "/peregrine.sqlite")
        case .postgres:
            guard let url = TestPostgres.freshURL() else { throw StoreError(.unreadable, TestPostgres.unavailableReason) }
            return try StoreLocation(url)
        }
    }

    func freshStore() throws -> TradingStore { try TradingStore(location: freshLocation()) }
}
