import PeregrineCore
import PeregrineEngine
import PeregrineTestSupport
import Testing

/// The router sends a crypto pair's day order good till canceled (Alpaca takes only gtc or ioc for
/// crypto), explicit orders and signals alike, and leaves a stock's day order as it is.
@Suite struct CryptoDayOrderTests {
    typealias B = BarBuilder

    /// Minutes inside New York's session (10:00-10:02), where a stock's day order works too.
    let bars = [
        B.bar(at: "2024-01-02T15:00", "100", "100", "100", "100"),
        B.bar(at: "2024-01-02T15:01", "101", "101", "101", "101"),
        B.bar(at: "2024-01-02T15:02", "102", "102", "102", "102"),
    ]

    @Test func aCryptoDayOrderGoesOutGoodTillCanceled() {
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(2)))], 1: [.signal(.sell, .zero)]],
                          instrument: .crypto("BTCUSD"))
        #expect(r.orders.map(\.timeInForce) == [.gtc, .gtc])
        #expect(r.fills.map(\.price) == [price("101"), price("102")])
        #expect(r.account.position(acme).isFlat)
    }

    @Test func aStockDayOrderStaysADayOrder() {
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(2)))], 1: [.signal(.sell, .zero)]])
        #expect(r.orders.map(\.timeInForce) == [.day, .day])
        #expect(r.fills.map(\.price) == [price("101"), price("102")])
    }
}
