import Foundation
import PeregrineTestSupport
import Testing

/// `peregrine models nash` on games solved by hand.
@Suite struct ModelsNashCommandTests {
    @Test func battleOfTheSexesHasTwoPureAndOneMixedEquilibrium() throws {
        // Mixed: the column player is indifferent when 1·p = 2·(1 − p), p = 2/3; the row player when
        // 2·q = 1·(1 − q), q = 1/3; each then expects 2/3.
        let run = try peregrine(["models", "nash", "--payoffs", TestPaths.repository + "/examples/battle_of_the_sexes.csv"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("2 x 2 game, support enumeration: 3 equilibria"), "\(run.output)")
        #expect(run.output.contains("row (1.0000, 0.0000), column (1.0000, 0.0000); payoffs row 2.0000, column 1.0000"), "\(run.output)")
        #expect(run.output.contains("row (0.0000, 1.0000), column (0.0000, 1.0000); payoffs row 1.0000, column 2.0000"), "\(run.output)")
        #expect(run.output.contains("row (0.6667, 0.3333), column (0.3333, 0.6667); payoffs row 0.6667, column 0.6667"), "\(run.output)")
    }

    @Test func matchingPenniesAsZeroSumAndBadFiles() throws {
        let folder = TestPaths.temporaryFolder()
        // Matching pennies, zero-sum: the only equilibrium is (1/2, 1/2) for both, worth 0.
        try "1,-1\n-1,1\n".write(toFile: folder + "/pennies.csv", atomically: true, encoding: .utf8)
        let pennies = try peregrine(["models", "nash", "--payoffs", folder + "/pennies.csv"])
        #expect(pennies.status == 0, "\(pennies.error)")
        #expect(pennies.output.contains("1 equilibrium") && pennies.output.contains("row (0.5000, 0.5000), column (0.5000, 0.5000); payoffs row 0.0000, column 0.0000"),
                "\(pennies.output)")
        try "3;3,0;5\n5;0,x\n".write(toFile: folder + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try peregrine(["models", "nash", "--payoffs", folder + "/bad.csv"])
        #expect(bad.status != 0 && bad.error.contains("line 2, cell 2: 'x' is not a payoff"), "\(bad.error)")
        try "3;3,0;5\n5;0\n".write(toFile: folder + "/ragged.csv", atomically: true, encoding: .utf8)
        let ragged = try peregrine(["models", "nash", "--payoffs", folder + "/ragged.csv"])
        #expect(ragged.status != 0 && ragged.error.contains("line 2: 1 cells, the first row has 2"), "\(ragged.error)")
    }
}
