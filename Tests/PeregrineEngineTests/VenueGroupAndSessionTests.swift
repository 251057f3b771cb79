import PeregrineCore
import PeregrineEngine
import PeregrineTestSupport
import Testing

/// Brackets, OCO, OTO, volume caps, time in force and sessions.
@Suite struct VenueGroupAndSessionTests {
    typealias B = BarBuilder

    func bracket(tp: String, sl: String, quantity: Int = 10) -> OrderRequest {
        OrderRequest(instrument: acme, side: .buy, quantity: Quantity(quantity), timeInForce: .gtc,
                     orderClass: .bracket, takeProfit: price(tp), stopLoss: price(sl))
    }

    let wide = [
        B.bar("2024-01-02", "100", "100", "100", "100"),
        B.bar("2024-01-03", "100", "106", "94", "101"),  // reaches both 105 and 95
        B.bar("2024-01-04", "101", "101", "101", "101"),
    ]

    @Test func bracketAmbiguityDefaultsToStopFirst() {
        let r = runScript(wide, [0: [.submit(bracket(tp: "105", sl: "95"))]])
        #expect(r.fills.map(\.price) == [price("100"), price("95")])
        let legs = r.orders.filter { $0.legRole != .entry }
        #expect(legs.first { $0.legRole == .stopLoss }?.status == .filled)
        #expect(legs.first { $0.legRole == .takeProfit }?.status == .canceled)
        #expect(r.account.position(acme).isFlat)
    }

    @Test func bracketAmbiguityTakeProfitFirstWhenConfigured() {
        let r = runScript(wide, [0: [.submit(bracket(tp: "105", sl: "95"))]]) { $0.venue.bracketAmbiguity = .takeProfitFirst }
        #expect(r.fills.map(\.price) == [price("100"), price("105")])
    }

    @Test func bracketLegThatTradesAtTheOpenWinsRegardless() {
        let bars = [
            B.bar("2024-01-02", "100", "100", "100", "100"),
            B.bar("2024-01-03", "100", "101", "99", "100"),  // entry at 100, legs not touched
            B.bar("2024-01-04", "106", "107", "94", "95"),   // opens above the take-profit: it came first
        ]
        let r = runScript(bars, [0: [.submit(bracket(tp: "105", sl: "95"))]])
        #expect(r.fills.map(\.price) == [price("100"), price("106")])
    }

    @Test func bracketStopGappedThroughFillsAtOpen() {
        let bars = [
            B.bar("2024-01-02", "100", "100", "100", "100"),
            B.bar("2024-01-03", "100", "101", "99", "100"),
            B.bar("2024-01-04", "90", "92", "88", "91"),  // gaps below the 95 stop
        ]
        let r = runScript(bars, [0: [.submit(bracket(tp: "105", sl: "95"))]])
        #expect(r.fills.map(\.price) == [price("100"), price("90")])
    }

    @Test func bracketWhoseEntryNeverFillsCancelsItsLegsAtExpiry() {
        let request = OrderRequest(instrument: acme, side: .buy, quantity: Quantity(1), type: .limit, timeInForce: .day,
                                   limitPrice: price("50"), orderClass: .bracket, takeProfit: price("60"), stopLoss: price("45"))
        let r = runScript(wide, [0: [.submit(request)]])
        #expect(r.fills.isEmpty)
        #expect(r.orders.map(\.status) == [.expired, .canceled, .canceled])
    }

