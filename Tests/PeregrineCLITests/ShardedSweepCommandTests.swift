import Foundation
import PeregrineTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `sweep --shard` in separate processes, as a Kubernetes Indexed Job or a Slurm array runs it, and
/// `sweep collect`: the collected results.csv, summary.json and heatmap.svg equal the one-machine
/// sweep's byte for byte (only summary.json's run_seconds, a clock reading, differs); a shard killed
/// half way leaves nothing, is named as missing, and once run again changes nothing.
@Suite(.serialized) struct ShardedSweepCommandTests {
    /// A shard started in the background with `environment` added, its standard output read line by line.
    final class ShardProcess {
        let process = Process()
        let output = Pipe()
        var text = ""

        init(_ arguments: [String], environment: [String: String]) throws {
            process.executableURL = URL(fileURLWithPath: TestPaths.executable)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.filter {
                !["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN"].contains($0.key)
            }.merging(environment) { $1 }
            process.standardOutput = output
            process.standardError = output  // errors in the same text, for the failure messages
            try process.run()
        }

        /// Reads until a line contains `marker` (or the output ends); whether it came.
        func wait(for marker: String) -> Bool {
            while !text.contains(marker) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { return false }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return true
        }

        func finish() -> (status: Int32, output: String) {
            text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }

