import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineStorage
import PeregrineTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `peregrine trade --mode sim` as a process against `peregrine exchange` as another, over HTTP:
/// the fills of `peregrine backtest` on the same bars, and nothing lost or doubled when the trader is
/// killed with SIGKILL again and again.
@Suite(.serialized) struct TradeCommandTests {
    let keys = ["APCA_API_KEY_ID": "PKTRADE", "APCA_API_SECRET_KEY": "trade-secret-value"]

    /// A running exchange and its base URL.
    func startExchange(_ data: String, warmUp: Int) throws -> (Process, String) {
        let exchange = try ExchangeProcess(["--data", data, "--speed", "manual", "--port", "0", "--warmup", "\(warmUp)", "--cash", "100000"],
                                           environment: keys)
        return (exchange.process, exchange.base)
    }

    /// A trader process writing its output to `log`.
    func startTrader(config: String, base: String, store: String, log: String, crashAt: String? = nil,
                     extra: [String] = []) throws -> Process {
        let trader = Process()
        trader.executableURL = URL(fileURLWithPath: TestPaths.executable)
        trader.arguments = ["trade", "--config", config, "--mode", "sim", "--base-url", base, "--step", "--store", store] + extra
        var environment = ProcessInfo.processInfo.environment.merging(keys) { $1 }
        if let crashAt { environment.updateValue(crashAt, forKey: "PEREGRINE_CRASH_POINTS") }
        trader.environment = environment
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        trader.standardOutput = handle
        trader.standardError = handle
        try trader.run()
        return trader
    }

