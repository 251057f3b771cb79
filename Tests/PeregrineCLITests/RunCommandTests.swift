import Foundation
import PeregrineCore
import PeregrineStorage
import PeregrineTestSupport
import Testing

/// `peregrine run` with several bots against `peregrine exchange`, as processes over HTTP: each bot
/// gets the fills of its own backtest through one shared market-data connection, and a bot that fails
/// stops alone.
@Suite(.serialized) struct RunCommandTests {
    let keys = ["APCA_API_KEY_ID": "PKFLEET", "APCA_API_SECRET_KEY": "fleet-secret"]

    @Test func threeBotsTradeAsTheirBacktestsAndAFailingBotStopsAlone() async throws {
        let folder = TestPaths.temporaryFolder()
        let data = try generate([("AAA", 3), ("BBB", 5), ("CCC", 8)], bars: 1500, in: folder)
        // --warmup counts bars of all symbols: 150 is 50 per symbol, each bot's warm-up.
        let exchange = try ExchangeProcess(["--data", data, "--speed", "manual", "--port", "0", "--warmup", "150", "--cash", "1000000"],
                                           environment: keys)
        defer { exchange.stop() }
        // Three strategies, each on its own symbol, and a fourth bot on a symbol the exchange does not list.
        let bots: [(name: String, symbol: String, strategy: String, parameters: [String])] = [
            ("trend", "AAA", "sma-cross", ["fast=5", "slow=20", "quantity=100"]),
            ("slow-trend", "BBB", "sma-cross", ["fast=10", "slow=40", "quantity=50"]),
            ("reversion", "CCC", "rsi-bollinger", ["quantity=100"]),
            ("broken", "ZZZ", "sma-cross", []),
        ]
        var config = ""
        for bot in bots {
            config += """
                [[bots]]
                name = "\(bot.name)"
                strategy = "\(bot.strategy)"
                symbols = ["\(bot.symbol)"]
                timeframe = "1Min"
                warmup_bars = 50
                bar_stream = "iex"
                [bots.parameters]
                \(bot.parameters.map { $0.replacingOccurrences(of: "=", with: " = ") }.joined(separator: "\n"))

                """
        }
        try config.write(toFile: folder + "/bots.toml", atomically: true, encoding: .utf8)
        let store = folder + "/fleet.sqlite"
        let run = try PeregrineProcess.run(["run", "--config", folder + "/bots.toml", "--mode", "sim", "--base-url", exchange.base,
                                            "--step", "--store", store], environment: keys)
        // The broken bot is reported and makes the run's status a failure; the others ran to the end.
        #expect(run.status != 0)
        #expect(run.error.contains("1 of 4 bots stopped by an error"), "\(run.error)")
        #expect(run.output.contains("bot broken: stopped by an error") && run.output.contains("ZZZ"), "\(run.output.suffix(2000))")
        #expect(run.output.components(separatedBy: "the exchange has no more bars").count - 1 == 3, "\(run.output.suffix(3000))")
        // One market-data connection for the four bots (the exchange refuses a second with 406), subscribed to all
        // their symbols; each bot heard every bar it traded on it, woken by its own symbol's bars only.
        let subscribed = run.output.components(separatedBy: "\n").filter { $0.contains("bar stream: one connection to") }
        #expect(subscribed.count == 1 && subscribed[0].contains("/v2/iex") && subscribed[0].contains("AAA, BBB, CCC, ZZZ for 4 bot(s)"),
                "\(subscribed)")
        #expect(!run.output.contains("bar stream down") && !run.output.contains("connection limit"), "\(run.output.suffix(3000))")
        for bot in bots.dropLast() {
            let section = try #require(run.output.components(separatedBy: "\nbot \(bot.name)\n").last)
            func figure(_ name: String) -> Int? {
                section.components(separatedBy: "\n").first { $0.hasPrefix(name) }.flatMap { Int($0.split(separator: " ").last ?? "") }
            }
            let traded = try #require(figure("bars traded"))
            #expect(traded == 1_450 && figure("bars heard on the stream") == traded, "\(bot.name): \(section.prefix(800))")
        }

