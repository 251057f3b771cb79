import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import Testing

@Suite struct WalkForwardTests {
    static let series: BarSeries = {
        var options = SyntheticMarket.Options()
        options.bars = 3_000
        options.seed = 23
        options.interval = Timestamp.nanosPerDay
        return SyntheticMarket(options: options).generate()
    }()
    let grid = SMACrossSweep.grid(fast: stride(from: 5, through: 20, by: 5), slow: stride(from: 30, through: 90, by: 30))
        .map { ["fast": String($0.fast), "slow": String($0.slow)] }

    @Test func rollingWindowsTradeOnlyOutOfSampleAndStitchTheCapital() throws {
        var settings = WalkForwardAnalysis.Settings(inSample: 1_000, outOfSample: 500)
        settings.holdout = 0
        let report = try WalkForwardAnalysis(series: Self.series, grid: grid, settings: settings, periodsPerYear: 252).run()
        // Starts at 0, 500, 1000, 1500: the last in-sample 1500..<2500 and out-of-sample 2500..<3000.
        #expect(report.windows.map(\.inSampleBars) == [0..<1000, 500..<1500, 1000..<2000, 1500..<2500])
        #expect(report.windows.map(\.outOfSampleBars) == [1000..<1500, 1500..<2000, 2000..<2500, 2500..<3000])
        var cash = Money(1_000_000)
        for window in report.windows {
            let start = Self.series.timestamps[window.outOfSampleBars.lowerBound]
            #expect(window.result.fills.allSatisfy { $0.timestamp.nanoseconds > start })
            #expect(window.result.account.initialCash == cash)
            #expect(window.result.equity.count == window.outOfSampleBars.count)
            cash = window.result.finalEquity
            #expect(grid.contains(window.parameters))
        }
        #expect(report.equity.count == 2_000)
        #expect(report.equity.last!.1 == report.windows.last!.result.finalEquity)
        #expect(report.roundTrips == report.windows.reduce(0) { $0 + $1.result.roundTrips.count })
    }

    @Test func anchoredWindowsGrowAndHoldoutRunsLast() throws {
        var settings = WalkForwardAnalysis.Settings(inSample: 1_000, outOfSample: 500)
        settings.anchored = true
        settings.holdout = 0.2  // the last 600 bars
        let report = try WalkForwardAnalysis(series: Self.series, grid: grid, settings: settings, periodsPerYear: 252).run()
        // The third window's out-of-sample part is cut short at the holdout.
        #expect(report.windows.map(\.inSampleBars) == [0..<1000, 0..<1500, 0..<2000])
        #expect(report.windows.map(\.outOfSampleBars) == [1000..<1500, 1500..<2000, 2000..<2400])
        let holdout = try #require(report.holdout)
        #expect(holdout.inSampleBars == 0..<2400 && holdout.outOfSampleBars == 2400..<3000)
        #expect(holdout.result.account.initialCash == report.windows.last!.result.finalEquity)
    }

    @Test func theStitchedRunIsTheWindowsInOrderAndItsTearsheetShowsEachWindow() throws {
        var settings = WalkForwardAnalysis.Settings(inSample: 1_000, outOfSample: 500)
        settings.holdout = 0.1
        let report = try WalkForwardAnalysis(series: Self.series, grid: grid, settings: settings, periodsPerYear: 252).run()
        let stitched = try #require(report.stitchedResult(initialCash: settings.initialCash))
        #expect(stitched.equity.count == report.equity.count && stitched.bars == report.equity.count)
        #expect(zip(stitched.equity, report.equity).allSatisfy { $0.timestamp.nanoseconds == $1.0 && $0.equity == $1.1 })
        #expect(stitched.fills.map(\.timestamp) == report.windows.flatMap { $0.result.fills.map(\.timestamp) })
        #expect(stitched.roundTrips.count == report.roundTrips && stitched.roundTrips.count >= 5)
        // Metrics over the stitched curve from the starting capital: the report's own figures.
        #expect(abs(stitched.metrics.returns.totalReturn - report.statistics.totalReturn) < 1e-12)
        #expect(abs(stitched.metrics.returns.maxDrawdown - report.statistics.maxDrawdown) < 1e-12)
        #expect(stitched.metrics.initialEquity == settings.initialCash)
        #expect(stitched.finalEquity == report.windows.last!.result.finalEquity)

        let firstTraded = report.windows[0].outOfSampleBars.lowerBound
        let traded = Self.series.slice(firstTraded..<report.windows.last!.outOfSampleBars.upperBound)
        var sheet = Tearsheet(result: stitched, series: [traded], title: "wf", verdict: report.verdict)
        sheet.extraSections.append((title: "Walk-forward windows", html: WalkForwardSection.render(report, timeline: Self.series.timestamps)))
        let html = sheet.render()
        #expect(html.components(separatedBy: "<svg").count - 1 == 8)
        for (k, window) in report.windows.enumerated() {
            #expect(html.contains("<tr><td class=\"left\">\(k + 1)</td>"), "window \(k + 1)")
            #expect(html.contains("<td>\(window.parameters["fast"]!)</td><td>\(window.parameters["slow"]!)</td>"))
        }
        #expect(html.contains("<tr><td class=\"left\">holdout</td>"))
        #expect(!html.contains("<tr><td class=\"left\">\(report.windows.count + 1)</td>"))
    }

