import Foundation
import PeregrineCore
import PeregrineModels
import Testing

/// The probabilistic and deflated Sharpe ratios and the probability of backtest overfitting, on
/// hand-worked numbers, the papers' own worked example, and seeded noise against a planted edge.
@Suite struct SharpeSignificanceTests {
    @Test func momentsOfFiveReturnsByHand() {
        let m = ReturnMoments([0.02, -0.01, 0.03, -0.02, 0.01])
        // Mean 0.006; deviations 0.014, -0.016, 0.024, -0.026, 0.004.
        // Σd² = 17.2e-4, Σd³ = -5.04e-6, Σd⁴ = 89.296e-8.
        let m2 = 17.2e-4 / 5, m3 = -5.04e-6 / 5, m4 = 89.296e-8 / 5
        #expect(m.count == 5)
        #expect(abs(m.mean - 0.006) < 1e-15)
        #expect(abs(m.standardDeviation - (17.2e-4 / 4).squareRoot()) < 1e-14)
        #expect(abs(m.sharpePerPeriod - 0.006 / (17.2e-4 / 4).squareRoot()) < 1e-12)
        #expect(abs(m.skewness - m3 / pow(m2, 1.5)) < 1e-10)
        #expect(abs(m.kurtosis - m4 / (m2 * m2)) < 1e-10)
        #expect(abs(m.kurtosis - 1.509_193_4) < 1e-6)
        // Blocks merge back into the whole.
        let halves = ReturnMoments.blocks(of: [0.02, -0.01, 0.03, -0.02, 0.01], count: 2)
        #expect(halves.map(\.count) == [3, 2])
        let merged = halves[0] + halves[1]
        #expect(merged.count == 5 && abs(merged.skewness - m.skewness) < 1e-12)
        // A flat stretch has no Sharpe to speak of: 0, not a division by zero.
        #expect(ReturnMoments([0, 0, 0]).sharpePerPeriod == 0)
        #expect(ReturnMoments([0.01]).sharpePerPeriod.isNaN)
    }

    @Test func probabilisticSharpeByHand() {
        // SR 0.1 per bar over 252 bars, normal returns: z = 0.1·√251 / √(1 + 2·0.01/4).
        let normal = ProbabilisticSharpeRatio(sharpe: 0.1, periods: 252, skewness: 0, kurtosis: 3)
        let z = 0.1 * 251.0.squareRoot() / (1.005).squareRoot()
        #expect(abs(normal.zScore - z) < 1e-12)
        #expect(abs(normal.probability - 0.5 * erfc(-z / 2.0.squareRoot())) < 1e-12)
        // Negative skew and fat tails widen the error: the same Sharpe is less believable.
        let skewed = ProbabilisticSharpeRatio(sharpe: 0.1, periods: 252, skewness: -2, kurtosis: 9)
        #expect(abs(skewed.varianceFactor - (1 + 0.2 + 8.0 / 4 * 0.01)) < 1e-12)
        #expect(skewed.probability < normal.probability)
        // Minimum track record at 95%: 1 + 1.005·(1.644853627 / 0.1)² = 272.9070...
        #expect(abs(normal.minimumTrackRecord() - (1 + 1.005 * pow(1.644_853_626_951_472_2 / 0.1, 2))) < 1e-8)
        #expect(abs(normal.minimumTrackRecord() - 272.907) < 1e-3)
        // A track record exactly that long is significant at exactly 95% (the two formulas agree).
        for (sharpe, skew, kurtosis) in [(0.05, -1.0, 6.0), (0.2, 0.5, 4.0), (0.12, -3.0, 10.0)] {
            let p = ProbabilisticSharpeRatio(sharpe: sharpe, periods: 2, skewness: skew, kurtosis: kurtosis)
            let needed = p.minimumTrackRecord(confidence: 0.95)
            let factor = 1 - skew * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe
            let atNeeded = NormalDistribution.cdf(sharpe * (needed - 1).squareRoot() / factor.squareRoot())
            #expect(abs(atNeeded - 0.95) < 1e-12)
        }
        #expect(ProbabilisticSharpeRatio(sharpe: -0.1, periods: 500, skewness: 0, kurtosis: 3).minimumTrackRecord() == .infinity)
    }

