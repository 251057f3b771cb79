import PeregrineCore
import PeregrineModels

extension TradingKernel {
    /// Before an underlying's bar reaches the venue: its contracts that expired before the bar's
    /// day are settled at its last close (exercise and assignment booked as stock fills at the
    /// strike), then its working option orders fill at the model's price on the bar's open, with the
    /// volatility of the closes before it, as stock orders fill at the open (no look-ahead).
    func settleAndFillOptions(instrument i: Int, bar: Bar) {
        guard var options = state.options else { return }
        let root = state.instruments[i].symbol
        let seen = state.visible[i]
        if seen > 0 {
            let day = CivilDate(daysSinceEpoch: bar.timestamp.nanoseconds.floorDivided(by: Timestamp.nanosPerDay))
            let deliveries = options.settle(root: root, before: day, close: state.marks[i], at: bar.timestamp)
            state.options = options
            for delivery in deliveries {
                book(Fill(orderID: OrderID(-options.activities.count), clientOrderID: "option-delivery-\(options.activities.count)",
                          instrument: InstrumentID(i), side: delivery.side, quantity: delivery.shares, price: delivery.price,
                          commission: .zero, timestamp: bar.timestamp))
            }
        }
        let working = options.working(root: root)
        guard !working.isEmpty else { return }
        let volatility = state.optionVolatility(i, closes: seen)
        for index in working {
            let prices = options.orders[index].legs.map {
                state.optionPricing.price($0.contract, spot: bar.open, volatility: volatility, at: bar.timestamp)
            }
            _ = options.fill(index, legPrices: prices, at: bar.timestamp)
        }
        state.options = options
    }
}
