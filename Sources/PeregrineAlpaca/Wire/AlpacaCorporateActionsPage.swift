import Foundation
import PeregrineCore

/// One page of `GET /v1/corporate-actions`: `{"corporate_actions": {"forward_splits": [...],
/// "reverse_splits": [...], "cash_dividends": [...], ...}, "next_page_token": ...}`. Splits become
/// `new_rate:old_rate` on their ex-date, cash dividends their `rate` per share on their ex-date; the
/// other kinds Alpaca reports (mergers, spin-offs, name changes, ...) are listed in `skipped` by kind,
/// not guessed at.
public struct AlpacaCorporateActionsPage: Sendable {
    public var actions: [CorporateAction]
    public var skipped: [String: Int]
    public var nextPageToken: String?

    public static func decode(_ data: Data) throws -> AlpacaCorporateActionsPage {
        let read = AlpacaFieldReader(document: "corporate actions")
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw read.fail("(document)", "not a JSON object")
        }
        let groups = root["corporate_actions"] as? [String: Any] ?? [:]
        var actions: [CorporateAction] = []
        var skipped: [String: Int] = [:]
        for (kind, value) in groups.sorted(by: { $0.key < $1.key }) {
            guard let items = value as? [[String: Any]] else { throw read.fail(kind, "not a list of objects") }
            switch kind {
            case "forward_splits", "reverse_splits":
                for (index, item) in items.enumerated() {
                    let field = "\(kind)[\(index)]"
                    let (symbol, date) = try identity(item, field, read)
                    // Alpaca sends the rates as numbers (4 and 1, or 1.5 and 1).
                    guard let new = positiveNumber(item["new_rate"]), let old = positiveNumber(item["old_rate"]),
                          let ratio = CorporateAction.splitRatio(new / old, tolerance: 1e-9) else {
                        throw read.fail(field + ".new_rate", "rates \(item["new_rate"] ?? "none"):\(item["old_rate"] ?? "none") are not a split ratio")
                    }
                    actions.append(CorporateAction(symbol: symbol, date: date, kind: .split(numerator: ratio.numerator, denominator: ratio.denominator)))
                }
            case "cash_dividends":
                for (index, item) in items.enumerated() {
                    let field = "cash_dividends[\(index)]"
                    let (symbol, date) = try identity(item, field, read)
                    guard let number = item["rate"] as? NSNumber, let rate = Price(number.stringValue), rate.units > 0 else {
                        throw read.fail(field + ".rate", "'\(item["rate"] ?? "none")' is not a positive cash amount")
                    }
                    actions.append(CorporateAction(symbol: symbol, date: date, kind: .dividend(perShare: rate)))
                }
            default:
                skipped[kind] = items.count
            }
        }
        let token = root["next_page_token"] as? String
        return AlpacaCorporateActionsPage(actions: actions.sorted { ($0.date, $0.symbol) < ($1.date, $1.symbol) }, skipped: skipped,
                                          nextPageToken: token.flatMap { $0.isEmpty ? nil : $0 })
    }

    static func identity(_ item: [String: Any], _ field: String, _ read: AlpacaFieldReader) throws -> (String, CivilDate) {
        guard let symbol = item["symbol"] as? String, !symbol.isEmpty else { throw read.fail(field + ".symbol", "missing") }
        guard let text = item["ex_date"] as? String, let date = CivilDate(iso: text) else {
            throw read.fail(field + ".ex_date", "'\(item["ex_date"] ?? "none")' is not a date")
        }
        return (symbol, date)
    }

    static func positiveNumber(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, number.doubleValue.isFinite, number.doubleValue > 0 else { return nil }
        return number.doubleValue
    }
}
