import Foundation
import PeregrineCore
import PeregrineRisk

/// Cost of one pre-trade risk check with every default limit on: a 10-instrument portfolio with
/// three open positions and 60 returns of history each; a typical entry order is checked
/// `count` times (each check passes every test, the longest path).
enum RiskBenchmark {
    static func run(count: Int) {
        let symbols = (0..<10).map { "S\($0)" }
        let risk = RiskEngine(limits: RiskLimits(), symbols: symbols)
        var generator = SeededGenerator(seed: 1)
        var prices = Array(repeating: 100.0, count: symbols.count)
        for _ in 0..<61 {
            for i in symbols.indices {
                prices[i] *= 1 + 0.01 * generator.nextNormal()
                risk.onBar(instrument: i, close: Price(approximating: prices[i]))
            }
        }
        let start = Timestamp(seconds: 1_700_000_000)
        for i in 0..<3 {
            risk.onPositionChange(instrument: i, from: .zero, to: Quantity(100), at: start, viaStop: false, closedTripPnL: nil)
        }
        _ = risk.onEquity(1_000_000, sessionDay: 1, at: start)
        let order = OrderRequest.market(InstrumentID(5), .buy, Quantity(100))
        let price = Price(approximating: prices[5])
        var passed = 0
        var best = Double.infinity
        for _ in 0..<3 {
            passed = 0
            let t0 = DispatchTime.now().uptimeNanoseconds
            for k in 0..<count where risk.check(order, instrument: 5, position: .zero, price: price, equity: 1_000_000,
                                                  at: start + Int64(k)) == nil {
                passed += 1
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0))
        }
        print("RESULT {\"benchmark\": \"risk_check\", \"checks\": \(count), \"passed\": \(passed), "
            + "\"best_s\": \(String(format: "%.4f", best / 1e9)), \"ns_per_check\": \(String(format: "%.1f", best / Double(count)))}")
    }
}
