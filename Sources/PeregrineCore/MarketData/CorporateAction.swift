/// A split or a cash dividend of one instrument, effective at the start of a trading date: the
/// first date the stock trades split (or without the dividend, the ex-date). What a broker does to
/// its customers' books on that date: shares multiplied by the ratio with the cost unchanged, or
/// cash paid per share held (charged per share owed when short).
public struct CorporateAction: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// `numerator` new shares for every `denominator` old ones: 2 for 1 is (2, 1); a 1-for-10
        /// reverse split is (1, 10).
        case split(numerator: Int64, denominator: Int64)
        /// Cash per share.
        case dividend(perShare: Price)
    }

    public var symbol: String
    public var date: CivilDate
    public var kind: Kind

    public init(symbol: String, date: CivilDate, kind: Kind) {
        self.symbol = symbol
        self.date = date
        self.kind = kind
    }

    /// The factor that turns a price before the action into one comparable with prices after it,
    /// for backward adjustment: denominator / numerator for a split, 1 - dividend / previous close
    /// for a dividend (`previousClose` is the last close before the date).
    public func priceFactor(previousClose: Price) -> Double {
        switch kind {
        case .split(let numerator, let denominator):
            return Double(denominator) / Double(numerator)
        case .dividend(let perShare):
            guard previousClose.units > 0 else { return 1 }
            return 1 - perShare.doubleValue / previousClose.doubleValue
        }
    }

    /// The simplest whole-number split `numerator:denominator` (denominators up to 1000, numerators up
    /// to 10^6) within `tolerance` (relative) of `ratio` new shares per old one; nil for none, or for 1:1.
    public static func splitRatio(_ ratio: Double, tolerance: Double) -> (numerator: Int64, denominator: Int64)? {
        guard ratio.isFinite, ratio > 0 else { return nil }
        for denominator in Int64(1)...1000 {
            let numerator = (ratio * Double(denominator)).rounded()
            guard numerator >= 1, numerator <= 1_000_000 else { continue }
            if abs(numerator / Double(denominator) / ratio - 1) <= tolerance {
                return Int64(numerator) == denominator ? nil : (Int64(numerator), denominator)
            }
        }
        return nil
    }

    public var description: String {
        switch kind {
        case .split(let numerator, let denominator): return "\(symbol) \(date) split \(numerator):\(denominator)"
        case .dividend(let perShare): return "\(symbol) \(date) dividend \(perShare)"
        }
    }
}
