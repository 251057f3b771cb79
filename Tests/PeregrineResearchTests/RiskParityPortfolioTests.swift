import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineRisk
import PeregrineStrategies
import Testing

/// `--allocation hrp[:WINDOW]`: at every rebalance the sleeves' weights are Hierarchical Risk
/// Parity's on each sleeve's last WINDOW returns (capital moves taken out), computed independently
/// here from the returns the run reports.
@Suite struct RiskParityPortfolioTests {
    @Test func rebalancesGiveTheHRPWeightsOfTheRecentReturns() throws {
        let volatilities = [0.003, 0.01, 0.02]
        let series = volatilities.enumerated().map { k, volatility in
            MultiStrategyPortfolioTests.market(symbol: ["CALM", "MID", "WILD"][k], bars: 300, drift: 0.0002, volatility: volatility,
                                               seed: 500 + UInt64(k))
        }
        let (result, _) = try MultiStrategyPortfolioTests.runSleeves(series, names: ["calm", "mid", "wild"],
                                                                    rule: SleeveAllocator.rule(parsing: "hrp:40", count: 3))
        #expect(result.rebalances.count == 16)
        let third: Double = 1.0 / 3
        let equal: [Double] = [third, third, third]
        #expect(result.rebalances[0].weights == equal)
        for rebalance in result.rebalances.dropFirst(2) {
            let step = rebalance.step
            let windows = result.sleeveReturns.map { Array($0[(step - 40)..<step]) }
            let expected = HierarchicalRiskParity.allocate(returns: windows).weights
            #expect(rebalance.weights == expected, "step \(step): \(rebalance.weights) vs \(expected)")
            // Risk parity: the calmest sleeve gets the most capital, the wildest the least.
            #expect(rebalance.weights[0] > rebalance.weights[1] && rebalance.weights[1] > rebalance.weights[2], "\(rebalance.weights)")
        }
    }

    @Test func theRuleParsesAndRefusesNonsense() throws {
        #expect(try SleeveAllocator.rule(parsing: "hrp", count: 2) == .hierarchicalRiskParity(window: SleeveAllocator.defaultRiskParityWindow))
        #expect(try SleeveAllocator.rule(parsing: "hrp:120", count: 2) == .hierarchicalRiskParity(window: 120))
        for bad in ["hrp:1", "hrp:x", "hrp:", "hrp:1000001"] {
            #expect(throws: SleeveAllocator.Failure.self) { try SleeveAllocator.rule(parsing: bad, count: 2) }
        }
        // Until every sleeve has moved, the weights stay equal.
        var allocator = try SleeveAllocator(names: ["a", "b"], rule: .hierarchicalRiskParity(window: 5))
        allocator.observe(returns: [0.01, 0])
        allocator.observe(returns: [-0.01, 0])
        #expect(allocator.rebalance() == [0.5, 0.5])
        allocator.observe(returns: [0.02, 0.001])
        // By hand, two assets: HRP is inverse variance. a: 0.01, -0.01, 0.02 (mean 1/300, squares sum 0.000466...);
        // b: 0, 0, 0.001. Weight of a = (1/var a) / (1/var a + 1/var b) = var b / (var a + var b).
        func variance(_ x: [Double]) -> Double {
            let mean = x.reduce(0, +) / Double(x.count)
            return x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
        }
        let va = variance([0.01, -0.01, 0.02]), vb = variance([0, 0, 0.001])
        let weights = allocator.rebalance()
        #expect(abs(weights[0] - vb / (va + vb)) < 1e-12 && abs(weights[1] - va / (va + vb)) < 1e-12, "\(weights)")
    }
}
