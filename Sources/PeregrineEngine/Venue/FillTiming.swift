/// When a market order decided on a bar fills. `nextOpen` is the honest default (the decision is
/// made on the bar's close, so the first price it can get is the next open); `close` fills at the
/// signal bar's own close and must be asked for explicitly.
public enum FillTiming: String, Hashable, Sendable, CaseIterable {
    case nextOpen = "next-open"
    case close
}
