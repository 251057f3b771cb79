import Foundation
@testable import PeregrineStorage
import PeregrineTestSupport
import Testing

/// What a user sees when a PostgreSQL store cannot be opened: what is wrong, where, never the password.
@Suite struct PostgresConnectionTests {
    @Test func ciRequiresPostgreSQL() {
        // `.ci/run` sets PEREGRINE_REQUIRE_POSTGRES, so the PostgreSQL cases cannot be skipped there unnoticed.
        if ProcessInfo.processInfo.environment["PEREGRINE_REQUIRE_POSTGRES"] != nil {
            #expect(TestPostgres.available, "\(TestPostgres.unavailableReason)")
        }
    }

    @Test func anUnreachableServerIsNamedWithoutThePassword() throws {
        // Port 1 on loopback: nothing listens there.
        #expect { try TradingStore(path: "postgres://bob:hunter2@127.0.0.1:1/trading?sslmode=disable") } throws: { error in
            let message = "\(error)"
            return message.contains("cannot reach PostgreSQL at 127.0.0.1:1") && message.contains("postgres://bob:***@127.0.0.1:1/trading")
                && !message.contains("hunter2")
        }
    }

    @Test(.enabled(if: TestPostgres.available, Comment(rawValue: TestPostgres.unavailableReason)))
    func aWrongPasswordAndAMissingDatabaseAreSaidPlainly() throws {
        let url = try #require(TestPostgres.freshURL())
        var location = try PostgresLocation(url: url)
        try #require(location.password != nil, "the test server must ask for a password")
        location.password = "not-the-password"
        #expect { try TradingStore(location: .postgres(location)) } throws: { error in
            let message = "\(error)"
            return message.contains("wrong password for user") && !message.contains("not-the-password")
        }
        var missing = try PostgresLocation(url: url)
        missing.database = "no_such_database"
        #expect { try TradingStore(location: .postgres(missing)) } throws: { error in
            let message = "\(error)"
            return message.contains("the database no_such_database does not exist") && !message.contains(TestPostgres.password)
        }
    }

    /// Two stores opening one fresh schema at once migrate it once (the advisory lock), and the store's
    /// reported location never carries the password.
    @Test(.enabled(if: TestPostgres.available, Comment(rawValue: TestPostgres.unavailableReason)))
    func storesOpeningTogetherMigrateOnce() async throws {
        let url = try #require(TestPostgres.freshURL())
        let applied = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 { group.addTask { try TradingStore(path: url).migrationsAppliedOnOpen.count } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(applied.sorted() == [0, 0, 0, 10])  // every migration (v1 to v10) once
        let store = try TradingStore(path: url)
        #expect(!store.path.contains(TestPostgres.password) && store.path.contains(":***@"))
    }
}
