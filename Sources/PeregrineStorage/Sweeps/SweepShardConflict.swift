/// A shard refused because its sweep id already holds shards of a different sweep: another shard
/// count, or other options or data (an id given by hand and reused).
public struct SweepShardConflict: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