        let stored = try TradingStore(path: store).fills(tradingOnly: true)
        for bot in bots.dropLast() {
            let backtest = try PeregrineProcess.run(["backtest", "--data", "\(data)/\(bot.symbol).csv", "--strategy", bot.strategy,
                                                     "--warm-up", "50", "--cash", "1000000", "--risk", "default", "--out", folder + "/bt-" + bot.name]
                                                    + bot.parameters.flatMap { ["--param", $0] })
            #expect(backtest.status == 0, "\(backtest.error)")
            let expected = try String(contentsOfFile: folder + "/bt-\(bot.name)/fills.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",").prefix(5).joined(separator: " ") }
            let traded = stored.filter { $0.symbol == bot.symbol }
                .map { "\($0.timestamp.iso8601) \($0.symbol) \($0.side.rawValue) \($0.quantity) \($0.price)" }
            #expect(expected.count > 10, "\(bot.name)")
            #expect(traded == expected, "\(bot.name): \(traded.count) fills traded, \(expected.count) backtested")
        }
        // Each bot is a run of its own strategy in the one store.
        let runs = try TradingStore(path: store).runs().filter { $0.kind == "local" }
        #expect(runs.count == 3 && Set(runs.map(\.strategy)) == ["sma-cross", "rsi-bollinger"] && runs.allSatisfy { $0.finalEquity != nil })
    }

    @Test func twoBotsOnOneSymbolAndABadTableAreRefusedBeforeAnythingStarts() throws {
        let folder = TestPaths.temporaryFolder()
        try """
            [[bots]]
            name = "a"
            strategy = "sma-cross"
            symbols = ["AAA"]
            timeframe = "1Min"

            [[bots]]
            name = "b"
            strategy = "sma-cross"
            symbols = ["AAA"]
            timeframe = "1Min"
            """.write(toFile: folder + "/twice.toml", atomically: true, encoding: .utf8)
        let twice = try PeregrineProcess.run(["run", "--config", folder + "/twice.toml", "--store", folder + "/s.sqlite"], environment: keys)
        #expect(twice.status != 0 && twice.error.contains("bots a and b both trade AAA"), "\(twice.error)")
        try """
            [[bots]]
            name = "a"
            strategy = "sma-cross"
            symbols = ["AAA"]
            timeframe = "1Min"
            colour = "blue"
            """.write(toFile: folder + "/bad.toml", atomically: true, encoding: .utf8)
        let bad = try PeregrineProcess.run(["run", "--config", folder + "/bad.toml", "--store", folder + "/s.sqlite"], environment: keys)
        #expect(bad.status != 0 && bad.error.contains("bot a") && bad.error.contains("bots.colour is not a setting"), "\(bad.error)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/s.sqlite"))
    }

