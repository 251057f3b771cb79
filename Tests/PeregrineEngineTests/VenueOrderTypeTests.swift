import PeregrineCore
import PeregrineEngine
import PeregrineTestSupport
import Testing

/// Each order type against hand-made daily bars; expected prices worked out by hand in comments.
@Suite struct VenueOrderTypeTests {
    typealias B = BarBuilder

    let bars = [
        B.bar("2024-01-02", "100", "101", "99", "100"),
        B.bar("2024-01-03", "102", "104", "97", "98"),
        B.bar("2024-01-04", "95", "96", "90", "91"),
        B.bar("2024-01-05", "92", "99", "91", "98"),
    ]

    @Test func marketFillsAtNextOpenNotSignalClose() {
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(10)))]])
        #expect(r.fills.count == 1)
        #expect(r.fills[0].price == price("102"))  // bar 1's open
        #expect(r.fills[0].timestamp == bars[1].timestamp)
    }

    @Test func closeTimingFillsAtSignalBarCloseWhenAsked() {
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(10)))]]) { $0.venue.fillTiming = .close }
        #expect(r.fills.map(\.price) == [price("100")])
        #expect(r.fills[0].timestamp == bars[0].timestamp)
    }

    @Test func limitBuyFillsAtLimitInsideRangeAndAtOpenOnAGap() {
        // Limit 99 on bar 1 (open 102, low 97): fills at 99.
        let inside = runScript(bars, [0: [.submit(.limit(acme, .buy, Quantity(10), price("99")))]])
        #expect(inside.fills.map(\.price) == [price("99")])
        // Limit 96.5 placed on bar 1: bar 2 opens at 95, below the limit: fills at 95, the better price.
        let gap = runScript(bars, [1: [.submit(.limit(acme, .buy, Quantity(10), price("96.5")))]])
        #expect(gap.fills.map(\.price) == [price("95")])
        // Limit 80 is never reached: no fill, order still working at the end.
        let never = runScript(bars, [0: [.submit(.limit(acme, .buy, Quantity(10), price("80")))]])
        #expect(never.fills.isEmpty)
        #expect(never.orders[0].status == .accepted)
    }

    @Test func stopSellGappedThroughFillsAtOpenNotAtStop() {
        // Long 10 from bar 1's open; stop 93 placed on bar 1. Bar 2 opens at 95 > 93, trades down to 90:
        // fills at 93. A stop at 96 would be gapped through by the 95 open: fills at 95.
        let touched = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(10)))],
                                       1: [.submit(.stop(acme, .sell, Quantity(10), price("93")))]])
        #expect(touched.fills.map(\.price) == [price("102"), price("93")])
        let gapped = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(10)))],
                                      1: [.submit(.stop(acme, .sell, Quantity(10), price("96")))]])
        #expect(gapped.fills.map(\.price) == [price("102"), price("95")])
    }

    @Test func stopBuyTriggersAtStopOrOpen() {
        // Buy stop 103.5 on bar 0: bar 1 opens 102, high 104: fills at 103.5.
        let r = runScript(bars, [0: [.submit(.stop(acme, .buy, Quantity(5), price("103.5")))]])
        #expect(r.fills.map(\.price) == [price("103.5")])
        // Buy stop 101 on bar 0: bar 1 opens at 102, above the stop: fills at the open.
        let g = runScript(bars, [0: [.submit(.stop(acme, .buy, Quantity(5), price("101")))]])
        #expect(g.fills.map(\.price) == [price("102")])
    }

    @Test func stopLimitFillsOnlyWhenLimitIsMarketableAtTrigger() {
        // Buy stop 103 limit 103.5 on bar 0: bar 1 touches 103 and 103.5 >= 103: fills at 103.
        let a = runScript(bars, [0: [.submit(OrderRequest(instrument: acme, side: .buy, quantity: Quantity(1), type: .stopLimit,
                                                         timeInForce: .gtc, limitPrice: price("103.5"), stopPrice: price("103")))]])
        #expect(a.fills.map(\.price) == [price("103")])
        // Sell stop 96 limit 95.5 on bar 1: bar 2 opens 95 (gapped through stop) but 95 < 95.5: no fill
        // on bar 2 at the open; the bar's high 96 reaches the limit, so it fills at 95.5 in bar 2.
        let b = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(1)))],
                                 1: [.submit(OrderRequest(instrument: acme, side: .sell, quantity: Quantity(1), type: .stopLimit,
                                                          timeInForce: .gtc, limitPrice: price("95.5"), stopPrice: price("96")))]])
        #expect(b.fills.map(\.price) == [price("102"), price("95.5")])
        #expect(b.fills[1].timestamp == bars[2].timestamp)
        // Buy stop 103 limit 102.5 on bar 0: triggered inside bar 1 but the limit is below the stop:
        // rests as a limit; bar 2 opens at 95 <= 102.5: fills at 95 on bar 2.
        let c = runScript(bars, [0: [.submit(OrderRequest(instrument: acme, side: .buy, quantity: Quantity(1), type: .stopLimit,
                                                         timeInForce: .gtc, limitPrice: price("102.5"), stopPrice: price("103")))]])
        #expect(c.fills.map(\.price) == [price("95")])
        #expect(c.fills[0].timestamp == bars[2].timestamp)
    }

    @Test func protectiveSellBeforeTheEntryFillsIsRefusedWithoutShorting() {
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(10))),
                                     .submit(.stop(acme, .sell, Quantity(10), price("90")))]])
        #expect(r.decisions.map(\.reason) == [.order, .rejected(.shortingDisabled)])
    }

    @Test func trailingStopRatchetsWithTheHigh() {
        let rising = [
            B.bar("2024-01-02", "100", "100", "100", "100"),
            B.bar("2024-01-03", "100", "110", "99", "108"),
            B.bar("2024-01-04", "109", "120", "108", "118"),
            B.bar("2024-01-05", "117", "117", "112", "113"),  // stop from 120: 114; low 112 hits: fill 114
            B.bar("2024-01-08", "113", "113", "100", "101"),
        ]
        // The stop goes in once the entry has filled (a no-short account refuses it before).
        // Watermark starts at bar 1's close 108; bar 2: stop 102.6, not hit, high 120; bar 3: stop 114.
        let r = runScript(rising, [0: [.submit(.market(acme, .buy, Quantity(10)))],
                                   1: [.submit(OrderRequest(instrument: acme, side: .sell, quantity: Quantity(10),
                                                            type: .trailingStop, timeInForce: .gtc,
                                                            trail: .percent(Rate(percent: "5")!)))]])
        #expect(r.fills.map(\.price) == [price("100"), price("114")])
        #expect(r.fills[1].timestamp == rising[3].timestamp)
        // By price: trail 3 from watermark; bar 3 stop = 120 - 3 = 117; opens at 117: fills at the open.
        let p = runScript(rising, [0: [.submit(.market(acme, .buy, Quantity(10)))],
                                   1: [.submit(OrderRequest(instrument: acme, side: .sell, quantity: Quantity(10),
                                                            type: .trailingStop, timeInForce: .gtc, trail: .price(price("3"))))]])
        #expect(p.fills.map(\.price) == [price("100"), price("117")])
    }

    @Test func opgAndClsAuctions() {
        // Sent after the close of bar 0 (daily): opening auction of bar 1 (102), closing auction of bar 1 (98).
        let opg = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(1), timeInForce: .opg))]])
        #expect(opg.fills.map(\.price) == [price("102")])
        let cls = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(1), timeInForce: .cls))]])
        #expect(cls.fills.map(\.price) == [price("98")])
        #expect(cls.fills[0].timestamp == bars[1].timestamp)
    }

    @Test func cancelStopsAWorkingOrder() {
        let r = runScript(bars, [0: [.submit(.limit(acme, .buy, Quantity(1), price("80")))], 1: [.cancelFirstOpenOrder]])
        #expect(r.orders[0].status == .canceled)
        #expect(r.fills.isEmpty)
    }
}
