/// Why a series of closes cannot give a volatility forecast: too few of them, or a close that is
/// not a positive finite number (named by its position, counted from 1).
public struct VolatilityInputError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
