import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineLive
import PeregrineRisk
@testable import PeregrineServer
import PeregrineStorage
import PeregrineTestSupport
import Testing

/// The assistant's rules on a store made by hand, so each number it quotes can be checked: refusals
/// by a limit and by the veto, a sleeve that never entered, fills away from their bar's open, and a
/// backtest that fails the validation gate while another passes.
@Suite struct TradingAssistantTests {
    static func decision(_ n: Int, outcome: Decision.Outcome, reason: DecisionReason) -> Decision {
        Decision(timestamp: Timestamp(seconds: Int64(86_400 * (n + 1))), instrument: InstrumentID(0), action: .buy, outcome: outcome, reason: reason,
                 detail: "n=\(n)", side: .buy, quantity: Quantity(10))
    }

    @Test func eachRuleQuotesItsNumbers() throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/assistant.sqlite")
        // A bot whose max_position_size refuses 8 of 12 entries, and whose veto refuses 1.
        let limited = try store.beginRun(kind: "paper", strategy: "momentum", parameters: "", started: Timestamp(seconds: 0), initialEquity: Money(100_000))
        var rows: [(Decision, String, String?, String?)] = []
        for n in 0..<3 { rows.append((Self.decision(n, outcome: .submitted, reason: .openLong), "SPY", nil, "momentum")) }
        for n in 3..<11 { rows.append((Self.decision(n, outcome: .rejected, reason: .rejected(.maxPositionSize)), "SPY", nil, "momentum")) }
        rows.append((Self.decision(11, outcome: .rejected, reason: .rejected(.vetoed)), "SPY", nil, "momentum"))
        rows.append((Self.decision(12, outcome: .rejected, reason: .rejected(.shortingDisabled)), "SPY", nil, "momentum"))
        try store.appendDecisions(runID: limited, rows)

        // A portfolio whose sleeve "carry" never entered while "trend" entered 12 times.
        let portfolio = try store.beginRun(kind: "sim", strategy: "portfolio", parameters: "", started: Timestamp(seconds: 0), initialEquity: Money(100_000))
        try store.appendDecisions(runID: portfolio, (0..<12).map { (Self.decision($0, outcome: .submitted, reason: .openLong), "QQQ", nil, "trend") }
                                  + [(Self.decision(13, outcome: .held, reason: .signalHold), "QQQ", nil, "carry")])

        // A run whose 10 buys filled 20 bps above their bar's open (stored bars).
        let drifting = try store.beginRun(kind: "live", strategy: "breakout", parameters: "", started: Timestamp(seconds: 0), initialEquity: Money(100_000))
        var bars: [Bar] = []
        for n in 0..<10 {
            let open = Price(100 + n)
            let time = Timestamp(seconds: Int64(86_400 * (n + 1)))
            bars.append(Bar(timestamp: time, open: open, high: open + Price(2), low: open - Price(2), close: open, volume: Quantity(1_000)))
            let id = "d\(n)"
            try store.recordIntent(OrderIntent(clientOrderID: id, runID: drifting, symbol: "IWM", side: .buy, quantity: Quantity(1), type: .market, body: "{}"),
                                   at: time)
            try store.recordFill(StoredFill(executionID: "e\(n)", clientOrderID: id, timestamp: Timestamp(seconds: time.seconds + 60), symbol: "IWM",
                                            side: .buy, quantity: Quantity(1), price: Price(units: open.units + open.units / 500), commission: .zero))
        }
        try store.importBars(bars, symbol: "IWM")