    @Test func ocoExitsCancelEachOther() {
        let oco = OrderRequest(instrument: acme, side: .sell, quantity: Quantity(10), type: .limit, timeInForce: .gtc,
                               limitPrice: price("105"), orderClass: .oco, takeProfit: price("105"), stopLoss: price("97"))
        let bars = [
            B.bar("2024-01-02", "100", "100", "100", "100"),
            B.bar("2024-01-03", "100", "102", "99", "101"),
            B.bar("2024-01-04", "101", "101", "96", "97"),  // stop 97 hit
            B.bar("2024-01-05", "110", "111", "109", "110"),
        ]
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(10)))], 1: [.submit(oco)]])
        #expect(r.fills.map(\.price) == [price("100"), price("97")])
        #expect(r.orders.filter { $0.orderClass == .oco }.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.canceled, .filled])
    }

    @Test func otoStartsItsStopAfterTheEntry() {
        let oto = OrderRequest(instrument: acme, side: .buy, quantity: Quantity(5), timeInForce: .gtc, orderClass: .oto,
                               stopLoss: price("95"))
        let r = runScript(wide, [0: [.submit(oto)]])
        #expect(r.fills.map(\.price) == [price("100"), price("95")])
    }

    @Test func volumeCapSplitsAnOrderAcrossBarsAtEachOpen() {
        let bars = (0..<6).map { k in
            B.bar("2024-01-0\(k + 2)", "\(100 + k)", "\(100 + k)", "\(100 + k)", "\(100 + k)", volume: 10_000)
        }
        // 2.5% of 10,000 = 250 a bar: 1,000 shares fill 250 at each of bars 1..4.
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(1000), timeInForce: .gtc))]]) {
            $0.venue.maxVolumeShare = Rate(percent: "2.5")!
        }
        #expect(r.fills.map(\.quantity) == Array(repeating: Quantity(250), count: 4))
        #expect(r.fills.map(\.price) == [price("101"), price("102"), price("103"), price("104")])
        #expect(r.orders[0].status == .filled)
        #expect(r.orders[0].averageFillPrice == price("102.5"))
        #expect(r.account.position(acme).quantity == Quantity(1000))
    }

    @Test func iocFillsWhatItCanAndFokAllOrNothing() {
        let bars = (0..<3).map { k in B.bar("2024-01-0\(k + 2)", "100", "100", "100", "100", volume: 1000) }
        let ioc = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(100), timeInForce: .ioc))]]) {
            $0.venue.maxVolumeShare = Rate(percent: "5")!
        }
        #expect(ioc.fills.map(\.quantity) == [Quantity(50)])
        #expect(ioc.orders[0].status == .canceled && ioc.orders[0].filledQuantity == Quantity(50))
        let fok = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(100), timeInForce: .fok))]]) {
            $0.venue.maxVolumeShare = Rate(percent: "5")!
        }
        #expect(fok.fills.isEmpty && fok.orders[0].status == .canceled)
        let iocLimit = runScript(bars, [0: [.submit(.limit(acme, .buy, Quantity(1), price("99"), timeInForce: .ioc))]])
        #expect(iocLimit.fills.isEmpty && iocLimit.orders[0].status == .canceled)
    }

    @Test func dailyDayOrderLivesOneSession() {
        // Sent after bar 0's close: belongs to bar 1's session; unfilled there, expired on bar 2.
        let r = runScript(wide, [0: [.submit(.limit(acme, .buy, Quantity(1), price("90"), timeInForce: .day))]])
        #expect(r.orders[0].status == .expired)
        #expect(r.orders[0].updatedAt == wide[2].timestamp)
        #expect(r.fills.isEmpty)
    }

    /// Intraday bars on the US calendar (New York 09:30-16:00; January is UTC-5).
    @Test func intradayDayOrdersFollowTheSession() {
        let bars = [
            B.bar(at: "2024-01-02T15:00", "100", "100", "100", "100"),  // 10:00 New York
            B.bar(at: "2024-01-02T20:59", "101", "101", "101", "101"),  // 15:59, the last bar
            B.bar(at: "2024-01-03T14:30", "102", "102", "102", "102"),  // 09:30 next day
            B.bar(at: "2024-01-03T14:31", "103", "103", "103", "103"),
        ]
        // A market day order sent on the last bar waits for the next session and fills at its open.
        let late = runScript(bars, [1: [.submit(.market(acme, .buy, Quantity(1)))]])
        #expect(late.fills.map(\.price) == [price("102")])
        // A limit day order sent at 10:00 and not filled that day expires on the first bar of the next day.
        let early = runScript(bars, [0: [.submit(.limit(acme, .buy, Quantity(1), price("50"), timeInForce: .day))]])
        #expect(early.orders[0].status == .expired && early.orders[0].updatedAt == bars[2].timestamp)
        // An opening-auction order sent during the session has missed today's open: it expires.
        let opg = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(1), timeInForce: .opg))]])
        #expect(opg.orders[0].status == .expired && opg.fills.isEmpty)
        // The same sent after the close fills at the next open.
        let opgLate = runScript(bars, [1: [.submit(.market(acme, .buy, Quantity(1), timeInForce: .opg))]])
        #expect(opgLate.fills.map(\.price) == [price("102")])
    }

    @Test func barsOutsideTheSessionDoNotFillRegularOrders() {
        let bars = [
            B.bar(at: "2024-01-02T15:00", "100", "100", "100", "100"),  // 10:00 New York
            B.bar(at: "2024-01-02T21:30", "90", "90", "90", "90"),      // 16:30, after hours
            B.bar(at: "2024-01-03T14:30", "102", "102", "102", "102"),
        ]
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(1), timeInForce: .gtc))]])
        #expect(r.fills.map(\.price) == [price("102")])
    }
}
