import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineExchange
import Testing

/// The whole network path: Peregrine's Alpaca client over real HTTP (AsyncHTTPClient) to the
/// exchange's HTTP server on 127.0.0.1, on a port the system picks.
@Suite struct ExchangeOverHTTPTests {
    @Test func theClientTradesWithTheExchangeOverHTTP() async throws {
        let series = SyntheticMarket.series(bars: 200, seed: 8)
        let keys = AlpacaCredentials(keyID: "PKHTTP", secret: "http-secret")
        let exchange = LocalExchange(series: [series], cash: Money(50_000), credentials: keys)
        await exchange.advance(bars: 20)

        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let group = ExchangeServer(exchange: exchange, port: 0).serviceGroup { port in portSink.yield(port) }
        let server = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        #expect(port > 0)

        let client = AlpacaTradingClient(environment: .local("http://127.0.0.1:\(port)"), credentials: keys,
                                         transport: AsyncHTTPTransport(timeoutSeconds: 60), retry: RetryPolicy(maxAttempts: 2))
        let account = try await client.account()
        #expect(account.cash == Money(50_000) && account.equity == Money(50_000))
        let placed = try await client.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(7),
                                                          clientOrderID: "http-1"), symbol: "SYN")
        #expect(placed.status == .new || placed.status == .accepted)
        await exchange.advance(bars: 1)
        let filled = try #require(try await client.order(clientOrderID: "http-1"))
        #expect(filled.status == .filled && filled.filledAveragePrice == series[20].open)
        let positions = try await client.positions()
        #expect(positions.map(\.quantity) == [Quantity(7)])
        #expect(try await client.order(clientOrderID: "never") == nil)

        let stranger = AlpacaTradingClient(environment: .local("http://127.0.0.1:\(port)"),
                                           credentials: AlpacaCredentials(keyID: "PKHTTP", secret: "guess"),
                                           transport: AsyncHTTPTransport(timeoutSeconds: 60), retry: RetryPolicy(maxAttempts: 1))
        await #expect(throws: AlpacaAPIError.self) { try await stranger.account() }

        await group.triggerGracefulShutdown()
        try await server.value
        // Once stopped, a request gets no response: a transport failure, not a hang.
        let late = AlpacaTradingClient(environment: .local("http://127.0.0.1:\(port)"), credentials: keys,
                                       transport: AsyncHTTPTransport(timeoutSeconds: 2), retry: RetryPolicy(maxAttempts: 1))
        await #expect(throws: TransportFailure.self) { try await late.clock() }
    }
}
