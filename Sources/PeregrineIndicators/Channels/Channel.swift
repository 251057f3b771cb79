/// An upper, middle and lower line: the output of Bollinger bands, Donchian and Keltner channels.
public struct Channel: Sendable, Equatable {
    public var upper: Double
    public var middle: Double
    public var lower: Double

    public init(upper: Double, middle: Double, lower: Double) {
        self.upper = upper
        self.middle = middle
        self.lower = lower
    }
}
