@testable import PeregrineEngine
import PeregrineCore
import Testing

/// A long backtest keeps, for each order, the order, its fill, the decision behind it, half a round
/// trip and one holding of the equity curve: ten million bars of the benchmark make 388,656 of
/// each. These are the strides the 64-bytes-a-bar budget was reached with; a field added in the
/// wrong place (or an optional where a flag would do) grows one and fails here.
@Suite struct RecordSizeTests {
    @Test func theKeptRecordsStayWithinTheirStrides() {
        #expect(MemoryLayout<Order>.stride <= 160)
        #expect(MemoryLayout<Fill>.stride <= 96)
        #expect(MemoryLayout<Decision>.stride <= 64)
        #expect(MemoryLayout<RoundTrip>.stride <= 144)
        #expect(MemoryLayout<EquityCurve.Holding>.stride <= 32)
    }

    /// The optionals kept as values and flags read back exactly as set, each independently.
    @Test func flaggedOptionalsReadBackAsSet() {
        var trip = RoundTrip(instrument: InstrumentID(0), direction: .long, entryTime: Timestamp(nanoseconds: 5), entryBar: 1)
        #expect(trip.isOpen && trip.exitTime == nil && trip.exitBar == nil)
        trip.exitBar = 0
        #expect(trip.isOpen && trip.exitBar == 0 && trip.exitTime == nil)
        trip.exitTime = Timestamp(nanoseconds: 0)
        #expect(!trip.isOpen && trip.exitTime == Timestamp(nanoseconds: 0))
        trip.exitBar = nil
        #expect(!trip.isOpen && trip.exitBar == nil && trip.barsHeld == nil)

        let request = OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(1), type: .stopLimit,
                                   limitPrice: Price(0), stopPrice: Price(-3))
        var order = Order(id: OrderID(0), clientOrderID: "a", request: request, submittedAt: Timestamp(nanoseconds: 0))
        #expect(order.limitPrice == Price(0) && order.stopPrice == Price(-3))
        order.limitPrice = nil
        #expect(order.limitPrice == nil && order.stopPrice == Price(-3))
        order.stopPrice = nil
        order.limitPrice = Price(7)
        #expect(order.limitPrice == Price(7) && order.stopPrice == nil)

        var decision = Decision(timestamp: Timestamp(nanoseconds: 0), instrument: InstrumentID(0), action: nil, outcome: .held, reason: .signalHold)
        #expect(decision.orderID == nil)
        decision.orderID = OrderID(0)
        #expect(decision.orderID == OrderID(0))
    }
}
