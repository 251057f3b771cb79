import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineRisk
import PeregrineStrategies
import Testing

/// A bot on a schedule: orders only at its times, acting then on the signal it missed in between,
/// with exit rules still watching every bar.
@Suite struct ScheduleTests {
    static let series = SyntheticMarket.series(bars: 4_000, seed: 4, symbol: "SYN")

    func run(_ schedule: TradingSchedule?, exits: ExitPlan? = nil) throws -> BacktestResult {
        var configuration = BacktestConfiguration()
        configuration.schedule = schedule
        configuration.exits = exits
        return try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(), series: [Self.series],
                                            configuration: configuration)
    }

    func newYorkMinute(_ time: Timestamp) -> Int {
        let local = time.nanoseconds + ZoneRule.usEastern.offsetSeconds(at: time) * Timestamp.nanosPerSecond
        return Int(local.floorModulo(Timestamp.nanosPerDay) / Timestamp.nanosPerMinute)
    }

    @Test func ordersComeOnlyAtScheduledTimesAndActOnWhatWasMissed() throws {
        let result = try run(.everyMinutes(30, zone: .usEastern))
        let plain = try run(nil)
        let submitted = result.decisions.filter { $0.outcome == .submitted }
        #expect(submitted.count > 20 && result.roundTrips.count > 10)
        #expect(submitted.allSatisfy { newYorkMinute($0.timestamp) % 30 == 0 })
        // Each order placed "deferred from T" answers a signal held off schedule at T since the previous
        // scheduled bar (overnight, the first bar of the next session).
        let held = Set(result.decisions.filter { $0.reason == .offSchedule }.map(\.timestamp))
        let scheduled = (0..<Self.series.count).map { Timestamp(nanoseconds: Self.series.timestamps[$0]) }.filter { newYorkMinute($0) % 30 == 0 }
        var deferredCount = 0
        for decision in submitted where decision.detail.hasPrefix("deferred from ") {
            deferredCount += 1
            let from = try #require(held.first { decision.detail.hasPrefix("deferred from \($0)") })
            #expect(from < decision.timestamp && !scheduled.contains { $0 > from && $0 < decision.timestamp }, "\(from) -> \(decision.timestamp)")
        }
        #expect(deferredCount > 10 && held.count > 50)
        // Fills are the next bar's opens after scheduled decisions, so fewer than the unscheduled run's.
        #expect(result.fills.count < plain.fills.count)
        #expect(try run(.everyBar).fills == plain.fills)
    }

    @Test func exitRulesActBetweenScheduledTimes() throws {
        let result = try run(.everyMinutes(60, zone: .usEastern), exits: ExitPlan(timeStopBars: 7))
        let exits = result.decisions.filter { $0.reason == .exit(.timeStop) }
        #expect(!exits.isEmpty && exits.contains { newYorkMinute($0.timestamp) % 60 != 0 })
    }
}
