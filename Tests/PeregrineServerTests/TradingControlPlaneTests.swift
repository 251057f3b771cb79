import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineLive
@testable import PeregrineServer
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// Actions through the API reach the running bots' queues, after the audit trail has them.
@Suite struct TradingControlPlaneTests {
    func bot(_ name: String, symbols: [String]) throws -> BotControl {
        BotControl(name: name, settings: TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "5"]), symbols: symbols,
                                                         timeframe: try BarTimeframe("1Min")))
    }

    @Test func actionsAreAuditedThenQueuedForTheRightBots() async throws {
        let trend = try bot("trend", symbols: ["AAPL", "MSFT"])
        let meanReversion = try bot("mean-reversion", symbols: ["MSFT"])
        let path = TestPaths.temporaryFolder() + "/live.sqlite"
        let store = try TradingStore(path: path)
        let plane = TradingControlPlane(bots: [trend, meanReversion], store: store, mode: "local")
        let api = ControlAPI(store: store, plane: plane, requestGuard: RequestGuard(token: ServerFixture.token, log: { _ in }), log: { _ in })
        func send(_ method: String, _ target: String, _ body: String = "") async -> APIResponse {
            await api.handle(APIRequest(method: method, target: target, headers: ["Authorization": "Bearer \(ServerFixture.token)"],
                                        body: Data(body.utf8), client: "10.0.0.1"))
        }
        let paused = await send("POST", "/api/v1/bots/trend/pause")
        #expect(paused.status == 200)
        let result = try #require(try ServerFixture.json(paused) as? [String: Any])
        #expect(result["accepted"] as? Bool == true && result["requested_by"] as? String == "10.0.0.1")
        #expect(trend.takeCommands().map(\.0) == [.pause] && meanReversion.takeCommands().isEmpty)

        // A flatten of MSFT goes to both bots that trade it; one of AAPL to trend only; of a symbol nobody trades, 404.
        #expect(await send("POST", "/api/v1/positions/MSFT/flatten").status == 200)
        #expect(trend.takeCommands().map(\.0) == [.flatten(symbol: "MSFT")])
        #expect(meanReversion.takeCommands().map(\.0) == [.flatten(symbol: "MSFT")])
        #expect(await send("POST", "/api/v1/positions/TSLA/flatten").status == 404)
        #expect(await send("POST", "/api/v1/bots/nobody/resume").status == 404)
        #expect(await send("DELETE", "/api/v1/orders/pg9-unknown").status == 404)

        // Resuming risk needs a person's name, which goes to every bot.
        #expect(await send("POST", "/api/v1/risk/resume", #"{"confirm": true, "by": "carol"}"#).status == 200)
        #expect(trend.takeCommands().map(\.0) == [.resumeRisk(by: "carol via 10.0.0.1")])
        #expect(await send("POST", "/api/v1/flatten", #"{"confirm": true}"#).status == 200)
        #expect(meanReversion.takeCommands().map(\.0) == [.resumeRisk(by: "carol via 10.0.0.1"), .flatten(symbol: nil)])

        let audit = try store.audit().reversed().map { "\($0.action) \($0.target) \($0.stage.rawValue) \($0.actor)" }
        #expect(audit == ["pause trend requested 10.0.0.1", "flatten MSFT requested 10.0.0.1", "risk_resume all requested carol via 10.0.0.1",
                          "flatten_all all requested 10.0.0.1"])
        let listed = try #require(try ServerFixture.json(await send("GET", "/api/v1/audit?limit=2")) as? [String: Any])
        #expect((listed["items"] as? [Any])?.count == 2 && listed["next_before"] as? Int != nil)

        // The bots as the API shows them; a finished bot takes no more actions.
        let bots = try #require(try ServerFixture.json(await send("GET", "/api/v1/bots")) as? [[String: Any]])
        #expect(bots.map { $0["name"] as? String } == ["trend", "mean-reversion"] && bots[0]["state"] as? String == "running")
        #expect(bots[0]["symbols"] as? [String] == ["AAPL", "MSFT"] && bots[0]["timeframe"] as? String == "1Min")
        trend.finish(error: "strategy threw: index out of range")
        let stopped = try #require(try ServerFixture.json(await send("GET", "/api/v1/bots/trend")) as? [String: Any])
        #expect(stopped["state"] as? String == "stopped" && (stopped["error"] as? String)?.contains("index out of range") == true)
        #expect(await send("POST", "/api/v1/bots/trend/pause").status == 409)
        let status = try #require(try ServerFixture.json(await send("GET", "/api/v1/status")) as? [String: Any])
        #expect(status["mode"] as? String == "local" && status["read_only"] as? Bool == false && status["bots_running"] as? Int == 1)
    }
}
