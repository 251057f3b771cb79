import PeregrineCore

/// Combines independent Gaussian forecasts by their precision (inverse variance): the combined
/// mean is the precision-weighted mean, the combined variance the inverse of the summed precisions.
public enum ForecastEnsemble {
    public struct Forecast: Sendable, Equatable {
        public var mean: Double
        public var variance: Double

        public init(mean: Double, variance: Double) {
            self.mean = mean
            self.variance = variance
        }

        /// P(next move > 0) under a normal with this mean and variance.
        public var probabilityUp: Double {
            variance > 0 ? NormalDistribution.cdf(mean / variance.squareRoot()) : (mean > 0 ? 1 : (mean < 0 ? 0 : 0.5))
        }
    }

    public static func combine(_ forecasts: [Forecast]) -> Forecast? {
        let usable = forecasts.filter { $0.variance > 0 && $0.variance.isFinite && $0.mean.isFinite }
        guard !usable.isEmpty else { return nil }
        let precision = usable.reduce(0) { $0 + 1 / $1.variance }
        let mean = usable.reduce(0) { $0 + $1.mean / $1.variance } / precision
        return Forecast(mean: mean, variance: 1 / precision)
    }

    /// The same for one or two forecasts, without building an array (the signal engine runs it
    /// every bar); the sums run in the same order, so the result is the same to the last bit.
    public static func combine(_ first: Forecast, _ second: Forecast? = nil) -> Forecast? {
        var precision = 0.0
        var weightedMeans = 0.0
        var usable = false
        func add(_ forecast: Forecast) {
            guard forecast.variance > 0 && forecast.variance.isFinite && forecast.mean.isFinite else { return }
            usable = true
            precision += 1 / forecast.variance
            weightedMeans += forecast.mean / forecast.variance
        }
        add(first)
        if let second { add(second) }
        guard usable else { return nil }
        return Forecast(mean: weightedMeans / precision, variance: 1 / precision)
    }
}
