import PeregrineEngine
import PeregrineModels

extension JSONObject {
    /// A run's Sharpe per bar (not annualized, which `sharpe` is), the skewness and kurtosis of its
    /// returns, its probabilistic Sharpe against zero with the z statistic, and the minimum track
    /// record in bars for 95% confidence (null when the Sharpe is not above zero).
    public mutating func setSharpeSignificance(_ returns: ReturnStatistics) {
        let psr = returns.probabilisticSharpe
        set("sharpe_per_bar", psr.sharpe)
        set("skewness", psr.skewness)
        set("kurtosis", psr.kurtosis)
        set("probabilistic_sharpe", psr.probability)
        set("sharpe_z", psr.zScore)
        set("min_track_record_bars", psr.minimumTrackRecord())
    }
}
