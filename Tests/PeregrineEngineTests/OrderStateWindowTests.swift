import PeregrineCore
import PeregrineEngine
import Testing

/// The simulated venue keeps the matching state (trailing watermark, session, group links) of
/// working orders only, not of every order of the run: a trailing stop resting under thousands of
/// other orders must fill exactly where it fills alone, while the states kept stay few.
@Suite struct OrderStateWindowTests {
    static let minute = Timestamp.nanosPerMinute

    static let bars = 4_000

    /// One-minute bars of a coin rising 6 cents a bar from 100 to 130 at bar 500, then falling 4
    /// cents a bar; each bar's high and low 5 cents from its open and close. The other coin flat at 50.
    static func bar(_ k: Int, rising: Bool) -> Bar {
        let cents = rising ? (k <= 500 ? 10_000 + 6 * k : 13_000 - 4 * (k - 500)) : 5_000
        let close = Price(units: Int64(cents) * 10_000_000)
        let tick = Price("0.05")!
        return Bar(timestamp: Timestamp(nanoseconds: Int64(k) * minute), open: close, high: close + tick, low: close - tick, close: close,
                   volume: Quantity(1_000_000))
    }

    /// Runs the trailing stop with or without a market order on the other coin every bar.
    static func run(churn: Bool) throws -> (fills: [Fill], venue: SimulatedVenue) {
        let instruments: [Instrument] = [.crypto("AAA/USD"), .crypto("BBB/USD")]
        let venue = SimulatedVenue(instruments: instruments, configuration: VenueConfiguration(), barIntervals: [minute, minute])
        let coin = InstrumentID(0), other = InstrumentID(1)
        var fills: [Fill] = []
        for k in 0..<bars {
            venue.process(bar: bar(k, rising: true), instrument: coin)
            venue.process(bar: bar(k, rising: false), instrument: other)
            for event in venue.events { if case .fill(let fill) = event, fill.instrument == coin { fills.append(fill) } }
            venue.events.removeAll()
            let time = Timestamp(nanoseconds: Int64(k) * minute)
            if k == 0 {
                _ = try venue.submit(.market(coin, .buy, Quantity(10), timeInForce: .gtc), at: time).get()
                _ = try venue.submit(OrderRequest(instrument: coin, side: .sell, quantity: Quantity(10), type: .trailingStop, timeInForce: .gtc,
                                                  trail: .price(Price(5))), at: time).get()
            }
            if churn { _ = try venue.submit(.market(other, k % 2 == 0 ? .buy : .sell, Quantity(1), timeInForce: .gtc), at: time).get() }
        }
        return (fills, venue)
    }

    @Test func aTrailingStopRestingUnderThousandsOfOrdersFillsAsAlone() throws {
        let alone = try Self.run(churn: false)
        let busy = try Self.run(churn: true)
        // Bought at the second bar's open (100.06). The stop trails the highest high seen, 130.05 at
        // bar 500, by 5: it sells at 125.05 on the first falling bar whose low reaches it, the close
        // 130 - 0.04 (k - 500) <= 125.10 first at k = 623 (open 125.08, low 125.03).
        #expect(alone.fills.count == 2 && busy.fills == alone.fills, "\(busy.fills) against \(alone.fills)")
        #expect(alone.fills.first?.price == Price("100.06")! && alone.fills.first?.timestamp == Timestamp(nanoseconds: Self.minute))
        let exit = try #require(alone.fills.last)
        #expect(exit.side == .sell && exit.timestamp == Timestamp(nanoseconds: 623 * Self.minute) && exit.price == Price("125.05")!, "\(exit) \(exit.timestamp.nanoseconds / Self.minute)")

        // Every order kept, the states of a few: the stop held them from the first bar to bar 623,
        // and they went at the first look after it filled (looks come at 256 states, doubling while held).
        #expect(busy.venue.orders.count == Self.bars + 2)
        #expect(busy.venue.ordersWithState <= 256, "\(busy.venue.ordersWithState) states kept")
    }
}
