import PeregrineCore
@testable import PeregrineModels
import Testing

/// The sizing game's direct answer (`SignalingGame.clearMaximinSize`) must equal the answer of the
/// solver it stands in for (`solvedMinimaxMultiplier`: support enumeration of the zero-sum game) bit
/// for bit, whenever it gives one: on random games and on games built to sit near the degenerate
/// ones (two surviving margins, or two sizes' payoffs, almost equal), where it must step aside.
@Suite struct ClearMaximinSizeTests {
    /// m and x with the given margins e = m − x for the survivors (others eliminated: m < x).
    static func game(margins: [Double], survivors: [MarketType], rng: inout SeededGenerator) -> (m: [Double], x: [Double]) {
        var x = (0..<4).map { _ in rng.nextUniform() * 0.5 }
        var m = x.map { $0 - 0.01 - rng.nextUniform() }
        for (t, e) in zip(survivors, margins) {
            x[t.rawValue] = rng.nextUniform() * 0.5
            m[t.rawValue] = x[t.rawValue] + e
        }
        return (m, x)
    }

    static func survivors(_ count: Int, rng: inout SeededGenerator) -> [MarketType] {
        var types = MarketType.allCases
        while types.count > count { types.remove(at: Int(rng.next() % UInt64(types.count))) }
        return types
    }

    /// Checks one game; returns whether the direct answer was given.
    @discardableResult
    static func check(_ m: [Double], _ x: [Double], _ survivors: [MarketType]) -> Bool {
        let solved = SignalingGame.solvedMinimaxMultiplier(m: m, x: x, survivors: survivors)
        guard let direct = SignalingGame.clearMaximinSize(m: m, x: x, survivors: survivors) else { return false }
        #expect(direct.bitPattern == solved.bitPattern,
                "margins \(survivors.map { m[$0.rawValue] - x[$0.rawValue] }): direct \(direct), solver \(solved)")
        return true
    }

    @Test func randomGames() {
        var rng = SeededGenerator(seed: 2026)
        var direct = 0
        let games = 4_000
        for _ in 0..<games {
            let count = 1 + Int(rng.next() % 4)
            let scale = [0.3, 1.2, 5, 1_000][Int(rng.next() % 4)]
            let margins = (0..<count).map { _ in rng.nextUniform() * scale }
            let survivors = Self.survivors(count, rng: &rng)
            let (m, x) = Self.game(margins: margins, survivors: survivors, rng: &rng)
            if Self.check(m, x, survivors) { direct += 1 }
        }
        // Near-ties are rare among random games: nearly all are answered directly.
        #expect(direct > games * 95 / 100, "answered directly: \(direct) of \(games)")
        // No survivor: no size, either way.
        #expect(SignalingGame.clearMaximinSize(m: [0, 0, 0, 0], x: [1, 1, 1, 1], survivors: []) == 0)
    }

    /// The worst margin near each point where two grid sizes pay the same (e = 0.125, 0.375, 0.625,
    /// 0.875) and the other margins near it, at gaps from far below to just above `clearGap`.
    @Test func gamesNearTheDegenerateOnes() {
        var rng = SeededGenerator(seed: 7)
        var direct = 0
        var total = 0
        let offsets: [Double] = [0, 1e-12, 1e-9, 1e-7, 1e-5, 1.0001e-4, 2e-4, 1e-3, 2e-2]
        for tie in [0.0, 0.125, 0.375, 0.625, 0.875, 2.0] {
            for offset in offsets + offsets.map({ -$0 }) where tie + offset >= 0 {
                for gap in [0, 1e-12, 1e-9, 1e-6, 0.99e-4, 1.01e-4, 1e-3, 0.25, 2] {
                    for count in 1...4 {
                        let worst = tie + offset
                        let margins = (0..<count).map { worst + Double($0) * gap }
                        let survivors = Self.survivors(count, rng: &rng)
                        let (m, x) = Self.game(margins: margins.shuffled(using: &rng), survivors: survivors, rng: &rng)
                        total += 1
                        if Self.check(m, x, survivors) { direct += 1 }
                    }
                }
            }
        }
        // Both paths are exercised: the direct answer where the game is clear, the solver elsewhere.
        #expect(direct > total / 10 && direct < total * 9 / 10, "answered directly: \(direct) of \(total)")
    }

    /// The games the signal engine plays: the fixed form's payoffs on random forecasts.
    @Test func theSignalGamesAnswers() {
        var rng = SeededGenerator(seed: 99)
        let game = SignalingGame()
        for _ in 0..<2_000 {
            let action: Double = rng.next() % 2 == 0 ? 1 : -1
            let move: Double = rng.next() % 2 == 0 ? 1 : -1
            let outcome = game.play(action: action, forecastReturn: rng.nextNormal() * 0.03, horizonVolatility: 0.01,
                                    recentMove: move, posterior: [0.25, 0.25, 0.25, 0.25])
            Self.check(outcome.deviationPayoffs, outcome.equilibriumPayoffs, outcome.survivors)
            #expect(outcome.minimaxMultiplier == SignalingGame.solvedMinimaxMultiplier(
                m: outcome.deviationPayoffs, x: outcome.equilibriumPayoffs, survivors: outcome.survivors))
        }
    }
}