    /// Bailey and López de Prado (2014), section 5: N = 100 trials with annualised Sharpe variance 1/2,
    /// the best annualised Sharpe 2.5 over T = 1,250 daily returns (250 a year), skewness −3,
    /// kurtosis 10. The paper finds E[max SR] ≈ 0.1132 per day and DSR ≈ 0.9004.
    @Test func deflatedSharpeMatchesThePapersExample() {
        let dsr = DeflatedSharpeRatio(sharpe: 2.5 / 250.0.squareRoot(), periods: 1_250, skewness: -3, kurtosis: 10,
                                      trials: 100, sharpeVariance: 0.5 / 250)
        #expect(abs(dsr.expectedMaximumSharpe - 0.1132) < 5e-5)
        #expect(abs(dsr.probability - 0.9004) < 5e-5)
        // One trial deflates nothing: the DSR is the PSR against zero.
        let single = DeflatedSharpeRatio(sharpe: 0.1, periods: 252, skewness: 0, kurtosis: 3, trials: 1, sharpeVariance: 0.01)
        #expect(single.expectedMaximumSharpe == 0)
        #expect(single.probability == ProbabilisticSharpeRatio(sharpe: 0.1, periods: 252, skewness: 0, kurtosis: 3).probability)
        // More trials raise the bar.
        let more = DeflatedSharpeRatio(sharpe: 2.5 / 250.0.squareRoot(), periods: 1_250, skewness: -3, kurtosis: 10,
                                       trials: 10_000, sharpeVariance: 0.5 / 250)
        #expect(more.expectedMaximumSharpe > dsr.expectedMaximumSharpe && more.probability < dsr.probability)
    }

