import PeregrineCore
import PeregrineData
import PeregrineRisk
import PeregrineTestSupport
import Testing

@Suite struct SizingConfigurationTests {
    @Test func theExampleFileAndEveryKey() throws {
        let example = try #require(try SizingConfiguration.load(path: TestPaths.repository + "/examples/peregrine.toml"))
        #expect(example.method == .fixedFractional && example.riskPerTrade == 0.01 && example.stopDistance == 0.02 && example.maxPosition == 0.15)
        let text = """
            [sizing]
            method = "kelly"
            percent = 0.05
            kelly_fraction = 0.5
            utility = "target_hitting"
            target = 2
            ruin = 0.7
            horizon = 100
            min_trades = 30
            """
        let policy = try #require(try SizingConfiguration.parse(text))
        #expect(policy.method == .kelly && policy.percent == 0.05 && policy.kellyFraction == 0.5 && policy.utility == .targetHitting)
        #expect(policy.targetHitting.target == 2 && policy.targetHitting.ruin == 0.7 && policy.targetHitting.horizon == 100 && policy.minTrades == 30)
        #expect(try SizingConfiguration.parse("[risk]\nmax_position = 0.1") == nil)
        for (bad, message) in [("method = \"martingale\"", "sizing.method"), ("percent = -1", "sizing.percent"),
                               ("utility = \"cubic\"", "sizing.utility"), ("kelly = 0.5", "sizing.kelly: unknown key")] {
            do {
                _ = try SizingConfiguration.parse("[sizing]\n" + bad, source: "s.toml")
                Issue.record("\(bad) must be refused")
            } catch {
                #expect(error.description.hasPrefix("s.toml: " + message), "\(error.description)")
            }
        }
    }
}
