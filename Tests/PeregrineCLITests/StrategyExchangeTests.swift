import Foundation
import PeregrineCore
import PeregrineStorage
import PeregrineTestSupport
import Testing

/// The pair, universe, grid and quoting strategies traded through `peregrine exchange` by `peregrine trade --mode sim`,
/// two processes over HTTP: the fills and decisions of `peregrine backtest` on the same bars.
@Suite(.serialized) struct StrategyExchangeTests {
    let keys = ["APCA_API_KEY_ID": "PKPAIRS", "APCA_API_SECRET_KEY": "pairs-secret-value"]

    /// A cointegrated pair of 1-minute bars inside one New York session: x a random walk, y = 10 + 1.5x
    /// plus an AR(1), as files YY.csv and XX.csv.
    static func writePair(_ folder: String, bars: Int = 380) throws {
        var generator = SeededGenerator(seed: 3)
        var x = 50.0, noise = 0.0
        var y = "timestamp,open,high,low,close,volume\n", xs = y
        let start = 1_709_562_600  // 2024-03-04T14:30:00Z, 09:30 in New York
        for i in 0..<bars {
            x = max(5, x + generator.nextNormal() * 0.05)
            noise = 0.8 * noise + generator.nextNormal() * 0.05
            let stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(start + 60 * i)))
            let yClose = String(format: "%.2f", 10 + 1.5 * x + noise), xClose = String(format: "%.2f", x)
            y += "\(stamp),\(yClose),\(yClose),\(yClose),\(yClose),1000\n"
            xs += "\(stamp),\(xClose),\(xClose),\(xClose),\(xClose),1000\n"
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try y.write(toFile: folder + "/yy.csv", atomically: true, encoding: .utf8)
        try xs.write(toFile: folder + "/xx.csv", atomically: true, encoding: .utf8)
    }

    /// Runs `trade --mode sim` against a fresh exchange on `data`, then `backtest` with the same
    /// configuration, and returns both runs' fills and decisions (client order ids and warm-up rows,
    /// whose wording names the trading start differently, left out).
    func tradeAndBacktest(folder: String, exchangeData: [String], backtestData: [String], config: String, parameters: [String],
                          warmUp: Int, exchangeWarmUp: Int? = nil)
        throws -> (traded: [String], backtested: [String], tradedDecisions: [String], backtestDecisions: [String]) {
        let exchange = try ExchangeProcess(["--speed", "manual", "--port", "0", "--warmup", "\(exchangeWarmUp ?? warmUp)", "--cash", "100000"]
                                            + exchangeData.flatMap { ["--data", $0] }, environment: keys)
        defer { exchange.process.terminate(); exchange.process.waitUntilExit() }
        let store = folder + "/trade.sqlite"
        let trade = try PeregrineProcess.run(["trade", "--config", config, "--mode", "sim", "--base-url", exchange.base, "--step",
                                              "--store", store, "--decisions", folder + "/decisions.csv"], environment: keys)
        #expect(trade.status == 0, "\(trade.output) \(trade.error)")
        #expect(trade.output.contains("the exchange has no more bars"), "\(trade.output)")
        let backtest = try PeregrineProcess.run(["backtest", "--risk", config, "--warm-up", "\(warmUp)", "--cash", "100000",
                                                 "--out", folder + "/bt"] + backtestData.flatMap { ["--data", $0] } + parameters)
        #expect(backtest.status == 0, "\(backtest.error)")
        let backtested = try String(contentsOfFile: folder + "/bt/fills.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").prefix(5).joined(separator: " ") }
        let traded = try TradingStore(path: store).fills(tradingOnly: true)
            .map { "\($0.timestamp.iso8601) \($0.symbol) \($0.side.rawValue) \($0.quantity) \($0.price)" }
        func decisions(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.contains(",warm_up,") }.map {
                var fields = $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if fields.count > 7 { fields[7] = "" }
                return fields.joined(separator: ",")
            }
        }
        return (traded, backtested, try decisions(folder + "/decisions.csv"), try decisions(folder + "/bt/decisions.csv"))
    }

    /// `pairs` on two symbols: both legs of each entry and exit go out on the same bar, and the trader's
    /// fills and decisions are the backtest's.
    @Test func pairsTradesTheExchangeWithTheBacktestsFills() throws {
        let folder = TestPaths.temporaryFolder()
        try Self.writePair(folder + "/pair")
        let config = folder + "/pairs.toml"
        try """
        [trade]
        strategy = "pairs"
        symbols = ["YY", "XX"]
        timeframe = "1Min"
        warmup_bars = 30
        [trade.parameters]
        formation = 60
        entry = 1.5
        exit = 0.25
        percent = 0.1
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let run = try tradeAndBacktest(folder: folder, exchangeData: [folder + "/pair"],
                                       backtestData: [folder + "/pair/yy.csv", folder + "/pair/xx.csv"], config: config,
                                       parameters: ["--strategy", "pairs", "--param", "formation=60", "--param", "entry=1.5",
                                                    "--param", "exit=0.25", "--param", "percent=0.1"], warmUp: 30)
        #expect(run.backtested.count >= 8, "\(run.backtested.count) fills")
        #expect(run.traded == run.backtested)
        #expect(run.tradedDecisions.count > 10 && run.tradedDecisions == run.backtestDecisions)
        // Every pair entry has its two legs at one time, on opposite sides.
        let entries = run.tradedDecisions.filter { $0.contains("pair_enter") }
        #expect(!entries.isEmpty && entries.count % 2 == 0)
        for k in stride(from: 0, to: entries.count - 1, by: 2) {
            let a = entries[k].split(separator: ","), b = entries[k + 1].split(separator: ",")
            #expect(a[0] == b[0] && a[1] != b[1] && a[5] != b[5], "\(entries[k]) / \(entries[k + 1])")
        }
    }

    /// `market-making` cancels and re-posts two limit quotes a bar: the exchange fills them as the
    /// backtest's venue does.
    @Test func marketMakingQuotesTheExchangeWithTheBacktestsFills() throws {
        let folder = TestPaths.temporaryFolder()
        let config = folder + "/mm.toml"
        try """
        [trade]
        strategy = "market-making"
        symbols = ["SYN"]
        timeframe = "1Min"
        warmup_bars = 50
        [trade.parameters]
        quantity = 10
        spread = 0.004
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let data = "synthetic:bars=1500,seed=5"
        let run = try tradeAndBacktest(folder: folder, exchangeData: [data], backtestData: [data], config: config,
                                       parameters: ["--strategy", "market-making", "--param", "quantity=10", "--param", "spread=0.004"],
                                       warmUp: 50)
        #expect(run.backtested.count >= 20, "\(run.backtested.count) fills")
        #expect(run.traded == run.backtested)
        #expect(run.tradedDecisions.count > 1_000 && run.tradedDecisions == run.backtestDecisions)
    }

    /// `grid` rests buy limits on its lines and sells each a line higher: the exchange fills the
    /// limits as the backtest's venue does.
    @Test func gridTradesTheExchangeWithTheBacktestsFills() throws {
        let folder = TestPaths.temporaryFolder()
        let config = folder + "/grid.toml"
        try """
        [trade]
        strategy = "grid"
        symbols = ["SYN"]
        timeframe = "1Min"
        warmup_bars = 50
        [trade.parameters]
        levels = 8
        range = 0.02
        quantity = 10
        recenter = true
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let data = "synthetic:bars=1500,seed=7"
        let run = try tradeAndBacktest(folder: folder, exchangeData: [data], backtestData: [data], config: config,
                                       parameters: ["--strategy", "grid", "--param", "levels=8", "--param", "range=0.02",
                                                    "--param", "quantity=10", "--param", "recenter=true"], warmUp: 50)
        #expect(run.backtested.count >= 4, "\(run.backtested.count) fills")
        #expect(run.traded == run.backtested)
        #expect(run.tradedDecisions == run.backtestDecisions)
    }

    /// Three generated symbols of one-minute bars, as files in `folder`.
    static func writeUniverse(_ folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (symbol, seed) in [("AAA", 3), ("BBB", 5), ("CCC", 8)] {
            let made = try PeregrineProcess.run(["data", "generate", "--out", "\(folder)/\(symbol).csv", "--bars", "700", "--seed", "\(seed)"])
            #expect(made.status == 0, "\(made.error)")
        }
    }

    /// `xs-momentum` and `dual-momentum` rotate a three-symbol universe: sales first, purchases when
    /// they fill; the trader's fills and decisions are the backtest's.
    @Test(arguments: ["xs-momentum", "dual-momentum"])
    func universeStrategiesTradeTheExchangeWithTheBacktestsFills(strategy: String) throws {
        let folder = TestPaths.temporaryFolder()
        try Self.writeUniverse(folder + "/universe")
        let config = folder + "/universe.toml"
        let parameters = strategy == "xs-momentum" ? ["lookback=40", "skip=0", "rebalance=15", "top=1", "percent=0.08"]
            : ["lookback=40", "rebalance=15", "percent=0.08"]
        try ("""
        [trade]
        strategy = "\(strategy)"
        symbols = ["AAA", "BBB", "CCC"]
        timeframe = "1Min"
        warmup_bars = 50
        [trade.parameters]

        """ + parameters.map { $0.replacingOccurrences(of: "=", with: " = ") }.joined(separator: "\n") + "\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        // The exchange's warm-up counts the bars of all three symbols; 8% of equity stays inside the
        // default position limit the trader runs under.
        let run = try tradeAndBacktest(folder: folder, exchangeData: [folder + "/universe"], backtestData: [folder + "/universe"], config: config,
                                       parameters: ["--strategy", strategy] + parameters.flatMap { ["--param", $0] }, warmUp: 50,
                                       exchangeWarmUp: 150)
        #expect(run.backtested.count >= 6, "\(strategy): \(run.backtested.count) fills")
        #expect(run.traded == run.backtested, "\(strategy)")
        #expect(run.tradedDecisions == run.backtestDecisions, "\(strategy)")
    }

    /// The trend followers on one symbol: `ts-momentum` (volatility-scaled) and `donchian-breakout`
    /// (ATR stops and sizing) trade the exchange as they backtest.
    @Test(arguments: [("ts-momentum", ["lookback=60", "percent=0.1"]), ("donchian-breakout", ["entry=20", "exit=10", "max_leverage=0.1"])])
    func trendFollowersTradeTheExchangeWithTheBacktestsFills(strategy: String, parameters: [String]) throws {
        let folder = TestPaths.temporaryFolder()
        let config = folder + "/trend.toml"
        try ("""
        [trade]
        strategy = "\(strategy)"
        symbols = ["SYN"]
        timeframe = "1Min"
        warmup_bars = 50
        [trade.parameters]

        """ + parameters.map { $0.replacingOccurrences(of: "=", with: " = ") }.joined(separator: "\n") + "\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let data = "synthetic:bars=1500,seed=11"
        let run = try tradeAndBacktest(folder: folder, exchangeData: [data], backtestData: [data], config: config,
                                       parameters: ["--strategy", strategy] + parameters.flatMap { ["--param", $0] }, warmUp: 50)
        #expect(run.backtested.count >= 4, "\(strategy): \(run.backtested.count) fills")
        #expect(run.traded == run.backtested, "\(strategy)")
        #expect(run.tradedDecisions == run.backtestDecisions, "\(strategy)")
    }
}
