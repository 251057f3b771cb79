/// Exact conversion between decimal text and scaled integers, so prices read from a file
/// keep every digit the file wrote and no binary floating point enters the books.
public enum DecimalText {
    /// Why a piece of text is not an exact decimal number.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case notANumber(String)
        case tooManyDecimals(String, allowed: Int)
        case outOfRange(String)

        public var description: String {
            switch self {
            case .empty: return "empty value"
            case .notANumber(let text): return "'\(text)' is not a number"
            case .tooManyDecimals(let text, let allowed):
                return "'\(text)' has more than \(allowed) significant decimals"
            case .outOfRange(let text): return "'\(text)' is out of range"
            }
        }
    }

    /// Parses ASCII bytes such as `-12.3400` into an integer counted in units of 10^-fractionDigits.
    /// Trailing zeros past `fractionDigits` are accepted; any other extra digit is an error, never rounded.
    @inlinable
    public static func parseUnits<Bytes: Collection>(
        _ bytes: Bytes, fractionDigits: Int
    ) -> Result<Int64, ParseError> where Bytes.Element == UInt8 {
        parseUnits(bytes, fractionDigits: fractionDigits, as: Int64.self)
    }

    /// As `parseUnits(_:fractionDigits:)`, into any signed integer width (quantities use 128 bits).
    @inlinable
    public static func parseUnits<Bytes: Collection, Units: FixedWidthInteger & SignedInteger>(
        _ bytes: Bytes, fractionDigits: Int, as: Units.Type
    ) -> Result<Units, ParseError> where Bytes.Element == UInt8 {
        var index = bytes.startIndex
        let end = bytes.endIndex
        if index == end { return .failure(.empty) }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index = bytes.index(after: index)
        }
        var value: Units = 0
        var digits = 0
        var fraction = 0
        var seenPoint = false
        var overflow = false
        var extraNonZero = false
        while index != end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                if seenPoint { return .failure(.notANumber(text(bytes))) }
                seenPoint = true
            } else if byte >= 48 && byte <= 57 {
                digits += 1
                if seenPoint {
                    if fraction == fractionDigits {
                        if byte != 48 { extraNonZero = true }
                        index = bytes.index(after: index)
                        continue
                    }
                    fraction += 1
                }
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (added, o2) = times10.addingReportingOverflow(Units(byte - 48))
                overflow = overflow || o1 || o2
                value = added
            } else {
                return .failure(.notANumber(text(bytes)))
            }
            index = bytes.index(after: index)
        }
        if digits == 0 { return .failure(.notANumber(text(bytes))) }
        if extraNonZero { return .failure(.tooManyDecimals(text(bytes), allowed: fractionDigits)) }
        while fraction < fractionDigits {
            let (times10, o) = value.multipliedReportingOverflow(by: 10)
            overflow = overflow || o
            value = times10
            fraction += 1
        }
        if overflow { return .failure(.outOfRange(text(bytes))) }
        return .success(negative ? -value : value)
    }

    /// Parses a Swift string; see `parseUnits(_:fractionDigits:)`.
    public static func parseUnits(_ string: String, fractionDigits: Int) -> Result<Int64, ParseError> {
        parseUnits(Array(string.utf8), fractionDigits: fractionDigits)
    }

    @usableFromInline
    static func text<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Formats `units` (counted in 10^-fractionDigits) with exactly `places` decimals,
    /// rounding half away from zero when `places` is smaller than `fractionDigits`.
    public static func format(units: Int128, fractionDigits: Int, places: Int) -> String {
        precondition(places >= 0 && places <= fractionDigits)
        let drop = fractionDigits - places
        var scaled = units
        if drop > 0 {
            let divisor = pow10(drop)
            let half = divisor / 2
            scaled = units >= 0 ? (units + half) / divisor : -((-units + half) / divisor)
        }
        let negative = scaled < 0
        let magnitude = negative ? -scaled : scaled
        let unit = pow10(places)
        let whole = magnitude / unit
        var result = negative ? "-" : ""
        result += String(whole)
        if places > 0 {
            let fractionText = String(magnitude % unit)
            result += "." + String(repeating: "0", count: places - fractionText.count) + fractionText
        }
        return result
    }

    /// Formats with all significant decimals and no trailing zeros (`12.5`, `3`, `0.000001`).
    public static func formatTrimmed(units: Int128, fractionDigits: Int) -> String {
        var text = format(units: units, fractionDigits: fractionDigits, places: fractionDigits)
        guard fractionDigits > 0 else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// 10^n as Int128.
    @inlinable
    public static func pow10(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
