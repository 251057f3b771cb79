extension SweepSearch {
    /// The combinations a one-pass search runs, in the order its results come out: all of them for
    /// a grid, the seeded sample for a random search (the same seed gives every machine the same
    /// sample). Nil for successive halving, whose later rungs depend on every earlier result and so
    /// cannot be cut into independent shards.
    public func onePassOrder<Candidate>(_ candidates: [Candidate]) -> [Candidate]? {
        switch self {
        case .grid: candidates
        case .random(let count, let seed): Self.sample(candidates, count: count, seed: seed)
        case .halving: nil
        }
    }
}
