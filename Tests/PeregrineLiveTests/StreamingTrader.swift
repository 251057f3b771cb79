import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineEngine
import PeregrineData
import PeregrineExchange
import PeregrineLive
import PeregrineStrategies

/// The stream tests' common start: daily bars on a local exchange served on a free port and
/// advanced through a 60-bar warm-up, with an sma-cross 5/15 trader's settings (listening to the
/// trade stream) and a client for it. Each test sets its own polling, length and feeds.
struct StreamingTrader {
    let series: BarSeries
    let exchange: LocalExchange
    let server: Task<Void, Error>
    let stop: @Sendable () async -> Void
    var settings: TradingSettings
    let client: AlpacaTradingClient

    init(bars: Int, keys: AlpacaCredentials) async throws {
        series = SyntheticMarket.series(bars: bars, seed: 21, interval: Timestamp.nanosPerDay, symbol: "SYN")
        exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: 60)
        let base: String
        (server, base, stop) = try await ExchangeServerHarness.serve(exchange)
        settings = TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "5", "slow": "15"]),
                                   symbols: ["SYN"], timeframe: try BarTimeframe("1Day"))
        settings.warmUpBars = 60
        settings.tradeStreamKeys = keys
        client = AlpacaTradingClient(environment: .local(base), credentials: keys, transport: AsyncHTTPTransport(timeoutSeconds: 60),
                                     budget: RequestBudget(limit: 1_000_000))
    }
}
