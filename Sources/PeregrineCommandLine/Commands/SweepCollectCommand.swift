import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineModels
import PeregrineResearch
import PeregrineStorage

struct SweepCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Rank the rows every shard of a sweep stored and write the sweep's results.",
        discussion: """
            Reads the rows that `peregrine sweep --shard K/N` processes wrote to one store, ranks them and writes the \
            same results.csv, summary.json and heatmap.svg as the sweep run on one machine: the same rows in the same \
            order, the same best and the same significance figures (deflated Sharpe and probability of backtest \
            overfitting, from the moments every shard stored). Only run_seconds differs: here it is the sum of the \
            shards' own.

            Names the shards that have not finished (never run, still running, or killed before they stored their rows) \
            and fails unless --allow-missing, which ranks what is there. The sweep id is the one every shard printed.

            Examples:
              peregrine sweep collect --store sweeps.sqlite --sweep sweep-3f2a9c0d1e4b5a67 --out sweep
              peregrine sweep collect --store sweeps.sqlite --sweep nightly-sma --allow-missing --top 20
            """
    )

    @OptionGroup var output: SweepOutputOptions

    @Option(name: .customLong("sweep"), help: ArgumentHelp("The sweep id the shards printed (or their --sweep-id).", valueName: "id"))
    var sweepID: String

    @Flag(help: "Rank the shards that finished even when some are missing (the missing are still named).")
    var allowMissing = false

    func run() throws {
        guard let store = output.store else { throw ValidationError("give --store: the store the shards wrote to") }
        let reader: TradingStore
        do { reader = try TradingStore(readingOnly: store) } catch { throw CLIFailure.store("--store", store, error) }
        let shards: [SweepShardRecord]
        let rows: [SweepShardRow]
        do {
            shards = try reader.sweepShards(sweepID: sweepID)
            guard !shards.isEmpty else {
                let known = (try? reader.shardedSweepIDs()) ?? []
                throw CLIFailure("\(StoreLocation.redacted(store)) holds no finished shard of sweep '\(sweepID)'; "
                    + (known.isEmpty ? "it holds no sharded sweep" : "its sharded sweeps: " + known.joined(separator: ", ")))
            }
            rows = try reader.sweepShardRows(sweepID: sweepID)
        } catch let failure as CLIFailure { throw failure } catch { throw CLIFailure.store("--store", store, error) }
        let count = shards[0].shardCount
        guard (1...SweepShard.maximumCount).contains(count), shards.allSatisfy({ $0.shardCount == count && (0..<count).contains($0.shard) }) else {
            throw CLIFailure("sweep \(sweepID): its stored shards disagree on the shard count or lie outside it (\(shards.map { "\($0.shard)/\($0.shardCount)" }.joined(separator: ", "))); run them again under another --sweep-id")
        }
        let settings = try SweepShardSettings.decode(shards[0].settings, sweep: sweepID)
        guard let objective = SMACrossSweep.Objective(rawValue: settings.objective) else {
            throw CLIFailure("sweep \(sweepID): unknown objective '\(settings.objective)' in its settings")
        }
        let finished = Set(shards.map(\.shard))
        let missing = (0..<count).filter { !finished.contains($0) }
        if !missing.isEmpty {
            let message = "sweep \(sweepID): \(missing.count) of \(count) shards missing: " + missing.map(String.init).joined(separator: ", ")
                + " (run each again with --shard K/\(count))"
            guard allowMissing else { throw CLIFailure(message + "; --allow-missing ranks the rest") }
            Console.error("warning: " + message)
        } else if rows.count != settings.combinations {
            throw CLIFailure("sweep \(sweepID): every shard finished but \(rows.count) of \(settings.combinations) rows are stored")
        }

        var results = try rows.map { try StrategySweep.Result($0, sweep: sweepID) }
        // The fast path gives the sweep's chosen combination its kernel moments; the shard it ran in kept them.
        if settings.fastPath, let best = StrategySweep.ranked(results.filter { $0.failure == nil }, by: objective).first,
           let index = results.firstIndex(where: { $0.values == best.values }),
           let owner = shards.first(where: { $0.chosenPosition == rows[index].position }), let text = owner.chosenMoments {
            guard let moments = ReturnMoments.blocks(exactText: text) else {
                throw CLIFailure("sweep \(sweepID), shard \(owner.shard): its chosen combination's moments do not read back")
            }
            results[index].blockMoments = moments
        }
        let ranked = StrategySweep.ranked(results, by: objective).filter { $0.value(of: objective).isFinite }
        let seconds = shards.reduce(0) { $0 + $1.runSeconds }
        print("sweep \(sweepID): \(results.count) combinations from \(finished.count) of \(count) shards (\(settings.search), "
            + "\(settings.fastPath ? "sma-cross fast path" : "event-driven kernel"), \(settings.bars) bars)")
        let grid = settings.grid
        let significance = SweepCommand.printRanking(ranked, of: results, rungs: [], names: grid.axes.map(\.name), objective: objective,
                                                     top: output.top, pboBlocks: settings.pboBlocks, pboSplits: settings.pboSplits,
                                                     seed: settings.seed, minDeflatedSharpe: settings.minDeflatedSharpe)
        guard let out = output.out else { return }
        let search: SweepSearch
        do { search = try SweepSearch(parsing: Self.searchArgument(settings.search), seed: settings.seed) } catch {
            throw CLIFailure("sweep \(sweepID): its search '\(settings.search)' does not read back")
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try SweepCommand.write(results, ranked: ranked, strategy: settings.strategy, objective: objective, grid: grid,
                                   bars: settings.bars, seconds: seconds, search: search, significance: significance, to: out)
        } catch { throw CLIFailure("\(error)") }
        print("wrote \(out)/results.csv, summary.json" + (grid.axes.count == 2 ? ", heatmap.svg" : ""))
    }

    /// `random:N (seed S)` as the sweep printed it back to `random:N`.
    static func searchArgument(_ description: String) -> String {
        String(description.prefix { $0 != " " })
    }
}
