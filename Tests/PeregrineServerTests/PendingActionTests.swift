import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineLive
@testable import PeregrineServer
import PeregrineStorage
import PeregrineTestSupport
import Testing

/// Proposals (what the MCP tools put forward) wait for a person: nothing reaches a bot until one is
/// confirmed with a name, each step is in the audit trail, and bad proposals are refused by field.
@Suite struct PendingActionTests {
    func setUp() throws -> (ControlAPI, BotControl, TradingStore) {
        let desk = BotControl(name: "desk", settings: TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(), symbols: ["SPY", "QQQ"],
                                                                     timeframe: try BarTimeframe("1Min")))
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/pending.sqlite")
        let plane = TradingControlPlane(bots: [desk], store: store, mode: "paper")
        let api = ControlAPI(store: store, plane: plane, requestGuard: RequestGuard(token: ServerFixture.token, log: { _ in }), log: { _ in })
        return (api, desk, store)
    }

    func send(_ api: ControlAPI, _ method: String, _ target: String, _ body: String = "") async -> APIResponse {
        await api.handle(APIRequest(method: method, target: target, headers: ["Authorization": "Bearer \(ServerFixture.token)"],
                                    body: Data(body.utf8), client: "10.0.0.7"))
    }

    @Test func anOrderWaitsForAPersonThenGoesToTheBot() async throws {
        let (api, desk, store) = try setUp()
        let proposed = await send(api, "POST", "/api/v1/pending", #"{"action": "submit_order", "bot": "desk", "symbol": "spy", "side": "buy", "quantity": "10", "limit_price": "410.25", "requested_by": "mcp:submit_order", "reason": "rebalance"}"#)
        #expect(proposed.status == 200)
        let view = try #require(try ServerFixture.json(proposed) as? [String: Any])
        let id = try #require(view["id"] as? String)
        #expect(view["state"] as? String == "pending" && view["target"] as? String == "desk: buy 10 SPY limit 410.25")
        // Proposed, nothing queued: the bot sees no command until a person confirms.
        #expect(desk.takeCommands().isEmpty)
        #expect(await send(api, "POST", "/api/v1/pending/\(id)/confirm", #"{"confirm": true}"#).status == 400)
        #expect(desk.takeCommands().isEmpty)

        let confirmed = await send(api, "POST", "/api/v1/pending/\(id)/confirm", #"{"confirm": true, "by": "erin"}"#)
        #expect(confirmed.status == 200)
        let answer = try #require(try ServerFixture.json(confirmed) as? [String: Any])
        #expect(answer["state"] as? String == "confirmed" && answer["decided_by"] as? String == "erin via 10.0.0.7")
        #expect((answer["result"] as? [String: Any])?["accepted"] as? Bool == true)
        let commands = desk.takeCommands()
        #expect(commands.map(\.0) == [.order(try OperatorOrder.parse(symbol: "SPY", side: "buy", quantity: "10", limitPrice: "410.25"))])
        #expect(commands.first?.1 == "erin via 10.0.0.7, confirming mcp:submit_order via 10.0.0.7")
        // A proposal is decided once.
        #expect(await send(api, "POST", "/api/v1/pending/\(id)/confirm", #"{"confirm": true, "by": "erin"}"#).status == 409)

        let audit = try store.audit().reversed().map { "\($0.stage.rawValue) \($0.action) \($0.actor)" }
        #expect(audit == ["proposed submit_order mcp:submit_order via 10.0.0.7", "confirmed submit_order erin via 10.0.0.7",
                          "requested submit_order erin via 10.0.0.7, confirming mcp:submit_order via 10.0.0.7"])
        #expect(try store.audit().last?.detail.contains("reason: rebalance") == true)
    }

    @Test func aRejectedProposalNeverReachesTheBot() async throws {
        let (api, desk, store) = try setUp()
        let proposed = try #require(try ServerFixture.json(await send(api, "POST", "/api/v1/pending",
                                                                      #"{"action": "pause", "bot": "desk", "requested_by": "mcp:pause_bot"}"#)) as? [String: Any])
        let id = try #require(proposed["id"] as? String)
        #expect(await send(api, "POST", "/api/v1/pending/\(id)/reject", #"{"by": "frank"}"#).status == 200)
        #expect(await send(api, "POST", "/api/v1/pending/\(id)/confirm", #"{"confirm": true, "by": "frank"}"#).status == 409)
        #expect(desk.takeCommands().isEmpty)
        let listed = try #require(try ServerFixture.json(await send(api, "GET", "/api/v1/pending?state=rejected")) as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [id])
        #expect(try store.audit().first?.stage == .rejected)
        #expect(await send(api, "GET", "/api/v1/pending?state=maybe").status == 400)
        #expect(await send(api, "POST", "/api/v1/pending/p999/reject", "{}").status == 404)
    }

    @Test func badProposalsAreRefusedByField() async throws {
        let (api, _, store) = try setUp()
        let cases: [(String, String)] = [
            (#"{"action": "submit_order", "bot": "desk", "symbol": "SPY", "side": "hold", "quantity": "1", "requested_by": "t"}"#, "side must be buy or sell"),
            (#"{"action": "submit_order", "bot": "desk", "symbol": "SPY", "side": "buy", "quantity": "-3", "requested_by": "t"}"#, "quantity must be a positive"),
            (#"{"action": "submit_order", "bot": "desk", "symbol": "SPY", "side": "buy", "quantity": "NaN", "requested_by": "t"}"#, "quantity must be a positive"),
            (#"{"action": "submit_order", "bot": "desk", "symbol": "SPY", "side": "buy", "requested_by": "t"}"#, "needs 'quantity'"),
            (#"{"action": "launch", "requested_by": "t"}"#, "is not one of"),
            (#"{"action": "pause", "bot": "desk", "requested_by": ""}"#, "requested_by"),
            (#"{"action": "flatten", "symbol": "S P Y", "requested_by": "t"}"#, "symbol"),
        ]
        for (body, message) in cases {
            let answer = await send(api, "POST", "/api/v1/pending", body)
            let error = try ServerFixture.json(answer) as? [String: Any]
            #expect(answer.status == 400 && (error?["message"] as? String)?.contains(message) == true, "\(body): \(error ?? [:])")
        }
        // An order for a symbol the bot does not trade is refused at confirmation, and says so.
        let proposed = try #require(try ServerFixture.json(await send(api, "POST", "/api/v1/pending",
            #"{"action": "submit_order", "bot": "desk", "symbol": "TSLA", "side": "sell", "quantity": "2", "requested_by": "t"}"#)) as? [String: Any])
        let refused = await send(api, "POST", "/api/v1/pending/\(proposed["id"] as? String ?? "")/confirm", #"{"confirm": true, "by": "gail"}"#)
        #expect(refused.status == 400 && String(decoding: refused.body, as: UTF8.self).contains("does not trade TSLA"))
        #expect(try store.audit().count == 2)
    }

    @Test func aProposalLapsesUnconfirmed() throws {
        let (api, _, store) = try setUp()
        let book = PendingActions(lifetimeSeconds: 60)
        let start = Timestamp(seconds: 1_000_000)
        let pending = try book.propose(.flattenAll, by: "mcp:test", reason: "", store: store, now: start)
        #expect(book.list(now: Timestamp(seconds: 1_000_059)).first?.state == .pending)
        #expect(book.list(now: Timestamp(seconds: 1_000_061)).first?.state == .expired)
        #expect(throws: APIError.self) { try book.decide(pending.id, .confirmed, by: "late", now: Timestamp(seconds: 1_000_061)) }
        _ = api
    }

    @Test func aStoreServedAloneTakesNoProposals() async throws {
        let fixture = try ServerFixture()
        let answer = await fixture.send("POST", "/api/v1/pending", body: #"{"action": "flatten_all", "requested_by": "mcp:x"}"#)
        #expect(answer.status == 409 && String(decoding: answer.body, as: UTF8.self).contains("read_only"))
    }
}
