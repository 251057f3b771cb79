import Foundation
import PeregrineCore
import PeregrineData
import PeregrineLive
import PeregrineModels
import PeregrineStorage
import PeregrineTestSupport
import Testing

/// The option strategies traded through `peregrine exchange` by `peregrine trade --mode sim --step`, two
/// processes over HTTP: their option fills (contract, side, contracts, price per share) and stock fills,
/// shares delivered at expiry included, are those of `peregrine backtest` on the same daily bars.
@Suite(.serialized) struct OptionStrategyExchangeTests {
    /// `bars` weekdays of daily bars from 2024-01-02, a seeded random walk moving about 2.5% a day,
    /// as `folder/OPX.csv` (an OCC root of three letters).
    static func writeDaily(_ folder: String, bars: Int, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var close = 50.0
        var text = "timestamp,open,high,low,close,volume\n"
        var day = CivilDate(year: 2024, month: 1, day: 2)
        var written = 0
        while written < bars {
            if day.weekday != 0 && day.weekday != 6 {
                let open = close * exp(0.004 * generator.nextNormal())
                close = open * exp(0.025 * generator.nextNormal())
                let high = max(open, close) * 1.005, low = min(open, close) * 0.995
                text += "\(day)," + [open, high, low, close].map { String(format: "%.2f", $0) }.joined(separator: ",") + ",100000\n"
                written += 1
            }
            day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: folder + "/opx.csv", atomically: true, encoding: .utf8)
    }

    /// Trades `strategy` with `parameters` against a fresh exchange on the bars, then backtests it;
    /// both runs' fills, each as "time symbol side quantity price", in the order each run stored them.
    func run(_ strategy: String, _ parameters: [String], seed: UInt64) throws -> (traded: [String], backtested: [String], decisions: Bool,
                                                                                  store: String) {
        let folder = TestPaths.temporaryFolder()
        try Self.writeDaily(folder + "/daily", bars: 90, seed: seed)
        let config = folder + "/options.toml"
        try ("""
        [trade]
        strategy = "\(strategy)"
        symbols = ["OPX"]
        timeframe = "1Day"
        warmup_bars = 10
        [trade.parameters]

        """ + parameters.map { $0.replacingOccurrences(of: "=", with: " = ") }.joined(separator: "\n") + "\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let exchange = StrategyExchangeTests()
        let run = try exchange.tradeAndBacktest(folder: folder, exchangeData: [folder + "/daily"], backtestData: [folder + "/daily/opx.csv"],
                                                config: config, parameters: ["--strategy", strategy] + parameters.flatMap { ["--param", $0] },
                                                warmUp: 10)
        // The store's times are RFC 3339, fills.csv writes a midnight as its date: one form for both.
        func sameForm(_ line: String) -> String {
            var fields = line.split(separator: " ").map(String.init)
            if fields[0].hasSuffix("T00:00:00Z") { fields[0] = String(fields[0].dropLast("T00:00:00Z".count)) }
            return fields.joined(separator: " ")
        }
        return (run.traded.map(sameForm), run.backtested.map(sameForm), run.tradedDecisions == run.backtestDecisions, folder + "/trade.sqlite")
    }

    /// The store's rows that close contracts at zero when they are exercised, assigned or expire
    /// (fills.csv has none: the backtest's trades.csv shows them as trips), and the rest.
    static func settlements(_ fills: [String]) -> (settled: [String], rest: [String]) {
        let settled = fills.filter { isOption($0) && $0.hasSuffix(" 0") }
        return (settled, fills.filter { !(isOption($0) && $0.hasSuffix(" 0")) })
    }

    /// Fills at one time are booked in a different order by the two runs (the backtest settles and
    /// fills options before the bar's stock orders; the trader hears of stock fills first): compared
    /// as the same set at each time, by sorting.
    static func sameFills(_ a: [String], _ b: [String]) -> Bool { a.sorted() == b.sorted() }

    static func isOption(_ line: String) -> Bool { (try? OCCSymbol(String(line.split(separator: " ")[1]))) != nil }

    /// `covered-call` buys the stock, sells a call a lot and buys it back two days before its expiry:
    /// every option and stock fill of the trader is the backtest's.
    @Test func coveredCallTradesTheExchangeWithTheBacktestsFills() throws {
        let run = try run("covered-call", ["delta=0.3", "days=10", "roll_days=2", "percent=0.1"], seed: 4)
        let options = run.backtested.filter(Self.isOption)
        // Calls sold to open and bought back to close, each a whole number of contracts.
        #expect(options.filter { $0.contains(" sell ") }.count >= 4 && options.filter { $0.contains(" buy ") }.count >= 3,
                "\(run.backtested)")
        #expect(options.allSatisfy { $0.split(separator: " ")[1].contains("C") })
        #expect(run.traded.count == run.backtested.count, "\(run.traded) vs \(run.backtested)")
        #expect(Self.sameFills(run.traded, run.backtested), "\(run.traded) vs \(run.backtested)")
        #expect(run.decisions)
    }

