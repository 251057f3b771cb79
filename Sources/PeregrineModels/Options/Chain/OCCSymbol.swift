import PeregrineCore

/// An option contract's OCC symbol as Alpaca writes it, without the padding of the OSI form: the
/// root (1 to 6 letters or digits), the expiration as YYMMDD, C or P, and the strike times 1,000
/// in 8 digits. AAPL240119C00190000 is the AAPL call expiring 2024-01-19 at 190. The strike is an
/// exact Price; anything else is refused with the reason.
public struct OCCSymbol: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var root: String
    public var expiration: CivilDate
    public var type: OptionType
    public var strike: Price

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// A contract from its parts; the strike must be a positive multiple of 0.001 below 100,000.
    public init(root: String, expiration: CivilDate, type: OptionType, strike: Price) throws(Failure) {
        guard (1...6).contains(root.count), root.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) }) else {
            throw Failure(description: "root '\(root)' must be 1 to 6 capital letters or digits")
        }
        guard expiration.isValid, (2000...2099).contains(expiration.year) else {
            throw Failure(description: "expiration \(expiration) must be a real date in 2000 to 2099")
        }
        let milli = Price.scale / 1000
        guard strike.units > 0, strike.units % milli == 0, strike.units / milli <= 99_999_999 else {
            throw Failure(description: "strike \(strike) must be positive, in steps of 0.001, below 100000")
        }
        self.root = root
        self.expiration = expiration
        self.type = type
        self.strike = strike
    }

    /// Parses AAPL240119C00190000.
    public init(_ text: String) throws(Failure) {
        let characters = Array(text)
        guard characters.count >= 16, characters.count <= 21 else {
            throw Failure(description: "'\(text)' is not an OCC symbol: root, YYMMDD, C or P and 8 strike digits (e.g. AAPL240119C00190000)")
        }
        let tail = characters.suffix(15)
        let date = String(tail.prefix(6)), right = tail[tail.startIndex + 6], digits = String(tail.suffix(8))
        guard date.allSatisfy(\.isASCIIDigitCharacter), digits.allSatisfy(\.isASCIIDigitCharacter),
              let yymmdd = Int(date), let thousandths = Int64(digits) else {
            throw Failure(description: "'\(text)': the expiration (YYMMDD) and strike (8 digits) must be digits")
        }
        let type: OptionType
        switch right {
        case "C": type = .call
        case "P": type = .put
        default: throw Failure(description: "'\(text)': expected C or P after the date, found '\(right)'")
        }
        let expiration = CivilDate(year: 2000 + yymmdd / 10_000, month: yymmdd / 100 % 100, day: yymmdd % 100)
        guard expiration.isValid else { throw Failure(description: "'\(text)': \(date) is not a date") }
        try self.init(root: String(characters.dropLast(15)), expiration: expiration, type: type,
                      strike: Price(units: thousandths * (Price.scale / 1000)))
    }

    /// AAPL240119C00190000.
    public var description: String {
        let yymmdd = (expiration.year % 100) * 10_000 + expiration.month * 100 + expiration.day
        let thousandths = strike.units / (Price.scale / 1000)
        return root + Self.padded(yymmdd, 6) + (type == .call ? "C" : "P") + Self.padded(Int(thousandths), 8)
    }

    /// Root, expiration, strike, then calls before puts.
    public static func < (lhs: OCCSymbol, rhs: OCCSymbol) -> Bool {
        if lhs.root != rhs.root { return lhs.root < rhs.root }
        if lhs.expiration != rhs.expiration { return lhs.expiration < rhs.expiration }
        if lhs.strike != rhs.strike { return lhs.strike < rhs.strike }
        return lhs.type == .call && rhs.type == .put
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

private extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
