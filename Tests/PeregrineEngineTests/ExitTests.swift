import PeregrineCore
import PeregrineEngine
import PeregrineRisk
import PeregrineTestSupport
import Testing

/// Exit rules on hand-made daily bars: a buy signal on bar 0 fills at bar 1's open; an exit
/// decided on a bar's close fills at the next bar's open.
@Suite struct ExitTests {
    func run(_ closes: [String], quantity: Int = 300, _ plan: ExitPlan) -> BacktestResult {
        let bars = BarBuilder.flatDaily(closes)
        return runScript(bars, [0: [.signal(.buy, Quantity(quantity))]]) { $0.exits = plan }
    }

    @Test func stopLossByPercent() {
        // Entry 100; stop 95; closes 97 then 94 -> exit decided on bar 3 (94), filled at bar 4's open (93).
        let r = run(["100", "100", "97", "94", "93", "92"], ExitPlan(stopLoss: .percent(0.05)))
        #expect(r.fills.map(\.price) == [price("100"), price("93")])
        #expect(r.decisions.contains { $0.reason == .exit(.stopLoss) })
    }

    @Test func takeProfitAndTimeStop() {
        let tp = run(["100", "100", "104", "110", "111"], ExitPlan(takeProfit: .percent(0.08)))
        #expect(tp.fills.map(\.price) == [price("100"), price("111")])  // 110 >= 108 on bar 3
        let time = run(["100", "100", "101", "102", "103", "104"], ExitPlan(timeStopBars: 3))
        // Held on bars 1, 2, 3 -> exit decided on bar 3, filled at bar 4 (103).
        #expect(time.fills.map(\.price) == [price("100"), price("103")])
        #expect(time.decisions.contains { $0.reason == .exit(.timeStop) })
    }

    @Test func trailingByPercentFollowsTheBestClose() {
        // Best close 120; 5% trail = 114; close 113 on bar 5 -> exit at bar 6's open (112).
        let r = run(["100", "100", "110", "120", "116", "113", "112"], ExitPlan(trailing: .percent(0.05)))
        #expect(r.fills.map(\.price) == [price("100"), price("112")])
        #expect(r.decisions.contains { $0.reason == .exit(.trailingStop) })
    }

    @Test func scaledExitsTakeThirdsAtOneAndTwoR() {
        // Entry 100, stop 95 (R = 5): 1R at 105 and 2R at 110 each sell a third of 300.
        let r = run(["100", "100", "106", "107", "111", "112", "113"], ExitPlan(stopLoss: .percent(0.05), scaled: .init()))
        #expect(r.fills.map(\.quantity) == [Quantity(300), Quantity(100), Quantity(100)])
        #expect(r.fills.map(\.price) == [price("100"), price("107"), price("112")])
        #expect(r.decisions.map(\.reason).filter { if case .exit(.scaledExit) = $0 { true } else { false } }
            == [.exit(.scaledExit(tier: 1)), .exit(.scaledExit(tier: 2))])
        #expect(r.account.position(acme).quantity == Quantity(100))
    }

    @Test func stopLossByATRMultiple() {
        // 16 bars with a constant range of 2 (high = close + 1, low = close - 1): ATR(14) = 2 at entry,
        // so a 2-ATR stop sits 4 below the 100 entry.
        var bars: [Bar] = []
        var day = CivilDate(year: 2024, month: 1, day: 1)
        let closes = Array(repeating: 100, count: 16) + [97, 95, 94]
        for c in closes {
            while day.weekday == 0 || day.weekday == 6 { day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1) }
            bars.append(BarBuilder.bar(day.description, "\(c)", "\(c + 1)", "\(c - 1)", "\(c)"))
            day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1)
        }
        let r = runScript(bars, [15: [.signal(.buy, Quantity(10))]]) { $0.exits = ExitPlan(stopLoss: .atr(2)) }
        // Entry at bar 16's open (97); stop = 97 - 4 = 93; bar 18 closes 94 (above), so no exit: only the entry.
        #expect(r.fills.map(\.price) == [price("97")])
        let tight = runScript(bars, [15: [.signal(.buy, Quantity(10))]]) { $0.exits = ExitPlan(stopLoss: .atr(1)) }
        // Stop 95: bar 17 closes 95 -> exit at bar 18's open (94).
        #expect(tight.fills.map(\.price) == [price("97"), price("94")])
    }

    @Test func endOfDayFlattensAt1553AndEarlierOnEarlyCloses() {
        func bars(on date: String, from start: Int, count: Int) -> [Bar] {
            // One-minute bars from `start` minutes past 14:30 UTC (09:30 New York in winter).
            (0..<count).map { k in
                let minute = 14 * 60 + 30 + start + k
                return BarBuilder.bar(at: "\(date)T\(minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60)", "100", "100", "100", "100")
            }
        }
        var plan = ExitPlan()
        plan.endOfDay = ExitPlan.EndOfDay()
        // A regular day: the bar 15:52-15:53 ends at the flatten time; the exit fills at the 15:53 bar's open.
        let regular = bars(on: "2024-01-10", from: 370, count: 8)  // 15:40 ... 15:47 New York
            + bars(on: "2024-01-10", from: 380, count: 5)            // 15:50 ... 15:54
        let r = runScript(regular, [0: [.signal(.buy, Quantity(1))]]) { $0.exits = plan; $0.venue.calendar = .usEquity }
        #expect(r.fills.count == 2)
        #expect(r.fills[1].timestamp.iso8601 == "2024-01-10T20:53:00Z")  // 15:53 New York
        // Black Friday 2024-11-29 closes at 13:00: flatten at 12:53.
        let friday = bars(on: "2024-11-29", from: 200, count: 5)  // 12:50 ... 12:54
        let f = runScript(friday, [0: [.signal(.buy, Quantity(1))]]) { $0.exits = plan; $0.venue.calendar = .usEquity }
        #expect(f.fills.count == 2)
        #expect(f.fills[1].timestamp.iso8601 == "2024-11-29T17:53:00Z")
        #expect(f.decisions.contains { $0.reason == .exit(.endOfDay) })
    }

    @Test func nyseEarlyCloseRules() {
        let rules = EarlyCloses()
        func early(_ y: Int, _ m: Int, _ d: Int) -> Bool { rules.earlyClose(on: CivilDate(year: y, month: m, day: d)) != nil }
        #expect(early(2024, 7, 3))     // July 4 on a Thursday
        #expect(!early(2021, 7, 2))    // July 4 on a Sunday: the holiday moves, no early close
        #expect(early(2024, 11, 29))   // day after Thanksgiving
        #expect(!early(2024, 11, 28))  // Thanksgiving itself is a holiday, not an early close
        #expect(early(2024, 12, 24))   // a Tuesday
        #expect(!early(2022, 12, 23))  // Christmas Eve on a Saturday
        #expect(!early(2024, 1, 10))
    }
}
