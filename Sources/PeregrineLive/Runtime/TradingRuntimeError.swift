/// Why the trading runtime will not start or had to stop, in words a person can act on.
public struct TradingRuntimeError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
