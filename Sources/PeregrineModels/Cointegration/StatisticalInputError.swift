/// Why a statistical test refused its input; the command that read the data adds the file's name.
public enum StatisticalInputError: Error, Equatable, CustomStringConvertible {
    /// The test needs at least `needed` values.
    case tooFewObservations(needed: Int, got: Int)
    /// Value number `index` (0-based) is NaN or infinite.
    case notFinite(index: Int)
    /// Every value is the same, so there is nothing to test.
    case constant
    /// The series given together have different lengths.
    case mismatchedLengths([Int])
    /// The requested lag is more than the sample allows.
    case maxLagTooLarge(maxLag: Int, limit: Int)
    /// A regression could not be fitted (collinear regressors, perfectly fitting series).
    case degenerate(String)

    public var description: String {
        switch self {
        case let .tooFewObservations(needed, got): "needs at least \(needed) observations, got \(got)"
        case let .notFinite(index): "value \(index + 1) is not a finite number"
        case .constant: "the series is constant"
        case let .mismatchedLengths(lengths): "the series have different lengths (\(lengths.map(String.init).joined(separator: ", ")))"
        case let .maxLagTooLarge(maxLag, limit): "max lag \(maxLag) is more than this sample allows (at most \(limit))"
        case let .degenerate(reason): reason
        }
    }

    /// Refuses a series with a NaN or infinite value, or fewer than `minimum` values.
    static func check(_ series: [Double], minimum: Int) throws(StatisticalInputError) {
        guard series.count >= minimum else { throw .tooFewObservations(needed: minimum, got: series.count) }
        if let index = series.firstIndex(where: { !$0.isFinite }) { throw .notFinite(index: index) }
    }
}
