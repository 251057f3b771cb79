import Foundation
import PeregrineCore
import PeregrineData
import PeregrineRisk
import PeregrineTestSupport
import Testing

/// Against PyPortfolioOpt 1.6.0's HRPOpt (fixture from scripts/fixtures/make_risk_fixtures.py).
@Suite struct HierarchicalRiskParityTests {
    func fixture() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("hrp_pypfopt.json")))) as! [String: Any]
    }

    @Test func syntheticEightAssetsMatch() throws {
        let synthetic = try fixture()["synthetic"] as! [String: Any]
        let returns = synthetic["returns"] as! [[Double]]
        let expected = synthetic["weights"] as! [Double]
        let result = HierarchicalRiskParity.allocate(returns: returns)
        for (a, e) in zip(result.weights, expected) { #expect(abs(a - e) < 1e-6, "\(a) vs \(e)") }
        #expect(abs(result.weights.reduce(0, +) - 1) < 1e-12)
        #expect(Set(result.order) == Set(0..<8))
    }

    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
    func realDailyReturnsMatch() throws {
        let real = try fixture()["real"] as! [String: Any]
        let files = real["files"] as! [String]
        // Closes on the dates all files share, then simple returns.
        var byDate: [[Int64: Double]] = []
        for file in files {
            let series = try BarCSVReader().read(path: TestPaths.sharedFile(file), instrument: .usEquity("X")).series
            byDate.append(Dictionary(uniqueKeysWithValues: (0..<series.count).map { (series.timestamps[$0], Double(series.closes[$0]) / 1e9) }))
        }
        let dates = byDate.dropFirst().reduce(Set(byDate[0].keys)) { $0.intersection($1.keys) }.sorted()
        let returns = byDate.map { closes in (1..<dates.count).map { closes[dates[$0]]! / closes[dates[$0 - 1]]! - 1 } }
        #expect(returns[0].count == real["observations"] as! Int)
        let expected = real["weights"] as! [Double]
        let result = HierarchicalRiskParity.allocate(returns: returns)
        for (a, e) in zip(result.weights, expected) { #expect(abs(a - e) < 1e-6, "\(a) vs \(e)") }
    }

    /// Two tight pairs: the clustering joins each pair first, and equal-risk assets get equal weight.
    @Test func clustersAndSplitsByHand() {
        var rng = SeededGenerator(seed: 2)
        let a = (0..<400).map { _ in rng.nextNormal() * 0.01 }
        let b = (0..<400).map { _ in rng.nextNormal() * 0.01 }
        let series = [a, b.map { $0 + 0.0001 }, a.map { $0 * 1.0001 }, b]
        let result = HierarchicalRiskParity.allocate(returns: series)
        #expect(result.merges.count == 3)
        #expect(Set([result.merges[0].left, result.merges[0].right]) == [0, 2] || Set([result.merges[0].left, result.merges[0].right]) == [1, 3])
        #expect(abs(result.weights.reduce(0, +) - 1) < 1e-12)
    }
}
