import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineLive
@testable import PeregrineServer
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// Telegram and a webhook against a local stand-in: what is sent, what is retried, and which chat is obeyed.
@Suite struct AlertTests {
    /// A stand-in for Telegram's API and a webhook: records every request, fails the first `failures`
    /// webhook posts, and serves scripted updates to getUpdates.
    final class StandIn: HTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [HTTPRequestSpec] = []
        var failures = 0
        var updates: [[String: Any]] = []

        func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
            try answer(request)
        }

        private func answer(_ request: HTTPRequestSpec) throws -> HTTPResponseSpec {
            try lock.withLock {
                sent.append(request)
                if request.url.contains("/getUpdates") {
                    let body = try JSONSerialization.data(withJSONObject: ["ok": true, "result": updates])
                    updates = []
                    return HTTPResponseSpec(status: 200, body: body)
                }
                if request.url.hasPrefix("http://hooks.local"), failures > 0 {
                    failures -= 1
                    return HTTPResponseSpec(status: 503)
                }
                return HTTPResponseSpec(status: 200, body: Data(#"{"ok":true}"#.utf8))
            }
        }

        var requests: [HTTPRequestSpec] { lock.withLock { sent } }
        func texts(to prefix: String) -> [String] {
            requests.filter { $0.url.hasPrefix(prefix) && !$0.url.contains("getUpdates") }.compactMap {
                ($0.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] })?["text"] as? String
            }
        }
    }

    let settings = try! AlertSettings.parse("""
        [alerts]
        rejections_per_minute = 3
        [alerts.telegram]
        chat_id = 42
        base_url = "http://telegram.local"
        [alerts.webhook]
        """, environment: ["PEREGRINE_TELEGRAM_TOKEN": "123:abc", "PEREGRINE_WEBHOOK_URL": "http://hooks.local/T1"])!

    @Test func alertsGoToBothChannelsAndAFailingWebhookIsRetried() async throws {
        let standIn = StandIn()
        standIn.failures = 2
        let hub = TelemetryHub()
        let notifier = Notifier(settings: settings, transport: standIn, retryDelay: 0.01, log: { _ in })
        notifier.observe(hub)
        let sending = Task { await notifier.run() }
        hub.publish(.fill(bot: "trend", time: Timestamp(seconds: 60), clientOrderID: "c1", symbol: "AAA", side: .buy, quantity: Quantity(100),
                          price: Price(101)))
        hub.publish(.risk(bot: "trend", time: Timestamp(seconds: 120), halted: true, detail: "daily loss 2.1% > 2%"))
        hub.publish(.botState(bot: "reversion", state: "stopped", error: "BBB is not tradable at the broker"))
        // Four refusals in a minute pass the limit of three: one alert, not one per refusal.
        for _ in 0..<6 {
            hub.publish(.decision(bot: "trend", time: Timestamp(seconds: 130), symbol: "AAA", action: "buy", outcome: "rejected",
                                  reason: "paused", detail: ""))
        }
        hub.publish(.decision(bot: "trend", time: Timestamp(seconds: 131), symbol: "AAA", action: "buy", outcome: "submitted",
                              reason: "open_long", detail: ""))
        for _ in 0..<200 where notifier.delivered.sent < 8 { try await Task.sleep(nanoseconds: 10_000_000) }
        notifier.stop()
        await sending.value
        let expected = ["trend: bought 100 AAA @ 101 (1970-01-01T00:01:00Z)", "trend: HALTED. daily loss 2.1% > 2%",
                        "reversion STOPPED: BBB is not tradable at the broker", "trend: 4 orders refused in the last minute (latest: paused)"]
        #expect(standIn.texts(to: "http://telegram.local/bot123:abc/sendMessage") == expected)
        // The webhook's first two posts failed (503) and the same alert was sent again, then the rest in order.
        #expect(standIn.texts(to: "http://hooks.local/T1") == [expected[0], expected[0]] + expected)
        #expect(notifier.delivered.sent == 8 && notifier.delivered.failed == 0)
    }

    @Test func onlyTheConfiguredChatIsObeyedAndAFlattenIsConfirmedFirst() async throws {
        let standIn = StandIn()
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/tg.sqlite")
        let bot = BotControl(name: "trend", settings: TradingSettings(strategy: "sma-cross", symbols: ["AAA"], timeframe: try BarTimeframe("1Min")))
        let plane = TradingControlPlane(bots: [bot], store: store, mode: "local")
        let api = ControlAPI(store: store, plane: plane, requestGuard: RequestGuard(token: ServerFixture.token, log: { _ in }), log: { _ in })
        let logged = ServerFixture.LogLines()
        let commands = TelegramCommands(settings: settings.telegram!, api: api, transport: standIn, pollSeconds: 0, log: { logged.append($0) })
        func message(_ id: Int, chat: Int, _ text: String) -> [String: Any] {
            ["update_id": id, "message": ["chat": ["id": chat], "text": text]]
        }
        standIn.updates = [message(7, chat: 42, "/pause trend"), message(8, chat: 99, "/pause trend"), message(9, chat: 42, "/flatten AAA")]
        #expect(try await commands.pollOnce() == 2)
        #expect(bot.takeCommands().map(\.0) == [.pause])
        #expect(logged.all.contains { $0.contains("ignored a command from chat 99") })
        // The flatten waits for its confirmation; the next poll asks from the following update on.
        standIn.updates = [message(10, chat: 42, "/confirm AAA")]
        #expect(try await commands.pollOnce() == 1)
        #expect(bot.takeCommands().map(\.0) == [.flatten(symbol: "AAA")])
        #expect(standIn.requests.last { $0.url.contains("getUpdates") }?.url.hasSuffix("offset=10") == true)
        let replies = standIn.texts(to: "http://telegram.local")
        #expect(replies.count == 3 && replies[1].contains("Send /confirm AAA within 60 s") && replies[2].hasPrefix("flatten AAA: queued"))
        // Both actions are in the audit trail as asked from the chat.
        #expect(try store.audit().map(\.actor) == ["telegram chat 42", "telegram chat 42"])
    }

    @Test func theDailySummaryGoesOutOnceALocalDayAtItsTime() async throws {
        let daily = try #require(try AlertSettings.parse("""
            [alerts]
            daily_summary = "16:05 America/New_York"
            [alerts.webhook]
            """, environment: ["PEREGRINE_WEBHOOK_URL": "http://hooks.local/D"]))
        let notifier = Notifier(settings: daily, transport: StandIn(), log: { _ in })
        // 2024-03-08 (EST, UTC-5): 16:04 local is 21:04 UTC; 2024-03-11 (EDT, UTC-4): 16:05 local is 20:05 UTC.
        func utc(_ text: String) -> Timestamp { Timestamp(nanoseconds: Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970) * 1_000_000_000) }
        var sent: [Bool] = []
        for time in ["2024-03-08T21:04:00Z", "2024-03-08T21:05:30Z", "2024-03-08T21:30:00Z", "2024-03-11T20:04:00Z", "2024-03-11T20:05:00Z"] {
            sent.append(await notifier.dailyTick(now: utc(time)) { "equity 100" })
        }
        #expect(sent == [false, true, false, false, true])
        #expect(throws: ConfigurationFileError.self) {
            try AlertSettings.parse("[alerts]\ndaily_summary = \"25:00\"\n[alerts.webhook]\n", environment: ["PEREGRINE_WEBHOOK_URL": "http://x"])
        }
    }

    @Test func aStreamDownLongerThanTheLimitIsAlertedOnceAndItsReturnToo() throws {
        let settings = try #require(try AlertSettings.parse("[alerts]\ndisconnect_seconds = 30\n[alerts.webhook]\n",
                                                            environment: ["PEREGRINE_WEBHOOK_URL": "http://hooks.local/D"]))
        let now = Clock()
        let notifier = Notifier(settings: settings, transport: StandIn(), clock: { now.value }, log: { _ in })
        // A blip shorter than the limit says nothing, neither down nor back.
        now.value = 1_000
        #expect(notifier.message(for: .connection(name: "trading stream (a)", state: "disconnected")) == nil)
        now.value = 1_020
        #expect(notifier.disconnectTick() == 0)
        #expect(notifier.message(for: .connection(name: "trading stream (a)", state: "connected")) == nil)
        // A long outage: one alert at the limit (not repeated), and one when it is back.
        now.value = 2_000
        _ = notifier.message(for: .connection(name: "trading stream (a)", state: "disconnected"))
        now.value = 2_029
        #expect(notifier.disconnectTick() == 0)
        now.value = 2_031
        #expect(notifier.disconnectTick() == 1)
        now.value = 2_100
        #expect(notifier.disconnectTick() == 0)
        #expect(notifier.message(for: .connection(name: "trading stream (a)", state: "connected")) == "trading stream (a): connected again after 100 s")
        #expect(throws: ConfigurationFileError.self) {
            try AlertSettings.parse("[alerts]\ndisconnect_seconds = 0\n[alerts.webhook]\n", environment: ["PEREGRINE_WEBHOOK_URL": "http://x"])
        }
    }

    /// A time tests set by hand.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = 0.0
        var value: Double {
            get { lock.withLock { current } }
            set { lock.withLock { current = newValue } }
        }
    }

    @Test func aBadAlertsTableIsRefusedWithWhatIsWrong() throws {
        #expect(throws: ConfigurationFileError.self) {
            try AlertSettings.parse("[alerts]\nevents = [\"fills\"]\n[alerts.webhook]\n", environment: ["PEREGRINE_WEBHOOK_URL": "http://x"])
        }
        #expect(throws: ConfigurationFileError.self) { try AlertSettings.parse("[alerts]\n[alerts.telegram]\nchat_id = 1\n", environment: [:]) }
        #expect(throws: ConfigurationFileError.self) { try AlertSettings.parse("[alerts]\nrejections_per_minute = 3\n", environment: [:]) }
        #expect(try AlertSettings.parse("[trade]\nstrategy = \"x\"\n", environment: [:]) == nil)
    }
}