    /// Live bots in one process: --live every time, the account named, and each bot's strategy through
    /// the validation gate; a refusal names the bot, and nothing starts.
    @Test func liveBotsNeedTheOptInTheAccountAndTheGate() throws {
        let folder = TestPaths.temporaryFolder()
        let bots = """
            [[bots]]
            name = "steady"
            strategy = "buy-and-hold"
            symbols = ["AAA"]
            timeframe = "1Day"

            [[bots]]
            name = "churn"
            strategy = "sma-cross"
            symbols = ["BBB"]
            timeframe = "1Day"
            [bots.parameters]
            fast = 2
            slow = 3
            """
        try bots.write(toFile: folder + "/noaccount.toml", atomically: true, encoding: .utf8)
        try (bots + "\n\n[live]\naccount = \"PA123\"\n").write(toFile: folder + "/live.toml", atomically: true, encoding: .utf8)
        let store = folder + "/s.sqlite"
        let noOptIn = try PeregrineProcess.run(["run", "--config", folder + "/live.toml", "--mode", "live", "--store", store], environment: keys)
        #expect(noOptIn.status != 0 && noOptIn.error.contains("needs --live on the command line, every time"), "\(noOptIn.error)")
        let noAccount = try PeregrineProcess.run(["run", "--config", folder + "/noaccount.toml", "--mode", "live", "--live", "--store", store],
                                                 environment: keys)
        #expect(noAccount.status != 0 && noAccount.error.contains("account"), "\(noAccount.error)")
        let noGate = try PeregrineProcess.run(["run", "--config", folder + "/live.toml", "--mode", "live", "--live", "--store", store], environment: keys)
        #expect(noGate.status != 0 && noGate.error.contains("--validate-on"), "\(noGate.error)")
        // On 600 synthetic days, a fast/slow 2/3 crossing fails the gate; the refusal names its bot.
        let gate = try PeregrineProcess.run(["run", "--config", folder + "/live.toml", "--mode", "live", "--live", "--validate-on",
                                             "synthetic:bars=600,seed=3", "--store", store], environment: keys)
        #expect(gate.status != 0 && gate.error.contains("live trading refused: bot "), "\(gate.error)")
        // The configuration's [validation] table sets the live gate's thresholds.
        try (bots + "\n\n[live]\naccount = \"PA123\"\n\n[validation]\nmin_trades = 7777\n")
            .write(toFile: folder + "/gated.toml", atomically: true, encoding: .utf8)
        let gated = try PeregrineProcess.run(["run", "--config", folder + "/gated.toml", "--mode", "live", "--live", "--validate-on",
                                              "synthetic:bars=600,seed=3", "--store", store], environment: keys)
        #expect(gated.status != 0 && gated.output.contains("round trips < 7777"), "\(gated.output) \(gated.error)")
        let paperLive = try PeregrineProcess.run(["run", "--config", folder + "/live.toml", "--mode", "paper", "--live", "--store", store],
                                                 environment: keys)
        #expect(paperLive.status != 0 && paperLive.error.contains("--live is for --mode live only"), "\(paperLive.error)")
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    /// Without --step the bots share one trading stream: one connection for the account, every bot's
    /// fills heard on it (no bot asks about its orders), and the books match the broker's.
    @Test func botsShareOneTradingStream() throws {
        try shareOneStream(accountRisk: nil)
    }

    /// An [account_risk] drawdown limit small enough to trip on the first dip of the broker's equity:
    /// every bot paused and flattened, in the audit trail as the account's risk.
    @Test func theAccountLimitPausesAndFlattensEveryBot() throws {
        // A millionth of the peak: the first dip of a held position trips it.
        let store = try shareOneStream(accountRisk: "[account_risk]\nmax_drawdown = 0.000001\ncheck_seconds = 0.05\n")
        let audit = try TradingStore(path: store).audit()
        #expect(audit.contains { $0.actor == "account risk" && $0.action == "flatten_all" && $0.detail.contains("below its peak") },
                "\(audit.map(\.detail))")
        let applied = audit.filter { $0.actor.hasPrefix("account risk:") && $0.stage == .applied }.map { "\($0.action) \($0.target)" }
        #expect(applied.contains("pause left") && applied.contains("pause right") && applied.filter { $0.hasPrefix("flatten_all") }.count == 2,
                "\(applied)")
    }

    /// Stepping, the account's drawdown is read at the end of every step on the exchange's clock: the limit
    /// trips at the same bar in two runs, the request dated by that bar (not the wall clock), and both runs
    /// make the same fills, ending flat after the flatten.
    @Test func steppedAccountLimitTripsAtTheSameBarEveryRun() throws {
        let folder = TestPaths.temporaryFolder()
        let data = try generate([("AAA", 3), ("BBB", 5)], bars: 300, in: folder)
        let config = twoFastCrossBots(pollSeconds: nil)
        try (config + "[account_risk]\nmax_drawdown = 0.000001\n").write(toFile: folder + "/bots.toml", atomically: true, encoding: .utf8)
        var runs: [(request: AuditEntry, fills: [String])] = []
        for attempt in 1...2 {
            let exchange = try ExchangeProcess(["--data", data, "--speed", "manual", "--port", "0", "--warmup", "60", "--cash", "1000000"],
                                               environment: keys)
            defer { exchange.stop() }
            let store = folder + "/stepped-\(attempt).sqlite"
            let run = try PeregrineProcess.run(["run", "--config", folder + "/bots.toml", "--mode", "sim", "--base-url", exchange.base,
                                                "--step", "--store", store], environment: keys)
            #expect(run.status == 0, "\(run.error.suffix(2000))")
            #expect(run.output.contains("max drawdown 0.0001%, checked at the end of every step"), "\(run.output.prefix(2000))")
            let trading = try TradingStore(path: store)
            let request = try #require(try trading.audit().first { $0.actor == "account risk" && $0.action == "flatten_all" })
            let fills = try trading.fills(tradingOnly: true)
            let barTimes = Set(try trading.runs().filter { $0.kind == "local" }.flatMap { try trading.runBars(runID: $0.id).map(\.bar.timestamp) })
            #expect(barTimes.contains(request.time), "the request is dated \(request.time), not a bar's time")
            // Flat at the end: every bought share sold again.
            for symbol in ["AAA", "BBB"] {
                let net = fills.filter { $0.symbol == symbol }.reduce(Quantity(0)) { $0 + ($1.side == .buy ? $1.quantity : Quantity(0) - $1.quantity) }
                #expect(net == Quantity(0), "\(symbol) ends with \(net) after the flatten")
            }
            runs.append((request, fills.map { "\($0.timestamp.nanoseconds) \($0.symbol) \($0.side) \($0.quantity) \($0.price)" }.sorted()))
        }
        #expect(runs[0].request.time == runs[1].request.time && runs[0].request.detail == runs[1].request.detail,
                "\(runs[0].request.detail) at \(runs[0].request.time) against \(runs[1].request.detail) at \(runs[1].request.time)")
        #expect(!runs[0].fills.isEmpty && runs[0].fills == runs[1].fills, "\(runs[0].fills) against \(runs[1].fills)")
    }

    /// `[account_risk] max_gross_exposure` across two bots: a holder buys 100 AAA on its first bar (no warm-up)
    /// and keeps them; the limit
    /// is 100 times AAA's highest close plus a cent, so the holder alone fits under it, and every entry of
    /// the trend bot (100 BBB) on top of the holder's shares is refused as account_exposure, its numbers
    /// (the order at BBB's close, the holder's shares at AAA's, the limit) checked from the bars here.
    @Test func theAccountExposureLimitRefusesEntriesAcrossBots() throws {
        let folder = TestPaths.temporaryFolder()
        let data = try generate([("AAA", 3), ("BBB", 5)], bars: 400, in: folder)
        let closes = try String(contentsOfFile: data + "/AAA.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .compactMap { Price(String($0.split(separator: ",")[4])) }
        let highest = try #require(closes.max())
        let limit = highest * Quantity(100) + Money("0.01")!
        let exchange = try ExchangeProcess(["--data", data, "--speed", "manual", "--port", "0", "--warmup", "60", "--cash", "1000000"],
                                           environment: keys)
        defer { exchange.stop() }
        try """
            [[bots]]
            name = "holder"
            strategy = "buy-and-hold"
            symbols = ["AAA"]
            timeframe = "1Min"
            warmup_bars = 0
            [bots.parameters]
            quantity = 100

            [[bots]]
            name = "trend"
            strategy = "sma-cross"
            symbols = ["BBB"]
            timeframe = "1Min"
            warmup_bars = 30
            [bots.parameters]
            fast = 5
            slow = 20
            quantity = 100

            [account_risk]
            max_gross_exposure = "\(limit)"
            """.write(toFile: folder + "/bots.toml", atomically: true, encoding: .utf8)
        let store = folder + "/exposure.sqlite"
        let run = try PeregrineProcess.run(["run", "--config", folder + "/bots.toml", "--mode", "sim", "--base-url", exchange.base,
                                            "--step", "--store", store], environment: keys)
        #expect(run.status == 0, "\(run.error.suffix(2000))")
        #expect(run.output.contains("account risk: gross exposure of all bots together at most \(limit.formatted(places: 2))"))
        let trading = try TradingStore(path: store)
        let runs = try trading.runs().filter { $0.kind == "local" }
        let holderRun = try #require(runs.first { $0.strategy == "buy-and-hold" }), trendRun = try #require(runs.first { $0.strategy == "sma-cross" })
        let held = try trading.fills(runID: holderRun.id)
        #expect(held.count == 1 && held[0].side == .buy && held[0].quantity == Quantity(100))
        #expect(try trading.fills(runID: trendRun.id).isEmpty)
        let refused = try trading.decisions(runID: trendRun.id).filter { $0.reason == "account_exposure" }
        #expect(refused.count >= 3, "\(refused.count) refusals")
        // Each refusal's figures: this bot holds nothing, the order is 100 BBB at the bar's close, the others are
        // 100 AAA at a close of AAA's, and the sum passes the limit.
        let bbb = Dictionary(try trading.runBars(runID: trendRun.id).map { ($0.bar.timestamp, $0.bar.close) }, uniquingKeysWith: { a, _ in a })
        let aaa = Set(try trading.runBars(runID: holderRun.id).map { ($0.bar.close * Quantity(100)).formatted(places: 2) })
        for decision in refused {
            let order = try #require(bbb[decision.time]) * Quantity(100)
            let numbers = decision.detail.split(whereSeparator: { !"0123456789.".contains($0) }).filter { $0.contains(".") }.map(String.init)
            try #require(numbers.count == 5, "\(decision.detail)")
            #expect(numbers[1] == "0.00" && numbers[2] == order.formatted(places: 2) && aaa.contains(numbers[3])
                    && numbers[4] == limit.formatted(places: 2), "\(decision.detail)")
            #expect(Money(numbers[0])! == order + Money(numbers[3])! && Money(numbers[0])! > limit, "\(decision.detail)")
        }
    }

    /// Synthetic minute bars for each (symbol, seed), one CSV each in `folder`/data; the folder's path.
    func generate(_ symbols: [(String, Int)], bars: Int, in folder: String) throws -> String {
        let data = folder + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for (symbol, seed) in symbols {
            let made = try PeregrineProcess.run(["data", "generate", "--out", "\(data)/\(symbol).csv", "--bars", "\(bars)", "--seed", "\(seed)"])
            #expect(made.status == 0, "\(made.error)")
        }
        return data
    }

    /// Two sma-cross bots (2/5 bars), left on AAA and right on BBB, as `[[bots]]` tables.
    func twoFastCrossBots(pollSeconds: Double?) -> String {
        [("left", "AAA"), ("right", "BBB")].map { name, symbol in
            """
            [[bots]]
            name = "\(name)"
            strategy = "sma-cross"
            symbols = ["\(symbol)"]
            timeframe = "1Min"
            warmup_bars = 30
            \(pollSeconds.map { "poll_seconds = \($0)\n" } ?? "")[bots.parameters]
            fast = 2
            slow = 5

            """
        }.joined()
    }

    @discardableResult
    func shareOneStream(accountRisk: String?) throws -> String {
        let folder = TestPaths.temporaryFolder()
        let data = try generate([("AAA", 3), ("BBB", 5)], bars: 400, in: folder)
        let exchange = try ExchangeProcess(["--data", data, "--speed", "600x", "--port", "0", "--warmup", "60", "--cash", "1000000"],
                                           environment: keys)
        defer { exchange.stop() }
        let config = twoFastCrossBots(pollSeconds: 0.05)
        try (config + (accountRisk ?? "")).write(toFile: folder + "/bots.toml", atomically: true, encoding: .utf8)
        let store = folder + "/shared.sqlite"
        let run = try PeregrineProcess.run(["run", "--config", folder + "/bots.toml", "--mode", "sim", "--base-url", exchange.base,
                                            "--max-bars", "60", "--store", store], environment: keys)
        #expect(run.status == 0, "\(run.error.suffix(2000))")
        #expect(accountRisk == nil || run.output.contains("account risk: daily loss limit none, max drawdown"), "\(run.output.prefix(2000))")
        #expect(run.output.components(separatedBy: "trading stream: connected, shared by").count - 1 == 1, "\(run.output.suffix(3000))")
        let fills = try TradingStore(path: store).fills(tradingOnly: true)
        // Paused by the account's limit, the bots trade less; free, both trade.
        #expect(accountRisk != nil || (Set(fills.map(\.symbol)) == ["AAA", "BBB"] && fills.count >= 4), "\(fills.count) fills")
        // Every order the bots sent ended as the broker last said, heard on the stream.
        let orders = try TradingStore(path: store).orders(tradingOnly: true)
        #expect(orders.allSatisfy { $0.status != nil && $0.status != "new" } || orders.last?.status == "new", "\(orders.map { $0.status ?? "-" })")
        return store
    }
}
