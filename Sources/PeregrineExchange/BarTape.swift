import PeregrineCore

/// The quotes and trades the local exchange publishes, having only bars to replay. For each
/// replayed bar it prints one trade and one quote, both stamped with the bar's time (its start, as
/// the exchange's clock reads it after replaying the bar):
///
/// - the trade is the bar's close: price = close, size = a tenth of the bar's volume rounded down to
///   the lot (at least one lot), id = the bar's place in the replay (1, 2, ...), condition `@`
///   (regular sale) for stocks;
/// - the quote brackets the close: bid = close − s, ask = close + s, where the half spread s is one
///   basis point of the close rounded down to the price increment, at least one increment (149.99 /
///   150.01 around a 150.00 close with one-cent ticks); the bid never goes below zero; both sizes are
///   the trade's size; condition `R` (regular) for stocks.
///
/// No venue codes and no tape: the prints are the exchange's own, not any real venue's.
/// The exchange's own fills are not printed here; they reach clients over `trade_updates`.
public enum BarTape {
    /// The quote the exchange derives from `bar`.
    public static func quote(of bar: Bar, instrument: Instrument) -> Quote {
        let half = halfSpread(close: bar.close, tick: instrument.tickSize)
        let size = size(volume: bar.volume, lot: instrument.lotSize)
        let (ask, overflow) = bar.close.units.addingReportingOverflow(half.units)
        return Quote(timestamp: bar.timestamp, bidPrice: Price(units: max(bar.close.units - half.units, 0)), bidSize: size,
                     askPrice: Price(units: overflow ? Int64.max : ask), askSize: size,
                     conditions: instrument.assetClass == .crypto ? [] : ["R"])
    }

    /// The trade the exchange prints for `bar`, the `sequence`-th bar it replayed (from 1).
    public static func trade(of bar: Bar, instrument: Instrument, sequence: Int) -> Trade {
        Trade(timestamp: bar.timestamp, price: bar.close, size: size(volume: bar.volume, lot: instrument.lotSize),
              id: UInt64(max(sequence, 0)), conditions: instrument.assetClass == .crypto ? [] : ["@"])
    }

    /// One basis point of the close, rounded down to the tick, and at least one tick.
    public static func halfSpread(close: Price, tick: Price) -> Price {
        let step = max(tick.units, 1)
        let basisPoint = close.units / 10_000
        return Price(units: max(basisPoint - basisPoint % step, step))
    }

    /// A tenth of the volume, rounded down to the lot, and at least one lot.
    public static func size(volume: Quantity, lot: Quantity) -> Quantity {
        let step = max(lot.units, 1)
        let tenth = max(volume.units, 0) / 10
        return Quantity(units: max(tenth - tenth % step, step))
    }
}
