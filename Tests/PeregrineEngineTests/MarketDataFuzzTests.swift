import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// Thousands of seeded random mutations of real rows (dates out of range, numbers too large or too
/// small, NaN, infinities, junk bytes, cut and repeated lines) go through what `data validate` runs
/// and through a backtest: each is refused with a message naming the file and line, or accepted and
/// backtested with books that reconcile. A crash would end the test process.
@Suite struct MarketDataFuzzTests {
    static let replacements = [
        "9999-12-31", "1677-09-20", "2262-04-12", "0000-00-00", "2020-02-30", "20201301", "2020-01-01T25:00:00Z",
        "NaN", "nan", "inf", "-inf", "Infinity", "1e400", "1e-400", "-1", "0", "", " ", "-0",
        "99999999999999999999999999999999999999", "9223372036.854775808", "9223372037", "0.0000000001", "0.000000001",
        "1.", ".5", "--1", "+7", "1,5", "1.2.3", "12345678901234567890123", "1000000000000000000000.5",
        "9459830000", "\u{0}", "\u{FEFF}1", "\"5\"", "€", "1 000",
    ]

    @Test func mutatedRealRowsAreRefusedOrAcceptedNeverCrash() throws {
        let original = try String(contentsOfFile: TestPaths.fixture("aapl_daily_raw_2000.csv"), encoding: .utf8)
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        let folder = TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var generator = SeededGenerator(seed: 20_261_204)
        var refused = 0, accepted = 0, backtested = 0, backtestsRefused = 0
        for trial in 0..<2500 {
            var rows = Array(lines[1...])
            for _ in 0..<(1 + Int(generator.next() % 3)) { Self.mutate(&rows, with: &generator) }
            let path = folder + "/trial\(trial).csv"
            var bytes = Array((([lines[0]] + rows).joined(separator: "\n") + "\n").utf8)
            if generator.next() % 10 == 0 {
                // Raw junk bytes, invalid UTF-8 included, somewhere in the file.
                bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: Int(generator.next() % UInt64(bytes.count)))
            }
            FileManager.default.createFile(atPath: path, contents: Data(bytes))

            // `data validate`: every bad row skipped with its file, line and a message (a bad header
            // refuses the file, naming it).
            do {
                let sources = try MarketDataLoader(reader: BarCSVReader(policy: .skip)).load([path])
                for problem in sources.flatMap(\.skipped) {
                    #expect(problem.file == path && problem.line >= 1 && !problem.message.isEmpty, "\(problem)")
                }
            } catch {
                #expect(error.description.contains(path), "\(error)")
            }
            // `backtest`: the file as a whole refused with a message, or loaded and run.
            let series: BarSeries
            do {
                series = try BarCSVReader(policy: .fail).read(path: path, instrument: .usEquity("AAPL")).series
                accepted += 1
            } catch {
                #expect(error.description.contains(path) && !error.message.isEmpty)
                refused += 1
                continue
            }
            guard series.count >= 2 else { continue }
            do {
                let result = try StrategyRegistry.shared.backtest(
                    strategy: "sma-cross", parameters: StrategyParameters(["fast": "3", "slow": "8", "percent": "0.9"]),
                    series: [series], configuration: BacktestConfiguration())
                try BookCheck.reconcile(result)
                backtested += 1
            } catch let error as ConfigurationError {
                #expect(!error.message.isEmpty)
                backtestsRefused += 1
            }
        }
        // The mutations reach both sides: most files are refused, some still load and trade.
        #expect(refused > 1000 && accepted > 40 && backtested > 40, "refused \(refused), accepted \(accepted), backtested \(backtested), refused runs \(backtestsRefused)")
    }

    static func mutate(_ rows: inout [String], with generator: inout SeededGenerator) {
        let index = Int(generator.next() % UInt64(rows.count))
        var fields = rows[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        switch generator.next() % 8 {
        case 0, 1, 2:
            fields[Int(generator.next() % UInt64(fields.count))] = replacements[Int(generator.next() % UInt64(replacements.count))]
        case 3:
            fields.remove(at: Int(generator.next() % UInt64(fields.count)))
        case 4:
            rows.insert(rows[index], at: index)
            return
        case 5:
            rows.swapAt(index, Int(generator.next() % UInt64(rows.count)))
            return
        case 6:
            let line = rows[index]
            rows[index] = String(line.prefix(Int(generator.next() % UInt64(line.count + 1))))
            return
        default:
            // A number scaled far out: many digits appended to a price or the volume.
            let column = 1 + Int(generator.next() % UInt64(max(1, fields.count - 1)))
            if column < fields.count { fields[column] += String(repeating: "9", count: Int(generator.next() % 30)) }
        }
        rows[index] = fields.joined(separator: ",")
    }
}