    func writeConfig(_ folder: String, warmUp: Int) throws -> String {
        let path = folder + "/trade.toml"
        try """
        [trade]
        strategy = "sma-cross"
        symbols = ["SYN"]
        timeframe = "1Min"
        warmup_bars = \(warmUp)
        [trade.parameters]
        fast = 10
        slow = 30
        quantity = 100
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func exchangeClient(_ base: String) -> AlpacaTradingClient {
        AlpacaTradingClient(environment: .local(base), credentials: AlpacaCredentials(keyID: keys["APCA_API_KEY_ID"]!,
                                                                                   secret: keys["APCA_API_SECRET_KEY"]!),
                            transport: AsyncHTTPTransport(), budget: RequestBudget(limit: 1_000_000))
    }

    /// Every `fill` message the exchange sent, in order.
    func exchangeFills(_ base: String) async throws -> [AlpacaTradeUpdate] {
        let headers = ["Accept": "application/json", "APCA-API-KEY-ID": keys["APCA_API_KEY_ID"]!,
                       "APCA-API-SECRET-KEY": keys["APCA_API_SECRET_KEY"]!]
        let response = try await AsyncHTTPTransport().send(HTTPRequestSpec(method: .get, url: base + "/peregrine/trade_updates?after=0",
                                                                          headers: headers))
        let messages = try #require(try JSONSerialization.jsonObject(with: response.body) as? [Any])
        return try messages.map { try AlpacaTradeUpdate.decodeMessage(JSONSerialization.data(withJSONObject: $0)) }
            .filter { $0.event == .fill || $0.event == .partialFill }
    }

    @Test func tradingTheExchangeGetsTheBacktestsFills() async throws {
        let folder = TestPaths.temporaryFolder()
        let data = "synthetic:bars=3000,seed=11"
        let (server, base) = try startExchange(data, warmUp: 50)
        defer { server.terminate(); server.waitUntilExit() }
        let config = try writeConfig(folder, warmUp: 50)
        let store = folder + "/trade.sqlite"
        let trader = try startTrader(config: config, base: base, store: store, log: folder + "/trade.log",
                                     extra: ["--decisions", folder + "/decisions.csv"])
        trader.waitUntilExit()
        let said = try String(contentsOfFile: folder + "/trade.log", encoding: .utf8)
        #expect(trader.terminationStatus == 0, "\(said)")
        #expect(said.contains("the exchange has no more bars") && said.contains("bars traded                           2950"), "\(said)")
        #expect(!said.contains("trade-secret-value"))

        let backtest = try peregrine(["backtest", "--data", data, "--risk", config, "--warm-up", "50", "--cash", "100000",
                                      "--param", "fast=10", "--param", "slow=30", "--param", "quantity=100", "--out", folder + "/bt"])
        #expect(backtest.status == 0, "\(backtest.error)")
        let expected = try String(contentsOfFile: folder + "/bt/fills.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").prefix(5).joined(separator: " ") }
        let stored = try TradingStore(path: store).fills(tradingOnly: true)
            .map { "\($0.timestamp.iso8601) \($0.symbol) \($0.side.rawValue) \($0.quantity) \($0.price)" }
        #expect(expected.count > 40)
        #expect(stored == expected)
        // Every decision, with its reason, as the backtest made it (client order ids aside).
        func withoutClientIDs(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
                var fields = $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if fields.count > 7 { fields[7] = "" }
                return fields.joined(separator: ",")
            }
        }
        let decided = try withoutClientIDs(folder + "/decisions.csv")
        let backtested = try withoutClientIDs(folder + "/bt/decisions.csv")
        #expect(decided.count > 100 && decided == backtested)
        // The broker's equity is the backtest's final equity.
        let summary = try String(contentsOfFile: folder + "/bt/summary.json", encoding: .utf8)
        let account = try await exchangeClient(base).account()
        #expect(summary.contains("\"final_equity\": \(account.equity),"), "\(account.equity) not in \(summary.prefix(400))")
        // The run's account snapshots, the last one at the broker's equity.
        let shown = try peregrine(["db", "snapshots", "--store", store, "--limit", "0"])
        let rows = shown.output.split(separator: "\n").dropFirst()
        #expect(rows.count == 2 + 2950 && rows.last!.contains("  \(account.equity)  "), "\(rows.last ?? "")")
    }

    /// SIGTERM stops new orders and shuts down gracefully (swift-service-lifecycle): the process exits 0
    /// with its report, cancels its working orders, and the run is closed in the store with its equity.
    @Test func sigtermShutsDownGracefully() async throws {
        let folder = TestPaths.temporaryFolder()
        let (server, base) = try startExchange("synthetic:bars=20000,seed=4", warmUp: 40)
        defer { server.terminate(); server.waitUntilExit() }
        let config = try writeConfig(folder, warmUp: 40)
        let store = folder + "/term.sqlite"
        let log = folder + "/term.log"
        let trader = try startTrader(config: config, base: base, store: store, log: log)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("fill SYN") {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        #expect(trader.isRunning)
        kill(trader.processIdentifier, SIGTERM)
        trader.waitUntilExit()
        let said = try String(contentsOfFile: log, encoding: .utf8)
        #expect(trader.terminationReason == .exit && trader.terminationStatus == 0, "\(said)")
        #expect(said.contains("stopping: no new orders; shutting down") && said.contains("stop requested"), "\(said)")
        let audit = try TradingStore(path: store)
        let run = try #require(try audit.runs().last)
        #expect(run.finalEquity != nil && run.bars > 0 && run.bars < 19_960)
        let open = try await exchangeClient(base).openOrders()
        #expect(open.isEmpty)
    }

    /// 24 SIGKILLs, a restart after each, then a run to the end: 12 at random moments, 12 in the
    /// narrowest windows of the order path (intent stored but not sent, accepted but not acknowledged
    /// in the store, filled but not recorded). Every order at the exchange was recorded before it was
    /// sent, every fill is in the store, the position never exceeded one entry (nothing sent twice),
    /// and store and exchange agree on the position.
    @Test func killNineTwentyTimesLosesAndDoublesNothing() async throws {
        let folder = TestPaths.temporaryFolder()
        try await crashTest(kills: 24, store: folder + "/crash.sqlite", folder: folder, settledAtLeast: 4)
    }

    /// The same on a PostgreSQL store (`--store postgres://...`), with 12 kills (4 at each crash point)
    /// to keep its time in bounds: the guarantees are the store's, whichever database holds it.
    @Test(.enabled(if: TestPostgres.available, Comment(rawValue: TestPostgres.unavailableReason)))
    func killNineOnPostgreSQLLosesAndDoublesNothing() async throws {
        let folder = TestPaths.temporaryFolder()
        let store = try #require(TestPostgres.freshURL())
        try await crashTest(kills: 12, store: store, folder: folder, settledAtLeast: 2)
    }

    /// `kills` SIGKILLs of `peregrine trade --mode sim` on `store`, a restart after each, then a run to the
    /// end; checks that the store holds exactly the exchange's fills and that nothing was sent twice.
    func crashTest(kills: Int, store: String, folder: String, settledAtLeast minimum: Int) async throws {
        let (server, base) = try startExchange("synthetic:bars=8000,seed=4", warmUp: 40)
        defer { server.terminate(); server.waitUntilExit() }
        let config = try writeConfig(folder, warmUp: 40)
        let killed = try await killAndRestart(kills, config: config, base: base, store: store, folder: folder,
                                              seed: 0x9E37_79B9_7F4A_7C15, delays: 0.25...1.25)
        #expect(killed == kills)

        let fills = try await exchangeFills(base)
        let audit = try TradingStore(path: store)
        #expect(fills.count > kills - 4)
        try expectStoreHoldsTheExchangesFills(fills, audit)
        // Nothing sent twice: the strategy enters 100 shares at a time, so the position is 0 or 100.
        var position = Quantity.zero
        for fill in fills {
            position += fill.order.side == .buy ? fill.quantity! : -fill.quantity!
            #expect(position == .zero || position == Quantity(100), "position \(position) after \(fill.order.clientOrderID)")
        }
        let held = try await exchangeClient(base).positions().first?.quantity ?? .zero
        let storedPosition = try audit.netPositions(tradingOnly: true)["SYN"] ?? .zero
        #expect(held == position && storedPosition == held)
        #expect(try audit.runs().filter { $0.kind == "local" }.count == kills + 1)
        // What the restarts had to settle (varies with timing; printed for the record).
        var settled: [String: Int] = [:]
        for intent in try audit.orders(tradingOnly: true) {
            for event in try audit.events(intent.clientOrderID) where event.detail.contains("restart") { settled[event.detail, default: 0] += 1 }
        }
        let recovered = try audit.fills(tradingOnly: true).filter { $0.executionID.hasPrefix("catch-up:") }.count
        #expect(settled["not at the broker on restart; not resent"] ?? 0 >= minimum, "\(settled)")
        #expect(settled["found at the broker on restart"] ?? 0 >= minimum, "\(settled)")
        #expect(recovered >= minimum)
        print("crash test (\(audit.path)): \(killed) kills, \(fills.count) fills, restarts settled \(settled), fills recovered on restart: \(recovered)")
    }

    /// The same with a strategy that enters with brackets (signaling-game with tight take-profit and
    /// stop-loss legs, so legs fill): 12 SIGKILLs, 6 at random moments and 6 at the crash points
    /// (after_submit is the window between the broker accepting a bracket and its legs being stored).
    /// Every order and leg that filled at the exchange is known to the store, filled quantities agree
    /// per client order id, the position never exceeds the largest single entry (nothing sent twice),
    /// and store and exchange agree at the end.
    @Test func killNineWithBracketsLosesAndDoublesNothing() async throws {
        let folder = TestPaths.temporaryFolder()
        let (server, base) = try startExchange("synthetic:bars=2500,seed=4", warmUp: 300)
        defer { server.terminate(); server.waitUntilExit() }
        let config = folder + "/brackets.toml"
        try """
        [trade]
        strategy = "signaling-game"
        symbols = ["SYN"]
        timeframe = "1Min"
        warmup_bars = 300
        [trade.parameters]
        min_prob_up = 0.5
        min_confidence = 0.02
        take_profit = 0.003
        stop_loss = 0.002
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let store = folder + "/brackets.sqlite"
        _ = try await killAndRestart(12, config: config, base: base, store: store, folder: folder,
                                     seed: 0x2545_F491_4F6C_DD1D, delays: 0.5...2.0)

        let fills = try await exchangeFills(base)
        let audit = try TradingStore(path: store)
        let orders = try audit.orders(tradingOnly: true)
        let legFills = fills.filter { $0.order.clientOrderID.hasSuffix("-tp") || $0.order.clientOrderID.hasSuffix("-sl") }
        #expect(fills.count > 20 && legFills.count > 5, "\(fills.count) fills, \(legFills.count) on legs")
        try expectStoreHoldsTheExchangesFills(fills, audit)
        let largestEntry = orders.filter { $0.body.contains("\"bracket\"") }.map(\.quantity).max() ?? .zero
        var position = Quantity.zero
        for fill in fills {
            position += fill.order.side == .buy ? fill.quantity! : -fill.quantity!
            #expect(position.magnitude <= largestEntry, "position \(position) after \(fill.order.clientOrderID)")
        }
        let held = try await exchangeClient(base).positions().first?.quantity ?? .zero
        let storedPosition = try audit.netPositions(tradingOnly: true)["SYN"] ?? .zero
        #expect(held == position && storedPosition == held)
        print("bracket crash test: \(fills.count) fills (\(legFills.count) on legs), \(orders.filter { $0.body.contains("leg_of") }.count) legs stored")
    }

