import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch

/// The peer harness's sweep: fast 5..50, slow 20..200 step 2, fast < slow (3,930 combinations),
/// 100 shares, next-open fills, no costs, 1,000,000 cash; best by final equity, as sweep.py reports.
/// `fastTo` and `slowTo` widen the grid (more combinations and more distinct windows) for memory.
enum SweepBenchmark {
    static func run(dataPath: String?, bars: Int, runs: Int, fastTo: Int = 50, slowTo: Int = 200) throws {
        let series = try BenchmarkMain.loadBars(dataPath: dataPath, bars: bars)
        let combinations = SMACrossSweep.grid(fast: stride(from: 5, through: fastTo, by: 1), slow: stride(from: 20, through: slowTo, by: 2))
        let periods = BacktestConfiguration.inferredPeriodsPerYear(interval: series.typicalInterval, calendar: .usEquity)
        let sweep = SMACrossSweep(series: series, quantity: Quantity(100), initialCash: Money(1_000_000), periodsPerYear: periods)
        var times: [Double] = []
        var results: [SMACrossSweep.Result] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            results = sweep.run(combinations)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let best = results.max { $0.finalEquity < $1.finalEquity }!
        let median = times.sorted()[times.count / 2]
        print("RESULT {\"benchmark\": \"sweep\", \"data\": \"\(dataPath.map { ($0 as NSString).lastPathComponent } ?? "synthetic")\", "
            + "\"bars\": \(series.count), \"combinations\": \(combinations.count), "
            + "\"distinct_windows\": \(Set(combinations.flatMap { [$0.fast, $0.slow] }).count), \"threads\": \(ProcessInfo.processInfo.activeProcessorCount), "
            + "\"run_s\": [\(times.map { String(format: "%.4f", $0) }.joined(separator: ", "))], "
            + "\"run_s_median\": \(String(format: "%.4f", median)), "
            + "\"combinations_per_s\": \(String(format: "%.0f", Double(combinations.count) / median)), "
            + "\"bar_combinations_per_s\": \(String(format: "%.0f", Double(combinations.count * series.count) / median)), "
            + "\"best_fast\": \(best.combination.fast), \"best_slow\": \(best.combination.slow), "
            + "\"best_final_equity\": \(best.finalEquity.formatted(places: 4)), "
            + "\"peak_rss_bytes\": \(BenchmarkMain.memory("VmHWM"))}")
    }
}
