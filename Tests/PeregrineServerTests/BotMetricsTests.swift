import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineLive
@testable import PeregrineServer
import PeregrineStorage
import PeregrineTestSupport
import Testing

@Suite struct BotMetricsTests {
    /// The value of one sample line of Prometheus' text, by its exact name and labels.
    func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test func everyEventLandsInItsSeries() async throws {
        let hub = TelemetryHub()
        let metrics = BotMetrics()
        metrics.observe(hub)
        hub.publish(.equity(bot: "trend", time: Timestamp(seconds: 1), equity: Money(100_250), cash: Money(90_000), positions: 2,
                            exposure: Money(10_250)))
        for _ in 0..<3 { hub.publish(.fill(bot: "trend", time: Timestamp(seconds: 2), clientOrderID: "c", symbol: "AAA", side: .buy,
                                           quantity: Quantity(1), price: Price(1))) }
        hub.publish(.decision(bot: "trend", time: Timestamp(seconds: 3), symbol: "AAA", action: "buy", outcome: "rejected", reason: "paused",
                              detail: ""))
        hub.publish(.decision(bot: "trend", time: Timestamp(seconds: 4), symbol: "AAA", action: "buy", outcome: "rejected", reason: "paused",
                              detail: ""))
        hub.publish(.botState(bot: "trend", state: "paused", error: nil))
        hub.publish(.turn(bot: "trend", seconds: 0.003, bars: 3, behind: 2))
        #expect(sample(metrics.exposition(), #"peregrine_bars_behind{bot="trend"}"#) == 2)
        hub.publish(.turn(bot: "trend", seconds: 0.2, bars: 0, behind: 0))
        metrics.recordBrokerRequest(method: "GET", status: 429, seconds: 0.004)
        metrics.recordBrokerRequest(method: "POST", status: 200, seconds: 0.02)
        let text = metrics.exposition()
        #expect(sample(text, #"peregrine_equity{bot="trend"}"#) == 100_250)
        #expect(sample(text, #"peregrine_cash{bot="trend"}"#) == 90_000)
        #expect(sample(text, #"peregrine_open_positions{bot="trend"}"#) == 2)
        #expect(sample(text, #"peregrine_gross_exposure{bot="trend"}"#) == 10_250)
        #expect(sample(text, #"peregrine_fills_total{bot="trend",symbol="AAA",side="buy"}"#) == 3)
        #expect(sample(text, #"peregrine_decisions_total{bot="trend",outcome="rejected",reason="paused"}"#) == 2)
        #expect(sample(text, #"peregrine_bot_state{bot="trend",state="paused"}"#) == 1)
        #expect(sample(text, #"peregrine_bot_state{bot="trend",state="running"}"#) == 0)
        #expect(sample(text, #"peregrine_turn_seconds_count{bot="trend"}"#) == 2)
        #expect(sample(text, #"peregrine_bars_behind{bot="trend"}"#) == 0)
        #expect(sample(text, #"peregrine_turn_seconds_bucket{bot="trend",le="0.005"}"#) == 1)
        #expect(abs((sample(text, #"peregrine_turn_seconds_sum{bot="trend"}"#) ?? 0) - 0.203) < 1e-9)
        #expect(sample(text, #"peregrine_broker_rate_limited_total"#) == 1)
        #expect(sample(text, #"peregrine_broker_responses_total{status="200"}"#) == 1)
        #expect(sample(text, #"peregrine_broker_request_seconds_count{method="GET"}"#) == 1)
    }

    /// The process's resident memory, anonymous part and descriptors, read at each scrape: near what the
    /// kernel says in /proc/self/statm at the same moment (the scrape itself allocates a little).
    @Test func theProcessMemoryIsInEachScrape() throws {
        let text = BotMetrics().exposition()
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        let resident = Double(try #require(Int(statm[1])) * Int(sysconf(Int32(_SC_PAGESIZE))))
        let scraped = try #require(sample(text, "process_resident_memory_bytes"))
        #expect(abs(scraped - resident) < max(resident / 10, 8_388_608), "\(scraped) against \(resident)")
        let anonymous = try #require(sample(text, "peregrine_process_anonymous_memory_bytes"))
        #expect(anonymous > 0 && anonymous < scraped)
        #expect(try #require(sample(text, "process_open_fds")) >= 3)
    }

    @Test func theMeasuringTransportPassesAnswersThroughAndTimesThem() async throws {
        struct Fixed: HTTPTransport {
            func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec { HTTPResponseSpec(status: 429, body: Data("slow down".utf8)) }
        }
        let metrics = BotMetrics()
        let response = try await MeasuringTransport(Fixed(), metrics: metrics).send(HTTPRequestSpec(method: .get, url: "http://x/v2/account"))
        #expect(response.status == 429 && response.body == Data("slow down".utf8))
        #expect(sample(metrics.exposition(), "peregrine_broker_rate_limited_total") == 1)
    }

    @Test func metricsNeedTheToken() async throws {
        let fixture = try ServerFixture()
        #expect(await fixture.get("/metrics", token: nil).status == 401)
        let answer = await fixture.get("/metrics")
        #expect(answer.status == 200 && answer.contentType.hasPrefix("text/plain; version=0.0.4"))
    }
}