    /// `trials` trader processes on one store, each killed with SIGKILL: the first half at the crash
    /// points in turn, the rest at seeded random moments within `delays` seconds of its start; then
    /// a last one runs to the end of the exchange's bars. Returns how many died by the signal.
    func killAndRestart(_ trials: Int, config: String, base: String, store: String, folder: String, seed: UInt64,
                        delays: ClosedRange<Double>) async throws -> Int {
        var random = seed
        var killed = 0
        let points = ["after_intent", "after_submit", "before_fill_record"]
        for trial in 1...trials {
            let log = folder + "/trial\(trial).log"
            // The crash points come first: they need orders still to come, and the random kills that follow
            // consume bars at whatever pace the machine allows.
            let crashAt: String? = trial <= trials / 2 ? points[trial % 3] : nil
            let trader = try startTrader(config: config, base: base, store: store, log: log, crashAt: crashAt)
            if crashAt == nil {
                // The random moment is counted from the start of trading (the trader says so in its log),
                // so a slow start on a busy machine does not turn a kill into one before the run began.
                let started = Date()
                while trader.isRunning, Date().timeIntervalSince(started) < 30,
                      !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("trading from the next bar") {
                    try await Task.sleep(nanoseconds: 10_000_000)
                }
                random = random &* 6364136223846793005 &+ 1442695040888963407
                let delay: Double = delays.lowerBound + Double(random >> 40) / Double(1 << 24) * (delays.upperBound - delays.lowerBound)
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                if trader.isRunning { kill(trader.processIdentifier, SIGKILL) }
            }
            trader.waitUntilExit()
            if trader.terminationReason == .uncaughtSignal { killed += 1 }
            let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            // A trader either ran until killed or finished cleanly; it never refused to start.
            #expect(trader.terminationReason == .uncaughtSignal || trader.terminationStatus == 0, "trial \(trial): \(said)")
        }
        let final = try startTrader(config: config, base: base, store: store, log: folder + "/final.log")
        final.waitUntilExit()
        let said = try String(contentsOfFile: folder + "/final.log", encoding: .utf8)
        #expect(final.terminationStatus == 0 && said.contains("the exchange has no more bars"), "\(said)")
        return killed
    }

    /// Recorded before sent: the exchange filled no order the store does not know. No fill missing
    /// from the store, none invented: filled quantity per client order id agrees.
    func expectStoreHoldsTheExchangesFills(_ fills: [AlpacaTradeUpdate], _ audit: TradingStore) throws {
        let known = Set(try audit.orders(tradingOnly: true).map(\.clientOrderID))
        #expect(fills.allSatisfy { known.contains($0.order.clientOrderID) }, "\(fills.map(\.order.clientOrderID).filter { !known.contains($0) })")
        var atExchange: [String: Quantity] = [:]
        for fill in fills { atExchange[fill.order.clientOrderID, default: .zero] += fill.quantity! }
        var inStore: [String: Quantity] = [:]
        for fill in try audit.fills(tradingOnly: true) { inStore[fill.clientOrderID, default: .zero] += fill.quantity }
        #expect(atExchange == inStore)
    }
}