        func kill() {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static func file(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// summary.json without its clock reading.
    static func summaryWithoutClock(_ folder: String) throws -> String {
        try String(contentsOfFile: folder + "/summary.json", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("\"run_seconds\"") }.joined(separator: "\n")
    }

    /// The collected folder holds the one-machine sweep's files, byte for byte but the clock.
    static func expectSameFiles(_ collected: String, as single: String, heatmap: Bool) throws {
        #expect(try file(collected + "/results.csv") == file(single + "/results.csv"))
        #expect(try summaryWithoutClock(collected) == summaryWithoutClock(single))
        if heatmap { #expect(try file(collected + "/heatmap.svg") == file(single + "/heatmap.svg")) }
    }

    static func sweepID(in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("sweep ") }?.split(separator: " ")[1].trimmingCharacters(in: [":"])
    }

    /// The stores the shards write to: a SQLite file, and a PostgreSQL database when one can be started
    /// (the PostgreSQL case is left out, and says why, when not).
    static let storeKinds: [String] = {
        if TestPostgres.available { return ["sqlite", "postgres"] }
        FileHandle.standardError.write(Data((TestPostgres.unavailableReason + "\n").utf8))
        return ["sqlite"]
    }()

    static func store(_ kind: String, in folder: String) throws -> String {
        kind == "sqlite" ? folder + "/sweeps.sqlite" : try #require(TestPostgres.freshURL())
    }

    /// Four shards on the sma-cross fast path, given only the Job's JOB_COMPLETION_INDEX, running at once.
    @Test(arguments: storeKinds) func fourShardsOfAnIndexedJobEqualTheOneMachineSweep(store kind: String) throws {
        let folder = TestPaths.temporaryFolder()
        let sweep = ["sweep", "--data", "synthetic:bars=3000,seed=31,interval=1d", "--grid", "fast=2..30:2", "--grid", "slow=20..100:10",
                     "--constraint", "fast<slow", "--pbo-blocks", "8", "--objective", "sharpe"]
        let single = try peregrine(sweep + ["--out", folder + "/single"])
        #expect(single.status == 0, "\(single.error)")
        #expect(single.output.contains("sma-cross fast path"))
        let store = try Self.store(kind, in: folder)
        let shards = try (0..<4).map { try ShardProcess(sweep + ["--shard", "auto/4", "--store", store], environment: ["JOB_COMPLETION_INDEX": "\($0)"]) }
        let finished = shards.map { $0.finish() }
        for run in finished { #expect(run.status == 0, "\(run.output)") }
        let ids = Set(finished.compactMap { Self.sweepID(in: $0.output) })
        #expect(ids.count == 1, "every shard derives the same id: \(ids)")
        let id = try #require(ids.first)
        for (index, run) in finished.enumerated() { #expect(run.output.contains("shard \(index)/4 runs"), "\(run.output)") }
        let collect = try peregrine(["sweep", "collect", "--store", store, "--sweep", id, "--out", folder + "/collected"])
        #expect(collect.status == 0, "\(collect.error)")
        try Self.expectSameFiles(folder + "/collected", as: folder + "/single", heatmap: true)
        // The comparison means something: 15 fast × 9 slow less the 7 not below slow (20 to 30 against 20, 30
        // against 30), a best, and significance.
        let rows = try String(contentsOfFile: folder + "/collected/results.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 128)
        let summary = try JSONSerialization.jsonObject(with: Self.file(folder + "/collected/summary.json")) as! [String: Any]
        #expect(summary["best"] != nil && (summary["significance"] as? [String: Any])?["deflated_sharpe"] != nil)
        #expect(collect.output.contains("deflated sharpe (DSR)"))
        // A shard's options differ from the others' (another grid): another id, so nothing mixes.
        let other = try PeregrineProcess.run(["sweep", "--data", "synthetic:bars=3000,seed=31,interval=1d", "--grid", "fast=2..30:4",
                                              "--grid", "slow=20..100:10", "--shard", "0/4", "--store", store])
        #expect(other.status == 0 && Self.sweepID(in: other.output) != id, "\(other.output)")
        // Options that do not touch the results (threads, ranking rows) leave the id alone.
        let again = try PeregrineProcess.run(sweep + ["--shard", "1/4", "--store", store, "--threads", "1", "--top", "3"])
        #expect(Self.sweepID(in: again.output) == id)
    }

    /// The kernel path and a random search: shard 2 killed half way is missing and named; run again
    /// it completes the sweep; shard 1 killed while being run again leaves its rows as they were.
    @Test(arguments: storeKinds) func aKilledShardIsNamedAndRunAgainChangesNothing(store kind: String) throws {
        let folder = TestPaths.temporaryFolder()
        let sweep = ["sweep", "--data", "synthetic:bars=16000,seed=8,interval=1d", "--strategy", "rsi-bollinger",
                     "--grid", "rsi=5..30:1", "--grid", "oversold=20..35:5", "--search", "random:40", "--seed", "7",
                     "--pbo-blocks", "8", "--threads", "1"]
        let single = try peregrine(sweep + ["--out", folder + "/single"])
        #expect(single.status == 0, "\(single.error)")
        #expect(single.output.contains("event-driven kernel"))
        let store = try Self.store(kind, in: folder)
        func shard(_ environment: [String: String]) throws -> ShardProcess {
            try ShardProcess(sweep + ["--shard", "auto/4", "--store", store], environment: environment)
        }
        // Slurm's array numbered from 1: task 1 is shard 0, task 4 shard 3.
        var done = try [["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1"], ["JOB_COMPLETION_INDEX": "1"],
                        ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1"]].map { try shard($0).finish() }
        for run in done { #expect(run.status == 0, "\(run.output)") }
        let killed = try shard(["JOB_COMPLETION_INDEX": "2"])
        #expect(killed.wait(for: "shard 2/4 runs"))
        killed.kill()
        let id = try #require(Self.sweepID(in: done[0].output))
        #expect(Self.sweepID(in: killed.text) == id)

        let incomplete = try peregrine(["sweep", "collect", "--store", store, "--sweep", id, "--out", folder + "/partial"])
        #expect(incomplete.status != 0 && incomplete.error.contains("1 of 4 shards missing: 2"), "\(incomplete.error)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/partial/results.csv"))
        let allowed = try peregrine(["sweep", "collect", "--store", store, "--sweep", id, "--allow-missing", "--out", folder + "/partial"])
        #expect(allowed.status == 0 && allowed.error.contains("missing: 2"), "\(allowed.error)")
        let partial = try String(contentsOfFile: folder + "/partial/results.csv", encoding: .utf8).split(separator: "\n")
        #expect(partial.count == 1 + 30)

        done.append(try shard(["JOB_COMPLETION_INDEX": "2"]).finish())
        #expect(done[3].status == 0, "\(done[3].output)")
        let collected = try peregrine(["sweep", "collect", "--store", store, "--sweep", id, "--out", folder + "/collected"])
        #expect(collected.status == 0, "\(collected.error)")
        try Self.expectSameFiles(folder + "/collected", as: folder + "/single", heatmap: false)

        // Shard 1 killed while running again: its earlier rows stand. Then run to the end: replaced, not doubled.
        let interrupted = try shard(["JOB_COMPLETION_INDEX": "1"])
        #expect(interrupted.wait(for: "shard 1/4 runs"))
        interrupted.kill()
        let afterKill = try peregrine(["sweep", "collect", "--store", store, "--sweep", id, "--out", folder + "/after-kill"])
        #expect(afterKill.status == 0, "\(afterKill.error)")
        try Self.expectSameFiles(folder + "/after-kill", as: folder + "/single", heatmap: false)
        #expect(try shard(["JOB_COMPLETION_INDEX": "1"]).finish().status == 0)
        let rerun = try peregrine(["sweep", "collect", "--store", store, "--sweep", id, "--out", folder + "/rerun"])
        #expect(rerun.status == 0, "\(rerun.error)")
        try Self.expectSameFiles(folder + "/rerun", as: folder + "/single", heatmap: false)

        let unknown = try peregrine(["sweep", "collect", "--store", store, "--sweep", "nope"])
        #expect(unknown.status != 0 && unknown.error.contains(id), "\(unknown.error)")
    }

    /// The id follows what the data holds, not where it lies: the same file at two paths gives one id
    /// (so machines mounting it elsewhere agree), the file with one price changed another.
    @Test func theIdFollowsTheDataNotItsPath() throws {
        let folder = TestPaths.temporaryFolder()
        for name in ["a", "b", "c"] { try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true) }
        #expect(try peregrine(["data", "generate", "--out", folder + "/a/bars.csv", "--bars", "400", "--seed", "3"]).status == 0)
        try FileManager.default.copyItem(atPath: folder + "/a/bars.csv", toPath: folder + "/b/bars.csv")
        var lines = try String(contentsOfFile: folder + "/a/bars.csv", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var fields = lines[200].split(separator: ",").map(String.init)
        fields[5] = String(Int(Double(fields[5])! * 2))  // the volume of one bar
        lines[200] = fields.joined(separator: ",")[...]
        try lines.joined(separator: "\n").write(toFile: folder + "/c/bars.csv", atomically: true, encoding: .utf8)
        func id(_ data: String, shard: String) throws -> String? {
            let run = try peregrine(["sweep", "--data", data, "--grid", "fast=2..6", "--grid", "slow=10..14", "--shard", shard,
                                     "--store", folder + "/s.sqlite"])
            #expect(run.status == 0, "\(run.error)")
            return Self.sweepID(in: run.output)
        }
        let a = try id(folder + "/a/bars.csv", shard: "0/2")
        #expect(a != nil)
        #expect(try id(folder + "/b/bars.csv", shard: "1/2") == a)
        #expect(try id(folder + "/c/bars.csv", shard: "1/2") != a)
    }

    @Test func badShardOptionsAreRefusedWithWhatToDo() throws {
        let base = ["sweep", "--data", "synthetic:bars=300", "--grid", "fast=2..5", "--grid", "slow=10..12"]
        let cases: [([String], String)] = [
            (["--shard", "4/4", "--store", "x.sqlite"], "from 0 to 3"),
            (["--shard", "0/4"], "--shard needs --store"),
            (["--shard", "0/4", "--store", "x.sqlite", "--out", "o"], "sweep collect"),
            (["--shard", "0/4", "--store", "x.sqlite", "--search", "halving"], "cannot be sharded"),
            (["--sweep-id", "a"], "give --shard"),
        ]
        for (extra, message) in cases {
            let run = try PeregrineProcess.run(base + extra, environment: [:])
            #expect(run.status != 0 && run.error.contains(message), "\(extra): \(run.error)")
        }
        let missingStore = try peregrine(["sweep", "collect", "--store", TestPaths.temporaryFolder() + "/none.sqlite", "--sweep", "x"])
        #expect(missingStore.status != 0 && missingStore.error.contains("no such file"), "\(missingStore.error)")
    }
}
