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

/// Several strategies sharing one broker account as sleeves, live against the local exchange: the
/// multi-strategy backtest's fills, capital moves and meta-controller, and books that add up to the
/// broker's account across a restart.
@Suite struct PortfolioTradingTests {
    let keys = AlpacaCredentials(keyID: "PKPF", secret: "portfolio-secret")
    let series = SyntheticMarket.series(bars: 1_500, seed: 21, interval: Timestamp.nanosPerDay, symbol: "SYN")
    let warmUp = 60
    let sleeves = ["sma-cross:fast=5,slow=20,percent=0.45", "sma-cross:fast=10,slow=40,percent=0.45"]

    func broker(_ exchange: LocalExchange) -> AlpacaTradingClient {
        AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: InProcessTransport(exchange),
                            retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
    }

    func settings() throws -> TradingSettings {
        var settings = TradingSettings(strategy: "portfolio", symbols: ["SYN"], timeframe: try BarTimeframe("1Day"))
        settings.portfolio = .init(sleeves: sleeves, rule: .thompson(floor: 0.1, seed: 4, memory: 1), rebalanceBars: 50)
        settings.warmUpBars = warmUp
        settings.stepLocalClock = true
        return settings
    }

    /// Fills in time order, sleeve order within a time: how the live report lists them.
    static func merged(_ result: MultiStrategyResult) -> [Fill] {
        result.sleeves.flatMap(\.fills).enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }
            .map(\.element)
    }

    @Test func sleevesTradeLikeTheirPortfolioBacktest() async throws {
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: warmUp)
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/portfolio.sqlite")
        let session = try await TradingRuntime.start(settings: try settings(), broker: broker(exchange), store: store, log: { _ in })
        let report = try await session.run(until: StopSignal())

        var configuration = BacktestConfiguration()
        configuration.tradingStart = Timestamp(nanoseconds: series.timestamps[warmUp])
        let expected = try MultiStrategyBacktest(sleeves: try sleeves.map { try .init(parsing: $0) }, rule: .thompson(floor: 0.1, seed: 4, memory: 1),
                                                 rebalanceEvery: 50, configuration: configuration).run(series: [series])
        let fills = Self.merged(expected)
        #expect(fills.count > 40 && expected.sleeves.allSatisfy { $0.fills.count > 10 })
        #expect(report.fills.map(\.price) == fills.map(\.price) && report.fills.map(\.timestamp) == fills.map(\.timestamp))
        #expect(report.fills.map(\.side) == fills.map(\.side) && report.fills.map(\.quantity) == fills.map(\.quantity))
        let counts = expected.sleeves.reduce(into: [String: Int]()) { $0.merge($1.decisionCounts, uniquingKeysWith: +) }
        #expect(report.decisionCounts == counts, "\(report.decisionCounts) vs \(counts)")
        #expect(report.brokerEquity == expected.finalEquity && report.equity == expected.finalEquity)
        // The allocator learns from traded bars only: a rebalance every 50 of the 1,440 after the warm-up.
        #expect(expected.rebalances.count == 1 + (series.count - warmUp) / 50 && expected.rebalances[0].timestamp == series.timestamps[warmUp])
        #expect(expected.sleeveStatistics.allSatisfy { $0.periods == series.count - warmUp })
        // Capital moved, and the meta-controller the store keeps is the backtest's.
        #expect(expected.rebalances.contains { $0.transfers.contains { $0 != .zero } })
        let saved = try #require(try store.loadState(SleeveAllocator.stateKey(sleeves)))
        #expect(try JSONDecoder().decode(ThompsonAllocator.self, from: Data(saved.utf8)) == expected.allocator)
        // Every decision in the store names its sleeve.
        let decisions = try store.decisions(runID: report.runID!)
        for (k, name) in sleeves.enumerated() {
            #expect(decisions.filter { $0.strategy == name }.count == expected.sleeves[k].decisions.count)
        }
        #expect(decisions.count == expected.sleeves.reduce(0) { $0 + $1.decisions.count })
        // Every order carries its sleeve's tag.
        let tags = sleeves.map(TradingRuntime.sleeveTag)
        let orders = try store.orders(runID: report.runID, tradingOnly: true)
        #expect(orders.count == report.ordersSent && orders.allSatisfy { order in tags.contains { order.clientOrderID.contains("-\($0)-") } })
        for (k, tag) in tags.enumerated() {
            #expect(orders.filter { $0.clientOrderID.contains("-\(tag)-") }.count == expected.sleeves[k].orders.count)
        }
    }

    /// Stopped with positions open and started again: each sleeve gets its positions back from its
    /// own stored fills, so the sleeves' books add up to the broker's account to the cent, and the
    /// meta-controller continues.
    @Test func aRestartGivesEachSleeveItsPositionsBack() async throws {
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: warmUp)
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/restart.sqlite")
        var settings = try settings()
        var held = false
        for limit in [300, 37, 41, 53] where !held {
            // Stop at a bar where some sleeve holds a position (the next runs go on from there).
            settings.maxBars = limit
            let first = try await TradingRuntime.start(settings: settings, broker: broker(exchange), store: store, log: { _ in })
            _ = try await first.run(until: StopSignal())
            held = try await !broker(exchange).positions().isEmpty
        }
        #expect(held)
        settings.maxBars = nil
        let lines = LogLines()
        let second = try await TradingRuntime.start(settings: settings, broker: broker(exchange), store: store, log: { lines.append($0) })
        let report = try await second.run(until: StopSignal())
        #expect(lines.all.contains { $0.hasPrefix("meta-controller continued from the store") })
        #expect(report.fills.count > 10)
        #expect(report.equity == report.brokerEquity, "own books \(report.equity) vs broker \(String(describing: report.brokerEquity))")
    }

    /// A sleeve that may sell short is refused at start: the broker nets the sleeves' positions per symbol.
    @Test func aShortingSleeveIsRefused() async throws {
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: warmUp)
        var settings = try settings()
        settings.portfolio?.sleeves[1] = "sma-cross:fast=10,slow=40,short=true"
        do {
            _ = try await TradingRuntime.start(settings: settings, broker: broker(exchange), store: nil, log: { _ in })
            Issue.record("a shorting sleeve must be refused")
        } catch let error as TradingRuntimeError {
            #expect(error.message.contains("sleeve sma-cross:fast=10,slow=40,short=true may sell short"), "\(error.message)")
        }
        #expect(try await exchange.tradeUpdates.isEmpty)
    }

    /// A broker position no sleeve's stored fills explain is refused at start, by name.
    @Test func aPositionNoSleeveOwnsIsRefused() throws {
        let fills = [StoredFill(executionID: "e1", clientOrderID: "pg1-x-\(TradingRuntime.sleeveTag("a"))-1", timestamp: Timestamp(nanoseconds: 1),
                                symbol: "SYN", side: .buy, quantity: Quantity(10), price: Price("100")!),
                     StoredFill(executionID: "e2", clientOrderID: "pg1-x-\(TradingRuntime.sleeveTag("b"))-1", timestamp: Timestamp(nanoseconds: 2),
                                symbol: "SYN", side: .buy, quantity: Quantity(5), price: Price("102")!)]
        let tags = ["a", "b"].map(TradingRuntime.sleeveTag)
        #expect(throws: TradingRuntimeError.self) {
            try SleeveOpening.holdings(fills: fills, tags: tags, symbols: ["SYN"], broker: [(InstrumentID(0), Quantity(20), Price("101")!)])
        }
        let held = try SleeveOpening.holdings(fills: fills, tags: tags, symbols: ["SYN"], broker: [(InstrumentID(0), Quantity(15), Price("100.67")!)])
        #expect(held.map { $0.first?.1 } == [Quantity(10), Quantity(5)])
    }
}
