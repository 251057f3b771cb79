import PeregrineCore

/// Names the market type a past bar turned out to be, from what followed it: the labels the type
/// profiles are estimated from. With D the log move over the last H bars, F the log move over the next
/// H bars, the excursion the highest high and lowest low of those H bars reached (log, from the close),
/// and s the forecast's horizon volatility σ_H at the bar:
///
/// 1. exhausted: a stretched move (|D| ≥ 1.5 s) that reversed (F·sign D ≤ −0.5 s);
/// 2. trend: the move continued (F·sign D ≥ 0.5 s);
/// 3. manipulator: a whipsaw, two-way excursion of at least 2 s with a net move under 0.5 s;
/// 4. range: anything else (small moves, mild reversion).
///
/// The rules are checked in that order. A label needs the H bars after its bar, so a live estimator
/// labels a bar only once they have been seen.
public enum MarketTypeLabeler {
    public static let stretch = 1.5
    public static let continuation = 0.5
    public static let whipsaw = 2.0

    /// - Parameters:
    ///   - recentMove: D. - forwardMove: F. - upExcursion, downExcursion: the largest log rise and fall
    ///   (both ≥ 0) from the close within the next H bars. - scale: s.
    public static func label(recentMove: Double, forwardMove: Double, upExcursion: Double, downExcursion: Double,
                             scale: Double) -> MarketType {
        let s = max(scale, 1e-12)
        let sign: Double = recentMove < 0 ? -1 : 1
        let along = forwardMove * sign
        if abs(recentMove) >= stretch * s && along <= -continuation * s { return .exhausted }
        if along >= continuation * s { return .trend }
        if upExcursion + downExcursion >= whipsaw * s && abs(forwardMove) < continuation * s { return .manipulator }
        return .range
    }
}
