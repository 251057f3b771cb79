/// A dimensionless rate held exactly in parts per billion (`0.1%` is 1,000,000), for commissions
/// and slippage whose results must land on the money grid the same way every run.
public struct Rate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var partsPerBillion: Int64

    @inlinable public init(partsPerBillion: Int64) { self.partsPerBillion = partsPerBillion }

    /// A rate from basis points (`5` is 0.05%); text is parsed exactly.
    public init?(basisPoints text: String) {
        guard case .success(let units) = DecimalText.parseUnits(text, fractionDigits: 5) else { return nil }
        self.partsPerBillion = units  // 1 bp = 1e-4 = 100,000 ppb; text at 5 decimals scales by 1e5
    }

    /// A rate from a percentage (`0.1` is 0.1%).
    public init?(percent text: String) {
        guard case .success(let units) = DecimalText.parseUnits(text, fractionDigits: 7) else { return nil }
        self.partsPerBillion = units  // 1% = 1e7 ppb; text at 7 decimals scales by 1e7
    }

    public static let zero = Rate(partsPerBillion: 0)
    public var doubleValue: Double { Double(partsPerBillion) / 1e9 }
    @inlinable public static func < (lhs: Rate, rhs: Rate) -> Bool { lhs.partsPerBillion < rhs.partsPerBillion }
    /// The rate as a plain percentage number, `2.5` for 2.5% (Alpaca's `trail_percent`).
    public var percentText: String { DecimalText.formatTrimmed(units: Int128(partsPerBillion), fractionDigits: 7) }

    public var description: String { percentText + "%" }
}
