import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineIndicators
import PeregrineModels
import PeregrineRisk
import PeregrineStrategies

/// Speed benchmark of the event-driven kernel: SMA 10/30 crossover, 100 shares, next-open market
/// fills, no costs, 1,000,000 cash (the same backtest as the peer harness). Prints one `RESULT`
/// JSON line per run set, like the peers' scripts, so figures can be tabulated side by side.
///
///   peregrine-bench --bars 1000000 --runs 3
///   peregrine-bench --data bars_1m.csv --runs 3 --dump-fills fills.csv
@main
struct BenchmarkMain {
    static func main() throws {
        // Runs back to back in one process, as `peregrine sweep` and `walkforward` make them: the allocator
        // keeps freed arrays for the next run as those commands have it (ProcessMemory).
        ProcessMemory.keepFreedBlocksForReuse()
        var arguments = Array(CommandLine.arguments.dropFirst())
        func take(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            let value = arguments[index + 1]
            arguments.removeSubrange(index...(index + 1))
            return value
        }
        if arguments.contains("--help") || arguments.contains("-h") {
            print("""
                usage: peregrine-bench [--bars N | --data FILE] [--runs N] [--seed S] [--dump-fills FILE] [--with-risk]
                       peregrine-bench --signals [--symbols 500] [--bars 252] [--runs 3]
                       peregrine-bench --indicators [--bars 10000000]
                       peregrine-bench --risk [--checks 1000000]
                       peregrine-bench --sweep [--data FILE | --bars 100000] [--runs 3] [--fast-to 50] [--slow-to 200]
                       peregrine-bench --sweep-kernel [--data FILE | --bars 100000] [--runs 3] [--threads 1,2] [--dump FILE]
                       peregrine-bench --rules-vs-hand [--data FILE | --bars 1000000] [--runs 5] [--only sma-cross|rules]
                       peregrine-bench --sleeves K [--data FILE | --bars N] [--rebalance 390] [--runs 3]
                       peregrine-bench --options [--runs 5]
                       peregrine-bench --xs-momentum [--symbols 100] [--bars 2520] [--rebalance 21] [--runs 3]
                       peregrine-bench --universe DIR [--runs 3] [--quantity 1] [--dump-fills FILE]
                Default: times SMA 10/30, 100 shares, next-open fills, no costs, over generated one-minute bars or a CSV file.
                --signals: signal-engine updates for many daily symbols (after an untimed warm-up of the same length).
                --indicators: streaming updates per second of each indicator over generated bars.
                --sleeves: K SMA crossovers as sleeves of one account against the same K as separate backtests.
                --options: Black-Scholes prices with Greeks per second, a 500-step American price, a 10,000-contract chain's implied vols.
                --sweep: the sma-cross grid on the fast path; --sweep-kernel: the same grid with every combination a kernel
                backtest (StrategySweep), alternating between the thread counts given (default: every core).
                --rules-vs-hand: the rules strategy restating SMA 10/30 against the hand-written sma-cross, alternating.
                --xs-momentum: time per rebalance of xs-momentum (top 10) over a generated universe of daily bars.
                --universe: one portfolio backtest over every SYMBOL.csv of DIR (read as `peregrine backtest --data DIR` reads it),
                SMA 10/30 on each symbol, a fixed --quantity per entry (cash never binds), next-open fills, no costs, 1,000,000 cash;
                times run() only; --dump-fills writes symbol,date,side,price (benchmarks/universe_vs_vectorbt.sh compares them).
                Example: peregrine-bench --universe .build-bench/universe --runs 5
                Example: peregrine-bench --bars 10000000 --runs 3
                """)
            return
        }
        if let index = arguments.firstIndex(of: "--xs-momentum") {
            arguments.remove(at: index)
            try MomentumBenchmark.run(symbols: Int(take("--symbols") ?? "100") ?? 100, bars: Int(take("--bars") ?? "2520") ?? 2520,
                                      rebalance: Int(take("--rebalance") ?? "21") ?? 21, runs: Int(take("--runs") ?? "3") ?? 3)
            return
        }
        if let index = arguments.firstIndex(of: "--universe") {
            arguments.remove(at: index)
            guard index < arguments.count else {
                print("--universe needs a folder of SYMBOL.csv files, e.g. --universe .build-bench/universe")
                exit(2)
            }
            let folder = arguments.remove(at: index)
            guard let runs = Int(take("--runs") ?? "3"), let quantity = Int(take("--quantity") ?? "1") else {
                print("--runs and --quantity take whole numbers")
                exit(2)
            }
            let dumpPath = take("--dump-fills")
            guard arguments.isEmpty else {
                print("unknown arguments: \(arguments)")
                exit(2)
            }
            try UniverseBenchmark.run(folder: folder, runs: runs, quantity: quantity, dumpPath: dumpPath)
            return
        }
        if let index = arguments.firstIndex(of: "--options") {
            arguments.remove(at: index)
            OptionsBenchmark.run(runs: take("--runs").flatMap(Int.init) ?? 5)
            return
        }
        if let index = arguments.firstIndex(of: "--signals") {
            arguments.remove(at: index)
            let symbols = Int(take("--symbols") ?? "500")!
            let bars = Int(take("--bars") ?? "252")!
            let runs = Int(take("--runs") ?? "3")!
            try SignalBenchmark.run(symbols: symbols, bars: bars, runs: runs)
            return
        }
        if let index = arguments.firstIndex(of: "--sweep") {
            arguments.remove(at: index)
            try SweepBenchmark.run(dataPath: take("--data"), bars: Int(take("--bars") ?? "100000")!, runs: Int(take("--runs") ?? "3")!,
                                   fastTo: Int(take("--fast-to") ?? "50")!, slowTo: Int(take("--slow-to") ?? "200")!)
            return
        }
        if let index = arguments.firstIndex(of: "--sweep-kernel") {
            arguments.remove(at: index)
            let threads = (take("--threads") ?? "\(ProcessInfo.processInfo.activeProcessorCount)").split(separator: ",").map { Int($0)! }
            try KernelSweepBenchmark.run(dataPath: take("--data"), bars: Int(take("--bars") ?? "100000")!, runs: Int(take("--runs") ?? "3")!,
                                         threads: threads, fastTo: Int(take("--fast-to") ?? "50")!, slowTo: Int(take("--slow-to") ?? "200")!,
                                         dumpPath: take("--dump"))
            return
        }
        if let index = arguments.firstIndex(of: "--rules-vs-hand") {
            arguments.remove(at: index)
            let dataPath = take("--data")
            let series = try loadBars(dataPath: dataPath, bars: Int(take("--bars") ?? "1000000")!)
            try RulesBenchmark.run(series: series, dataName: dataPath.map { ($0 as NSString).lastPathComponent } ?? "synthetic seed 42",
                                   runs: Int(take("--runs") ?? "5")!, only: take("--only"))
            return
        }
        if let index = arguments.firstIndex(of: "--risk") {
            arguments.remove(at: index)
            RiskBenchmark.run(count: Int(take("--checks") ?? "1000000")!)
            return
        }
        if let index = arguments.firstIndex(of: "--indicators") {
            arguments.remove(at: index)
            try IndicatorBenchmark.run(bars: Int(take("--bars") ?? "10000000")!)
            return
        }
        let bars = Int(take("--bars") ?? "1000000")!
        let runs = Int(take("--runs") ?? "3")!
        let seed = UInt64(take("--seed") ?? "42")!
        let dataPath = take("--data")
        if let sleeves = take("--sleeves").flatMap(Int.init) {
            let series = try loadBars(dataPath: dataPath, bars: bars, seed: seed)
            try PortfolioBenchmark.run(series: series, dataName: dataPath.map { ($0 as NSString).lastPathComponent } ?? "synthetic seed \(seed)",
                                       sleeves: sleeves, rebalance: Int(take("--rebalance") ?? "390")!, runs: runs)
            return
        }
        let withRisk = arguments.contains("--with-risk")
        arguments.removeAll { $0 == "--with-risk" }
        let dumpPath = take("--dump-fills")
        guard arguments.isEmpty else {
            FileHandle.standardError.write("unknown arguments: \(arguments)\n".data(using: .utf8)!)
            exit(2)
        }

        let loadStart = Date()
        let series = try loadBars(dataPath: dataPath, bars: bars, seed: seed)
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let rssAfterLoad = memory("VmRSS")

        let (times, result) = timeSMACross(series: [series], quantity: 100, runs: runs, withRisk: withRisk)
        let median = times.sorted()[times.count / 2]
        let peak = memory("VmHWM")
        if let dumpPath {
            var index: [Int64: Int] = [:]
            for k in 0..<series.count { index[series.timestamps[k]] = k }
            var text = "bar,side,price\n"
            for fill in result.fills {
                text += "\(index[fill.timestamp.nanoseconds]!),\(fill.side == .buy ? 1 : -1),\(fill.price.doubleValue)\n"
            }
            try text.write(toFile: dumpPath, atomically: true, encoding: .utf8)
        }
        let entries = result.roundTrips.count + result.openTrips.count
        let fields: [(String, String)] = [
            ("engine", "\"peregrine\""),
            ("data", "\"\(dataPath.map { ($0 as NSString).lastPathComponent } ?? "synthetic seed \(seed)")\""),
            ("bars", "\(series.count)"),
            ("fill", "\"next_open\""),
            ("risk", withRisk ? "\"default limits\"" : "\"off\""),
            ("load_s", String(format: "%.4f", loadSeconds)),
            ("run_s", "[" + times.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]"),
            ("run_s_median", String(format: "%.4f", median)),
            ("bars_per_s", String(format: "%.1f", Double(series.count) / median)),
            ("trades", "\(entries)"),
            ("fills", "\(result.fills.count)"),
            ("final_equity", result.finalEquity.formatted(places: 4)),
            ("rss_after_load_bytes", "\(rssAfterLoad)"),
            ("peak_rss_bytes", "\(peak)"),
            ("peak_rss_bytes_per_bar", String(format: "%.1f", Double(peak) / Double(series.count))),
        ]
        print("RESULT {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }

    /// Times `run()` of SMA 10/30 with a fixed quantity per entry, next-open fills, no costs and
    /// 1,000,000 cash, `runs` times (each engine built before its clock starts); the last result.
    static func timeSMACross(series: [BarSeries], quantity: Int, runs: Int, withRisk: Bool = false) -> ([Double], BacktestResult) {
        var times: [Double] = []
        var last: BacktestResult?
        for _ in 0..<max(1, runs) {
            last = nil  // free the previous result before timing the next run
            var configuration = BacktestConfiguration()
            configuration.initialCash = Money(1_000_000)
            if withRisk { configuration.risk = RiskLimits() }
            let strategy = SMACrossStrategy(fast: 10, slow: 30, sizing: PositionSizing(base: .quantity(Quantity(quantity))))
            let engine = BacktestEngine(series: series, strategy: strategy, configuration: configuration)
            let start = DispatchTime.now().uptimeNanoseconds
            let result = engine.run()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            last = result
        }
        return (times, last!)
    }

    /// Bars from a CSV file, or seeded generated one-minute bars (six-decimal ticks, like the peers' files).
    static func loadBars(dataPath: String?, bars: Int, seed: UInt64 = 42) throws -> BarSeries {
        if let dataPath { return try BarCSVReader().read(path: dataPath, instrument: .usEquity("BENCH")).series }
        var options = SyntheticMarket.Options()
        options.bars = bars
        options.seed = seed
        options.tick = Price("0.000001")!
        return SyntheticMarket(options: options).generate()
    }

    /// A memory figure from /proc/self/status in bytes (VmRSS now, VmHWM peak); 0 where unavailable.
    static func memory(_ key: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            return (digits.first ?? 0) * 1024
        }
        return 0
    }
}
