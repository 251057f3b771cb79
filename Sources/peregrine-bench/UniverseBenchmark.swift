import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine

/// One portfolio backtest over a folder of daily series (`benchmarks/make_universe.py`): SMA 10/30 on
/// every symbol's own bars, a fixed quantity per entry, next-open fills, no costs, 1,000,000 cash, in
/// one `BacktestEngine` over all series. The folder is read as `peregrine backtest --data FOLDER`
/// reads it. Only `run()` is timed, signals included; the engine is built before the clock starts.
/// The fixed quantity keeps cash from binding, so every signal trades, which is what lets the fill
/// list be compared with vectorbt's on the same signals (`benchmarks/universe_vectorbt.py`).
enum UniverseBenchmark {
    static func run(folder: String, runs: Int, quantity: Int, dumpPath: String?) throws {
        guard runs >= 1, (1...1_000_000).contains(quantity) else {
            print("--universe needs --runs of 1 or more and --quantity from 1 to 1,000,000 shares")
            exit(2)
        }
        let loadStart = Date()
        let sources: [MarketDataLoader.Source]
        do { sources = try MarketDataLoader().load([folder]) } catch {
            FileHandle.standardError.write("\(error.description)\n".data(using: .utf8)!)
            exit(1)
        }
        let series = sources.map(\.series)
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let bars = series.reduce(0) { $0 + $1.count }

        let (times, result) = BenchmarkMain.timeSMACross(series: series, quantity: quantity, runs: runs)
        let median = times.sorted()[times.count / 2]
        if let dumpPath {
            var text = "symbol,date,side,price\n"
            for fill in result.fills {
                text += "\(series[fill.instrument.index].instrument.symbol),\(fill.timestamp.compactDescription),"
                    + "\(fill.side == .buy ? 1 : -1),\(String(format: "%.4f", fill.price.doubleValue))\n"
            }
            try text.write(toFile: dumpPath, atomically: true, encoding: .utf8)
        }
        let fields: [(String, String)] = [
            ("engine", "\"peregrine\""),
            ("data", "\"\((folder as NSString).lastPathComponent)\""),
            ("bars", "\(bars)"),
            ("symbols", "\(series.count)"),
            ("fill", "\"next_open\""),
            ("quantity", "\(quantity)"),
            ("load_s", String(format: "%.4f", loadSeconds)),
            ("run_s", "[" + times.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]"),
            ("run_s_median", String(format: "%.4f", median)),
            ("bars_per_s", String(format: "%.1f", Double(bars) / median)),
            ("trades", "\(result.roundTrips.count + result.openTrips.count)"),
            ("open_trades", "\(result.openTrips.count)"),
            ("fills", "\(result.fills.count)"),
            ("final_equity", result.finalEquity.formatted(places: 4)),
        ]
        print("RESULT {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
}
