import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineResearch
#if canImport(Glibc)
import Glibc
#endif

/// The general sweep path on the peer harness's grid: every combination of sma-cross (fast 5..50,
/// slow 20..200 step 2, fast < slow: 3,930) is an ordinary backtest in the event-driven kernel
/// (`StrategySweep`, what `peregrine sweep --path kernel` runs), 100 shares, next-open fills, no
/// costs, 1,000,000 cash; best by final equity. With several thread counts (`--threads 1,2`) the
/// runs alternate between them (1, 2, 1, 2, ...), so each count is timed in the same minutes, and
/// the per-core efficiency of each is (throughput with N / throughput with the fewest) / (N / fewest). Process
/// CPU time is reported beside wall time: on a shared machine the wall time with N threads also
/// measures whoever else holds the cores, CPU time only the sweep's own work. Every row is checked
/// against the fast path (`SMACrossSweep`): trades and final equity to the last unit.
enum KernelSweepBenchmark {
    static func run(dataPath: String?, bars: Int, runs: Int, threads: [Int], fastTo: Int = 50, slowTo: Int = 200, dumpPath: String?) throws {
        let series = try BenchmarkMain.loadBars(dataPath: dataPath, bars: bars)
        let grid = try StrategyGrid(axes: ["fast=5..\(fastTo):1", "slow=20..\(slowTo):2"], constraints: ["fast<slow"])
        let combinations = grid.combinations
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(1_000_000)
        configuration.strategyName = "sma-cross"
        let sweep = StrategySweep(strategy: "sma-cross", base: StrategyParameters(["quantity": "100"]), series: [series],
                                  configuration: configuration)
        var wall: [Int: [Double]] = [:]
        var cpu: [Int: [Double]] = [:]
        var results: [StrategySweep.Result] = []
        for _ in 0..<runs {
            for count in threads {
                let cpuStart = processCPUSeconds()
                let start = DispatchTime.now().uptimeNanoseconds
                results = sweep.run(combinations, threads: count)
                wall[count, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                cpu[count, default: []].append(processCPUSeconds() - cpuStart)
            }
        }
        let failures = results.filter { $0.failure != nil }.count
        let best = results.filter { $0.failure == nil }.max { $0.finalEquity < $1.finalEquity }!

        // The same grid on the fast path: every row must agree.
        let periods = BacktestConfiguration.inferredPeriodsPerYear(interval: series.typicalInterval, calendar: .usEquity)
        let fast = SMACrossSweep(series: series, quantity: Quantity(100), initialCash: Money(1_000_000), periodsPerYear: periods)
            .run(combinations.map { SMACrossSweep.Combination(fast: Int($0["fast"]!)!, slow: Int($0["slow"]!)!) })
        let agreeing = zip(results, fast).filter { kernel, path in
            kernel.roundTrips == path.roundTrips && kernel.openTrades == path.openTrades && kernel.fills == path.fills
                && kernel.finalEquity == path.finalEquity
        }.count
        if let dumpPath {
            var text = "fast,slow,trades,final_equity\n"
            for row in results {
                text += "\(row.values["fast"]!),\(row.values["slow"]!),\(row.roundTrips + row.openTrades),\(row.finalEquity.formatted(places: 6))\n"
            }
            try text.write(toFile: dumpPath, atomically: true, encoding: .utf8)
        }

        let median = { (times: [Double]) in times.sorted()[times.count / 2] }
        let list = { (times: [Double]) in "[" + times.map { String(format: "%.3f", $0) }.joined(separator: ", ") + "]" }
        let fewest = threads.min()!
        var fields: [(String, String)] = [
            ("benchmark", "\"sweep_kernel\""),
            ("data", "\"\(dataPath.map { ($0 as NSString).lastPathComponent } ?? "synthetic")\""),
            ("bars", "\(series.count)"), ("combinations", "\(combinations.count)"), ("cores", "\(ProcessInfo.processInfo.activeProcessorCount)"),
        ]
        for count in threads {
            let seconds = median(wall[count]!)
            let key = "threads_\(count)"
            fields += [
                ("\(key)_run_s", list(wall[count]!)), ("\(key)_run_s_median", String(format: "%.3f", seconds)),
                ("\(key)_cpu_s", list(cpu[count]!)), ("\(key)_cpu_s_median", String(format: "%.3f", median(cpu[count]!))),
                ("\(key)_combinations_per_s", String(format: "%.1f", Double(combinations.count) / seconds)),
                ("\(key)_bar_combinations_per_s", String(format: "%.0f", Double(combinations.count * series.count) / seconds)),
            ]
            if count != fewest {
                let speedup = median(wall[fewest]!) / seconds
                let cpuRatio = median(cpu[count]!) / median(cpu[fewest]!)
                fields += [
                    ("\(key)_speedup", String(format: "%.3f", speedup)),
                    ("\(key)_efficiency", String(format: "%.3f", speedup / (Double(count) / Double(fewest)))),
                    ("\(key)_cpu_over_\(fewest)", String(format: "%.3f", cpuRatio)),
                ]
            }
        }
        fields += [
            ("best_fast", best.values["fast"]!), ("best_slow", best.values["slow"]!),
            ("best_trades", "\(best.roundTrips + best.openTrades)"), ("best_final_equity", best.finalEquity.formatted(places: 4)),
            ("total_trades", "\(results.reduce(0) { $0 + $1.roundTrips + $1.openTrades })"), ("failures", "\(failures)"),
            ("rows_equal_to_fast_path", "\(agreeing)"),
            ("peak_rss_bytes", "\(BenchmarkMain.memory("VmHWM"))"),
        ]
        print("RESULT {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }

    /// CPU time of the whole process so far (every thread, user and system), in seconds.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