    /// `covered-call` on 90 daily bars with 40 of warm-up (so a restarted bot's volatility window is
    /// whole), traded by one bot stopped after `firstBars` bars and started again on the same store,
    /// then backtested: the store's fills, the backtest's, both runs' output and the store's positions
    /// at the stop.
    func restartedCoveredCall(firstBars: (_ backtested: [String], _ days: [String]) -> Int, keepOrders: Bool) throws
        -> (traded: [String], backtested: [String], first: String, second: String, held: [String: Quantity]) {
        let folder = TestPaths.temporaryFolder()
        try Self.writeDaily(folder + "/daily", bars: 90, seed: 4)
        let parameters = ["delta=0.3", "days=10", "roll_days=2", "percent=0.1"]
        try ("[trade]\nstrategy = \"covered-call\"\nsymbols = [\"OPX\"]\ntimeframe = \"1Day\"\nwarmup_bars = 40\n"
            + "cancel_open_orders_on_stop = \(!keepOrders)\n[trade.parameters]\n"
            + parameters.map { $0.replacingOccurrences(of: "=", with: " = ") }.joined(separator: "\n") + "\n")
            .write(toFile: folder + "/cc.toml", atomically: true, encoding: .utf8)
        let backtest = try PeregrineProcess.run(["backtest", "--risk", folder + "/cc.toml", "--warm-up", "40", "--cash", "100000", "--out", folder + "/bt",
                                                 "--data", folder + "/daily/opx.csv", "--strategy", "covered-call"] + parameters.flatMap { ["--param", $0] })
        #expect(backtest.status == 0, "\(backtest.error)")
        let backtested = try String(contentsOfFile: folder + "/bt/fills.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").prefix(5).joined(separator: " ") }
        let days = try String(contentsOfFile: folder + "/daily/opx.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { String($0.prefix(10)) }
        let keys = StrategyExchangeTests().keys
        let exchange = try ExchangeProcess(["--speed", "manual", "--port", "0", "--warmup", "40", "--cash", "100000", "--data", folder + "/daily"],
                                           environment: keys)
        defer { exchange.process.terminate(); exchange.process.waitUntilExit() }
        let trade = ["trade", "--config", folder + "/cc.toml", "--mode", "sim", "--base-url", exchange.base, "--step", "--store", folder + "/t.sqlite"]
        let first = try PeregrineProcess.run(trade + ["--max-bars", String(firstBars(backtested, days))], environment: keys)
        #expect(first.status == 0, "\(first.output) \(first.error)")
        let held = try TradingStore(path: folder + "/t.sqlite").netPositions(tradingOnly: true)
        let second = try PeregrineProcess.run(trade, environment: keys)
        #expect(second.status == 0 && second.output.contains("the exchange has no more bars"), "\(second.output) \(second.error)")
        let traded = try TradingStore(path: folder + "/t.sqlite").fills(tradingOnly: true)
            .map { "\($0.timestamp.iso8601.replacingOccurrences(of: "T00:00:00Z", with: "")) \($0.symbol) \($0.side.rawValue) \($0.quantity) \($0.price)" }
        #expect(backtested.filter(Self.isOption).count >= 10, "\(backtested)")
        return (traded, backtested, first.output, second.output, held)
    }

    /// Stopped after 21 bars holding the stock and a short call, then started again on the same store:
    /// the call is adopted from the broker's positions, and the two runs' fills together are the backtest's.
    @Test func coveredCallRestartsWithItsCallAdopted() throws {
        let run = try restartedCoveredCall(firstBars: { _, _ in 21 }, keepOrders: false)
        // Covered: a call sold per 100 shares held.
        let calls = run.held.filter { (try? OCCSymbol($0.key)) != nil }
        #expect(calls.count == 1 && run.held["OPX"] == Quantity(200) && calls.first?.value == Quantity(-2), "\(run.held)")
        #expect(run.second.contains("adopted option position OPX"), "\(run.second)")
        #expect(Self.sameFills(run.traded, run.backtested), "\(run.traded) vs \(run.backtested)")
    }

