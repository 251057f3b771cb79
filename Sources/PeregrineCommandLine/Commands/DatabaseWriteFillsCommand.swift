import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineStorage

/// `peregrine db write-fills` (hidden): writes fills one transaction each, as a trading bot records
/// them, and says how fast. What BENCHMARKS.md times on SQLite and PostgreSQL, and what the test of
/// several processes writing one database runs.
struct DatabaseWriteFillsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-fills",
        abstract: "Write fills to a store one transaction each and report the rate (benchmarks and tests).",
        discussion: """
            Records a run and an order under --writer, then --count fills with execution ids \
            WRITER-fill-1 ... each in its own transaction, exactly as a bot records a fill it hears of. \
            With --replayed N it also records, spread among its own, N fills with the ids shared-fill-1 ... \
            that every writer replays: whichever process is first stores each, the others find it there and store nothing, \
            so several writers together leave exactly N. It prints how many fills were new, how many \
            were replays, and the fills per second.

            Examples:
              peregrine db write-fills --store bench.sqlite --count 10000 --writer a
              peregrine db write-fills --store postgres://peregrine@localhost/bench --count 10000 --writer b --replayed 1000
            """,
        shouldDisplay: false
    )

    @Option(help: ArgumentHelp("The store: a SQLite file or a postgres:// URL.", valueName: "file-or-url"))
    var store: String

    @Option(help: ArgumentHelp("How many fills of this writer's own to write.", valueName: "n"))
    var count: Int = 10_000

    @Option(help: ArgumentHelp("This writer's name, the prefix of its ids (letters, digits, - and _).", valueName: "name"))
    var writer: String = "w1"

    @Option(help: ArgumentHelp("Also write these many fills whose ids every writer shares.", valueName: "n"))
    var replayed: Int = 0

    func validate() throws {
        guard (0...10_000_000).contains(count) else { throw ValidationError("--count must be from 0 to 10000000") }
        guard (0...10_000_000).contains(replayed) else { throw ValidationError("--replayed must be from 0 to 10000000") }
        guard !writer.isEmpty, writer.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw ValidationError("--writer '\(writer)': use letters, digits, - and _")
        }
    }

    func run() throws {
        let database: TradingStore
        do { database = try TradingStore(path: store) } catch { throw CLIFailure.store("--store", store, error) }
        let start = Timestamp(seconds: 1_700_000_000)
        let runID = try database.beginRun(kind: "bench", strategy: "write-fills:\(writer)", parameters: "", started: start,
                                          initialEquity: Money(1_000_000))
        let own = "\(writer)-order"
        try database.recordIntent(Self.intent(own, runID: runID), at: start)
        if replayed > 0 {
            do { try database.recordIntent(Self.intent("shared-order", runID: runID), at: start) } catch let error as StoreError
                where error.kind == .duplicateClientOrderID {}
        }
        let began = Date()
        var new = 0
        var replays = 0
        // The shared fills are spread among the writer's own, so that writers started together reach
        // each one at about the same moment.
        var jobs: [(executionID: String, order: String, index: Int)] = []
        let spacing = max(1, count / max(1, replayed))
        var shared = 0
        for index in stride(from: 1, through: count, by: 1) {
            jobs.append(("\(writer)-fill-\(index)", own, index))
            if index % spacing == 0 && shared < replayed {
                shared += 1
                jobs.append(("shared-fill-\(shared)", "shared-order", shared))
            }
        }
        while shared < replayed {
            shared += 1
            jobs.append(("shared-fill-\(shared)", "shared-order", shared))
        }
        for (executionID, order, index) in jobs {
            let fill = StoredFill(executionID: executionID, clientOrderID: order, timestamp: Timestamp(nanoseconds: start.nanoseconds + Int64(index)),
                                  symbol: "SYN", side: .buy, quantity: Quantity(1), price: Price(units: 100_000_000_000 + Int64(index)))
            if try database.recordFill(fill) { new += 1 } else { replays += 1 }
        }
        let seconds = Date().timeIntervalSince(began)
        let rate = seconds > 0 ? Double(jobs.count) / seconds : 0
        print("\(database.path): writer \(writer): \(new) new fills, \(replays) replays ignored, \(jobs.count) in "
              + String(format: "%.2f s (%.0f fills/s)", seconds, rate))
    }

    static func intent(_ clientOrderID: String, runID: Int64) -> OrderIntent {
        OrderIntent(clientOrderID: clientOrderID, runID: runID, symbol: "SYN", side: .buy, quantity: Quantity(1), type: .market,
                    body: #"{"symbol":"SYN","qty":"1"}"#, state: .acknowledged)
    }
}
