import PeregrineCore
import Testing

/// A client order id kept as a prefix and a number reads, compares and hashes as the text it stands
/// for, so orders and fills keep their ids unwritten without any reader seeing a difference.
@Suite struct DeferredClientOrderIDTests {
    @Test func aGeneratedIdReadsAsThePrefixAndTheDecimalNumber() {
        #expect(DeferredClientOrderID(head: "pg-", number: 1).text == "pg-1")
        #expect(DeferredClientOrderID(head: "pg-", number: 10).text == "pg-10")
        #expect(DeferredClientOrderID(head: "sleeve-a-", number: 9_223_372_036_854_775_807).text
                == "sleeve-a-9223372036854775807")
        #expect(DeferredClientOrderID("my-order").text == "my-order")
    }

    @Test func idsWithTheSameTextAreEqualHoweverKept() {
        let generated = DeferredClientOrderID(head: "pg-", number: 17)
        let written = DeferredClientOrderID("pg-17")
        #expect(generated == written)
        #expect(generated.hashValue == written.hashValue)
        #expect(DeferredClientOrderID(head: "pg-1", number: 7) == DeferredClientOrderID(head: "pg-", number: 17))
        #expect(generated != DeferredClientOrderID("pg-18"))
        #expect(generated != DeferredClientOrderID(head: "bt-", number: 17))
        #expect(Set([generated, written, DeferredClientOrderID(head: "pg-", number: 18)]).count == 2)
    }

    @Test func ordersAndFillsReadTheirIdsAsText() {
        let request = OrderRequest.market(InstrumentID(0), .buy, Quantity(10))
        let deferred = Order(id: OrderID(3), clientOrderID: DeferredClientOrderID(head: "bt-", number: 42), request: request,
                             submittedAt: Timestamp(seconds: 0))
        let written = Order(id: OrderID(3), clientOrderID: "bt-42", request: request, submittedAt: Timestamp(seconds: 0))
        #expect(deferred.clientOrderID == "bt-42")
        #expect(deferred == written)
        #expect(deferred.description.hasPrefix("bt-42 "))

        var fill = Fill(orderID: OrderID(3), clientOrderID: deferred.deferredClientOrderID, instrument: InstrumentID(0),
                        side: .buy, quantity: Quantity(10), price: Price(5), commission: .zero, timestamp: Timestamp(seconds: 60))
        #expect(fill.clientOrderID == "bt-42")
        #expect(fill == Fill(orderID: OrderID(3), clientOrderID: "bt-42", instrument: InstrumentID(0), side: .buy,
                             quantity: Quantity(10), price: Price(5), commission: .zero, timestamp: Timestamp(seconds: 60)))
        fill.clientOrderID = "renamed"
        #expect(fill.clientOrderID == "renamed")
        #expect(fill.deferredClientOrderID == DeferredClientOrderID("renamed"))
    }
}
