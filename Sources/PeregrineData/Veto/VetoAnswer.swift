import Foundation
import PeregrineCore
import PeregrineEngine

/// One recorded review, a JSON line: which entry (time, symbol, side, quantity), what came back and
/// whether it went out. Backtests replay these (`--veto-answers`) to make the decisions the recording
/// run made.
public struct VetoAnswer: Codable, Sendable, Equatable {
    public var time: String
    public var symbol: String
    public var side: String
    public var quantity: String
    public var verdict: ReviewVerdict.Kind
    public var allowed: Bool
    public var reason: String

    public init(_ entry: EntryReview, _ verdict: ReviewVerdict) {
        time = entry.time.iso8601
        symbol = entry.symbol
        side = entry.side.rawValue
        quantity = entry.quantity.description
        self.verdict = verdict.kind
        allowed = verdict.allowed
        reason = verdict.reason
    }

    /// The entry it answers: bar time, symbol and side.
    public var key: String { "\(time)|\(symbol)|\(side)" }

    static func key(of entry: EntryReview) -> String { "\(entry.time.iso8601)|\(entry.symbol)|\(entry.side.rawValue)" }

    /// The line as written: keys sorted, so identical answers are identical bytes.
    public var line: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
