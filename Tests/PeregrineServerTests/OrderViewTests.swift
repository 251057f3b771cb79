import PeregrineCore
@testable import PeregrineServer
import PeregrineStorage
import Testing

/// The API shows a working order's stop and limit as sent to the broker (the charts draw resting
/// stops from them); anything but a plain decimal in the body is left out.
@Suite struct OrderViewTests {
    @Test func pricesComeFromTheBodySent() {
        let stop = OrderIntent(clientOrderID: "s1", runID: 1, symbol: "SPY", side: .sell, quantity: Quantity(10), type: .stop,
                               body: #"{"stop_price": "412.35", "type": "stop", "qty": "10"}"#)
        let view = OrderView(rowID: 1, updated: Timestamp(seconds: 0), intent: stop)
        #expect(view.stopPrice == "412.35" && view.limitPrice == nil)
        let odd = OrderIntent(clientOrderID: "s2", runID: 1, symbol: "SPY", side: .buy, quantity: Quantity(1), type: .limit,
                              body: #"{"limit_price": "1e3", "stop_price": 5}"#)
        let other = OrderView(rowID: 2, updated: Timestamp(seconds: 0), intent: odd)
        #expect(other.stopPrice == nil && other.limitPrice == nil)
    }
}
