import Foundation
import PeregrineCore
@testable import PeregrineServer
import PeregrineStorage
import PeregrineTestSupport
import Testing

@Suite struct ControlAPITests {
    @Test func healthIsPublicAndEverythingElseNeedsTheToken() async throws {
        let fixture = try ServerFixture()
        #expect(await fixture.get("/api/v1/health", token: nil).status == 200)
        for target in ["/api/v1/status", "/api/v1/runs", "/api/v1/decisions", "/openapi.json"] {
            let missing = await fixture.get(target, token: nil)
            #expect(missing.status == 401, "\(target)")
            #expect(missing.headers["WWW-Authenticate"] == "Bearer")
            #expect(await fixture.get(target, token: "wrong-token-0123456789").status == 401, "\(target)")
            #expect(await fixture.get(target).status == 200, "\(target)")
        }
        // A token one character off, or a prefix of it, is as wrong as any other.
        #expect(await fixture.get("/api/v1/status", token: String(ServerFixture.token.dropLast())).status == 401)
        #expect(await fixture.get("/api/v1/status", token: ServerFixture.token + "x").status == 401)
        // Failures are logged with the client and why, never with the token sent.
        let lines = fixture.logged.all.filter { $0.contains("auth failed") }
        #expect(lines.count == 10 && lines.allSatisfy { $0.contains("10.0.0.1") })
        #expect(!fixture.logged.all.contains { $0.contains("wrong-token") || $0.contains(ServerFixture.token) })
        let error = try #require(try ServerFixture.json(await fixture.get("/api/v1/status", token: nil, client: "10.0.0.9")) as? [String: String])
        #expect(error["code"] == "unauthorized" && error["message"]?.contains("Bearer") == true)
    }

