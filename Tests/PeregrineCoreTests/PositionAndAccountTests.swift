import PeregrineCore
import Testing

@Suite struct PositionAndAccountTests {
    @Test func longRoundTripRealizesByHand() {
        var p = Position()
        p.apply(signedQuantity: Quantity(100), price: Price("10")!)
        p.apply(signedQuantity: Quantity(50), price: Price("13")!)
        // average (100*10 + 50*13) / 150 = 11
        #expect(p.averagePrice == Price("11")!)
        let realized = p.apply(signedQuantity: Quantity(-60), price: Price("12")!)
        #expect(realized == Money("60")!)  // 60 * (12 - 11)
        #expect(p.quantity == Quantity(90))
        #expect(p.unrealizedPnL(at: Price("10")!) == Money("-90")!)
        let rest = p.apply(signedQuantity: Quantity(-90), price: Price("10.5")!)
        #expect(rest == Money("-45")!)
        #expect(p.isFlat && p.costBasis == .zero && p.realizedPnL == Money("15")!)
    }

    @Test func shortAndFlipThroughZero() {
        var p = Position()
        p.apply(signedQuantity: Quantity(-10), price: Price("50")!)
        #expect(p.isShort && p.averagePrice == Price("50")!)
        #expect(p.unrealizedPnL(at: Price("45")!) == Money("50")!)
        // Buy 25: covers 10 at 45 (+50), opens long 15 at 45.
        let realized = p.apply(signedQuantity: Quantity(25), price: Price("45")!)
        #expect(realized == Money("50")!)
        #expect(p.quantity == Quantity(15) && p.averagePrice == Price("45")!)
    }

    @Test func accountMovesCashByNotionalAndCommission() {
        var account = Account(cash: Money(10_000), instrumentCount: 1)
        let id = InstrumentID(0)
        account.apply(Fill(orderID: OrderID(0), clientOrderID: "a", instrument: id, side: .buy, quantity: Quantity(10),
                           price: Price("100.25")!, commission: Money("1.00")!, timestamp: Timestamp(seconds: 0)))
        #expect(account.cash == Money("8996.50")!)
        #expect(account.equity(marks: [Price("101")!]) == Money("10006.50")!)
    }

    /// The books reconcile to the last unit over 100,000 random fills: cash equals an independent
    /// running total, positions equal summed fills, and equity - initial = realized + unrealized - fees.
    @Test func ledgerReconcilesExactlyOverRandomFills() {
        var rng = SeededGenerator(seed: 20_261_121)
        let instruments = 3
        let initial = Money(1_000_000)
        var account = Account(cash: initial, instrumentCount: instruments)
        var cash = initial.units
        var quantities = Array(repeating: Int128(0), count: instruments)
        var fees: Int128 = 0
        for step in 0..<100_000 {
            let i = Int(rng.next() % UInt64(instruments))
            let side: OrderSide = rng.next() % 2 == 0 ? .buy : .sell
            // Fractional quantities and sub-cent prices stress the allocation of cost basis.
            let quantity = Quantity(units: Int128(rng.next() % 5_000_000_000_000) + 1)
            let price = Price(units: Int64(rng.next() % 500_000_000_000) + 1_000_000)
            let commission = Money(units: Int128(rng.next() % 10_000_000_000_000_000))
            let fill = Fill(orderID: OrderID(step), clientOrderID: "c\(step)", instrument: InstrumentID(i), side: side,
                            quantity: quantity, price: price, commission: commission,
                            timestamp: Timestamp(seconds: Int64(step)))
            account.apply(fill)
            let signed = side == .buy ? quantity.units : -quantity.units
            cash -= Int128(price.units) * Int128(signed) + commission.units
            quantities[i] += signed
            fees += commission.units
            if step % 997 == 0 || step == 99_999 {
                let marks = (0..<instruments).map { _ in Price(units: Int64(rng.next() % 500_000_000_000) + 1_000_000) }
                #expect(account.cash.units == cash)
                #expect(account.commissionsPaid.units == fees)
                for k in 0..<instruments { #expect(account.positions[k].quantity.units == quantities[k]) }
                let equity = account.equity(marks: marks)
                let identity = account.realizedPnL + account.unrealizedPnL(marks: marks) - account.commissionsPaid
                #expect(equity - initial == identity, "step \(step)")
            }
        }
        #expect(account.fillCount == 100_000)
    }
}
