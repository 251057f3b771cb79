import Foundation
import PeregrineCore
import PeregrineData
import PeregrineIndicators

/// Streaming indicator throughput: one indicator at a time over the same generated bars, best of
/// three passes; a checksum of the outputs keeps the work from being optimized away.
enum IndicatorBenchmark {
    static func run(bars: Int) throws {
        var options = SyntheticMarket.Options()
        options.bars = bars
        let series = SyntheticMarket(options: options).generate()
        let barValues = series.bars
        let closes = barValues.map(\.close)
        let closeDoubles = closes.map(\.doubleValue)

        func time(_ name: String, _ body: () -> Double) {
            var best = Double.infinity
            var checksum = 0.0
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                checksum = body()
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            print("RESULT {\"benchmark\": \"indicator\", \"indicator\": \"\(name)\", \"updates\": \(bars), "
                + "\"best_s\": \(String(format: "%.4f", best)), \"updates_per_s\": \(String(format: "%.0f", Double(bars) / best)), "
                + "\"checksum\": \(checksum)}")
        }
        time("sma_20") { var x = SimpleMovingAverage(period: 20); var s = 0.0; for c in closes { s += x.update(c) ?? 0 }; return s }
        time("ema_20") { var x = ExponentialMovingAverage(period: 20); var s = 0.0; for c in closeDoubles { s += x.update(c) ?? 0 }; return s }
        time("wma_20") { var x = WeightedMovingAverage(period: 20); var s = 0.0; for c in closeDoubles { s += x.update(c) ?? 0 }; return s }
        time("rsi_14") { var x = RelativeStrengthIndex(period: 14); var s = 0.0; for c in closeDoubles { s += x.update(c) ?? 0 }; return s }
        time("macd_12_26_9") { var x = MovingAverageConvergenceDivergence(fast: 12, slow: 26, signal: 9); var s = 0.0; for c in closeDoubles { s += x.update(c)?.line ?? 0 }; return s }
        time("bbands_20_2") { var x = BollingerBands(period: 20, width: 2); var s = 0.0; for c in closes { s += x.update(c)?.upper ?? 0 }; return s }
        time("atr_14") { var x = AverageTrueRange(period: 14); var s = 0.0; for b in barValues { s += x.update(b) ?? 0 }; return s }
        time("adx_14") { var x = DirectionalMovement(period: 14); var s = 0.0; for b in barValues { s += x.update(b)?.adx ?? 0 }; return s }
        time("stoch_14_3_3") { var x = Stochastic(fastK: 14, slowK: 3, slowD: 3); var s = 0.0; for b in barValues { s += x.update(b)?.k ?? 0 }; return s }
        time("sma_cross_10_30") {
            var x = MovingAverageCross(fast: 10, slow: 30); var s = 0.0
            for c in closes { if x.update(c.units) != nil { s += 1 } }
            return s
        }
    }
}
