/// Which of `ValueAtRisk`'s three estimates a risk limit uses: the empirical percentile of the
/// returns (historical), the normal distribution with their mean and deviation (parametric), or the
/// percentile of `paths` seeded normal draws with that mean and deviation (Monte Carlo).
public enum ValueAtRiskMethod: Sendable, Equatable {
    case historical
    case parametric
    case monteCarlo(paths: Int, seed: UInt64)

    /// Draws per estimate when none are configured: a pre-trade check runs one per order.
    public static let defaultPaths = 10_000
    /// The names the configuration takes.
    public static let names = ["historical", "parametric", "monte_carlo"]

    /// `historical`, `parametric` or `monte_carlo` (with its paths and seed); nil for any other name.
    public init?(name: String, paths: Int = defaultPaths, seed: UInt64 = 0) {
        switch name {
        case "historical": self = .historical
        case "parametric": self = .parametric
        case "monte_carlo": self = .monteCarlo(paths: paths, seed: seed)
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .historical: return "historical"
        case .parametric: return "parametric"
        case .monteCarlo: return "monte_carlo"
        }
    }

    /// The name as a message says it: historical, parametric or Monte Carlo.
    public var label: String { self == .historical || self == .parametric ? name : "Monte Carlo" }

    /// The estimate of `returns` at `confidence`; the historical method reorders `returns` in place.
    public func estimate(consuming returns: inout [Double], confidence: Double) -> ValueAtRisk.Estimate {
        switch self {
        case .historical: return ValueAtRisk.historical(consuming: &returns, confidence: confidence)
        case .parametric: return ValueAtRisk.parametric(returns, confidence: confidence)
        case .monteCarlo(let paths, let seed): return ValueAtRisk.monteCarlo(returns, confidence: confidence, paths: paths, seed: seed)
        }
    }
}
