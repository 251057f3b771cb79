import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// A decision on bar t's close fills at the earliest on bar t+1.
@Suite struct NoLookAheadTests {
    /// Cheats: it is handed the whole series and buys when the next close is higher, selling a bar
    /// later. On a zigzag 100, 101, 100, 101 ... of flat bars, honest next-open fills buy every rise
    /// at its top and sell at the following bottom: it must lose exactly 1 per share per trade.
    /// An engine that let it trade at the signal bar's close would make exactly 1 per trade instead.
    struct Peeker: Strategy {
        let future: [Price]
        var bar = 0
        mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
            defer { self.bar += 1 }
            if context.position(instrument).isLong {
                context.signal(.sell, instrument, quantity: Quantity(1))
            } else if self.bar + 1 < future.count, future[self.bar + 1] > bar.close {
                context.signal(.buy, instrument, quantity: Quantity(1))
            }
        }
    }

    @Test func peekingAtTheNextBarCannotProfit() {
        let closes = (0..<200).map { $0 % 2 == 0 ? "100" : "101" }
        let bars = BarBuilder.flatDaily(closes)
        let series = BarSeries(instrument: .usEquity("ZIG"), bars: bars)
        let strategy = Peeker(future: bars.map(\.close))
        let honest = BacktestEngine(series: [series], strategy: strategy).run()
        #expect(honest.roundTrips.count > 40)
        for trip in honest.roundTrips { #expect(trip.netPnL == Money(-1)) }
        #expect(honest.finalEquity < Money(1_000_000))

        // The same cheat with fills at the signal close (only on explicit request) would win every trade:
        // that is the look-ahead the default forbids.
        var closeFill = BacktestConfiguration()
        closeFill.venue.fillTiming = .close
        let cheating = BacktestEngine(series: [series], strategy: strategy, configuration: closeFill).run()
        for trip in cheating.roundTrips { #expect(trip.netPnL == Money(1)) }
    }

    /// On random data with random orders of every kind, every fill happens on a bar strictly after
    /// the bar whose close the order was decided on, and at a price inside that later bar's range.
    @Test func everyFillComesFromALaterBarWithinItsRange() {
        var options = SyntheticMarket.Options()
        options.bars = 3_000
        options.seed = 11
        let series = SyntheticMarket(options: options).generate()
        struct RandomTrader: Strategy {
            var rng = SeededGenerator(seed: 5)
            mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
                guard rng.next() % 7 == 0 else { return }
                let offset = Price(units: Int64(rng.next() % 50) * 10_000_000)
                let long = context.position(instrument).quantity
                let side: OrderSide = long.units > 0 && rng.next() % 2 == 0 ? .sell : .buy
                let quantity = side == .sell ? long : Quantity(Int(rng.next() % 20) + 1)
                let request: OrderRequest
                switch rng.next() % 5 {
                case 0: request = .market(instrument, side, quantity, timeInForce: .gtc)
                case 1: request = .limit(instrument, side, quantity, side == .buy ? bar.close - offset : bar.close + offset)
                case 2: request = .stop(instrument, side, quantity, side == .buy ? bar.close + offset : bar.close - offset)
                case 3: request = OrderRequest(instrument: instrument, side: side, quantity: quantity, type: .trailingStop,
                                               timeInForce: .gtc, trail: .price(offset + Price("0.05")!))
                default:
                    request = OrderRequest(instrument: instrument, side: .buy, quantity: Quantity(5), timeInForce: .gtc,
                                           orderClass: .bracket, takeProfit: bar.close + offset + Price("0.1")!,
                                           stopLoss: bar.close - offset - Price("0.1")!)
                }
                context.submit(request)
            }
        }
        let result = BacktestEngine(series: [series], strategy: RandomTrader()).run()
        #expect(result.fills.count > 100)
        var barByTime: [Int64: Int] = [:]
        for k in 0..<series.count { barByTime[series.timestamps[k]] = k }
        for fill in result.fills {
            let order = result.orders[fill.orderID.value]
            // A leg's decision is its entry's.
            let decided = order.parentID.map { result.orders[$0.value].submittedAt } ?? order.submittedAt
            #expect(fill.timestamp > decided, "fill at \(fill.timestamp) for order decided at \(decided)")
            let bar = series[barByTime[fill.timestamp.nanoseconds]!]
            #expect(fill.price >= bar.low && fill.price <= bar.high)
        }
    }
}
