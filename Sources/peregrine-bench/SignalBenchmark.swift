import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels

/// Signal-engine throughput: `symbols` seeded daily series; each engine is warmed up on 300 bars
/// (untimed: the indicators, the autoregression window and the first regime-HMM fit, which needs
/// 252 returns, as a live system does at start-up from history), then the timed part feeds `bars`
/// more bars to every engine, each producing a full signal (forecasts, market types, regime filter
/// with its rolling warm-started refits every 63 bars, signaling game).
enum SignalBenchmark {
    static let warmUp = 300

    static func run(symbols: Int, bars: Int, runs: Int) throws {
        var series: [BarSeries] = []
        for k in 0..<symbols {
            var options = SyntheticMarket.Options()
            options.bars = warmUp + bars
            options.seed = UInt64(1_000 + k)
            options.interval = Timestamp.nanosPerDay
            options.symbol = "S\(k)"
            series.append(SyntheticMarket(options: options).generate())
        }
        var times: [Double] = []
        var produced = 0
        var kept = 0
        for _ in 0..<runs {
            var engines = Array(repeating: SignalEngine(), count: symbols)
            for (k, s) in series.enumerated() { for i in 0..<warmUp { _ = engines[k].update(s[i]) } }
            produced = 0
            kept = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for (k, s) in series.enumerated() {
                for i in warmUp..<(warmUp + bars) {
                    if let signal = engines[k].update(s[i]) {
                        produced += 1
                        if signal.direction != .hold { kept += 1 }
                    }
                }
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let median = times.sorted()[times.count / 2]
        print("RESULT {\"benchmark\": \"signals\", \"symbols\": \(symbols), \"bars_per_symbol\": \(bars), "
            + "\"signals\": \(produced), \"kept\": \(kept), \"warm_up_bars\": \(warmUp), \"gp_window\": 20, \"ar_window\": 60, "
            + "\"run_s\": [\(times.map { String(format: "%.4f", $0) }.joined(separator: ", "))], "
            + "\"run_s_median\": \(String(format: "%.4f", median)), "
            + "\"signals_per_s\": \(String(format: "%.0f", Double(produced) / median))}")
    }
}
