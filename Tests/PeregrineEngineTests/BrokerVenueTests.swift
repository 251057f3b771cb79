import PeregrineCore
import PeregrineEngine
import Testing

/// The book of orders held at a broker: group orders laid out like the simulated venue's, linked to
/// the broker's legs whatever the broker calls them.
@Suite struct BrokerVenueTests {
    let instrument = InstrumentID(0)

    func venue() -> BrokerVenue {
        BrokerVenue(instruments: [.usEquity("SYN")], barIntervals: [Timestamp.nanosPerDay], clientOrderPrefix: "pgT")
    }

    @Test func aBracketIsOneRequestWithTwoLegsInTheBook() throws {
        let book = venue()
        let request = OrderRequest(instrument: instrument, side: .buy, quantity: Quantity(10), timeInForce: .gtc, orderClass: .bracket,
                                   takeProfit: Price(110), stopLoss: Price(95))
        let entry = try book.submit(request, at: Timestamp(nanoseconds: 1)).get()
        let outbox = book.takeOutbox()
        #expect(outbox.count == 1)
        guard case .submit(let sent, let body) = outbox[0] else { Issue.record("expected a submit"); return }
        #expect(sent == entry && body.orderClass == .bracket && body.clientOrderID == "pgT-1")
        let legs = book.legs(of: entry)
        #expect(legs.map(\.legRole) == [.takeProfit, .stopLoss] && legs.map(\.clientOrderID) == ["pgT-1-tp", "pgT-1-sl"])
        #expect(legs.allSatisfy { $0.side == .sell && $0.quantity == Quantity(10) && $0.parentID == entry })
        #expect(legs[0].type == .limit && legs[0].limitPrice == Price(110) && legs[1].type == .stop && legs[1].stopPrice == Price(95))
        #expect(book.openOrders(instrument).count == 3)

        // The broker names its legs its own way, listing the stop first.
        let linked = book.linkLegs(of: entry, brokerLegs: [("b-stop", .stop), ("b-limit", .limit)])
        #expect(linked.map(\.0) == legs.map(\.id) && linked.map(\.1) == [1, 0])
        #expect(book.orderID(clientOrderID: "b-limit") == legs[0].id && book.orderID(clientOrderID: "b-stop") == legs[1].id)

        // The entry fills, then the stop: the fills land on the right orders, sides and prices.
        book.report(entry, status: .filled, filledQuantity: Quantity(10), averagePrice: Price(100), executedAt: Timestamp(nanoseconds: 2),
                    at: Timestamp(nanoseconds: 2))
        book.report(book.orderID(clientOrderID: "b-stop")!, status: .filled, filledQuantity: Quantity(10), averagePrice: Price(95),
                    executedAt: Timestamp(nanoseconds: 3), at: Timestamp(nanoseconds: 3))
        book.report(book.orderID(clientOrderID: "b-limit")!, status: .canceled, filledQuantity: .zero, averagePrice: nil,
                    executedAt: Timestamp(nanoseconds: 3), at: Timestamp(nanoseconds: 3))
        let fills = book.events.compactMap { event -> Fill? in if case .fill(let f) = event { return f } else { return nil } }
        #expect(fills.map(\.orderID) == [entry, legs[1].id] && fills.map(\.side) == [.buy, .sell] && fills.map(\.price) == [Price(100), Price(95)])
        #expect(book.openOrders(instrument).isEmpty)
    }

    @Test func anOCOIsTheLimitWithTheStopAsItsLegAndARefusalEndsTheGroup() throws {
        let book = venue()
        let request = OrderRequest(instrument: instrument, side: .sell, quantity: Quantity(5), type: .limit, timeInForce: .gtc,
                                   limitPrice: Price(120), orderClass: .oco,
                                   takeProfit: Price(120), stopLoss: Price(90))
        let first = try book.submit(request, at: Timestamp(nanoseconds: 1)).get()
        let order = try #require(book.order(first))
        #expect(order.type == .limit && order.limitPrice == Price(120) && order.legRole == .takeProfit && order.side == .sell)
        let legs = book.legs(of: first)
        #expect(legs.count == 1 && legs[0].type == .stop && legs[0].stopPrice == Price(90) && legs[0].side == .sell)
        book.reject(first, reason: "insufficient qty", at: Timestamp(nanoseconds: 2))
        #expect(book.order(first)?.status == .rejected && book.order(legs[0].id)?.status == .rejected)
        #expect(book.openOrders(instrument).isEmpty)
    }

