import PeregrineData
import PeregrineEngine
import PeregrineModels
import PeregrineResearch

/// The significance figures as every command prints and writes them, one name each: Sharpe ratios
/// in these fields are per bar unless the name says annualized.
enum SignificanceOutput {
    static func add(_ returns: ReturnStatistics, to table: inout Table) {
        let psr = returns.probabilisticSharpe
        table.add("sharpe per bar", Table.number(psr.sharpe, places: 4) + " (skew " + Table.number(psr.skewness) + ", kurtosis "
            + Table.number(psr.kurtosis) + ")")
        table.add("PSR (sharpe > 0)", Table.percent(psr.probability) + " (z " + Table.number(psr.zScore) + ")")
        table.add("track record 95%", ProbabilisticSharpeRatio.describeTrackRecord(psr.minimumTrackRecord(), periods: psr.periods))
    }

    /// A chosen result's deflated Sharpe and the search's probability of overfitting.
    static func add(_ significance: SweepSignificance, to json: inout JSONObject) {
        json.set("trials", significance.trials)
        if let d = significance.deflated {
            json.set("best_sharpe_per_bar", d.best.sharpe)
            json.set("expected_max_sharpe_per_bar", d.expectedMaximumSharpe)
            json.set("trial_sharpe_variance_per_bar", d.sharpeVariance)
            json.set("deflated_sharpe", d.probability)
            json.set("deflated_sharpe_z", d.zScore)
        }
        if let p = significance.probabilistic { json.set("best_probabilistic_sharpe", p.probability) }
        if let o = significance.overfitting {
            json.set("probability_of_backtest_overfitting", o.probability)
            json.set("pbo_probability_of_loss", o.probabilityOfLoss)
            json.set("pbo_splits", o.splits)
            json.set("pbo_blocks", o.blocks)
        }
    }

    static func add(_ significance: SweepSignificance, to table: inout Table) {
        table.add("trials", String(significance.trials))
        add(significance.deflated, to: &table)
        if let o = significance.overfitting {
            table.add("PBO", Table.number(o.probability, places: 3) + " (\(o.splits) splits of \(o.blocks) blocks; best in sample lost "
                + "out of sample in " + Table.percent(o.probabilityOfLoss) + ")")
        }
    }

    static func add(_ deflated: DeflatedSharpeRatio?, to table: inout Table) {
        guard let d = deflated else { return }
        table.add("deflated sharpe (DSR)", Table.number(d.probability, places: 3) + " (z " + Table.number(d.zScore) + "; sharpe per bar "
            + Table.number(d.best.sharpe, places: 4) + " vs " + Table.number(d.expectedMaximumSharpe, places: 4)
            + " expected of the best of \(d.trials) by luck)")
    }
}