    /// Three trials, two blocks. A leads then collapses, C starts badly then shines, B is steady:
    /// whichever half is in sample, its best trial is the worst out of sample (rank 1 of 3,
    /// ω = 1/4, λ = ln(1/3)), so PBO = 1. Three trials that keep their order give λ = ln 3 and PBO = 0.
    @Test func overfittingOnTwoBlocksByHand() throws {
        let good = ReturnMoments([0.02, 0.03, 0.01, 0.025])
        let bad = ReturnMoments([-0.02, -0.01, -0.03, -0.015])
        let middling = ReturnMoments([0.001, -0.001, 0.002, 0.0])
        let reversing = try BacktestOverfitting(blockMoments: [[good, bad], [middling, middling], [bad, good]])
        #expect(reversing.splits == 2 && reversing.blocks == 2)
        for lambda in reversing.logits { #expect(abs(lambda - log(1.0 / 3)) < 1e-12) }
        #expect(reversing.probability == 1 && reversing.probabilityOfLoss == 1)
        let steady = try BacktestOverfitting(blockMoments: [[good, good], [middling, middling], [bad, bad]])
        for lambda in steady.logits { #expect(abs(lambda - log(3.0)) < 1e-12) }
        #expect(steady.probability == 0 && steady.probabilityOfLoss == 0)
        #expect(throws: BacktestOverfitting.Failure.blocks(3)) { try BacktestOverfitting(blockMoments: [[good, good, good], [bad, bad, bad]]) }
        #expect(throws: BacktestOverfitting.Failure.trials(1)) { try BacktestOverfitting(blockMoments: [[good, good]]) }
        #expect(throws: BacktestOverfitting.Failure.ragged(trial: 1, blocks: 1, expected: 2)) {
            try BacktestOverfitting(blockMoments: [[good, good], [bad]])
        }
    }

    @Test func splitsAreEveryHalfOrASymmetricSample() {
        // S = 6: C(6, 3) = 20 halves, each exactly once.
        let all = BacktestOverfitting.inSampleHalves(blocks: 6, maximumSplits: 1000, seed: 0)
        #expect(all.count == 20 && Set(all).count == 20 && all.allSatisfy { $0.nonzeroBitCount == 3 })
        // S = 16 capped at 100: 50 halves with block 0 and their 50 complements, all distinct.
        let sampled = BacktestOverfitting.inSampleHalves(blocks: 16, maximumSplits: 100, seed: 4)
        #expect(sampled.count == 100 && Set(sampled).count == 100 && sampled.allSatisfy { $0.nonzeroBitCount == 8 })
        let set = Set(sampled)
        #expect(sampled.allSatisfy { set.contains(0xFFFF & ~$0) })
        #expect(sampled == BacktestOverfitting.inSampleHalves(blocks: 16, maximumSplits: 100, seed: 4))
    }

    /// 100 trials of pure noise, 1,000 returns each, eight seeded markets: the best trial's plain
    /// PSR would call it skill, its deflated Sharpe does not, and its excess over the luck of the
    /// best of 100 is near zero; overfitting is about a coin toss (PBO averages near one half).
    /// Five trials with a planted edge (Sharpe 0.2 a bar) among the 100: significant (DSR above 0.95), PBO near 0.
    @Test func noiseIsNotSignificantAndAPlantedEdgeIs() throws {
        var noisePBO: [Double] = []
        var fooledPSR = 0
        for seed in UInt64(1)...8 {
            var random = SeededGenerator(seed: seed)
            var noise: [[Double]] = []
            for _ in 0..<100 { noise.append((0..<1_000).map { _ in random.nextNormal() * 0.01 }) }
            let trials = noise.map { ReturnMoments.blocks(of: $0, count: 16) }
            let sharpes = noise.map { ReturnMoments($0).sharpePerPeriod }
            let best = sharpes.indices.max { sharpes[$0] < sharpes[$1] }!
            let dsr = DeflatedSharpeRatio(best: ReturnMoments(noise[best]), trialCount: 100,
                                          sharpeVariance: DeflatedSharpeRatio.sampleVariance(sharpes))
            #expect(dsr.probability < 0.95, "seed \(seed): DSR \(dsr.probability)")
            #expect(abs(dsr.excessSharpe) < 0.03, "seed \(seed): excess \(dsr.excessSharpe)")
            if ProbabilisticSharpeRatio(ReturnMoments(noise[best])).probability > 0.95 { fooledPSR += 1 }
            let pbo = try BacktestOverfitting(blockMoments: trials, maximumSplits: 400, seed: seed)
            noisePBO.append(pbo.probability)

            var edged = noise
            for t in 0..<5 { edged[t] = edged[t].map { $0 + 0.002 } }
            let edgedSharpes = edged.map { ReturnMoments($0).sharpePerPeriod }
            let edgeBest = edgedSharpes.indices.max { edgedSharpes[$0] < edgedSharpes[$1] }!
            #expect(edgeBest < 5)
            let edgeDSR = DeflatedSharpeRatio(best: ReturnMoments(edged[edgeBest]), trialCount: 100,
                                              sharpeVariance: DeflatedSharpeRatio.sampleVariance(edgedSharpes))
            #expect(edgeDSR.probability > 0.95, "seed \(seed): edge DSR \(edgeDSR.probability)")
            let edgePBO = try BacktestOverfitting(blockMoments: edged.map { ReturnMoments.blocks(of: $0, count: 16) },
                                                  maximumSplits: 400, seed: seed)
            #expect(edgePBO.probability < 0.05, "seed \(seed): edge PBO \(edgePBO.probability)")
        }
        let meanPBO = noisePBO.reduce(0, +) / Double(noisePBO.count)
        #expect(meanPBO > 0.35 && meanPBO < 0.8, "noise PBO \(noisePBO)")
        // The point of deflating: the undeflated test calls most of the noise winners skill.
        #expect(fooledPSR >= 6, "plain PSR above 0.95 for \(fooledPSR) of 8 noise winners")
    }
}