    /// A long-running bot forgets settled orders: ids keep counting, a resting stop older than every
    /// kept order is still found, filled and canceled by its id and client order id, and the orders
    /// let go are gone from both look-ups. Then it settles and goes at the next forgetting.
    @Test func settledOrdersAreLetGoWhileAnOldWorkingOrderStays() throws {
        let book = venue()
        let stop = try book.submit(OrderRequest(instrument: instrument, side: .sell, quantity: Quantity(3), type: .stop, timeInForce: .gtc,
                                                stopPrice: Price(90)), at: Timestamp(nanoseconds: 1)).get()
        var filled: [OrderID] = []
        for k in 0..<10 {
            let time = Timestamp(nanoseconds: Int64(2 + k))
            let id = try book.submit(OrderRequest(instrument: instrument, side: .buy, quantity: Quantity(1)), at: time).get()
            book.report(id, status: .filled, filledQuantity: Quantity(1), averagePrice: Price(100 + k), executedAt: time, at: time)
            filled.append(id)
        }
        #expect(book.orderCount == 11 && book.orders.count == 11)
        let forgotten = book.forgetOldestOrders(8)
        #expect(forgotten == Array(filled[0..<7]), "the working stop is held apart, the seven filled before it go")
        #expect(book.firstKeptOrder == 8 && book.orders.count == 3 && book.orders.first?.id == OrderID(8))
        #expect(book.order(filled[0]) == nil && book.orderID(clientOrderID: "pgT-2") == nil)
        #expect(book.order(filled[7])?.status == .filled && book.orderID(clientOrderID: "pgT-9") == filled[7])

        // The old stop: still working, counted as pending, found by its client order id, filled in part.
        #expect(book.order(stop)?.status == .accepted || book.order(stop)?.status == .new)
        #expect(book.openOrders(instrument).map(\.id) == [stop] && book.pendingQuantity(instrument, side: .sell) == Quantity(3))
        #expect(book.orderID(clientOrderID: "pgT-1") == stop)
        book.events.removeAll()
        book.report(stop, status: .partiallyFilled, filledQuantity: Quantity(1), averagePrice: Price(90), executedAt: Timestamp(nanoseconds: 20),
                    at: Timestamp(nanoseconds: 20))
        #expect(book.order(stop)?.filledQuantity == Quantity(1) && book.pendingQuantity(instrument, side: .sell) == Quantity(2))
        #expect(book.events.contains { if case .fill(let fill) = $0 { return fill.orderID == stop && fill.price == Price(90) } else { return false } })

        // New orders keep counting from where the book was.
        let next = try book.submit(OrderRequest(instrument: instrument, side: .buy, quantity: Quantity(1)), at: Timestamp(nanoseconds: 21)).get()
        #expect(next == OrderID(11) && book.order(next)?.clientOrderID == "pgT-12")

        // Canceled, the stop goes at the next forgetting, even with nothing else to let go.
        #expect(book.cancel(stop, at: Timestamp(nanoseconds: 22)) == nil)
        book.report(stop, status: .canceled, filledQuantity: Quantity(1), averagePrice: Price(90), executedAt: Timestamp(nanoseconds: 22),
                    at: Timestamp(nanoseconds: 22))
        #expect(book.openOrders(instrument).map(\.id) == [next] && book.order(stop)?.status == .canceled)
        #expect(book.forgetOldestOrders(0) == [stop])
        #expect(book.order(stop) == nil && book.orderID(clientOrderID: "pgT-1") == nil && book.orderCount == 12)
    }
}
