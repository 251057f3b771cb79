/// The four kinds of market the signaling game distinguishes.
public enum MarketType: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Prices move persistently; following the move pays.
    case trend
    /// Prices oscillate in a band; fading moves pays.
    case range
    /// Moves are painted to trap followers; acting on them is costly.
    case manipulator
    /// A stretched move near its end; it tends to reverse.
    case exhausted

    public var description: String {
        switch self {
        case .trend: return "trend"
        case .range: return "range"
        case .manipulator: return "manipulator"
        case .exhausted: return "exhausted"
        }
    }
}
