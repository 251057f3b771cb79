/// A signal's type read against the move that produced it: a buy after an up move (or a sell after a
/// down move) follows it, the opposite fades it, and no action is a hold. Reading buy and sell against
/// the move lets one likelihood serve both directions: a trend market sends following signals
/// whichever way it trends.
public enum SignalKind: Int, CaseIterable, Sendable, CustomStringConvertible {
    case follow
    case fade
    case hold

    /// The kind of `action` (+1 buy, −1 sell, 0 hold) after a move of sign `recentMove`.
    public init(action: Double, recentMove: Double) {
        if action == 0 { self = .hold } else { self = action * recentMove > 0 ? .follow : .fade }
    }

    public var description: String {
        switch self {
        case .follow: return "follow"
        case .fade: return "fade"
        case .hold: return "hold"
        }
    }
}
