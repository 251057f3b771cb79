import PeregrineCore

/// Sample standard deviation of log returns over the last `window` returns, O(1) per update via
/// running sums; used to scale positions to a volatility target.
public struct RollingVolatility: Sendable {
    public let window: Int
    private var returns: [Double]
    private var position = 0
    private var filled = 0
    private var sum = 0.0
    private var sumSquares = 0.0
    private var lastPrice: Int64?

    public init(window: Int) {
        precondition(window >= 2, "volatility window must be at least 2")
        self.window = window
        self.returns = Array(repeating: 0, count: window)
    }

    public var isReady: Bool { filled == window }

    /// Feeds a price; returns the per-bar standard deviation once the window is full.
    @discardableResult
    public mutating func update(_ price: Price) -> Double? {
        defer { lastPrice = price.units }
        guard let last = lastPrice, last > 0, price.units > 0 else { return nil }
        let value = Foundationless.log(Double(price.units) / Double(last))
        let old = returns[position]
        returns[position] = value
        position = (position + 1) % window
        if filled < window {
            filled += 1
        } else {
            sum -= old
            sumSquares -= old * old
        }
        sum += value
        sumSquares += value * value
        return isReady ? standardDeviation : nil
    }

    /// Per-bar sample standard deviation (n - 1 in the denominator).
    public var standardDeviation: Double {
        guard filled >= 2 else { return 0 }
        let n = Double(filled)
        let variance = max(0, (sumSquares - sum * sum / n) / (n - 1))
        return variance.squareRoot()
    }
}
