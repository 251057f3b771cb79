import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineLive
import PeregrineStorage
import PeregrineTestSupport
import Synchronization
import Testing

/// The gross exposure limit of all the bots of one account (`[account_risk] max_gross_exposure`),
/// with the sums worked out by hand.
@Suite struct AccountExposureTests {
    @Test func anEntryIsRefusedWhenTheBotsTogetherWouldPassTheLimit() throws {
        let account = AccountExposure(limit: Money(25_000))
        let trend = account.member("trend").limit, holder = account.member("holder").limit
        account.record(bot: "holder", exposure: Money("12000.50")!)
        account.record(bot: "trend", exposure: Money(999_999))   // its own report never counts against itself
        // 3,000 + 9,999.50 + 12,000.50 = 25,000: at the limit is allowed; a cent more is not.
        #expect(trend.check(exposure: Money(3_000), notional: Money("9999.50")!) == nil)
        let refused = try #require(trend.check(exposure: Money(3_000), notional: Money("9999.51")!))
        #expect(refused.code == .accountExposure)
        #expect(refused.detail == "the account's gross exposure would be 25000.01 (this bot 3000.00, this order 9999.51, other bots "
                + "12000.50), past its limit 25000.00", "\(refused.detail)")
        // The holder sees trend's report: 999,999 already passes the limit.
        #expect(holder.check(exposure: .zero, notional: Money(1))?.code == .accountExposure)
        account.record(bot: "trend", exposure: .zero)
        #expect(holder.check(exposure: Money("12000.50")!, notional: Money("12999.50")!) == nil)
    }

    @Test func theConfigurationTakesAnExactAmount() throws {
        let settings = try #require(try AccountRiskSettings.parse("[account_risk]\nmax_gross_exposure = \"250000.25\"\n"))
        #expect(settings.maxGrossExposure == Money("250000.25") && settings.dailyLossLimit == nil && settings.maxDrawdown == nil)
        #expect(try AccountRiskSettings.parse("[account_risk]\nmax_gross_exposure = 300000\n")?.maxGrossExposure == Money(300_000))
        for text in ["[account_risk]\nmax_gross_exposure = -5\n", "[account_risk]\nmax_gross_exposure = \"lots\"\n",
                     "[account_risk]\nmax_gross_exposure = 0\n"] {
            #expect { try AccountRiskSettings.parse(text) } throws: {
                "\($0)".contains("account_risk.max_gross_exposure: expected a positive amount")
            }
        }
    }

    /// Stepping, a check reads the other bots' exposure as of the end of the previous step (the
    /// snapshot taken when the last bot reaches the barrier), never what a faster bot already reported
    /// for this step.
    @Test func aSteppedCheckReadsTheSnapshotOfTheLastStepEnd() {
        let account = AccountExposure(limit: Money(1_000), stepped: true)
        let trend = account.member("trend").limit
        account.record(bot: "holder", exposure: Money(600))
        // Before the first step's end nothing is counted; after it, the 600 the holder left it with.
        #expect(trend.check(exposure: .zero, notional: Money(500)) == nil)
        account.closeStep()
        #expect(trend.check(exposure: .zero, notional: Money(500))?.code == .accountExposure)
        // The holder reports less during the next step: still the step end's 600 until the next one.
        account.record(bot: "holder", exposure: Money(100))
        #expect(trend.check(exposure: .zero, notional: Money(500))?.code == .accountExposure)
        account.closeStep()
        #expect(trend.check(exposure: .zero, notional: Money(500)) == nil)
        // Not stepping: the latest report counts at once.
        let unstepped = AccountExposure(limit: Money(1_000))
        unstepped.record(bot: "holder", exposure: Money(600))
        #expect(unstepped.member("trend").limit.check(exposure: .zero, notional: Money(500))?.code == .accountExposure)
    }

    /// Two bots stepping one local exchange together under the account's limit, run four times: once
    /// as is and three times with every request of both bots delayed at random (so their turns end in
    /// a different order each time). A holder buys 100 AAA and keeps them; the limit is 100 times
    /// AAA's highest close plus a cent, so each entry of the trend bot (100 BBB) is refused, quoting
    /// the holder's exposure. Every decision of both bots, details included, is the same in all four
    /// runs, and the quoted exposure is the holder's 100 AAA at the close of the step before.
    @Test func twoSteppingBotsDecideAlikeWhateverTheTimingOfTheirTurns() async throws {
        let aaa = SyntheticMarket.series(bars: 240, seed: 3, interval: Timestamp.nanosPerMinute, symbol: "AAA")
        let bbb = SyntheticMarket.series(bars: 240, seed: 5, interval: Timestamp.nanosPerMinute, symbol: "BBB")
        let limit = aaa.bars.map(\.close).max()! * Quantity(100) + Money("0.01")!
        var runs: [[String]] = []
        for seed in [nil, 1, 2, 3] as [UInt64?] {
            runs.append(try await Self.runTwoBots(aaa: aaa, bbb: bbb, limit: limit, jitterSeed: seed))
        }
        let refusals = runs[0].filter { $0.contains("account_exposure") }
        #expect(refusals.count >= 3, "\(refusals.count) refusals")
        for (k, run) in runs.enumerated().dropFirst() {
            #expect(run == runs[0], "run \(k) differs: \(Set(run).symmetricDifference(runs[0]).sorted().prefix(4))")
        }
        // The other bots' figure in each refusal: 100 AAA at AAA's close one step before the decision's bar.
        let previousClose = Dictionary(uniqueKeysWithValues: (1..<aaa.count).map { (aaa.timestamps[$0], aaa[$0 - 1].close) })
        for refusal in refusals {
            let fields = refusal.split(separator: "|").map(String.init)
            let time = try #require(Int64(fields[0]))
            let quoted = try #require(fields.last?.split(separator: "other bots ").last?.split(separator: ")").first)
            let expected = try #require(previousClose[time]) * Quantity(100)
            #expect(String(quoted) == expected.formatted(places: 2), "\(refusal)")
        }
    }

    /// One run of the holder and the trend bot; each decision as `time|bot|symbol|outcome|reason|detail`.
    static func runTwoBots(aaa: BarSeries, bbb: BarSeries, limit: Money, jitterSeed: UInt64?) async throws -> [String] {
        let keys = AlpacaCredentials(keyID: "PKSTEP", secret: "step-secret")
        let exchange = LocalExchange(series: [aaa, bbb], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(timeSteps: 30)
        let transport = JitteredTransport(InProcessTransport(exchange), seed: jitterSeed)
        let broker = AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: transport,
                                         retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/stepped.sqlite")
        let account = AccountExposure(limit: limit, stepped: true)
        let barrier = LocalClockBarrier(members: 2, atStepEnd: { account.closeStep() }) {
            try await broker.advanceLocalExchange(steps: 1).replayed
        }
        var holder = TradingSettings(strategy: "buy-and-hold", parameters: StrategyParameters(["quantity": "100"]), symbols: ["AAA"],
                                     timeframe: try BarTimeframe("1Min"))
        holder.warmUpBars = 0
        var trend = TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "5", "slow": "20", "quantity": "100"]),
                                    symbols: ["BBB"], timeframe: try BarTimeframe("1Min"))
        trend.warmUpBars = 30
        for k in [0, 1] {
            var settings = k == 0 ? holder : trend
            settings.stepLocalClock = true
            settings.stepBarrier = barrier
            settings.accountExposure = account
            if k == 0 { holder = settings } else { trend = settings }
        }
        let sessions = [Bot(loop: try await TradingRuntime.start(settings: holder, broker: broker, store: store, log: { _ in })),
                        Bot(loop: try await TradingRuntime.start(settings: trend, broker: broker, store: store, log: { _ in }))]
        let reports = try await withThrowingTaskGroup(of: TradingReport.self) { group in
            for bot in sessions {
                group.addTask {
                    let session = bot.loop
                    let report = try await session.run(until: StopSignal())
                    await barrier.leave()
                    return report
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var decisions: [String] = []
        for report in reports.sorted(by: { ($0.runID ?? 0) < ($1.runID ?? 0) }) {
            let runID = try #require(report.runID)
            let bot = try #require(try store.run(runID)?.strategy)
            decisions += try store.decisions(runID: runID).map {
                "\($0.time.nanoseconds)|\(bot)|\($0.symbol)|\($0.outcome)|\($0.reason)|\($0.detail)"
            }
        }
        return decisions
    }
}

/// A bot's session handed to the task that runs it, and touched by nothing else meanwhile.
private struct Bot: @unchecked Sendable {
    let loop: any TradingLoop
}

/// Passes each request on after a random pause of up to two milliseconds (none without a seed), so
/// bots sharing it finish their turns in an order that changes from run to run.
private final class JitteredTransport: HTTPTransport {
    let inner: InProcessTransport
    let jitters: Bool
    let random: Mutex<SeededGenerator>

    init(_ inner: InProcessTransport, seed: UInt64?) {
        self.inner = inner
        jitters = seed != nil
        random = Mutex(SeededGenerator(seed: seed ?? 0))
    }

    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        if jitters {
            let pause = random.withLock { $0.next() % 2_000_000 }
            try await Task.sleep(nanoseconds: pause)
        }
        return try await inner.send(request)
    }
}
