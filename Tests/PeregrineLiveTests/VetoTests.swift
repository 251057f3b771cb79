import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineLive
import PeregrineRisk
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// The `[veto]` model in front of entries, against a local stand-in server: its veto is honoured, a
/// malformed answer, an error and a timeout are decided by the stated policy within the timeout,
/// the daily budget holds, and a backtest replaying the recorded answers makes the trading run's
/// decisions exactly.
@Suite(.serialized) struct VetoTests {
    let keys = AlpacaCredentials(keyID: "PKVETO", secret: "veto-secret")

    static func entry(_ symbol: String = "SYN", day: Int64 = 3) -> EntryReview {
        let bar = Bar(timestamp: Timestamp(seconds: day * 86_400), open: Price(100), high: Price(101), low: Price(99), close: Price(100),
                      volume: Quantity(1_000))
        return EntryReview(time: bar.timestamp, symbol: symbol, side: .buy, quantity: Quantity(10), price: Price(100), action: "buy",
                           reason: "open_long", note: "fast above slow", position: .zero, cash: Money(100_000), equity: Money(100_000),
                           openPositions: 0, recentBars: [bar])
    }

    /// Asks off the test's own thread, as the trading session does, so the stand-in server (which
    /// shares the process) always has threads to answer on.
    func ask(_ reviewer: any EntryReviewer, _ entry: EntryReview = VetoTests.entry()) async -> ReviewVerdict? {
        await timedAsk(reviewer, entry).verdict
    }

    /// The verdict and how long the review held its thread, measured on that thread: the test's own
    /// resumption may wait for a free thread of the cooperative pool, which is not the reviewer's time.
    func timedAsk(_ reviewer: any EntryReviewer, _ entry: EntryReview = VetoTests.entry()) async -> (verdict: ReviewVerdict?, held: Duration) {
        let box = ReviewerBox(reviewer: reviewer)
        return await withCheckedContinuation { done in
            DispatchQueue.global().async {
                let start = ContinuousClock.now
                let verdict = box.reviewer.review(entry)
                done.resume(returning: (verdict, ContinuousClock.now - start))
            }
        }
    }

    func settings(_ base: String, _ change: (inout VetoSettings) -> Void = { _ in }) -> VetoSettings {
        var settings = VetoSettings(baseURL: base, model: "stand-in")
        // Long enough for the stand-in to answer on a machine loaded by the whole suite.
        settings.timeoutSeconds = 30
        change(&settings)
        return settings
    }

