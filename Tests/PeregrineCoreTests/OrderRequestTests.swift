import PeregrineCore
import Testing

@Suite struct OrderRequestTests {
    let stock = Instrument.usEquity("ACME")
    let id = InstrumentID(0)

    @Test func acceptsEveryAlpacaType() {
        let requests: [OrderRequest] = [
            .market(id, .buy, Quantity(1)),
            .limit(id, .buy, Quantity(1), Price("10.01")!),
            .stop(id, .sell, Quantity(1), Price("9.50")!),
            OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), type: .stopLimit, limitPrice: Price("10.10")!, stopPrice: Price("10")!),
            OrderRequest(instrument: id, side: .sell, quantity: Quantity(1), type: .trailingStop, trail: .percent(Rate(percent: "2")!)),
            OrderRequest(instrument: id, side: .sell, quantity: Quantity(1), type: .trailingStop, trail: .price(Price("0.50")!)),
            OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), orderClass: .bracket, takeProfit: Price("11")!, stopLoss: Price("9")!),
            OrderRequest(instrument: id, side: .sell, quantity: Quantity(1), type: .limit, limitPrice: Price("11")!, orderClass: .oco, takeProfit: Price("11")!, stopLoss: Price("9")!),
            OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), orderClass: .oto, stopLoss: Price("9")!),
        ]
        for request in requests { #expect(request.validate(for: stock) == nil, "\(request.type) \(request.orderClass)") }
    }

    @Test func rejectsWithReasons() {
        func code(_ r: OrderRequest) -> Rejection.Code? { r.validate(for: stock)?.code }
        #expect(code(.market(id, .buy, Quantity(0))) == .invalidQuantity)
        #expect(code(.market(id, .buy, Quantity("1.5")!)) == .invalidQuantity)  // whole shares only
        #expect(code(.limit(id, .buy, Quantity(1), Price("10.001")!)) == .invalidPrice)  // off the cent grid
        #expect(code(OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), type: .limit)) == .invalidOrder)
        #expect(code(OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), limitPrice: Price(1))) == .invalidOrder)
        #expect(code(OrderRequest(instrument: id, side: .sell, quantity: Quantity(1), type: .trailingStop, trail: .percent(Rate(percent: "100")!))) == .invalidOrder)
        #expect(code(OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), type: .stop, timeInForce: .opg, stopPrice: Price(1))) == .unsupportedTimeInForce)
        #expect(code(OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), orderClass: .bracket, takeProfit: Price("9")!, stopLoss: Price("11")!)) == .invalidPrice)
        #expect(code(OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), orderClass: .bracket, takeProfit: Price("11")!)) == .invalidOrder)
        #expect(code(OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), timeInForce: .ioc, orderClass: .bracket, takeProfit: Price("11")!, stopLoss: Price("9")!)) == .unsupportedTimeInForce)
        #expect(code(OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), orderClass: .oto, takeProfit: Price("11")!, stopLoss: Price("9")!)) == .invalidOrder)
        #expect(code(OrderRequest(instrument: id, side: .buy, quantity: Quantity(1), takeProfit: Price("11")!)) == .invalidOrder)
    }
}
