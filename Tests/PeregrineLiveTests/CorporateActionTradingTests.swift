import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineLive
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// A bot holding through a split: the local exchange splits the account as a broker does, the bot's
/// books (told by `[trade] corporate_actions`) split the same way, and both equal the backtest of the
/// same raw bars with the same actions.
@Suite struct CorporateActionTradingTests {
    let keys = AlpacaCredentials(keyID: "PKSPLIT", secret: "split-secret")
    /// Buys 300 shares at the first traded bar and holds them.
    static let hold = StrategyParameters(["entry": "close > 0", "exit": "close < 0", "quantity": "300"])

    @Test func theBotAndTheBrokerSplitTogether() async throws {
        let series = try BarCSVReader().read(path: TestPaths.fixture("aapl_daily_raw_2000.csv"), instrument: .usEquity("AAPL")).series
        let actions = try CorporateActionFile.read(path: TestPaths.fixture("aapl_lean_factor_file.csv"), symbol: "AAPL")
        let warmUp = 20
        let exchange = LocalExchange(series: [series], cash: Money(100_000), credentials: keys)
        await exchange.serveCorporateActions(actions)
        await exchange.advance(bars: warmUp)
        var settings = TradingSettings(strategy: "rules", parameters: Self.hold, symbols: ["AAPL"],
                                       timeframe: try BarTimeframe("1Day"))
        settings.warmUpBars = warmUp
        settings.stepLocalClock = true
        settings.corporateActions = actions
        let broker = AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: InProcessTransport(exchange),
                                         retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/split.sqlite")
        let session = try await TradingRuntime.start(settings: settings, broker: broker, store: store, log: { _ in })
        let report = try await session.run(until: StopSignal())

        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(100_000)
        configuration.tradingStart = Timestamp(nanoseconds: series.timestamps[warmUp])
        configuration.corporateActions = actions
        let expected = try StrategyRegistry.shared.backtest(strategy: "rules", parameters: Self.hold,
                                                            series: [series], configuration: configuration)
        #expect(expected.corporateActions.count == 1 && expected.account.position(InstrumentID(0)).quantity == Quantity(600))
        #expect(report.fills.map(\.quantity) == expected.fills.map(\.quantity) && report.fills.map(\.price) == expected.fills.map(\.price))
        #expect(report.equity == expected.finalEquity, "\(report.equity) vs \(expected.finalEquity)")
        #expect(report.brokerEquity == expected.finalEquity)
        let positions = try await broker.positions()
        #expect(positions.map(\.quantity) == [Quantity(600)], "\(positions)")
    }
}
