/// What a strategy's signal says to do; the decision gate turns it into an order, a hold or a rejection
/// depending on the position.
public enum SignalAction: String, Hashable, Sendable, CaseIterable {
    case buy
    case sell
    case hold
}
