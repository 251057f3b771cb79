/// Why a strategy cannot be built or analysed: the wrong number of strikes, strikes out of order,
/// a missing or impossible expiry, or market inputs that cannot be priced.
public struct OptionStrategyError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
