import PeregrineCore
import PeregrineModels

/// Options in a run: contracts on the run's instruments (the OCC root is the instrument's symbol),
/// priced by `OptionPricingModel` from each underlying's own bars. There are no option quotes in a
/// backtest: the model's price is the market.
extension TradingState {
    /// The instrument a contract is on.
    func underlying(of contract: OCCSymbol) -> Int? { instruments.firstIndex { $0.symbol == contract.root } }

    /// Realized volatility of an instrument's first `count` closes.
    func optionVolatility(_ i: Int, closes count: Int) -> Double {
        let closes = series[i].closes
        let first = max(0, count - optionPricing.window - 1)
        return optionPricing.volatility(closes: closes[first..<count].map { Double($0) / Double(Price.scale) }, interval: barIntervals[i])
    }

    /// The model's price of a contract now, at its underlying's latest close.
    func optionMark(_ contract: OCCSymbol) -> Price {
        guard let i = underlying(of: contract), visible[i] > 0 else { return .zero }
        return optionPricing.price(contract, spot: marks[i], volatility: optionVolatility(i, closes: visible[i]), at: now)
    }

    /// Premiums moved plus the option positions at their marks.
    var optionValue: Money {
        guard let options else { return .zero }
        let value = options.value(marks: optionMark)
        return options.cash + value.long + value.short
    }
}
