import PeregrineCore

/// Wilder's directional movement system as TA-Lib computes it: +DI and -DI from index `period`,
/// ADX from index 2 period - 1. Directional movement and true range are summed over the first
/// period - 1 bars, then Wilder-smoothed (`s = s - s / period + x`); ADX starts as the mean of
/// `period` DX values and is then smoothed like an ATR.
public struct DirectionalMovement: Sendable {
    public struct Value: Sendable, Equatable {
        public var plusDI: Double
        public var minusDI: Double
        /// Nil until 2 period - 1 bars.
        public var adx: Double?
    }

    public let period: Int
    private var previous: (high: Double, low: Double, close: Double)?
    private var plusDM = 0.0
    private var minusDM = 0.0
    private var trueRange = 0.0
    private var bars = 0
    private var sumDX = 0.0
    private var adx: Double?

    public init(period: Int) {
        precondition(period >= 1, "period must be at least 1")
        self.period = period
    }

    @discardableResult
    public mutating func update(_ bar: Bar) -> Value? {
        let (high, low, close) = (bar.high.doubleValue, bar.low.doubleValue, bar.close.doubleValue)
        defer {
            previous = (high, low, close)
            bars += 1
        }
        guard let last = previous else { return nil }
        let n = Double(period)
        let up = high - last.high
        let down = last.low - low
        var plus = 0.0
        var minus = 0.0
        if down > 0 && up < down { minus = down } else if up > 0 && up > down { plus = up }
        let range = Indicator.trueRange(high: high, low: low, previousClose: last.close)
        if bars < period {  // bars 1 ... period - 1: plain sums
            plusDM += plus
            minusDM += minus
            trueRange += range
            return nil
        }
        plusDM = plusDM - plusDM / n + plus
        minusDM = minusDM - minusDM / n + minus
        trueRange = trueRange - trueRange / n + range
        var plusDI = 0.0
        var minusDI = 0.0
        var dx: Double?
        if !Indicator.isZero(trueRange) {
            minusDI = 100 * (minusDM / trueRange)
            plusDI = 100 * (plusDM / trueRange)
            let sum = minusDI + plusDI
            if !Indicator.isZero(sum) { dx = 100 * (abs(minusDI - plusDI) / sum) }
        }
        if bars < 2 * period {  // bars period ... 2 period - 1: collect DX
            sumDX += dx ?? 0
            if bars == 2 * period - 1 { adx = sumDX / n }
        } else if let dx, let current = adx {
            adx = (current * (n - 1) + dx) / n
        }
        return Value(plusDI: plusDI, minusDI: minusDI, adx: adx)
    }
}
