import Foundation
import PeregrineModels

/// Speed of option pricing: Black-Scholes-Merton prices with all Greeks per second over a spread
/// of inputs, one American put on a 500-step Leisen-Reimer tree, and the implied volatilities of a
/// 10,000-contract chain (every strike and expiry priced, then solved back). One thread. Prints one
/// `RESULT` line with medians of `runs`, by the wall clock and by the thread's CPU time.
enum OptionsBenchmark {
    static func run(runs: Int) {
        let count = 2_000_000
        var inputs: [OptionInputs] = []
        for k in 0..<1_000 {
            let spot: Double = 80 + Double(k % 41)
            let volatility: Double = 0.1 + Double(k % 13) * 0.05
            let expiry: Double = 0.05 + Double(k % 17) * 0.1
            inputs.append(OptionInputs(spot: spot, strike: 100, volatility: volatility, rate: 0.03, dividend: 0.01, expiry: expiry))
        }
        // Wall-clock seconds and the thread's own CPU seconds, medians of `runs`: on a shared machine
        // the CPU time is what one core spends, whatever else the machine runs.
        var cpuMedians: [Double] = []
        func median(_ body: () -> Double) -> Double {
            var times: [Double] = [], cpu: [Double] = []
            for _ in 0..<max(1, runs) {
                let start = DispatchTime.now().uptimeNanoseconds, cpuStart = threadCPUSeconds()
                let sink = body()
                cpu.append(threadCPUSeconds() - cpuStart)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                if sink.isNaN { print("") }  // keeps the work observable
            }
            cpuMedians.append(cpu.sorted()[cpu.count / 2])
            return times.sorted()[times.count / 2]
        }
        let closedForm = median {
            var total = 0.0
            for k in 0..<count {
                let v = BlackScholesMerton.value(k & 1 == 0 ? .call : .put, inputs[k % inputs.count])
                total += v.price + v.delta + v.gamma + v.vega + v.theta + v.rho + v.dividendRho
            }
            return total
        }
        let american = OptionInputs(spot: 100, strike: 105, volatility: 0.25, rate: 0.04, dividend: 0.01, expiry: 0.5)
        let tree = median {
            var total = 0.0
            for _ in 0..<100 { total += BinomialTree(kind: .leisenReimer, steps: 500).price(.put, american, american: true) }
            return total
        } / 100
        var chain: [(OptionType, OptionInputs, Double)] = []
        for k in 0..<10_000 {
            let strike: Double = 50 + Double(k % 100)
            let volatility: Double = 0.15 + Double(k / 100 % 10) * 0.04
            let expiry: Double = 0.1 + Double(k / 1000) * 0.2
            let contract = OptionInputs(spot: 100, strike: strike, volatility: volatility, rate: 0.03, dividend: 0.01, expiry: expiry)
            let type: OptionType = contract.strike >= 100 ? .call : .put
            chain.append((type, contract, BlackScholesMerton.value(type, contract).price))
        }
        let implied = median {
            var total = 0.0
            for (type, contract, price) in chain { total += (try? ImpliedVolatility.solve(type, price: price, inputs: contract)) ?? 0 }
            return total
        }
        print("RESULT {\"benchmark\": \"options\", \"bsm_with_greeks_per_s\": \(String(format: "%.0f", Double(count) / closedForm)), "
            + "\"american_500_steps_ms\": \(String(format: "%.4f", tree * 1000)), "
            + "\"chain_10000_implied_vols_ms\": \(String(format: "%.2f", implied * 1000)), "
            + "\"bsm_with_greeks_per_cpu_s\": \(String(format: "%.0f", Double(count) / cpuMedians[0])), "
            + "\"american_500_steps_cpu_ms\": \(String(format: "%.4f", cpuMedians[1] / 100 * 1000)), "
            + "\"chain_10000_implied_vols_cpu_ms\": \(String(format: "%.2f", cpuMedians[2] * 1000)), \"runs\": \(runs)}")
    }
}

/// CPU time this thread has used, in seconds.
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
