/// Conventions shared by the indicators.
public enum Indicator {
    /// TA-Lib's zero test (|x| < 1e-8), used where it decides between a ratio and 0.
    @inlinable public static func isZero(_ x: Double) -> Bool { x > -0.00000001 && x < 0.00000001 }

    /// TA-Lib's true range: the largest of high - low, |high - previous close|, |low - previous close|.
    @inlinable public static func trueRange(high: Double, low: Double, previousClose: Double) -> Double {
        var range = high - low
        let up = abs(high - previousClose)
        if up > range { range = up }
        let down = abs(low - previousClose)
        if down > range { range = down }
        return range
    }
}
