import PeregrineCore
import PeregrineStrategies
import Testing

@Suite struct SignalThresholdAdaptationTests {
    /// By hand: long 10 from 100 to 105 (+50 − 1 commission), then short 5 at 100 closed by a buy of 10
    /// at 98 (+10), whose other 5 open a long closed at 97 (−5). The open trade at the end is left out.
    @Test func fillsAreCutIntoFlatToFlatTrades() {
        typealias E = SignalThresholdAdaptation.Execution
        let fills = [
            E(clientOrderID: "A", symbol: "X", side: .buy, quantity: Quantity(10), price: Price(100), commission: Money(1)),
            E(clientOrderID: "B", symbol: "X", side: .sell, quantity: Quantity(10), price: Price(105)),
            E(clientOrderID: "C", symbol: "X", side: .sell, quantity: Quantity(5), price: Price(100)),
            E(clientOrderID: "Y1", symbol: "Y", side: .buy, quantity: Quantity(3), price: Price(10)),
            E(clientOrderID: "D", symbol: "X", side: .buy, quantity: Quantity(10), price: Price(98)),
            E(clientOrderID: "E", symbol: "X", side: .sell, quantity: Quantity(5), price: Price(97)),
        ]
        let trades = SignalThresholdAdaptation.closedTrades(fills)
        #expect(trades == [
            .init(openedBy: "A", side: .buy, netPnL: Money(49)),
            .init(openedBy: "C", side: .sell, netPnL: Money(10)),
            .init(openedBy: "D", side: .buy, netPnL: Money(-5)),
        ])
        #expect(SignalThresholdAdaptation.probability(detail: "p_up=0.6123 p_profit=0.55 confidence=0.1", side: .buy) == 0.6123)
        #expect(abs(SignalThresholdAdaptation.probability(detail: "p_up=0.3 p_profit=0.55", side: .sell)! - 0.7) < 1e-12)
        #expect(SignalThresholdAdaptation.probability(detail: "confidence_below_minimum", side: .buy) == nil)
    }
}
