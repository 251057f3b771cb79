import PeregrineCore
import PeregrineModels
import Testing

@Suite struct NashEquilibriumTests {
    func approx(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) < 1e-9 } }

    @Test func matchingPenniesHasOnlyTheFiftyFiftyMix() {
        let game = BimatrixGame(zeroSum: [[1, -1], [-1, 1]])
        let all = NashEquilibriumSolver.solve(game)
        #expect(all.count == 1)
        #expect(approx(all[0].row, [0.5, 0.5]) && approx(all[0].column, [0.5, 0.5]))
        #expect(abs(all[0].rowPayoff) < 1e-12)
        let lh = LemkeHowson.solve(game)!
        #expect(approx(lh.row, [0.5, 0.5]) && approx(lh.column, [0.5, 0.5]))
    }

    @Test func battleOfTheSexesHasTwoPureAndOneMixed() {
        // Row prefers (0,0) with 2, column prefers (1,1) with 2; miscoordination pays 0.
        let game = BimatrixGame(rowPayoffs: [[2, 0], [0, 1]], columnPayoffs: [[1, 0], [0, 2]])
        let all = NashEquilibriumSolver.solve(game)
        #expect(all.count == 3)
        #expect(all.contains { approx($0.row, [1, 0]) && approx($0.column, [1, 0]) })
        #expect(all.contains { approx($0.row, [0, 1]) && approx($0.column, [0, 1]) })
        // Mixed: row plays (2/3, 1/3) to make column indifferent; column plays (1/3, 2/3).
        #expect(all.contains { approx($0.row, [2.0 / 3, 1.0 / 3]) && approx($0.column, [1.0 / 3, 2.0 / 3])
            && abs($0.rowPayoff - 2.0 / 3) < 1e-9 })
        for label in 0..<4 {
            let lh = LemkeHowson.solve(game, droppedLabel: label)!
            #expect(game.isEquilibrium(lh.row, lh.column))
            #expect(all.contains { approx($0.row, lh.row) && approx($0.column, lh.column) })
        }
    }

    @Test func prisonersDilemmaHasOnlyMutualDefection() {
        // Strategies: cooperate, defect. (C,C) = 3,3; (C,D) = 0,5; (D,C) = 5,0; (D,D) = 1,1.
        let game = BimatrixGame(rowPayoffs: [[3, 0], [5, 1]], columnPayoffs: [[3, 5], [0, 1]])
        let all = NashEquilibriumSolver.solve(game)
        #expect(all.count == 1)
        #expect(approx(all[0].row, [0, 1]) && approx(all[0].column, [0, 1]) && all[0].rowPayoff == 1)
        let lh = LemkeHowson.solve(game)!
        #expect(approx(lh.row, [0, 1]) && approx(lh.column, [0, 1]))
    }

    /// Degenerate: the column player is indifferent everywhere, so any row play is part of some
    /// equilibrium; whatever the solver returns must still be an equilibrium, and the pure ones
    /// (T, L) and (B, R) are found.
    @Test func degenerateGameGivesOnlyValidEquilibria() {
        let game = BimatrixGame(rowPayoffs: [[1, 0], [0, 1]], columnPayoffs: [[0, 0], [0, 0]])
        let all = NashEquilibriumSolver.solve(game)
        #expect(!all.isEmpty)
        for e in all { #expect(game.isEquilibrium(e.row, e.column)) }
        #expect(all.contains { approx($0.row, [1, 0]) && approx($0.column, [1, 0]) })
        #expect(all.contains { approx($0.row, [0, 1]) && approx($0.column, [0, 1]) })
    }

    @Test func lemkeHowsonFindsEquilibriaOfRandomGames() {
        var rng = SeededGenerator(seed: 4)
        for size in [3, 5, 8] {
            let a = (0..<size).map { _ in (0..<size).map { _ in rng.nextNormal() } }
            let b = (0..<size).map { _ in (0..<size).map { _ in rng.nextNormal() } }
            let game = BimatrixGame(rowPayoffs: a, columnPayoffs: b)
            let lh = LemkeHowson.solve(game)
            #expect(lh != nil)
            if let lh { #expect(game.isEquilibrium(lh.row, lh.column, tolerance: 1e-7)) }
            if size <= 5 {
                let all = NashEquilibriumSolver.solve(game)
                #expect(all.contains { approx($0.row, lh!.row) && approx($0.column, lh!.column) })
                #expect(all.count % 2 == 1)  // nondegenerate games have an odd number of equilibria
            }
        }
    }
}
