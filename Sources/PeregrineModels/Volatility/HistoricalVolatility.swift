/// Close-to-close volatility: the sample standard deviation (n - 1) of log returns, annualized by
/// the square root of the bars in a year. The plain estimate every other forecast is judged against.
public enum HistoricalVolatility {
    /// The annualized volatility of the last `window` returns (all of them when nil).
    public static func annualized(closes: [Double], window: Int? = nil, periodsPerYear: Double = 252) throws(VolatilityInputError) -> Double {
        var returns = try LogReturns.of(closes)
        if let window {
            guard window >= 2 else { throw VolatilityInputError("window \(window): use 2 returns or more") }
            guard window <= returns.count else { throw VolatilityInputError("window \(window) is longer than the \(returns.count) returns") }
            returns = Array(returns.suffix(window))
        }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        return (variance * periodsPerYear).squareRoot()
    }
}
