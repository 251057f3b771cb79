import PeregrineCore
import PeregrineModels
import Testing

@Suite struct ThresholdCalibrationTests {
    /// Beta(1,1) is uniform (tail 1 − q), Beta(2,1) has density 2θ (tail 1 − q²), and Beta(8,5)'s
    /// tail is checked against Simpson's rule on its density.
    @Test func theBetaTailIsExact() {
        for q in [0.1, 1.0 / 3, 0.5, 0.9] {
            #expect(abs(ThresholdCalibration.betaUpperTail(above: q, wins: 0, losses: 0) - (1 - q)) < 1e-12)
            #expect(abs(ThresholdCalibration.betaUpperTail(above: q, wins: 1, losses: 0) - (1 - q * q)) < 1e-12)
        }
        // Beta(8, 5) density: θ^7 (1 − θ)^4 / B(8, 5), B(8, 5) = 7! 4! / 12! = 1 / 3960.
        let q = 0.4, steps = 10_000
        let h = (1 - q) / Double(steps)
        func density(_ t: Double) -> Double { 3960 * Foundationless.pow(t, 7) * Foundationless.pow(1 - t, 4) }
        var sum = density(q) + density(1)
        for k in 1..<steps { sum += density(q + Double(k) * h) * (k % 2 == 1 ? 4 : 2) }
        #expect(abs(ThresholdCalibration.betaUpperTail(above: q, wins: 7, losses: 4) - sum * h / 3) < 1e-9)
        // Many trades stay finite and within [0, 1].
        let large = ThresholdCalibration.betaUpperTail(above: 0.5, wins: 3_000, losses: 2_900)
        #expect(large > 0.8 && large <= 1)
    }

    /// Signals below 0.60 win 20% of the time, above it 60%; break-even is 1/3. With 3,000 trades the
    /// recommended threshold is the cut, give or take two hundredths.
    @Test func theThresholdFindsWhereTradesStartToPay() {
        var generator = SeededGenerator(seed: 17)
        let trades = (0..<3_000).map { _ -> ThresholdCalibration.Trade in
            let p = 0.5 + 0.3 * generator.nextUniform()
            return .init(probability: p, won: generator.nextUniform() < (p >= 0.6 ? 0.6 : 0.2))
        }
        var calibration = ThresholdCalibration()
        calibration.maxStep = 1
        let outcome = calibration.recommend(trades: trades, breakEven: 1.0 / 3, current: 0.55)
        #expect(outcome.threshold >= 0.58 && outcome.threshold <= 0.62, "\(outcome.threshold): \(outcome.reason)")
        #expect(outcome.candidates.count == 31 && outcome.candidates[0].trades == 3_000)
        // All the trades together still pay (a 47% win rate against 33%), which is not a reason to take the losing ones.
        #expect(outcome.candidates[0].edgeProbability > 0.99)
        // The step cap: from 0.75 the threshold may only fall to 0.70.
        calibration.maxStep = 0.05
        #expect(abs(calibration.recommend(trades: trades, breakEven: 1.0 / 3, current: 0.75).threshold - 0.70) < 1e-12)
        // Too few trades leave it alone.
        let few = calibration.recommend(trades: Array(trades.prefix(15)), breakEven: 1.0 / 3, current: 0.55)
        #expect(few.threshold == 0.55 && few.reason.contains("unchanged"))
        // Losing everywhere: the threshold with the strongest evidence (the highest here), not a lower one.
        let losing = trades.map { ThresholdCalibration.Trade(probability: $0.probability, won: $0.probability > 0.78 ? $0.won : false) }
        let tightened = calibration.recommend(trades: losing, breakEven: 1.0 / 3, current: 0.55)
        #expect(tightened.target > 0.7 && abs(tightened.threshold - 0.6) < 1e-12, "\(tightened.target) \(tightened.threshold)")
    }
}
