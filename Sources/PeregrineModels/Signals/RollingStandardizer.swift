import PeregrineIndicators

/// Z-score of a value against the last `window` values seen before it (so a value is never
/// compared with itself), 0 until two values were seen or when they do not vary.
public struct RollingStandardizer: Sendable {
    private var history: LagBuffer<Double>
    private var sum = 0.0
    private var squares = 0.0

    public init(window: Int) { history = LagBuffer(capacity: window, filler: 0) }

    public mutating func standardize(_ value: Double) -> Double {
        let n = Double(history.count)
        var z = 0.0
        if history.count >= 2 {
            let mean = sum / n
            let variance = max(0, (squares - n * mean * mean) / (n - 1))
            if variance > 1e-18 { z = (value - mean) / variance.squareRoot() }
        }
        if let leaving = history.push(value) {
            sum -= leaving
            squares -= leaving * leaving
        }
        sum += value
        squares += value * value
        return z
    }
}
