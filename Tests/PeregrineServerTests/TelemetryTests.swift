import Foundation
import HummingbirdWSClient
import Logging
import PeregrineCore
import PeregrineEngine
import PeregrineLive
@testable import PeregrineServer
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import ServiceLifecycle
import Testing

@Suite struct TelemetryTests {
    @Test func aWatcherThatFallsBehindIsDroppedAndTheOthersAreNot() async throws {
        let hub = TelemetryHub(capacity: 8)
        let (_, slow) = hub.subscribe()
        let (_, fast) = hub.subscribe()
        var received: [String] = []
        var fastIterator = fast.makeAsyncIterator()
        // Publishing never waits: 50 events go out while the slow watcher reads nothing.
        for n in 0..<50 {
            hub.publish(.equity(bot: "b", time: Timestamp(seconds: Int64(n)), equity: Money(n), cash: Money(0), positions: 0, exposure: .zero))
            if let message = await fastIterator.next() { received.append(message) }
        }
        #expect(received.count == 50 && hub.droppedWatchers == 1 && hub.watchers == 1)
        // The slow one keeps what fit in its buffer, then its stream ends.
        var kept = 0
        for await _ in slow { kept += 1 }
        #expect(kept == 8)
        #expect(received[3] == #"{"bot":"b","data":{"cash":"0","equity":"3","gross_exposure":"0","positions":0},"time":"1970-01-01T00:00:03Z","type":"equity"}"#)
    }

    @Test func theSocketSendsASnapshotThenEventsToTheTokenOnly() async throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/ws.sqlite")
        let hub = TelemetryHub()
        let bot = BotControl(name: "trend", settings: TradingSettings(strategy: "sma-cross", symbols: ["AAA"], timeframe: try BarTimeframe("1Min")),
                             telemetry: hub)
        let plane = TradingControlPlane(bots: [bot], store: store, mode: "local")
        let api = ControlAPI(store: store, plane: plane, requestGuard: RequestGuard(token: ServerFixture.token, log: { _ in }), telemetry: hub,
                             log: { _ in })
        let port = PortBox()
        let server = ControlServer(api: api, address: ServeAddress(host: "127.0.0.1", port: 0)).service { port.set($0) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: logger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        let bound = try await port.wait()

        // Without the token the upgrade is refused.
        await #expect(throws: (any Error).self) {
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(bound)/api/v1/ws", logger: logger) { _, _, _ in }
        }
        let messages = Lines()
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(bound)/api/v1/ws?token=\(ServerFixture.token)", logger: logger) { inbound, _, _ in
            var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            guard case .text(let snapshot)? = try await iterator.next() else { return }
            messages.append(snapshot)
            // Events published after the snapshot arrive in order.
            hub.publish(.fill(bot: "trend", time: Timestamp(seconds: 60), clientOrderID: "pg1-x-1", symbol: "AAA", side: .buy,
                              quantity: Quantity(100), price: Price(101)))
            bot.finish(error: nil)
            for _ in 0..<2 {
                guard case .text(let text)? = try await iterator.next() else { return }
                messages.append(text)
            }
        }
        let received = messages.all
        try #require(received.count == 3)
        let snapshot = try #require(try JSONSerialization.jsonObject(with: Data(received[0].utf8)) as? [String: Any])
        #expect(snapshot["type"] as? String == "snapshot")
        let data = try #require(snapshot["data"] as? [String: Any])
        #expect(((data["bots"] as? [[String: Any]])?.first?["name"] as? String) == "trend")
        #expect((data["status"] as? [String: Any])?["mode"] as? String == "local")
        #expect(received[1] == #"{"bot":"trend","data":{"client_order_id":"pg1-x-1","price":"101","quantity":"100","side":"buy","symbol":"AAA"},"time":"1970-01-01T00:01:00Z","type":"fill"}"#)
        #expect(received[2] == #"{"bot":"trend","data":{"state":"finished"},"type":"bot_state"}"#)
        // A plain GET of the socket's path says what it is.
        let plain = await api.handle(APIRequest(method: "GET", target: "/api/v1/ws", headers: ["Authorization": "Bearer \(ServerFixture.token)"]))
        #expect(plain.status == 400)
    }
}

/// The port a server bound, once it has.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    func set(_ port: Int) { lock.withLock { value = port } }
    func wait() async throws -> Int {
        for _ in 0..<500 {
            if let port = lock.withLock({ value }) { return port }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw ServerError("the server did not start")
    }
}

/// Lines collected across tasks.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

@Suite struct RecentBarsTests {
    @Test func barsComeFromTheBotsWhenTheyTradeAndFromTheStoreOtherwise() async throws {
        let fixture = try ServerFixture()
        // A store alone: its stored AAPL bars (two, the last at 130).
        let stored = try #require(try ServerFixture.json(await fixture.get("/api/v1/bars?symbol=AAPL")) as? [String: Any])
        #expect(stored["source"] as? String == "store" && (stored["bars"] as? [[String: Any]])?.last?["close"] as? String == Price(130).description)
        #expect(await fixture.get("/api/v1/bars").status == 400)
        #expect(await fixture.get("/api/v1/bars?symbol=AAPL&limit=501").status == 400)

        // With bots: the last `limit` bars they saw and the fills among them.
        let hub = TelemetryHub()
        let api = ControlAPI(store: fixture.store, plane: StoreOnlyPlane(), requestGuard: RequestGuard(token: ServerFixture.token, log: { _ in }),
                             telemetry: hub, log: { _ in })
        for n in 0..<10 {
            hub.publish(.bar(bot: "trend", symbol: "AAPL", bar: Bar(timestamp: Timestamp(seconds: Int64(n) * 60), open: Price(100 + n),
                                                                   high: Price(101 + n), low: Price(99 + n), close: Price(100 + n), volume: Quantity(5))))
        }
        hub.publish(.fill(bot: "trend", time: Timestamp(seconds: 60), clientOrderID: "a", symbol: "AAPL", side: .buy, quantity: Quantity(1), price: Price(101)))
        hub.publish(.fill(bot: "trend", time: Timestamp(seconds: 480), clientOrderID: "b", symbol: "AAPL", side: .sell, quantity: Quantity(1), price: Price(108)))
        let answer = await api.handle(APIRequest(method: "GET", target: "/api/v1/bars?symbol=AAPL&limit=3",
                                                 headers: ["Authorization": "Bearer \(ServerFixture.token)"]))
        let live = try #require(try ServerFixture.json(answer) as? [String: Any])
        #expect(live["source"] as? String == "bots")
        #expect((live["bars"] as? [[String: Any]])?.map { $0["close"] as? String } == [107, 108, 109].map { Price($0).description })
        // Only the fill at or after the first bar shown (07:00 of 1970-01-01 is bar 7).
        #expect((live["fills"] as? [[String: Any]])?.map { $0["side"] as? String } == ["sell"])
    }
}
