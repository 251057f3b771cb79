import Foundation
import PeregrineAlpaca
import PeregrineTestSupport
import Testing

/// The control API as a user reaches it: `peregrine serve` over a store, and `peregrine trade --serve`
/// steered over HTTP while it trades the local exchange.
@Suite(.serialized) struct ServeCommandTests {
    let http = AsyncHTTPTransport()

    func get(_ url: String, token: String?) async throws -> HTTPResponseSpec {
        try await http.send(HTTPRequestSpec(method: .get, url: url, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:]))
    }

    @Test func serveShowsAStoredBacktestAndItsTearsheetToTheTokenOnly() async throws {
        let folder = TestPaths.temporaryFolder()
        let store = folder + "/runs.sqlite"
        let backtest = try PeregrineProcess.run(["backtest", "--data", "synthetic:bars=800,seed=2", "--store", store])
        #expect(backtest.status == 0, "\(backtest.error)")
        let server = try ExchangeProcess(command: ["serve", "--store", store, "--serve", "127.0.0.1:0"], readyWhen: "serving ",
                                         environment: [:])
        defer { server.stop() }
        // The generated token is printed once and kept in a file only its owner can read.
        let token = try String(contentsOfFile: store + ".api-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(server.banner.contains("shown once): \(token)"))
        let mode = try FileManager.default.attributesOfItem(atPath: store + ".api-token")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        #expect(try await get(server.base + "/api/v1/health", token: nil).status == 200)
        #expect(try await get(server.base + "/api/v1/runs", token: nil).status == 401)
        let runs = try await get(server.base + "/api/v1/runs", token: token)
        let listed = try #require(try JSONSerialization.jsonObject(with: runs.body) as? [[String: Any]])
        // Every answer names its request, and a client's own id is kept.
        #expect(runs.headers["x-request-id"]?.hasPrefix("r") == true)
        let named = try await http.send(HTTPRequestSpec(method: .get, url: server.base + "/api/v1/health", headers: ["X-Request-Id": "abc-123"]))
        #expect(named.headers["x-request-id"] == "abc-123")
        #expect(listed.count == 1 && listed[0]["kind"] as? String == "backtest" && listed[0]["has_report"] as? Bool == true)
        let report = try await get(server.base + "/api/v1/runs/1/report", token: token)
        #expect(report.status == 200 && String(decoding: report.body, as: UTF8.self).contains("<svg"))
        #expect(report.headers["content-type"]?.hasPrefix("text/html") == true)
        let document = try await get(server.base + "/openapi.json", token: token)
        #expect(document.body == (try Data(contentsOf: URL(fileURLWithPath: TestPaths.repository + "/openapi.json"))))

        // A second start reads the same token and does not print it again.
        let again = try ExchangeProcess(command: ["serve", "--store", store, "--serve", "127.0.0.1:0"], readyWhen: "serving ", environment: [:])
        defer { again.stop() }
        #expect(!again.banner.contains(token))
    }

    @Test func aPublicAddressNeedsServePublicAndABadOneIsNamed() throws {
        let store = TestPaths.temporaryFolder() + "/empty.sqlite"
        _ = try PeregrineProcess.run(["backtest", "--data", "synthetic:bars=300,seed=2", "--store", store])
        let open = try PeregrineProcess.run(["serve", "--store", store, "--serve", "0.0.0.0:0"])
        #expect(open.status != 0 && open.error.contains("--serve-public"), "\(open.error)")
        let bad = try PeregrineProcess.run(["serve", "--store", store, "--serve", "localhost:99999"])
        #expect(bad.status != 0 && bad.error.contains("65535"), "\(bad.error)")
        let missing = try PeregrineProcess.run(["serve", "--store", store + ".nothing"])
        #expect(missing.status != 0 && missing.error.contains("no such file"), "\(missing.error)")
    }

    @Test func aTradingBotIsPausedOverHTTPAndTheAuditTrailSaysWho() async throws {
        let folder = TestPaths.temporaryFolder()
        let keys = ["APCA_API_KEY_ID": "PKSERVE", "APCA_API_SECRET_KEY": "serve-secret"]
        let exchange = try ExchangeProcess(["--data", "synthetic:bars=5000,seed=4", "--speed", "120x", "--port", "0", "--warmup", "40",
                                            "--cash", "100000"], environment: keys)
        defer { exchange.stop() }
        let config = folder + "/trade.toml"
        try """
            [trade]
            strategy = "sma-cross"
            symbols = ["SYN"]
            timeframe = "1Min"
            warmup_bars = 40
            poll_seconds = 0.2

            [trade.parameters]
            fast = 2
            slow = 4
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let store = folder + "/trade.sqlite"
        let token = "serve-test-token-0123456789"
        let bot = try ExchangeProcess(command: ["trade", "--config", config, "--mode", "sim", "--base-url", exchange.base, "--poll",
                                                "--store", store, "--serve", "127.0.0.1:0"],
                                      readyWhen: "control API at ", environment: keys.merging(["PEREGRINE_API_TOKEN": token]) { $1 })
        defer { bot.stop() }
        let api = bot.base.replacingOccurrences(of: "/api/v1", with: "")
        let pause = try await http.send(HTTPRequestSpec(method: .post, url: api + "/api/v1/bots/sma-cross/pause",
                                                        headers: ["Authorization": "Bearer \(token)"]))
        #expect(pause.status == 200, "\(String(decoding: pause.body, as: UTF8.self))")
        // Within a few turns the bot is paused and refuses entries with the reason.
        var refused = false
        for _ in 0..<100 where !refused {
            try await Task.sleep(for: .milliseconds(200))
            let decisions = try await get(api + "/api/v1/decisions?reason=paused&limit=1", token: token)
            refused = ((try JSONSerialization.jsonObject(with: decisions.body) as? [String: Any])?["items"] as? [Any])?.isEmpty == false
        }
        #expect(refused)
        let bots = try JSONSerialization.jsonObject(with: try await get(api + "/api/v1/bots", token: token).body) as? [[String: Any]]
        #expect(bots?.first?["state"] as? String == "paused")
        let audit = try JSONSerialization.jsonObject(with: try await get(api + "/api/v1/audit", token: token).body) as? [String: Any]
        let stages = (audit?["items"] as? [[String: Any]])?.map { "\($0["action"] ?? "") \($0["stage"] ?? "") \($0["actor"] ?? "")" }
        #expect(stages == ["pause applied 127.0.0.1", "pause requested 127.0.0.1"])
        // A foreign page cannot do it for the user.
        let foreign = try await http.send(HTTPRequestSpec(method: .post, url: api + "/api/v1/bots/sma-cross/resume",
                                                          headers: ["Authorization": "Bearer \(token)", "Origin": "https://evil.example"]))
        #expect(foreign.status == 403)
    }

    @Test func jsonLogsAreOneObjectALineAndNeverHoldTheSecret() async throws {
        let secret = "json-log-secret-value-42"
        let keys = ["APCA_API_KEY_ID": "PKJSON", "APCA_API_SECRET_KEY": secret]
        let exchange = try ExchangeProcess(["--data", "synthetic:bars=400,seed=4", "--speed", "manual", "--port", "0", "--warmup", "40"],
                                           environment: keys)
        defer { exchange.stop() }
        let folder = TestPaths.temporaryFolder()
        try """
            [trade]
            strategy = "sma-cross"
            symbols = ["SYN"]
            timeframe = "1Min"
            warmup_bars = 40
            [trade.parameters]
            fast = 2
            slow = 5
            """.write(toFile: folder + "/trade.toml", atomically: true, encoding: .utf8)
        let run = try PeregrineProcess.run(["trade", "--config", folder + "/trade.toml", "--mode", "sim", "--base-url", exchange.base,
                                            "--step", "--store", folder + "/t.sqlite", "--log-format", "json"], environment: keys)
        #expect(run.status == 0, "\(run.error)")
        let lines = run.output.split(separator: "\n").filter { $0.hasPrefix("{") }
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        #expect(objects.count == lines.count && objects.count > 5)
        #expect(objects.allSatisfy { $0["time"] != nil && $0["level"] == "info" && $0["label"] == "peregrine.trade" && $0["message"] != nil })
        #expect(objects.contains { $0["message"]?.hasPrefix("warmed up on") == true })
        #expect(objects.contains { $0["message"]?.hasPrefix("fill SYN") == true })
        #expect(!run.output.contains(secret) && !run.error.contains(secret))
    }
}
