/// One position of an option strategy: shares of the underlying, or European calls or puts at a
/// strike and expiry (years from now). Quantities are per share of the underlying, positive long
/// and negative short, so one listed contract (100 shares) is 100 times every figure.
public struct OptionLeg: Hashable, Sendable {
    public enum Instrument: Hashable, Sendable {
        case stock
        case option(OptionType, strike: Double, expiry: Double)
    }

    public var instrument: Instrument
    public var quantity: Double

    public init(_ instrument: Instrument, quantity: Double) {
        self.instrument = instrument
        self.quantity = quantity
    }

    public static func stock(_ quantity: Double) -> OptionLeg { OptionLeg(.stock, quantity: quantity) }

    public static func call(_ quantity: Double, strike: Double, expiry: Double) -> OptionLeg {
        OptionLeg(.option(.call, strike: strike, expiry: expiry), quantity: quantity)
    }

    public static func put(_ quantity: Double, strike: Double, expiry: Double) -> OptionLeg {
        OptionLeg(.option(.put, strike: strike, expiry: expiry), quantity: quantity)
    }

    /// "long 1 call 105 exp 0.0822", "short 100 stock".
    public var description: String {
        let side = quantity >= 0 ? "long" : "short"
        let magnitude = abs(quantity)
        let size = magnitude == magnitude.rounded() && magnitude < 1e15 ? String(Int64(magnitude)) : String(magnitude)
        switch instrument {
        case .stock: return "\(side) \(size) stock"
        case .option(let type, let strike, let expiry): return "\(side) \(size) \(type.rawValue) \(strike) exp \(expiry)"
        }
    }
}
