import PeregrineCore

/// A strategy's view of one instrument's past: the bars up to and including the current one,
/// never a later one, so a strategy cannot look ahead even by accident. At a coarser timeframe
/// (`StrategyContext.history(_:timeframe:zone:)`), the periods closed so far, never the one forming.
public struct BarHistory: Sendable {
    let series: BarSeries
    /// Number of visible bars.
    public let count: Int

    init(series: BarSeries, visibleCount: Int) {
        self.series = series
        self.count = visibleCount
    }

    /// The bar `ago` bars back: 0 is the current bar.
    public subscript(ago ago: Int) -> Bar {
        precondition(ago >= 0 && ago < count, "history has \(count) bars; asked for \(ago) ago")
        return series[count - 1 - ago]
    }

    /// Closes of the last `length` visible bars, oldest first (fewer at the start of the data).
    public func closes(last length: Int) -> [Price] {
        let start = max(0, count - length)
        return (start..<count).map { Price(units: series.closes[$0]) }
    }
}
