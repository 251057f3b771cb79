import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineModels
import PeregrineResearch
import PeregrineStorage

/// `sweep --shard K/N`: one machine's slice of a sweep, stored for `sweep collect`.
extension SweepCommand {
    /// Options that say where a shard runs or writes, not what it computes: left out of the sweep's id.
    static let placementOptions: Set<String> = ["--shard", "--sweep-id", "--store", "--out", "--threads", "--top", "--data"]

    func runShard(_ text: String, of sweep: ShardedSweep, grid: StrategyGrid, series: [BarSeries], objective: SMACrossSweep.Objective,
                  search plan: SweepSearch) throws {
        let shard: SweepShard
        do { shard = try SweepShard(parsing: text, environment: ProcessInfo.processInfo.environment) } catch {
            throw ValidationError(error.description)
        }
        guard let store = output.store else {
            throw ValidationError("--shard needs --store: every shard writes its rows to one store, where `peregrine sweep collect` reads them")
        }
        guard output.out == nil else {
            throw ValidationError("--shard writes its rows to --store, not --out; `peregrine sweep collect --store \(StoreLocation.redacted(store)) --sweep ID "
                + "--out DIR` writes the whole sweep's files")
        }
        let fingerprint = SweepIdentity.fingerprint(options: try Self.definingOptions(CommandArguments.current), series: series,
                                                    shards: shard.count)
        let id = sweepID ?? SweepIdentity.id(fingerprint: fingerprint)
        guard !id.isEmpty, id.count <= 200, id.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f }) else {
            throw ValidationError("--sweep-id '\(id)': use 1 to 200 printable characters")
        }
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let count = shard.positions(of: sweep.order.count).count
        // Written at once, unbuffered: the id is what an operator needs to collect, even from a shard that dies.
        FileHandle.standardOutput.write(Data("sweep \(id): shard \(shard) runs \(count) of \(sweep.order.count) combinations\n".utf8))
        let start = Date()
        let bar = isatty(2) != 0 ? ProgressBar(total: count) : nil
        var report: (@Sendable (Int) -> Void)?
        if let bar { report = { @Sendable done in bar.show(done) } }
        let part = sweep.run(shard, threads: workers, progress: report)
        bar?.finish()
        let seconds = Date().timeIntervalSince(start)
        for failed in part.results.compactMap(\.failure).prefix(1) { Console.error("refused combination: \(failed)") }
        let settings = SweepShardSettings(strategy: runOptions.strategyName, objective: objective.rawValue,
                                          axes: grid.axes.map { .init(name: $0.name, values: $0.values) }, search: plan.description,
                                          seed: seed, pboBlocks: pboBlocks, pboSplits: pboSplits, minDeflatedSharpe: try deflatedSharpeThreshold(),
                                          bars: series.map(\.count).max() ?? 0, fastPath: sweep.usesFastPath,
                                          combinations: sweep.order.count)
        let record = SweepShardRecord(sweepID: id, shard: shard.index, shardCount: shard.count, fingerprint: fingerprint,
                                      settings: settings.json, combinations: part.results.count, runSeconds: seconds,
                                      finished: WallClock.now(), chosenPosition: part.chosen?.position,
                                      chosenMoments: part.chosen.map { ReturnMoments.exactText(of: $0.moments) })
        let rows = zip(part.positions, part.results).map { $1.shardRow(position: $0, shard: shard.index) }
        let writeStart = Date()
        do { try StoreFileLock.store(at: store).replaceSweepShard(record, rows: rows) } catch let conflict as SweepShardConflict {
            throw CLIFailure("\(StoreLocation.redacted(store)): \(conflict)")
        } catch { throw CLIFailure.store("--store", store, error) }
        let writeSeconds = Date().timeIntervalSince(writeStart)
        print("stored \(rows.count) rows of shard \(shard) in \(StoreLocation.redacted(store)) in \(Table.number(seconds, places: 3)) s "
            + "(writing \(Table.number(writeSeconds, places: 3)) s, \(Int(Double(rows.count) / max(writeSeconds, 1e-9))) rows/s)")
        print("collect with: peregrine sweep collect --store \(StoreLocation.redacted(store)) --sweep \(id) --out DIR")
    }

    /// The arguments that decide a sweep's results, as every shard was given them: placement options
    /// (`placementOptions`) left out, and any value naming a file replaced by a hash of its contents,
    /// so machines that mount the same files at different paths agree. `--data` is left out because
    /// the bars themselves are hashed.
    static func definingOptions(_ arguments: [String]) throws -> [String] {
        let words = Array(arguments.drop(while: { $0 != "sweep" }).dropFirst())
        var options: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            if placementOptions.contains(name) {
                index += word.contains("=") ? 1 : 2
                continue
            }
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
                options.append(String(word[...equals]) + (try fileDigest(String(word[word.index(after: equals)...])) ?? ""))
            } else {
                options.append(try fileDigest(word) ?? word)
            }
            index += 1
        }
        return options
    }

    /// `file:` and the hash of the contents when `word` names a regular file, else nil.
    static func fileDigest(_ word: String) throws -> String? {
        var isFolder: ObjCBool = false
        guard !word.isEmpty, FileManager.default.fileExists(atPath: word, isDirectory: &isFolder), !isFolder.boolValue else { return nil }
        guard let contents = FileManager.default.contents(atPath: word) else { throw ValidationError("\(word): cannot read the file") }
        var hash = StableHash()
        hash.combine(bytes: contents)
        return "file:" + hash.hex
    }
}