    /// Stopped on the bar that sent an option order (the bar before the backtest fills one, past the
    /// 20th), left working at the broker (cancel_open_orders_on_stop = false): the restarted bot adopts
    /// it as working, the exchange fills it on the next bar, and the fills are still the backtest's.
    @Test func coveredCallRestartsWithItsWorkingOrderAdopted() throws {
        // Row k of the data (0-based) is the bar of a backtest's option fill: the order went out on
        // row k - 1, the (k - 40)th bar after the 40 of warm-up.
        let run = try restartedCoveredCall(firstBars: { backtested, days in
            let rows = backtested.filter(Self.isOption).compactMap { line in days.firstIndex(of: String(line.prefix(10))) }
            return (rows.first { $0 - 40 > 20 } ?? 61) - 40
        }, keepOrders: true)
        #expect(run.held.values.allSatisfy { !$0.isZero }, "\(run.held)")
        #expect(run.second.contains("adopted working option order"), "\(run.second)")
        #expect(Self.sameFills(run.traded, run.backtested), "\(run.traded) vs \(run.backtested)")
    }

    /// `iron-condor` sends its four legs as one mleg order and holds it to expiry, where a leg in the
    /// money is assigned or exercised into shares that the next bar sells or buys back: the trader's
    /// fills, the shares delivered at the strike included, are the backtest's.
    @Test func ironCondorTradesTheExchangeWithTheBacktestsFills() throws {
        var run = try run("iron-condor", ["delta=0.3", "wing=1", "days=7", "contracts=2"], seed: 9)
        // Every leg held to expiry closes at zero in the store, on the first bar after its expiration.
        let (settled, rest) = Self.settlements(run.traded)
        run.traded = rest
        let options = run.traded.filter(Self.isOption)
        #expect(settled.count == options.count, "\(settled)")  // the bars end after the last condor's expiry
        // So the store holds no contract any more, as the broker holds none: a restart reconciles.
        let positions = try TradingStore(path: run.store).netPositions(tradingOnly: true)
        #expect(positions.filter { (try? OCCSymbol($0.key)) != nil && !$0.value.isZero }.isEmpty, "\(positions)")
        // The parity check (GET parity) pairs every fill of the bot, legs and zero settlements included,
        // with the backtest's over the bars the run stored.
        let store = try TradingStore(path: run.store)
        let runID = try #require(try store.latestRunWithBars(bot: "iron-condor"))
        let kept = try #require(try store.runConfiguration(runID: runID))
        let settings = try TradingSettings(TradeConfiguration.parse(kept.document))
        let fills = try store.fills(runID: runID)
        let parity = try ParityCheck.compare(settings: settings, parameters: settings.parameters, bars: try store.runBarColumns(runID: runID),
                                             liveFills: fills, initialCash: try #require(try store.run(runID)).initialEquity)
        #expect(parity.differences.isEmpty && parity.matched == fills.count && parity.backtestFills == fills.count,
                "\(parity.differences.prefix(5))")
        #expect(parity.livePnL == parity.backtestPnL)
        for line in settled {
            let fields = line.split(separator: " ")
            let opened = options.first { $0.split(separator: " ")[1] == fields[1] }?.split(separator: " ")
            #expect(opened.map { $0[2] != fields[2] && $0[3] == fields[3] } == true, "\(line)")
        }
        // Four legs at one time for each condor: filled as one.
        let byTime = Dictionary(grouping: options) { $0.split(separator: " ")[0] }
        #expect(byTime.count >= 3 && byTime.values.allSatisfy { $0.count == 4 }, "\(options)")
        #expect(options.allSatisfy { $0.hasSuffix(" ") == false && $0.split(separator: " ")[3] == "2" })
        // Shares delivered at expiry: on the first bar after a leg's expiration, a stock fill of 200
        // shares (2 contracts) at that leg's strike.
        let stock = run.traded.filter { !Self.isOption($0) }.map { $0.split(separator: " ").map(String.init) }
        var deliveries = 0
        for line in options {
            let contract = try OCCSymbol(String(line.split(separator: " ")[1]))
            guard let next = run.traded.map({ String($0.split(separator: " ")[0]) }).filter({ CivilDate(iso: $0)! > contract.expiration }).min()
            else { continue }
            deliveries += stock.filter { $0[0] == next && $0[3] == "200" && Price($0[4]) == contract.strike }.count
        }
        #expect(deliveries >= 4, "\(deliveries) deliveries at a strike: \(run.traded)")
        #expect(Self.sameFills(run.traded, run.backtested), "\(run.traded) vs \(run.backtested)")
        #expect(run.decisions)
    }
}