    @Test func oneCombinationIsPerfectlyStable() throws {
        let report = try WalkForwardAnalysis(series: Self.series, grid: [["fast": "10", "slow": "30"]],
                                             settings: .init(inSample: 500, outOfSample: 500), periodsPerYear: 252).run()
        #expect(report.stability == ["fast": 0, "slow": 0])
        #expect(!report.verdict.description.isEmpty)
        #expect(throws: WalkForwardAnalysis.Failure.self) {
            try WalkForwardAnalysis(series: Self.series, grid: [["fast": "10", "slow": "30"]],
                                    settings: .init(inSample: 2_900, outOfSample: 500), periodsPerYear: 252).run()
        }
    }

    @Test func gateNamesEveryMissedThreshold() {
        let gate = ValidationGate()
        let verdict = gate.judge(trades: 50, winRate: 0.4, sharpe: 0.8, maxDrawdown: -0.3, inSampleSharpe: 2)
        #expect(!verdict.passed && verdict.failures.count == 5)
        #expect(gate.judge(trades: 150, winRate: 0.5, sharpe: 1.2, maxDrawdown: -0.1, inSampleSharpe: 2).passed)
        #expect(!gate.judge(trades: 150, winRate: 0.5, sharpe: 0.99, maxDrawdown: -0.1).passed)
    }

    /// A portfolio of two instruments, the second starting 1,200 bars later and missing bars: windows
    /// count the merged time steps, each window trades only its own dates, the capital carries over,
    /// and the late instrument trades only once it has bars.
    @Test func aPortfolioWalksForwardOnTheMergedTimeline() throws {
        var late = BarSeries(instrument: .usEquity("LATE"))
        let other = SyntheticMarket.series(bars: 3_000, seed: 5, interval: Timestamp.nanosPerDay, symbol: "LATE")
        for t in 1_200..<3_000 where t % 7 != 0 { late.append(other[t]) }
        var settings = WalkForwardAnalysis.Settings(inSample: 600, outOfSample: 300)
        settings.holdout = 0
        let analysis = WalkForwardAnalysis(series: [Self.series, late], grid: grid, settings: settings, periodsPerYear: 252)
        #expect(analysis.timeline == Self.series.timestamps)
        let report = try analysis.run()
        #expect(report.windows.count == 8)
        var cash = Money(1_000_000)
        for window in report.windows {
            let start = analysis.timeline[window.outOfSampleBars.lowerBound]
            let end = analysis.timeline[window.outOfSampleBars.upperBound - 1]
            #expect(window.result.fills.allSatisfy { $0.timestamp.nanoseconds > start && $0.timestamp.nanoseconds <= end })
            #expect(window.result.account.initialCash == cash)
            #expect(window.result.equity.count == window.outOfSampleBars.count)
            cash = window.result.finalEquity
            for fill in window.result.fills where fill.instrument.index == 1 {
                #expect(late.timestamps.contains(fill.timestamp.nanoseconds))
            }
        }
        #expect(report.windows.flatMap(\.result.fills).contains { $0.instrument.index == 1 })
        #expect(report.windows[0].result.fills.allSatisfy { $0.instrument.index == 0 })
    }
}
