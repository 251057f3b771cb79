import PeregrineCore

/// A bar length in Alpaca's notation (`1Min`, `15Min`, `1Hour`, `1Day`, `1Week`), with its length.
public struct BarTimeframe: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let nanoseconds: Int64

    public init(_ text: String) throws(TradingRuntimeError) {
        let digits = text.prefix { $0.isNumber }
        let unit = text.dropFirst(digits.count)
        let units: [String: Int64] = ["Min": Timestamp.nanosPerMinute, "T": Timestamp.nanosPerMinute,
                                      "Hour": 60 * Timestamp.nanosPerMinute, "H": 60 * Timestamp.nanosPerMinute,
                                      "Day": Timestamp.nanosPerDay, "D": Timestamp.nanosPerDay,
                                      "Week": 7 * Timestamp.nanosPerDay, "W": 7 * Timestamp.nanosPerDay]
        guard let count = Int64(digits), count > 0, let length = units[String(unit)] else {
            throw TradingRuntimeError("timeframe '\(text)': expected a count and a unit such as 1Min, 15Min, 1Hour, 1Day")
        }
        self.text = text
        self.nanoseconds = count * length
    }

    public var description: String { text }
}