    @Test func answersAndFailuresAreDecidedAsStated() async throws {
        let mode = Mode()
        let server = StandInModelServer { _ in
            switch mode.value {
            case "veto": .init(content: #"{"decision": "veto", "reason": "gap over the open"}"#)
            case "malformed": .init(content: "Sure! I think you should buy.")
            case "extra": .init(content: #"{"decision": "allow", "reason": "ok", "size": 2}"#)
            case "error": .init(status: 500, content: "")
            case "slow": .init(content: #"{"decision": "allow", "reason": "late"}"#, delaySeconds: 60)
            default: .init(content: #"{"decision": "allow", "reason": "trend intact"}"#)
            }
        }
        let base = try await server.start()
        defer { server.stop() }
        let refusing = try ModelVetoReviewer(settings: settings(base), log: { _ in })
        let allowing = try ModelVetoReviewer(settings: settings(base) { $0.allowOnFailure = true }, log: { _ in })

        mode.value = "allow"
        #expect(await ask(refusing) == ReviewVerdict(kind: .allow, allowed: true, reason: "trend intact"))
        #expect(server.requests.last?.contains("buy 10 SYN at about 100") == true && server.requests.last?.contains("fast above slow") == true)
        mode.value = "veto"
        #expect(await ask(refusing) == ReviewVerdict(kind: .veto, allowed: false, reason: "gap over the open"))
        for (name, kind) in [("malformed", ReviewVerdict.Kind.malformed), ("extra", .malformed), ("error", .error)] {
            mode.value = name
            let refused = try #require(await ask(refusing))
            let allowed = try #require(await ask(allowing))
            #expect(refused.kind == kind && !refused.allowed && refused.reason.contains("on_failure = refuse"), "\(name): \(refused)")
            #expect(allowed.kind == kind && allowed.allowed, "\(name): \(allowed)")
        }
        // A model that hangs (an answer after 60 s) holds the entry for the 2 s timeout, not for its answer.
        mode.value = "slow"
        let impatient = try ModelVetoReviewer(settings: settings(base) { $0.timeoutSeconds = 2 }, log: { _ in })
        let (answer, waited) = await timedAsk(impatient)
        let late = try #require(answer)
        #expect(late.kind == .timeout && !late.allowed)
        #expect(waited < .seconds(20), "\(waited)")
        #expect(refusing.verdictCounts == ["allow": 1, "veto": 1, "malformed": 2, "error": 1])
        #expect(impatient.verdictCounts == ["timeout": 1])
    }

    @Test func theDailyBudgetAndTheScopeHold() async throws {
        let server = StandInModelServer { _ in .init(content: #"{"decision": "allow", "reason": "fine"}"#) }
        let base = try await server.start()
        defer { server.stop() }
        let reviewer = try ModelVetoReviewer(settings: settings(base) { $0.maxCallsPerDay = 2; $0.symbols = ["SYN"] }, log: { _ in })
        #expect(await ask(reviewer, Self.entry(day: 3))?.kind == .allow)
        #expect(await ask(reviewer, Self.entry(day: 3))?.kind == .allow)
        let spent = try #require(await ask(reviewer, Self.entry(day: 3)))
        #expect(spent.kind == .budget && !spent.allowed && spent.reason.contains("2 calls"))
        #expect(await ask(reviewer, Self.entry(day: 4))?.kind == .allow)
        // Another symbol is not reviewed at all.
        #expect(await ask(reviewer, Self.entry("QQQ", day: 4)) == nil)
        #expect(server.requests.count == 3)
        // The cost budget: 400 + 20 tokens a call at 1.0 and 2.0 per 1,000 = 0.44 a call; 0.5 allows two.
        let costly = try ModelVetoReviewer(settings: settings(base) { $0.maxCostPerDay = 0.5; $0.promptCostPer1k = 1; $0.completionCostPer1k = 2 },
                                           log: { _ in })
        #expect(await ask(costly)?.kind == .allow)
        #expect(await ask(costly)?.kind == .allow)
        #expect(await ask(costly)?.kind == .budget)
    }

    /// Sim trading with the model vetoing entries on odd days of the month, its answers recorded;
    /// the backtest replaying them makes the same decisions and fills, and differs from the run
    /// without a veto.
    @Test func aRecordedVetoBacktestReproducesTheLiveDecisions() async throws {
        let series = SyntheticMarket.series(bars: 400, seed: 21, interval: Timestamp.nanosPerDay, symbol: "SYN")
        let warmUp = 60
        let server = StandInModelServer { prompt in
            // The entry's date is in the prompt as (YYYY-MM-DDT...); odd days are vetoed.
            guard let range = prompt.range(of: #"\(\d{4}-\d{2}-(\d{2})T"#, options: .regularExpression),
                  let day = Int(prompt[range].dropLast().suffix(2)) else { return .init(content: "no date") }
            return day % 2 == 1 ? .init(content: #"{"decision": "veto", "reason": "odd day"}"#)
                : .init(content: #"{"decision": "allow", "reason": "even day"}"#)
        }
        let base = try await server.start()
        defer { server.stop() }
        let answers = TestPaths.temporaryFolder() + "/veto-answers.jsonl"
        let reviewer = try ModelVetoReviewer(settings: settings(base) { $0.recordPath = answers }, log: { _ in })

        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: warmUp)
        let broker = AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: InProcessTransport(exchange),
                                         retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
        var trading = TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "5", "slow": "15"]), symbols: ["SYN"],
                                      timeframe: try BarTimeframe("1Day"))
        trading.warmUpBars = warmUp
        trading.stepLocalClock = true
        trading.entryReviewer = EntryReviewerHandle(reviewer)
        let limits = RiskLimits.defaults(barInterval: Timestamp.nanosPerDay)
        trading.risk = limits
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/veto.sqlite")
        let report = try await TradingRuntime.start(settings: trading, broker: broker, store: store, log: { _ in }).run(until: StopSignal())
        let live = try store.decisions(runID: report.runID!)
        let vetoed = live.filter { $0.reason == "vetoed" }
        #expect(vetoed.count >= 3 && vetoed.allSatisfy { $0.outcome == "rejected" && $0.detail == "veto model refused: odd day" })
        #expect(live.contains { $0.reason == "open_long" && $0.outcome == "submitted" && $0.detail.hasSuffix("veto model allowed: even day") })

        func backtest(_ reviewer: (any EntryReviewer)?) throws -> BacktestResult {
            var configuration = BacktestConfiguration()
            configuration.tradingStart = Timestamp(nanoseconds: series.timestamps[warmUp])
            configuration.entryReviewer = reviewer.map(EntryReviewerHandle.init)
            configuration.risk = limits
            return try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(["fast": "5", "slow": "15"]),
                                                        series: [series], configuration: configuration)
        }
        let replayed = try backtest(try RecordedVetoes(path: answers))
        let liveRows = live.map { "\($0.time.iso8601) \($0.reason) \($0.outcome) \($0.detail)" }
        let replayRows = replayed.decisions.map { "\($0.timestamp.iso8601) \($0.reason.code) \($0.outcome.rawValue) \($0.detail)" }
        #expect(liveRows == replayRows)
        #expect(replayed.fills.map(\.price) == report.fills.map(\.price) && replayed.finalEquity == report.equity)
        let unvetoed = try backtest(nil)
        #expect(unvetoed.fills.count > replayed.fills.count)
        // The prompt carries the limits' use.
        #expect(server.requests.first?.contains("Risk limits in use: day P&L ") == true && server.requests.first?.contains("(limit -3.00%)") == true,
                "\(server.requests.first ?? "")")
        #expect(server.requests.count == vetoed.count + live.filter { $0.detail.contains("veto model allowed") }.count)
    }
}

/// A reviewer handed to another thread while the test waits for it.
struct ReviewerBox: @unchecked Sendable {
    let reviewer: any EntryReviewer
}

/// A value tests change between requests.
final class Mode: @unchecked Sendable {
    private let lock = NSLock()
    private var current = ""
    var value: String {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
