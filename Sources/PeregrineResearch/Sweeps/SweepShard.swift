/// One of N deterministic slices of a sweep, so N machines can each run a part and one store can
/// collect them: shard K (counted from 0) takes the combinations at positions K, K + N, K + 2N, ...
/// of the one-machine sweep's order. Striding rather than cutting the list in blocks spreads slow
/// and fast combinations (long and short windows) evenly over the shards.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
    /// The shard's number, 0 to `count` - 1.
    public let index: Int
    /// How many shards the sweep is cut into.
    public let count: Int

    /// The most shards a sweep may be cut into.
    public static let maximumCount = 100_000

    public init(index: Int, count: Int) throws(ParameterGrid.ParseError) {
        guard count >= 1 && count <= Self.maximumCount else {
            throw ParameterGrid.ParseError(description: "--shard: the number of shards must be from 1 to \(Self.maximumCount), got \(count)")
        }
        guard index >= 0 && index < count else {
            throw ParameterGrid.ParseError(description: "--shard: the shard must be from 0 to \(count - 1) (counted from 0), got \(index)")
        }
        self.index = index
        self.count = count
    }

    /// `K/N`, or `auto/N` where K comes from the scheduler: `JOB_COMPLETION_INDEX` (a Kubernetes
    /// Indexed Job's pod) or else `SLURM_ARRAY_TASK_ID` less `SLURM_ARRAY_TASK_MIN` (a Slurm array
    /// task, so `--array=1-4` works as well as `--array=0-3`).
    public init(parsing text: String, environment: [String: String]) throws(ParameterGrid.ParseError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let count = Int(parts[1]) else {
            throw ParameterGrid.ParseError(description: "--shard '\(text)': expected K/N (K from 0 to N - 1) or auto/N, e.g. 0/4")
        }
        guard parts[0] == "auto" else {
            guard let index = Int(parts[0]) else {
                throw ParameterGrid.ParseError(description: "--shard '\(text)': '\(parts[0])' is not a whole number or auto")
            }
            try self.init(index: index, count: count)
            return
        }
        if let value = environment["JOB_COMPLETION_INDEX"] {
            guard let index = Int(value) else {
                throw ParameterGrid.ParseError(description: "--shard auto: JOB_COMPLETION_INDEX '\(value)' is not a whole number")
            }
            try self.init(index: index, count: count)
        } else if let value = environment["SLURM_ARRAY_TASK_ID"] {
            let minimum = environment["SLURM_ARRAY_TASK_MIN"] ?? "0"
            guard let task = Int(value), let first = Int(minimum) else {
                throw ParameterGrid.ParseError(description: "--shard auto: SLURM_ARRAY_TASK_ID '\(value)' or SLURM_ARRAY_TASK_MIN "
                    + "'\(minimum)' is not a whole number")
            }
            let (index, overflow) = task.subtractingReportingOverflow(first)
            guard !overflow else { throw ParameterGrid.ParseError(description: "--shard auto: SLURM_ARRAY_TASK_ID '\(value)' is out of range") }
            try self.init(index: index, count: count)
        } else {
            throw ParameterGrid.ParseError(description: "--shard auto/\(count): neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor "
                + "SLURM_ARRAY_TASK_ID (Slurm array) is set; give the shard as K/\(count)")
        }
    }

    /// The positions of this shard's combinations among `total`, in order.
    public func positions(of total: Int) -> [Int] {
        guard index < total else { return [] }
        return Array(stride(from: index, to: total, by: count))
    }

    /// `2/4` (counted from 0).
    public var description: String { "\(index)/\(count)" }
}
