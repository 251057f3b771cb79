@testable import PeregrineLive
import Testing

/// The bell a stepped bot waits on once a bar: a ring ends the wait at once, the time limit ends it
/// otherwise, and a wait ended by a ring leaves no time limit sleeping behind it (a bot stepping a
/// year of minute bars would otherwise keep one task alive per bar for the whole limit).
@Suite struct BarBellTests {
    @Test func aRingEndsTheWaitAndItsTimeLimit() async throws {
        let bell = BarBell()
        for round in 1...200 {
            bell.clear()
            async let waited: Void = bell.wait(seconds: 3600)
            // Ring once the wait is registered (or before: then the wait returns at once).
            while bell.timersRunning == 0 && !bell.pending { await Task.yield() }
            bell.ring()
            await waited
            #expect(bell.total == round)
        }
        // Canceled limits end as soon as the task pool runs them (other tests may hold its threads a
        // while); a limit left sleeping would hold on for an hour.
        for _ in 0..<60_000 where bell.timersRunning > 0 { try await Task.sleep(nanoseconds: 2_000_000) }
        #expect(bell.timersRunning == 0)
    }

    @Test func theTimeLimitEndsAWaitNobodyRings() async {
        let bell = BarBell()
        let start = ContinuousClock.now
        await bell.wait(seconds: 0.05)
        let waited = ContinuousClock.now - start
        // At least the limit; at most what a pool busy with other tests' blocking work may add.
        #expect(waited >= .milliseconds(50) && waited < .seconds(900), "\(waited)")
        #expect(bell.total == 0 && bell.timersRunning == 0)
        // Rung before the wait: it returns at once, and starts no limit.
        bell.ring()
        await bell.wait(seconds: 3600)
        #expect(bell.timersRunning == 0)
    }
}
