import Foundation
@testable import PeregrineStorage
import PeregrineTestSupport
import Testing

/// The `--store` URL: its parts, its defaults, where the password comes from, and that it never shows.
@Suite struct PostgresLocationTests {
    let environment = ["USER": "alice"]

    @Test func aFullURLIsReadPartByPart() throws {
        let location = try PostgresLocation(url: "postgresql://bob:s%40cret@db.example.com:6543/trading?sslmode=verify-full&schema=desk_1",
                                            environment: environment)
        #expect(location.user == "bob" && location.password == "s@cret")
        #expect(location.host == "db.example.com" && location.port == 6543 && location.database == "trading")
        #expect(location.tls == .verifyFull && location.schema == "desk_1" && location.socketDirectory == nil)
        #expect(location.redacted == "postgres://bob:***@db.example.com:6543/trading?sslmode=verify-full&schema=desk_1")
    }

    @Test func omittedPartsDefaultAsLibpqDoes() throws {
        let location = try PostgresLocation(url: "postgres://", environment: environment)
        #expect(location.user == "alice" && location.database == "alice" && location.host == "localhost" && location.port == 5432)
        #expect(location.tls == .prefer && location.password == nil)
        let pgUser = try PostgresLocation(url: "postgres://localhost", environment: ["PGUSER": "carol", "USER": "alice"])
        #expect(pgUser.user == "carol")
    }

    @Test func aUnixSocketIsAQueryOptionOrAnEncodedHost() throws {
        let query = try PostgresLocation(url: "postgres://bob@/trading?host=/var/run/postgresql", environment: environment)
        #expect(query.socketDirectory == "/var/run/postgresql" && query.host == nil && query.passFileHost == "localhost")
        let encoded = try PostgresLocation(url: "postgres://bob@%2Ftmp%2Fpg:5433/trading", environment: environment)
        #expect(encoded.socketDirectory == "/tmp/pg" && encoded.port == 5433)
        #expect(encoded.redacted == "postgres://bob@:5433/trading?host=/tmp/pg")
        let ipv6 = try PostgresLocation(url: "postgres://bob@[::1]:5433/trading", environment: environment)
        #expect(ipv6.host == "::1" && ipv6.port == 5433 && ipv6.redacted == "postgres://bob@[::1]:5433/trading")
    }

    /// Each refusal names what is wrong and never repeats the password.
    @Test(arguments: [
        ("postgres://bob:hunter2@db:99999/x", "port '99999'"),
        ("postgres://bob:hunter2@db/x?sslmode=sometimes", "sslmode 'sometimes'"),
        ("postgres://bob:hunter2@db/x?schema=a;drop", "schema 'a;drop'"),
        ("postgres://bob:hunter2@db/x?colour=red", "unknown option 'colour'"),
        ("postgres://bob:hunter2@[::1/x", "no closing ]"),
        ("postgres://bob:hunter2@db/a/b", "may not contain '/'"),
        ("postgres://bob:hunter2/x@db:5433/x", "percent-encode"),
        ("postgres://bob:hunter2?x@db/x", "percent-encode"),
        ("postgres://db/x?sslmode=bad&password=hunter2", "sslmode 'bad'"),
    ])
    func aMalformedURLIsRefusedWithWhatIsWrong(_ url: String, _ expected: String) throws {
        #expect { try StoreLocation(url) } throws: { error in
            let message = "\(error)"
            return message.contains(expected) && message.contains("malformed") && !message.contains("hunter2")
        }
        #expect(!StoreLocation.redacted(url).contains("hunter2"))
    }

    @Test func aFilePathIsSQLiteAndShownAsItIs() throws {
        #expect(try StoreLocation("data/peregrine.sqlite") == .sqlite(path: "data/peregrine.sqlite"))
        #expect(StoreLocation.redacted("data/peregrine.sqlite") == "data/peregrine.sqlite")
        #expect(StoreLocation.redacted("POSTGRES://u:pw@h/d") == "postgres://u:***@h:5432/d")
    }

    /// URL first, then PGPASSWORD, then the pass file: wildcards and escapes as libpq reads them, and
    /// a file that others can read is ignored.
    @Test func thePasswordComesFromTheURLThenTheEnvironmentThenThePassFile() throws {
        let folder = TestPaths.temporaryFolder()
        let file = folder + "/pgpass"
        try """
        # comment
        other:5432:trading:bob:wrong
        db.example.com:5432:*:bob:from\\:file\\\\x
        *:*:*:*:fallback
        """.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let plain = try PostgresLocation(url: "postgres://bob@db.example.com/trading", environment: environment)
        let withPassword = try PostgresLocation(url: "postgres://bob:inurl@db.example.com/trading", environment: environment)
        #expect(PostgresPassword.resolve(for: withPassword, environment: ["PGPASSWORD": "env", "PGPASSFILE": file]) == "inurl")
        #expect(PostgresPassword.resolve(for: plain, environment: ["PGPASSWORD": "env", "PGPASSFILE": file]) == "env")
        #expect(PostgresPassword.resolve(for: plain, environment: ["PGPASSFILE": file]) == "from:file\\x")
        let elsewhere = try PostgresLocation(url: "postgres://eve@elsewhere:7000/x", environment: environment)
        #expect(PostgresPassword.resolve(for: elsewhere, environment: ["PGPASSFILE": file]) == "fallback")
        #expect(PostgresPassword.resolve(for: plain, environment: ["HOME": folder]) == nil)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(PostgresPassword.resolve(for: plain, environment: ["PGPASSFILE": file]) == nil)
    }

    @Test func placeholdersAreNumberedOutsideQuotes() {
        #expect(PostgresPlaceholders.numbered("SELECT '?', \"a?\" FROM t WHERE a = ? AND b IN (?, ?)")
            == "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b IN ($2, $3)")
    }
}
