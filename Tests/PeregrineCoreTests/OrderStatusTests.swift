import PeregrineCore
import Testing

/// The order life cycle, checked pair by pair against a table written out here independently.
@Suite struct OrderStatusTests {
    /// Legal transitions, by hand from Alpaca's order-status documentation.
    static let legal: Set<String> = [
        "new>accepted", "new>rejected", "new>canceled", "new>pending_cancel",
        "accepted>partially_filled", "accepted>filled", "accepted>canceled", "accepted>expired",
        "accepted>pending_cancel", "accepted>pending_replace",
        "partially_filled>partially_filled", "partially_filled>filled", "partially_filled>canceled",
        "partially_filled>expired", "partially_filled>pending_cancel", "partially_filled>pending_replace",
        "pending_cancel>canceled", "pending_cancel>filled", "pending_cancel>partially_filled",
        "pending_cancel>accepted", "pending_cancel>expired",
        "pending_replace>replaced", "pending_replace>filled", "pending_replace>partially_filled",
        "pending_replace>accepted", "pending_replace>canceled", "pending_replace>expired",
    ]

    @Test func everyPairMatchesTheTable() {
        var checked = 0
        for from in OrderStatus.allCases {
            for to in OrderStatus.allCases {
                let expected = Self.legal.contains("\(from.rawValue)>\(to.rawValue)")
                #expect(from.canTransition(to: to) == expected, "\(from) -> \(to)")
                checked += 1
            }
        }
        #expect(checked == 100)
    }

    @Test func terminalStatesAllowNothing() {
        for status in [OrderStatus.filled, .canceled, .expired, .rejected, .replaced] {
            #expect(status.isTerminal)
            #expect(status.successors.isEmpty)
        }
    }

    @Test func orderRefusesIllegalTransitionAndKeepsItsState() throws {
        let request = OrderRequest.market(InstrumentID(0), .buy, Quantity(10))
        var order = Order(id: OrderID(1), clientOrderID: "a", request: request, submittedAt: Timestamp(seconds: 0))
        try order.transition(to: .accepted, at: Timestamp(seconds: 1))
        try order.applyFill(quantity: Quantity(10), price: Price(5), at: Timestamp(seconds: 2))
        #expect(order.status == .filled)
        #expect(throws: IllegalOrderTransition.self) { try order.transition(to: .canceled, at: Timestamp(seconds: 3)) }
        #expect(order.status == .filled)
        #expect(order.updatedAt == Timestamp(seconds: 2))
    }

    @Test func partialFillsAccumulateExactly() throws {
        let request = OrderRequest.market(InstrumentID(0), .buy, Quantity(10))
        var order = Order(id: OrderID(1), clientOrderID: "a", request: request, submittedAt: Timestamp(seconds: 0))
        try order.transition(to: .accepted, at: Timestamp(seconds: 0))
        try order.applyFill(quantity: Quantity(3), price: Price("10.01")!, at: Timestamp(seconds: 1))
        #expect(order.status == .partiallyFilled)
        try order.applyFill(quantity: Quantity(7), price: Price("10.02")!, at: Timestamp(seconds: 2))
        #expect(order.status == .filled)
        // (3 * 10.01 + 7 * 10.02) / 10 = 10.017
        #expect(order.averageFillPrice == Price("10.017")!)
        #expect(order.filledNotional == Money(units: Money("100.17")!.units))
    }
}
