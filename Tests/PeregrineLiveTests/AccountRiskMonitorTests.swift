import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineLive
import PeregrineStorage
import PeregrineTestSupport
import Testing

/// The account-wide limits across a process's bots: measured on the broker's equity against the day's
/// first reading and the run's peak, tripped once, and every running bot paused and flattened.
@Suite struct AccountRiskMonitorTests {
    func bot(_ name: String) throws -> BotControl {
        BotControl(name: name, settings: TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(), symbols: [name.uppercased()],
                                                         timeframe: try BarTimeframe("1Min")))
    }

    @Test func theDailyLossTripsOnceAndEveryBotIsPausedAndFlattened() throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/account-risk.sqlite")
        let (a, b, done) = (try bot("aaa"), try bot("bbb"), try bot("ccc"))
        done.finish(error: nil)
        let monitor = AccountRiskMonitor(settings: AccountRiskSettings(dailyLossLimit: 0.03, maxDrawdown: 0.10), bots: [a, b, done],
                                         store: store, log: { _ in })
        // Day 10 opens at 100,000 and rises to 104,000; 101,000 is 2.9% off the peak but 1% up on the day.
        #expect(monitor.observe(equity: 100_000, day: 10) == nil)
        #expect(monitor.observe(equity: 104_000, day: 10) == nil)
        #expect(monitor.observe(equity: 101_000, day: 10) == nil)
        // 96,900 is 3.1% below the day's first reading.
        let breach = try #require(monitor.observe(equity: 96_900, day: 10))
        #expect(breach == .dailyLoss(loss: 1 - 96_900.0 / 100_000, limit: 0.03) && breach.description.contains("3.10% today"))
        // Once only.
        #expect(monitor.observe(equity: 90_000, day: 10) == nil)
        monitor.act(on: breach, at: Timestamp(seconds: 864_000))
        for running in [a, b] {
            #expect(running.takeCommands().map(\.0) == [.pause, .flatten(symbol: nil)])
        }
        #expect(done.takeCommands().isEmpty)
        let audit = try #require(try store.audit().first)
        #expect(audit.actor == "account risk" && audit.action == "flatten_all" && audit.detail.hasSuffix("for aaa, bbb"))
    }

    @Test func theDrawdownIsFromTheRunsPeakAcrossDays() {
        let monitor = AccountRiskMonitor(settings: AccountRiskSettings(maxDrawdown: 0.10), bots: [], store: nil, log: { _ in })
        #expect(monitor.observe(equity: 100_000, day: 1) == nil)
        #expect(monitor.observe(equity: 120_000, day: 2) == nil)
        // A new day restarts the daily measure, not the peak: 108,001 is 9.999% below 120,000.
        #expect(monitor.observe(equity: 108_001, day: 3) == nil)
        #expect(monitor.observe(equity: 107_999, day: 4) == .drawdown(drawdown: 1 - 107_999.0 / 120_000, limit: 0.10))
        // Bad readings are ignored.
        #expect(monitor.observe(equity: .nan, day: 4) == nil && monitor.observe(equity: -5, day: 4) == nil)
    }

    @Test func theTableIsReadAndItsMistakesNamed() throws {
        let settings = try #require(try AccountRiskSettings.parse("[account_risk]\ndaily_loss_limit = 0.02\ncheck_seconds = 1\n"))
        #expect(settings == AccountRiskSettings(dailyLossLimit: 0.02, maxDrawdown: nil, checkSeconds: 1))
        #expect(try AccountRiskSettings.parse("[[bots]]\nname = \"x\"\n") == nil)
        for (text, message) in [("[account_risk]\ncheck_seconds = 2\n", "give daily_loss_limit or max_drawdown (fractions, e.g. 0.03), or max_gross_exposure"),
                                ("[account_risk]\ndaily_loss_limit = 3\n", "daily_loss_limit: expected a number from"),
                                ("[account_risk]\nmax_drawdown = 0.1\nkill = true\n", "account_risk.kill is not a setting")] {
            #expect(throws: ConfigurationFileError.self) { try AccountRiskSettings.parse(text) }
            do { _ = try AccountRiskSettings.parse(text) } catch { #expect(error.description.contains(message), "\(error.description)") }
        }
    }
}