        // Two backtests: one fails the gate (12 trades, Sharpe 0.4), one passes.
        let weak = try store.beginRun(kind: "backtest", strategy: "sma-cross", parameters: "fast=5,slow=20", started: Timestamp(seconds: 0),
                                      initialEquity: Money(100_000))
        try store.recordReport(runID: weak, summary: #"{"trade_count": 12, "win_rate": 0.5, "sharpe": 0.4, "max_drawdown": -0.1}"#, html: nil)
        let strong = try store.beginRun(kind: "backtest", strategy: "sma-cross", parameters: "fast=10,slow=30", started: Timestamp(seconds: 0),
                                        initialEquity: Money(100_000))
        try store.recordReport(runID: strong, summary: #"{"trade_count": 150, "win_rate": 0.55, "sharpe": 1.6, "max_drawdown": -0.12}"#, html: nil)

        let advice = try TradingAssistant(store: store).recommendations()
        #expect(advice.map(\.rule) == ["fill_drift", "starved_sleeve", "limits_refuse_entries", "validation_gate"], "\(advice.map(\.rule))")
        let limits = try #require(advice.first { $0.rule == "limits_refuse_entries" })
        // 3 sent + 9 refused (8 by the limit, 1 by the veto; shorting_disabled is a gate's refusal, not an entry's).
        #expect(limits.runId == limited && limits.evidence == ["entries_tried": "12", "entries_sent": "3", "refused_by_max_position_size": "8",
                                                                "share": "66.7%"])
        let sleeve = try #require(advice.first { $0.rule == "starved_sleeve" })
        #expect(sleeve.subject == "carry" && sleeve.evidence["entries_sent"] == "0" && sleeve.evidence["entries_sent_all_sleeves"] == "12")
        let drift = try #require(advice.first { $0.rule == "fill_drift" })
        #expect(drift.evidence == ["fills": "10", "mean_slippage_bps": "20.00"] && drift.text.contains("--slippage bps:20"))
        let gate = try #require(advice.first { $0.rule == "validation_gate" })
        #expect(gate.runId == weak && gate.evidence["trades"] == "12" && gate.text.contains("fails its validation gate"))
    }

    /// The go/no-go panel judges each bot's strategy on its stored backtest, with the bot's own
    /// parameters when such a backtest is stored, even when a newer one of other parameters passes.
    @Test func goNoGoUsesTheBotsOwnBacktest() async throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/validation.sqlite")
        let own = try store.beginRun(kind: "backtest", strategy: "sma-cross", parameters: "fast=5", started: Timestamp(seconds: 0), initialEquity: Money(1))
        try store.recordReport(runID: own, summary: #"{"trade_count": 40, "win_rate": 0.5, "sharpe": 1.4, "max_drawdown": -0.31}"#, html: nil)
        let other = try store.beginRun(kind: "backtest", strategy: "sma-cross", parameters: "fast=9", started: Timestamp(seconds: 0), initialEquity: Money(1))
        try store.recordReport(runID: other, summary: #"{"trade_count": 200, "win_rate": 0.5, "sharpe": 1.4, "max_drawdown": -0.1}"#, html: nil)
        let desk = BotControl(name: "desk", settings: TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "5"]),
                                                                     symbols: ["SPY"], timeframe: try BarTimeframe("1Day")))
        let lone = BotControl(name: "lone", settings: TradingSettings(strategy: "ts-momentum", parameters: StrategyParameters(), symbols: ["QQQ"],
                                                                     timeframe: try BarTimeframe("1Day")))
        let api = ControlAPI(store: store, plane: TradingControlPlane(bots: [desk, lone], store: store, mode: "paper"),
                             requestGuard: RequestGuard(token: ServerFixture.token, log: { _ in }), log: { _ in })
        let answer = await api.handle(APIRequest(method: "GET", target: "/api/v1/validation", headers: ["Authorization": "Bearer \(ServerFixture.token)"]))
        let rows = try #require(try ServerFixture.json(answer) as? [[String: Any]])
        #expect(rows.map { $0["verdict"] as? String } == ["NO-GO", "no backtest"])
        let backtest = try #require(rows[0]["backtest"] as? [String: Any])
        // 40 trades (< 100) and a 31% drawdown (> 25%) fail; the Sharpe of 1.4 passes.
        #expect(backtest["run_id"] as? Int == Int(own) && rows[0]["same_parameters"] as? Bool == true)
        #expect((backtest["failures"] as? [String])?.count == 2, "\(backtest)")
    }

    @Test func theAPIAndTheDashboardServeIt() async throws {
        let fixture = try ServerFixture()
        let answer = await fixture.get("/api/v1/assistant")
        #expect(answer.status == 200)
        let list = try #require(try ServerFixture.json(answer) as? [[String: Any]])
        // The fixture's backtest has a summary without trade statistics, so no gate advice: an empty list is the right answer.
        #expect(list.allSatisfy { $0["evidence"] is [String: String] })
        #expect(await fixture.get("/api/v1/assistant", token: nil).status == 401)
    }
}
