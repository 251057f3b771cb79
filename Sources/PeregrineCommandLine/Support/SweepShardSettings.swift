import Foundation
import PeregrineResearch

/// What `sweep collect` needs to rank a sharded sweep's rows and write the one-machine sweep's
/// results.csv and summary.json: every shard stores the same, as JSON, beside its completion.
struct SweepShardSettings: Codable, Equatable {
    struct Axis: Codable, Equatable {
        var name: String
        var values: [String]
    }

    var strategy: String
    var objective: String
    var axes: [Axis]
    /// The search as the sweep prints it (`grid`, `random:N (seed S)`).
    var search: String
    var seed: UInt64
    var pboBlocks: Int
    var pboSplits: Int
    var minDeflatedSharpe: Double
    var bars: Int
    /// Whether the sma-cross fast path ran: its rows carry brief moments, the chosen one full moments.
    var fastPath: Bool
    /// Combinations of the whole sweep (every shard's together).
    var combinations: Int

    var grid: StrategyGrid { StrategyGrid(parsedAxes: axes.map { StrategyGrid.Axis(name: $0.name, values: $0.values) }) }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ json: String, sweep: String) throws -> SweepShardSettings {
        do { return try JSONDecoder().decode(SweepShardSettings.self, from: Data(json.utf8)) } catch {
            throw CLIFailure("sweep \(sweep): its stored settings do not read back (\(error)); run its shards again with this Peregrine")
        }
    }
}
