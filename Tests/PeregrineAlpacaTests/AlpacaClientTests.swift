import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineTestSupport
import Testing

@Suite struct AlpacaClientTests {
    let fixture: [String: Any] = {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("alpaca_wire.json"))!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()
    let credentials = AlpacaCredentials(keyID: "PKTEST123", secret: "s3cr3t-never-printed")

    func json(_ key: String) throws -> Data { try JSONSerialization.data(withJSONObject: fixture[key]!) }

    func client(_ transport: ScriptedTransport, attempts: Int = 5) -> AlpacaTradingClient {
        AlpacaTradingClient(environment: .local("http://127.0.0.1:9"), credentials: credentials, transport: transport,
                            retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.5, maxDelay: 30), seed: 1,
                            clock: { 0 }, sleep: { _ in })
    }

    var bracket: OrderRequest {
        OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(10), type: .limit, timeInForce: .gtc,
                     limitPrice: Price("150.25")!, orderClass: .bracket, takeProfit: Price("160.5")!, stopLoss: Price(145),
                     stopLossLimit: Price("144.5")!, clientOrderID: "pg-8")
    }

    @Test func requestsCarryTheKeysAndTheExactBody() async throws {
        let transport = ScriptedTransport([.respond(HTTPResponseSpec(status: 200, body: try json("order")))])
        let order = try await client(transport).submit(bracket, symbol: "AAPL")
        #expect(order.clientOrderID == "pg-8" && order.legs.count == 2)
        let sent = await transport.requests
        #expect(sent.count == 1)
        #expect(sent[0].method == .post && sent[0].url == "http://127.0.0.1:9/v2/orders")
        #expect(sent[0].headers["APCA-API-KEY-ID"] == "PKTEST123" && sent[0].headers["APCA-API-SECRET-KEY"] == "s3cr3t-never-printed")
        #expect(sent[0].body == AlpacaOrderBody(bracket, symbol: "AAPL").json())
    }

    @Test func aTimedOutSubmitThatReachedTheBrokerIsNotSentAgain() async throws {
        let transport = ScriptedTransport([.fail("timed out")])
        await transport.remember(clientOrderID: "pg-8", order: try json("order"))
        let order = try await client(transport).submit(bracket, symbol: "AAPL")
        #expect(order.id == "61e69015-8549-4bfd-b9c3-01e75843f47d")
        let posts = await transport.requests.filter { $0.method == .post }
        #expect(posts.count == 1)
    }

    @Test func aSubmitTheBrokerNeverSawIsResentWithTheSameClientOrderID() async throws {
        let transport = ScriptedTransport([.fail("connection reset"),
                                           .respond(HTTPResponseSpec(status: 503, body: Data("{}".utf8))),
                                           .respond(HTTPResponseSpec(status: 200, body: try json("order")))])
        let order = try await client(transport).submit(bracket, symbol: "AAPL")
        #expect(order.clientOrderID == "pg-8")
        let requests = await transport.requests
        let posts = requests.filter { $0.method == .post }
        #expect(posts.count == 3 && Set(posts.compactMap(\.body)).count == 1)
        // Before each re-send the client asked whether the order exists.
        #expect(requests.map(\.method) == [.post, .get, .post, .get, .post])
    }

    @Test func a429IsRetriedAfterRetryAfterWithoutALookup() async throws {
        let transport = ScriptedTransport([.respond(HTTPResponseSpec(status: 429, headers: ["Retry-After": "3"])),
                                           .respond(HTTPResponseSpec(status: 200, body: try json("order")))])
        let client = client(transport)
        _ = try await client.submit(bracket, symbol: "AAPL")
        #expect(await transport.requests.map(\.method) == [.post, .post])
        #expect(await client.waits == [3])
    }

    @Test func aRejectionIsReportedAtOnceWithAlpacasCodeAndNoSecret() async throws {
        let body = Data(#"{"code":40310000,"message":"insufficient buying power"}"#.utf8)
        let transport = ScriptedTransport([.respond(HTTPResponseSpec(status: 403, body: body))])
        do {
            _ = try await client(transport).submit(bracket, symbol: "AAPL")
            Issue.record("expected a rejection")
        } catch let error as AlpacaAPIError {
            #expect(error.status == 403 && error.code == 40310000)
            #expect(error.description == "Alpaca POST /v2/orders: HTTP 403 code 40310000: insufficient buying power")
            #expect(!"\(error)".contains("s3cr3t") && !String(reflecting: error).contains("s3cr3t"))
        }
        #expect(await transport.requests.count == 1)
    }

    @Test func idempotentCallsRetryThenGiveUpNamingTheFailure() async throws {
        let ok = ScriptedTransport([.respond(HTTPResponseSpec(status: 500)), .fail("timed out"),
                                    .respond(HTTPResponseSpec(status: 200, body: try json("clock")))])
        let retrying = client(ok)
        let clock = try await retrying.clock()
        #expect(clock.isOpen)
        #expect(await retrying.waits.count == 2)
        #expect(await ok.requests.count == 3)

        let down = ScriptedTransport(Array(repeating: .fail("connection refused"), count: 3))
        let limited = client(down, attempts: 3)
        await #expect(throws: TransportFailure("connection refused")) { try await limited.account() }
        let delays = await limited.waits
        // Full jitter under a doubling cap: attempt 1 waits at most 0.5 s, attempt 2 at most 1 s.
        #expect(delays.count == 2 && delays[0] <= 0.5 && delays[1] <= 1.0 && delays.allSatisfy { $0 >= 0 })
    }

    @Test func anUnknownOrderLooksUpAsNil() async throws {
        let transport = ScriptedTransport([])
        #expect(try await client(transport).order(clientOrderID: "never-sent") == nil)
    }

    @Test func credentialsNeverPrintTheSecret() throws {
        #expect("\(credentials)" == "AlpacaCredentials(key PKTEST123, secret ****)")
        #expect(!String(reflecting: credentials).contains("s3cr3t"))
        #expect(throws: AlpacaCredentials.LoadError(description: "APCA_API_SECRET_KEY is not set (or give a key file)")) {
            try AlpacaCredentials.fromEnvironment(["APCA_API_KEY_ID": "PK1"])
        }
        let folder = TestPaths.temporaryFolder()
        let path = folder + "/alpaca.keys"
        FileManager.default.createFile(atPath: path, contents: Data("APCA_API_KEY_ID=PK9\nAPCA_API_SECRET_KEY=zzz\n".utf8),
                                       attributes: [.posixPermissions: 0o644])
        do {
            _ = try AlpacaCredentials.fromFile(path)
            Issue.record("a world-readable key file must be refused")
        } catch {
            #expect(error.description.contains("chmod 600") && !error.description.contains("zzz"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let loaded = try AlpacaCredentials.fromFile(path)
        #expect(loaded.keyID == "PK9" && loaded == AlpacaCredentials(keyID: "PK9", secret: "zzz"))
    }

    @Test func liveNeedsTheFlagAndTheAccountEveryTime() throws {
        #expect(throws: AlpacaEnvironment.LiveRefused.self) { try AlpacaEnvironment.live(optIn: false, confirmedAccount: "PA1") }
        #expect(throws: AlpacaEnvironment.LiveRefused.self) { try AlpacaEnvironment.live(optIn: true, confirmedAccount: nil) }
        #expect(try AlpacaEnvironment.live(optIn: true, confirmedAccount: "PA1").tradingBaseURL == "https://api.alpaca.markets")
        #expect(try AlpacaEnvironment.live(optIn: true, confirmedAccount: "PA1").liveAccount == "PA1")
        #expect(AlpacaEnvironment.paper.tradingBaseURL == "https://paper-api.alpaca.markets")
    }

    @Test func theBudgetSpacesRequestsAndHonoursTheServersReset() {
        var budget = RequestBudget(limit: 200, window: 60, now: 0)
        let waits = (0..<201).map { _ in budget.reserve(now: 0) }
        #expect(waits.prefix(200).allSatisfy { $0 == 0 })
        #expect(abs(waits[200] - 0.3) < 1e-9)  // one token refills every 60/200 s
        var server = RequestBudget(limit: 200, window: 60, now: 0)
        server.observe(headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "1010"], now: 0, unixNow: 1000)
        #expect(server.reserve(now: 0) == 10)
        #expect(server.reserve(now: 11) == 0)
        #expect(RetryPolicy().delay(afterAttempt: 10, jitter: 0.999) <= 30)
        #expect(RetryPolicy().delay(afterAttempt: 3, jitter: 1) == 2)
    }
}
