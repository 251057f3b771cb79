import PeregrineCore

/// Backward-adjusted bars: every bar before an action is scaled so prices line up with those after
/// it, as data vendors publish "adjusted" history. Splits divide prices (and multiply volumes) by
/// their ratio; with `dividends`, each dividend also scales earlier prices by
/// `1 - dividend / previous close` (total-return prices, the dividend as if reinvested).
/// The last bar's prices are never changed.
public enum CorporateActionAdjuster {
    public enum Mode: String, Sendable, CaseIterable {
        /// Splits and dividends.
        case adjusted
        /// Splits only.
        case splits
    }

    /// `series` adjusted for `actions` (one instrument's, any order), in the terms of its last bar: an
    /// action dated after the last bar changes nothing, and neither does one on or before the first
    /// bar (no bar of the series precedes it).
    /// Prices are rounded to the nano grid (not to the tick: adjusted prices lie between ticks).
    public static func adjust(_ series: BarSeries, actions: [CorporateAction], mode: Mode) -> BarSeries {
        guard !series.isEmpty else { return series }
        let days = series.timestamps.map { $0.floorDivided(by: Timestamp.nanosPerDay) }
        // Per bar, the product of the factors of the actions dated after it.
        var priceFactor = Array(repeating: 1.0, count: series.count)
        var volumeFactor = Array(repeating: 1.0, count: series.count)
        for action in actions {
            if case .dividend = action.kind, mode == .splits { continue }
            // The first bar on or after the action's date; the bars before it are adjusted.
            guard let firstAfter = days.firstIndex(where: { $0 >= action.date.daysSinceEpoch }), firstAfter > 0 else { continue }
            let factor = action.priceFactor(previousClose: Price(units: series.closes[firstAfter - 1]))
            var shares = 1.0
            if case .split(let numerator, let denominator) = action.kind { shares = Double(numerator) / Double(denominator) }
            for t in 0..<firstAfter {
                priceFactor[t] *= factor
                volumeFactor[t] *= shares
            }
        }
        var result = BarSeries(instrument: series.instrument)
        result.reserveCapacity(series.count)
        for t in 0..<series.count {
            let f = priceFactor[t]
            func scaled(_ units: Int64) -> Int64 { f == 1 ? units : max(1, Price(approximating: Double(units) / 1e9 * f).units) }
            let volume = volumeFactor[t] == 1 ? series.volumes[t]
                : Quantity(approximating: Quantity(units: series.volumes[t]).doubleValue * volumeFactor[t]).units
            let open = scaled(series.opens[t]), close = scaled(series.closes[t])
            result.append(timestamp: series.timestamps[t], open: open, high: max(scaled(series.highs[t]), open, close),
                          low: min(scaled(series.lows[t]), open, close), close: close, volume: volume)
        }
        return result
    }
}
