import PeregrineCore

/// What the simulated venue remembers about a working order beyond the order itself: when it may
/// first fill, which session it belongs to, trailing watermark, trigger state and group links.
struct OrderState: Sendable {
    /// Bar sequence (per instrument) at submission.
    var submittedSeq: Int
    /// First bar sequence on which the order may fill; `Int.max` while a leg waits for its entry.
    var activeFromSeq: Int
    /// Session day at submission, and whether submission came after that day's close.
    var submittedDay: Int64
    var submittedAfterClose: Bool
    /// The session a day, opening or closing order belongs to, once known.
    var boundDay: Int64?
    /// Best price seen since submission, for trailing stops (0 until the first price is known).
    var watermark: Price
    /// A stop-limit whose stop has been touched behaves as a limit order.
    var triggered = false
    /// The other leg of an OCO pair (take-profit and stop-loss), by order index.
    var sibling: Int?
    /// Legs of a bracket or OTO that start working when this entry fills (at most a take-profit
    /// and a stop-loss); kept as two indices rather than an array, so the state is a plain value.
    var children = OrderLegs()
    var commissionCharged = Money.zero
    /// Last bar sequence on which this order was examined (pairs are examined together).
    var examinedSeq = 0
}
