import PeregrineCore

/// A finished shard of a sweep cut over machines: which sweep and shard, what the sweep was (its
/// fingerprint and the settings collect needs), and the shard's own best combination with its
/// full moments (a fast-path sweep summarizes the rest more briefly).
public struct SweepShardRecord: Sendable, Equatable {
    public var sweepID: String
    /// Counted from 0.
    public var shard: Int
    public var shardCount: Int
    /// Hash of the options, bars and shard count; shards with different fingerprints never share an id.
    public var fingerprint: String
    /// JSON written and read by the sweep command: strategy, objective, axes, search, significance options.
    public var settings: String
    /// Combinations this shard ran.
    public var combinations: Int
    public var runSeconds: Double
    public var finished: Timestamp
    /// Position of the shard's first combination by the objective, when its moments were refined.
    public var chosenPosition: Int?
    /// That combination's block moments from the kernel (`ReturnMoments.exactText(of:)`).
    public var chosenMoments: String?

    public init(sweepID: String, shard: Int, shardCount: Int, fingerprint: String, settings: String, combinations: Int,
                runSeconds: Double, finished: Timestamp, chosenPosition: Int? = nil, chosenMoments: String? = nil) {
        self.sweepID = sweepID
        self.shard = shard
        self.shardCount = shardCount
        self.fingerprint = fingerprint
        self.settings = settings
        self.combinations = combinations
        self.runSeconds = runSeconds
        self.finished = finished
        self.chosenPosition = chosenPosition
        self.chosenMoments = chosenMoments
    }
}
