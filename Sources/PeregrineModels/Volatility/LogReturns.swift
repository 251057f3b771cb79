#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Close-to-close log returns ln(c[t] / c[t-1]), the series every volatility forecast starts from.
public enum LogReturns {
    /// The returns of `closes`; at least `minimum` of them, every close positive and finite.
    public static func of(_ closes: [Double], minimum: Int = 2) throws(VolatilityInputError) -> [Double] {
        if let index = closes.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
            throw VolatilityInputError("close \(closes[index]) of bar \(index + 1) is not a positive finite price")
        }
        guard closes.count > minimum else {
            throw VolatilityInputError("\(closes.count) closes give \(max(0, closes.count - 1)) returns; need at least \(minimum)")
        }
        return (1..<closes.count).map { log(closes[$0] / closes[$0 - 1]) }
    }
}
