/// Which leg wins when a bar's range contains both a take-profit and a stop-loss of one group, since
/// a bar does not say which price came first. `stopFirst` (the default) assumes the worse outcome.
public enum BracketAmbiguity: String, Hashable, Sendable, CaseIterable {
    case stopFirst = "stop-first"
    case takeProfitFirst = "take-profit-first"
}
