import Foundation
import PeregrineStorage
import PeregrineTestSupport
import Testing

/// Several processes on one PostgreSQL store, as bots of different processes share a desk's database.
@Suite struct SharedPostgresStoreTests {
    /// Two `peregrine db write-fills` processes at once, 10,000 fills of their own each plus the same
    /// 1,000 replayed fills: the store holds exactly 21,000, each execution id once, and the two
    /// processes together stored each replayed fill once (the other found it and stored nothing).
    @Test(.enabled(if: TestPostgres.available, Comment(rawValue: TestPostgres.unavailableReason)))
    func twoProcessesWritingTenThousandFillsEachLoseAndDoubleNothing() throws {
        let url = try #require(TestPostgres.freshURL())
        // The schema is created once, before the writers race.
        _ = try TradingStore(path: url)
        let writers = try ["a", "b"].map { name -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestPaths.executable)
            process.arguments = ["db", "write-fills", "--store", url, "--count", "10000", "--writer", name, "--replayed", "1000"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            return (process, pipe)
        }
        var outputs: [String] = []
        for (process, pipe) in writers {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(output)")
            #expect(!output.contains(TestPostgres.password), "the password must never be printed")
            outputs.append(output)
        }
        // "N new fills, M replays ignored": own fills are all new; the replayed ones split between the two.
        let counts = outputs.map { output -> (new: Int, replays: Int) in
            let words = output.split(separator: " ")
            let new = words.firstIndex(of: "new").flatMap { Int(words[$0 - 1]) } ?? -1
            let replays = words.firstIndex(of: "replays").flatMap { Int(words[$0 - 1]) } ?? -1
            return (new, replays)
        }
        #expect(counts.map(\.new).reduce(0, +) == 21_000, "\(outputs)")
        #expect(counts.map(\.replays).reduce(0, +) == 1_000, "\(outputs)")
        let store = try TradingStore(path: url)
        let fills = try store.fills()
        #expect(fills.count == 21_000)
        #expect(Set(fills.map(\.executionID)).count == 21_000)
        for writer in ["a", "b"] {
            #expect(fills.filter { $0.executionID.hasPrefix("\(writer)-fill-") }.count == 10_000)
        }
        #expect(fills.filter { $0.executionID.hasPrefix("shared-fill-") }.count == 1_000)
        print("two writers: \(outputs.joined())")
    }

    /// `db migrate` and `db copy` as a user runs them: a backtest's store moved to PostgreSQL with every
    /// row, a second copy refused until --replace, and the password never printed.
    @Test(.enabled(if: TestPostgres.available, Comment(rawValue: TestPostgres.unavailableReason)))
    func migrateAndCopyAStoreToPostgreSQL() throws {
        let url = try #require(TestPostgres.freshURL())
        let file = TestPaths.temporaryFolder() + "/source.sqlite"
        #expect(try peregrine(["backtest", "--data", "synthetic:bars=2000", "--store", file]).status == 0)
        let migrate = try peregrine(["db", "migrate", "--store", url])
        #expect(migrate.status == 0 && migrate.output.contains("applied 10 migration(s)"), "\(migrate.output)")
        #expect(try peregrine(["db", "migrate", "--store", url]).output.contains("is up to date (10 migrations)"))
        let copy = try peregrine(["db", "copy", "--from", file, "--to", url])
        #expect(copy.status == 0 && copy.output.contains("every count and checksum matches"), "\(copy.output)")
        let again = try peregrine(["db", "copy", "--from", file, "--to", url])
        #expect(again.status != 0 && again.output.contains("is not empty") && again.output.contains("--replace"), "\(again.output)")
        #expect(try peregrine(["db", "copy", "--from", file, "--to", url, "--replace"]).status == 0)
        let fromFile = try TradingStore(path: file)
        let fromServer = try TradingStore(path: url)
        #expect(try fromServer.fills() == fromFile.fills() && fromServer.runs() == fromFile.runs())
        let runs = try peregrine(["db", "runs", "--store", url])
        #expect(runs.status == 0 && runs.output.contains("backtest"))
        for output in [migrate.output, copy.output, again.output, runs.output] { #expect(!output.contains(TestPostgres.password)) }
    }

    func peregrine(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