    @Test func aClientThatKeepsFailingIsRefusedUntilTheWindowPasses() async throws {
        let clock = ManualClock()
        let fixture = try ServerFixture(now: { clock.seconds })
        for _ in 0..<10 { #expect(await fixture.get("/api/v1/status", token: "bad-token-0000000000").status == 401) }
        // Now even the right token is refused for that client, but not for another.
        #expect(await fixture.get("/api/v1/status").status == 429)
        #expect(await fixture.get("/api/v1/status", client: "10.0.0.2").status == 200)
        clock.seconds = 61
        #expect(await fixture.get("/api/v1/status").status == 200)
    }

    @Test func actionsCheckOriginAndConfirmationAndAStoreAloneRefusesThem() async throws {
        let fixture = try ServerFixture()
        let foreign = await fixture.send("POST", "/api/v1/bots/momentum/pause", headers: ["Origin": "https://evil.example"])
        #expect(foreign.status == 403)
        #expect(try (ServerFixture.json(foreign) as? [String: String])?["code"] == "forbidden")
        // The server's own origin, or none, passes the origin check; a store alone then refuses the action.
        for headers in [["Origin": "http://127.0.0.1:8080"], [:]] {
            let paused = await fixture.send("POST", "/api/v1/bots/momentum/pause", headers: headers)
            #expect(paused.status == 409)
            #expect(try (ServerFixture.json(paused) as? [String: String])?["code"] == "read_only")
        }
        let unconfirmed = await fixture.send("POST", "/api/v1/flatten", body: #"{"confirm": false}"#)
        #expect(unconfirmed.status == 409)
        #expect(try (ServerFixture.json(unconfirmed) as? [String: String])?["code"] == "confirmation_required")
        #expect(await fixture.send("POST", "/api/v1/flatten").status == 409)
        #expect(await fixture.send("POST", "/api/v1/flatten", body: "not json").status == 400)
        #expect(await fixture.send("POST", "/api/v1/risk/resume", body: #"{"confirm": true}"#).status == 400)
        #expect(await fixture.send("POST", "/api/v1/positions/%24%24%24/flatten").status == 400)
        #expect(await fixture.send("DELETE", "/api/v1/runs").status == 405)
        #expect(await fixture.send("GET", "/api/v1/nothing-here").status == 404)
    }

    @Test func badQueriesAreRefusedWithAMessageNamingTheParameter() async throws {
        let fixture = try ServerFixture()
        let cases: [(String, String)] = [
            ("/api/v1/decisions?limit=0", "limit"), ("/api/v1/decisions?limit=5000", "limit"), ("/api/v1/decisions?limit=ten", "limit"),
            ("/api/v1/fills?before=-3", "before"), ("/api/v1/fills?from=yesterday", "from"),
            ("/api/v1/decisions?from=2024-03-02&to=2024-03-01", "ends"), ("/api/v1/orders?symbol=%3Cscript%3E", "symbol"),
            ("/api/v1/decisions?limt=3", "limt"), ("/api/v1/runs?kind=everything", "kind"), ("/api/v1/runs/abc", "run id"),
            ("/api/v1/fills?symbol=", "empty"),
        ]
        for (target, word) in cases {
            let response = await fixture.get(target)
            #expect(response.status == 400, "\(target)")
            let message = (try ServerFixture.json(response) as? [String: String])?["message"] ?? ""
            #expect(message.contains(word), "\(target): \(message)")
        }
        #expect(await fixture.get("/api/v1/runs/999").status == 404)
        #expect(await fixture.get("/api/v1/bots/nobody").status == 404)
        #expect(await fixture.get("/api/v1/runs/\(fixture.tradingRun)/report").status == 404)
    }

    @Test func decisionsPageNewestFirstWithoutGapsOrRepeats() async throws {
        let fixture = try ServerFixture()
        var seen: [Int] = []
        var target = "/api/v1/decisions?run=\(fixture.backtestRun)&limit=7"
        while true {
            let page = try #require(try ServerFixture.json(await fixture.get(target)) as? [String: Any])
            let items = try #require(page["items"] as? [[String: Any]])
            seen += items.compactMap { $0["id"] as? Int }
            guard let next = page["next_before"] as? Int else { break }
            target = "/api/v1/decisions?run=\(fixture.backtestRun)&limit=7&before=\(next)"
        }
        #expect(seen.count == fixture.backtest.decisions.count)
        #expect(seen == seen.sorted(by: >) && Set(seen).count == seen.count)
        // Filters hold: one reason, one bot, a time range.
        let stored = try fixture.store.decisions(runID: fixture.backtestRun)
        let closes = stored.filter { $0.reason == "close_long" }.count
        let filtered = try ServerFixture.json(await fixture.get("/api/v1/decisions?run=\(fixture.backtestRun)&reason=close_long&limit=1000"))
        #expect(((filtered as? [String: Any])?["items"] as? [Any])?.count == closes && closes > 5)
        let bot = try #require(try ServerFixture.json(await fixture.get("/api/v1/decisions?bot=momentum")) as? [String: Any])
        let items = try #require(bot["items"] as? [[String: Any]])
        #expect(items.map { $0["detail"] as? String } == ["n=3", "n=2", "n=1", "n=0"])
        let ranged = try ServerFixture.json(await fixture.get("/api/v1/decisions?bot=momentum&from=1970-01-02&to=1970-01-03T12:00:00Z"))
        #expect(((ranged as? [String: Any])?["items"] as? [[String: Any]])?.map { $0["detail"] as? String } == ["n=2", "n=1"])
    }

    @Test func positionsCarryTheAverageCostAndTheUnrealizedProfitExactly() async throws {
        let fixture = try ServerFixture()
        let positions = try #require(try ServerFixture.json(await fixture.get("/api/v1/positions")) as? [[String: Any]])
        #expect(positions.count == 2)
        // AAPL: 10 @ 100 and 10 @ 110 make 20 at 105; selling 5 keeps 15 at 105; marked at the last close, 130.
        let aapl = try #require(positions.first { $0["symbol"] as? String == "AAPL" })
        #expect(aapl["quantity"] as? String == Quantity(15).description)
        #expect(aapl["average_cost"] as? String == Money(105).description)
        #expect(aapl["last_price"] as? String == Price(130).description)
        #expect(aapl["market_value"] as? String == Money(1_950).description)
        #expect(aapl["unrealized_pnl"] as? String == Money(375).description)
        #expect(aapl["bots"] as? [String] == ["momentum"])
        // MSFT: short 2 at 50, no price known.
        let msft = try #require(positions.first { $0["symbol"] as? String == "MSFT" })
        #expect(msft["quantity"] as? String == Quantity(-2).description && msft["average_cost"] as? String == Money(50).description)
        #expect(msft["unrealized_pnl"] == nil)
        // Backtests never count: only the trading run's fills make positions.
        let only = try ServerFixture.json(await fixture.get("/api/v1/positions?symbol=MSFT")) as? [[String: Any]]
        #expect(only?.count == 1)
    }

    /// The positions are kept between requests and brought up to date from the fills stored since:
    /// they must equal what a fresh server computes from every fill, per bot and for all bots.
    @Test func positionsAndStatusFollowWhatIsStoredAfterTheFirstRequest() async throws {
        let fixture = try ServerFixture()
        _ = await fixture.get("/api/v1/positions")
        _ = await fixture.get("/api/v1/positions?bot=momentum")
        let writer = try TradingStore(path: fixture.store.path)
        let other = try writer.beginRun(kind: "sim", strategy: "meanrev", parameters: "", started: Timestamp(seconds: 9_000), initialEquity: Money(50_000))
        // meanrev sells 5 AAPL @ 140 (short, its own book); momentum buys 1 MSFT @ 40 (its short reduced, the average kept).
        for (id, run, symbol, side, quantity, price, day) in [("c5", other, "AAPL", OrderSide.sell, 5, 140, 10), ("c6", fixture.tradingRun, "MSFT", .buy, 1, 40, 11)] {
            let time = Timestamp(seconds: 2_000 + Int64(day) * 86_400)
            try writer.recordIntent(OrderIntent(clientOrderID: id, runID: run, symbol: symbol, side: side, quantity: Quantity(quantity),
                                                type: .market, body: "{}"), at: time)
            try writer.recordFill(StoredFill(executionID: "e-\(id)", clientOrderID: id, timestamp: time, symbol: symbol, side: side,
                                             quantity: Quantity(quantity), price: Price(price), commission: .zero))
        }
        try writer.importBars([Bar(timestamp: Timestamp(seconds: 600_000), open: Price(44), high: Price(46), low: Price(43), close: Price(45),
                                   volume: Quantity(10))], symbol: "MSFT")
        try writer.importBars([Bar(timestamp: Timestamp(seconds: 600_000), open: Price(7), high: Price(7), low: Price(7), close: Price(7),
                                   volume: Quantity(10))], symbol: "BBB")
        // meanrev's snapshots: the latest of all runs now, and one the day before (the day's opening).
        try writer.recordSnapshot(runID: other, AccountSnapshot(time: Timestamp(seconds: 2_000 + 11 * 86_400 - 3_600), cash: Money(50_000),
                                                               equity: Money(49_900), positions: [:]))
        try writer.recordSnapshot(runID: other, AccountSnapshot(time: Timestamp(seconds: 2_000 + 12 * 86_400), cash: Money(50_700),
                                                               equity: Money(50_050), positions: [:]))

        let all = try #require(try ServerFixture.json(await fixture.get("/api/v1/positions")) as? [[String: Any]])
        let aapl = try #require(all.first { $0["symbol"] as? String == "AAPL" })
        #expect(aapl["quantity"] as? String == Quantity(10).description && aapl["average_cost"] as? String == Money(105).description)
        #expect(aapl["bots"] as? [String] == ["meanrev", "momentum"])
        let msft = try #require(all.first { $0["symbol"] as? String == "MSFT" })
        #expect(msft["quantity"] as? String == Quantity(-1).description && msft["average_cost"] as? String == Money(50).description)
        #expect(msft["last_price"] as? String == Price(45).description && msft["unrealized_pnl"] as? String == Money(5).description)
        // meanrev alone: short 5 at 140, marked at 130: worth -650 against -700 received, 50 up.
        let meanrev = try #require(try ServerFixture.json(await fixture.get("/api/v1/positions?bot=meanrev")) as? [[String: Any]])
        #expect(meanrev.count == 1 && meanrev[0]["quantity"] as? String == Quantity(-5).description)
        #expect(meanrev[0]["average_cost"] as? String == Money(140).description && meanrev[0]["unrealized_pnl"] as? String == Money(50).description)
        // A server that never answered before computes the same from every fill.
        let fresh = ControlAPI(store: fixture.store, plane: StoreOnlyPlane(), requestGuard: RequestGuard(token: ServerFixture.token, log: { _ in }),
                               log: { _ in })
        for target in ["/api/v1/positions", "/api/v1/positions?bot=momentum", "/api/v1/positions?bot=meanrev", "/api/v1/positions?symbol=AAPL"] {
            let request = APIRequest(method: "GET", target: target, headers: ["Authorization": "Bearer \(ServerFixture.token)"], client: "10.0.0.1")
            #expect(await fresh.handle(request).body == (await fixture.get(target)).body, "\(target)")
        }
        // The status reads the latest snapshot of every trading run: meanrev's, and its day's opening the hour before midnight.
        let status = try #require(try ServerFixture.json(await fixture.get("/api/v1/status")) as? [String: Any])
        #expect(status["equity"] as? String == Money(50_050).description && status["pnl_today"] as? String == Money(150).description)
    }

    @Test func statusBotsRiskRunsAndEquityTellTheStoresStory() async throws {
        let fixture = try ServerFixture()
        let status = try #require(try ServerFixture.json(await fixture.get("/api/v1/status")) as? [String: Any])
        #expect(status["mode"] as? String == "store" && status["read_only"] as? Bool == true)
        #expect(status["equity"] as? String == Money(100_030).description && status["cash"] as? String == Money(97_000).description)
        // Today's P&L: the last equity against the last one before today began (each snapshot is a day apart).
        #expect(status["pnl_today"] as? String == Money(10).description)
        #expect(status["halted"] as? [String] == ["momentum"] && status["bots"] as? Int == 1)
        let bots = try #require(try ServerFixture.json(await fixture.get("/api/v1/bots")) as? [[String: Any]])
        #expect(bots.count == 1 && bots[0]["name"] as? String == "momentum" && bots[0]["state"] as? String == "unfinished")
        #expect(bots[0]["symbols"] as? [String] == ["AAPL", "MSFT"])
        #expect((bots[0]["last_decision"] as? [String: Any])?["detail"] as? String == "n=3")
        let risk = try #require(try ServerFixture.json(await fixture.get("/api/v1/risk")) as? [[String: Any]])
        #expect(risk.count == 1 && risk[0]["account"] as? String == "halted" && risk[0]["losing_streak"] as? Int == 3)
        #expect((risk[0]["last_transition"] as? String)?.contains("daily loss 2.1% > 2%") == true)
        let runs = try #require(try ServerFixture.json(await fixture.get("/api/v1/runs?kind=backtest")) as? [[String: Any]])
        #expect(runs.count == 1 && runs[0]["has_report"] as? Bool == true)
        #expect(runs[0]["final_equity"] as? String == fixture.backtest.finalEquity.description)
        // The stored summary comes back as written, exact decimals included.
        let detail = await fixture.get("/api/v1/runs/\(fixture.backtestRun)")
        #expect(String(decoding: detail.body, as: UTF8.self).contains(#""summary":{"final_equity": 1000123.456789, "bars": 1500}"#))
        let report = await fixture.get("/api/v1/runs/\(fixture.backtestRun)/report")
        #expect(report.contentType.hasPrefix("text/html") && String(decoding: report.body, as: UTF8.self) == "<html>tearsheet</html>")
        let equity = try #require(try ServerFixture.json(await fixture.get("/api/v1/equity?bot=momentum")) as? [[String: Any]])
        #expect(equity.map { $0["equity"] as? String } == (0..<4).map { Money(100_000 + $0 * 10).description })
    }

    @Test func everyAnswerMatchesItsSchemaInTheDocument() async throws {
        let fixture = try ServerFixture()
        let document = try JSONSerialization.jsonObject(with: OpenAPIDocument.rendered)
        let validator = SchemaValidator(document: document)
        let paths = try #require((document as? [String: Any])?["paths"] as? [String: Any])
        let targets: [(String, String)] = [
            ("/api/v1/health", "/api/v1/health"), ("/api/v1/status", "/api/v1/status"), ("/api/v1/bots", "/api/v1/bots"),
            ("/api/v1/bots/{name}", "/api/v1/bots/momentum"), ("/api/v1/positions", "/api/v1/positions"),
            ("/api/v1/orders", "/api/v1/orders?limit=3"), ("/api/v1/fills", "/api/v1/fills?limit=3"),
            ("/api/v1/decisions", "/api/v1/decisions?limit=3"), ("/api/v1/equity", "/api/v1/equity"), ("/api/v1/risk", "/api/v1/risk"),
            ("/api/v1/runs", "/api/v1/runs"), ("/api/v1/runs/{id}", "/api/v1/runs/\(fixture.backtestRun)"),
            ("/api/v1/runs/{id}", "/api/v1/runs/\(fixture.tradingRun)"),
        ]
        for (template, target) in targets {
            let response = await fixture.get(target)
            #expect(response.status == 200, "\(target)")
            let operation = try #require((paths[template] as? [String: Any])?["get"] as? [String: Any])
            let schema = try #require(((((operation["responses"] as? [String: Any])?["200"] as? [String: Any])?["content"]
                as? [String: Any])?["application/json"] as? [String: Any])?["schema"])
            let found = validator.violations(of: try SchemaValidator.parse(response.body), against: schema)
            #expect(found.isEmpty, "\(target): \(found.prefix(5))")
        }
        // Errors match the Error schema too, and a view with a member the schema lacks is caught.
        let error = try SchemaValidator.parse(await fixture.get("/api/v1/runs/999").body)
        #expect(validator.violations(of: error, against: ["$ref": "#/components/schemas/Error"]).isEmpty)
        #expect(!validator.violations(of: ["code": "x", "message": "y", "extra": 1], against: ["$ref": "#/components/schemas/Error"]).isEmpty)
    }
}

/// A clock a test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0.0
    var seconds: Double {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
