import PeregrineCore
import PeregrineEngine

/// The built-in strategies by name, with their parameters, so the command line and configuration
/// files can build and run any of them.
public enum StrategyCatalog {
    public struct Entry: Sendable {
        public var name: String
        public var summary: String
        public var parameters: String
    }

    public static let entries: [Entry] = [
        Entry(name: "sma-cross", summary: "fast/slow SMA crossover on close, long-only unless short=true",
              parameters: "fast=10 slow=30 quantity=100 | percent=0.95 (share of equity), vol_target=0.15 "
                  + "vol_window=20 max_leverage=1, short=false"),
        Entry(name: "buy-and-hold", summary: "buy on the first bar, hold to the end (marked, not sold)",
              parameters: "quantity=N | percent=1.0 (share of starting equity, split across instruments)"),
    ]

    public static var names: [String] { entries.map(\.name) }

    /// Builds the named strategy and runs it over `series`.
    public static func backtest(strategy name: String, parameters: StrategyParameters, series: [BarSeries],
                                configuration: BacktestConfiguration) throws(ConfigurationError) -> BacktestResult {
        var parameters = parameters
        var configuration = configuration
        let calendar = configuration.venue.calendar ?? series[0].instrument.assetClass.defaultCalendar
        let periodsPerYear = configuration.periodsPerYear
            ?? BacktestConfiguration.inferredPeriodsPerYear(interval: series[0].typicalInterval, calendar: calendar)
        switch name {
        case "sma-cross":
            let fast = try parameters.integer("fast", default: 10, range: 1...100_000)
            let slow = try parameters.integer("slow", default: 30, range: 1...100_000)
            guard fast < slow else {
                throw ConfigurationError("sma-cross needs fast < slow, got fast=\(fast) slow=\(slow)")
            }
            let sizing = try sizing(&parameters, defaultQuantity: Quantity(100))
            let window = try parameters.integer("vol_window", default: 20, range: 2...100_000)
            if try parameters.flag("short", default: false) { configuration.allowShort = true }
            try parameters.rejectUnknown(strategy: name)
            let strategy = SMACrossStrategy(fast: fast, slow: slow, sizing: sizing, volatilityWindow: window,
                                            periodsPerYear: periodsPerYear)
            return BacktestEngine(series: series, strategy: strategy, configuration: configuration).run()
        case "buy-and-hold":
            let quantity = try parameters.quantity("quantity")
            let percent = try parameters.number("percent", range: 0.000001...1)
            try parameters.rejectUnknown(strategy: name)
            if quantity != nil && percent != nil {
                throw ConfigurationError("buy-and-hold takes quantity or percent, not both")
            }
            let sizing = quantity.map { PositionSizing(base: .quantity($0)) }
                ?? PositionSizing(base: .equityFraction(percent ?? 1))
            return BacktestEngine(series: series, strategy: BuyAndHoldStrategy(sizing: sizing),
                                  configuration: configuration).run()
        default:
            throw ConfigurationError("unknown strategy '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }

    private static func sizing(_ parameters: inout StrategyParameters, defaultQuantity: Quantity)
        throws(ConfigurationError) -> PositionSizing
    {
        let quantity = try parameters.quantity("quantity")
        let percent = try parameters.number("percent", range: 0.000001...10)
        let target = try parameters.number("vol_target", range: 0.0001...10)
        let leverage = try parameters.number("max_leverage", range: 0.01...10) ?? 1
        if quantity != nil && percent != nil {
            throw ConfigurationError("give quantity or percent, not both")
        }
        let base: PositionSizing.Base = percent.map { .equityFraction($0) } ?? .quantity(quantity ?? defaultQuantity)
        return PositionSizing(base: base, volatilityTarget: target, maxLeverage: leverage)
    }
}
