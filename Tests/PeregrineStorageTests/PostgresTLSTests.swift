import Foundation
@testable import PeregrineStorage
import PeregrineTestSupport
import Testing

/// The sslmode options against a server that offers TLS with a certificate for "localhost" signed by
/// a throwaway CA (`TestPostgres`): whether the connection is encrypted is asked of the server itself
/// (`pg_stat_ssl`), and each verify mode refuses exactly what libpq's does.
@Suite struct PostgresTLSTests {
    @Test func ciRequiresTLS() {
        if ProcessInfo.processInfo.environment["PEREGRINE_REQUIRE_POSTGRES"] != nil {
            #expect(TestPostgres.tlsAuthorities != nil, "\(TestPostgres.tlsUnavailableReason)")
        }
    }

    func url(host: String, _ options: String) -> String {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return "postgres://peregrine:\(TestPostgres.password)@\(host):\(TestPostgres.serverPort)/postgres?\(options)&schema=\(schema)"
    }

    /// Whether the store's own connection is encrypted, as the server sees it.
    func encrypted(_ store: TradingStore) throws -> Bool {
        try store.backend.read { db in
            try db.values(Int64.self, sql: "SELECT CASE WHEN ssl THEN 1 ELSE 0 END FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        } == [1]
    }

    @Test(.enabled(if: TestPostgres.tlsAuthorities != nil, Comment(rawValue: TestPostgres.tlsUnavailableReason)))
    func eachModeConnectsAsItPromises() throws {
        let authorities = try #require(TestPostgres.tlsAuthorities)
        #expect(try !encrypted(TradingStore(path: url(host: "127.0.0.1", "sslmode=disable"))))
        #expect(try encrypted(TradingStore(path: url(host: "127.0.0.1", "sslmode=prefer"))))
        #expect(try encrypted(TradingStore(path: url(host: "127.0.0.1", "sslmode=require"))))
        // verify-ca checks the signer only: the certificate names localhost, not 127.0.0.1, and that is fine.
        #expect(try encrypted(TradingStore(path: url(host: "127.0.0.1", "sslmode=verify-ca&sslrootcert=\(authorities.signer)"))))
        #expect(try encrypted(TradingStore(path: url(host: "localhost", "sslmode=verify-full&sslrootcert=\(authorities.signer)"))))
    }

    @Test(.enabled(if: TestPostgres.tlsAuthorities != nil, Comment(rawValue: TestPostgres.tlsUnavailableReason)))
    func aCertificateThatDoesNotVerifyIsRefusedWithoutThePassword() throws {
        let authorities = try #require(TestPostgres.tlsAuthorities)
        let refused: [(String, String)] = [
            ("127.0.0.1", "sslmode=verify-full&sslrootcert=\(authorities.signer)"),   // the name is not on the certificate
            ("localhost", "sslmode=verify-full&sslrootcert=\(authorities.other)"),    // signed by a CA not trusted
            ("127.0.0.1", "sslmode=verify-ca&sslrootcert=\(authorities.other)"),
            ("localhost", "sslmode=verify-full"),                                       // the system's roots do not know the CA
        ]
        for (host, options) in refused {
            #expect(throws: StoreError.self, "\(host) \(options)") { try TradingStore(path: url(host: host, options)) }
            do {
                _ = try TradingStore(path: url(host: host, options))
            } catch {
                let message = "\(error)"
                #expect(message.contains("certificate") && message.contains("sslmode=verify-"), "\(message)")
                #expect(!message.contains(TestPostgres.password), "\(message)")
            }
        }
    }

    @Test(.enabled(if: TestPostgres.tlsAuthorities != nil, Comment(rawValue: TestPostgres.tlsUnavailableReason)))
    func aMissingTrustFileIsNamed() throws {
        let missing = TestPaths.temporaryFolder() + "/no-such-ca.crt"
        #expect { try TradingStore(path: url(host: "localhost", "sslmode=verify-full&sslrootcert=\(missing)")) } throws: { error in
            "\(error)".contains(missing) && !"\(error)".contains(TestPostgres.password)
        }
    }
}
