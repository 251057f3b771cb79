import Foundation
import PeregrineServer
import PeregrineTestSupport
import Testing

@Suite struct ServeAddressTests {
    @Test func addressesParseAndOnlyLoopbackIsAllowedWithoutServePublic() throws {
        #expect(try ServeAddress(parsing: "127.0.0.1:8080") == ServeAddress(host: "127.0.0.1", port: 8080))
        #expect(try ServeAddress(parsing: "[::1]:9000") == ServeAddress(host: "::1", port: 9000))
        #expect(try ServeAddress(parsing: "localhost:0").isLoopback)
        for bad in ["8080", ":8080", "127.0.0.1:", "127.0.0.1:70000", "127.0.0.1:http"] {
            #expect(throws: ServerError.self, "\(bad)") { try ServeAddress(parsing: bad) }
        }
        let open = try ServeAddress(parsing: "0.0.0.0:8080")
        #expect(throws: ServerError.self) { try open.checked(public: false) }
        #expect(try open.checked(public: true) == open)
    }

    @Test func theTokenComesFromTheEnvironmentOrAPrivateFileMadeOnce() throws {
        let store = TestPaths.temporaryFolder() + "/s.sqlite"
        let fromEnvironment = try APIToken.resolve(store: store, environment: ["PEREGRINE_API_TOKEN": "abcdefghijklmnopqrstuvwxyz"])
        #expect(fromEnvironment.value == "abcdefghijklmnopqrstuvwxyz" && !fromEnvironment.generated)
        #expect(throws: ServerError.self) { try APIToken.resolve(store: store, environment: ["PEREGRINE_API_TOKEN": "short"]) }
        let made = try APIToken.resolve(store: store, environment: [:])
        #expect(made.generated && made.value.count == 64)
        let mode = try FileManager.default.attributesOfItem(atPath: store + ".api-token")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let again = try APIToken.resolve(store: store, environment: [:])
        #expect(again.value == made.value && !again.generated)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store + ".api-token")
        #expect(throws: ServerError.self) { try APIToken.resolve(store: store, environment: [:]) }
    }
}
