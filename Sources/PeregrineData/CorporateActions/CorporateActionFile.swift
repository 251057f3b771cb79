import Foundation
import PeregrineCore

/// Reads splits and dividends from a file, in one of two forms, told apart by the header:
///
/// - A factor file as QuantConnect's Lean writes them (`date,price_factor,split_factor,reference_price`,
///   with or without that header): one row per change, `YYYYMMDD`; a factor row applies to bars up to
///   its date, so each change takes effect on the next weekday. A split is the ratio of consecutive
///   split factors (2 for 2:1); a dividend is `reference_price * (1 - factor / next factor)`, the
///   reference price being the close on the row's date, rounded to 0.0001 (factors carry 7 digits,
///   so the fourth decimal can be off by one: AAPL's 2.65 of 2012 reads 2.6499).
/// - Events, one per line: `date,type,value` (optionally `symbol,date,type,value`), with `type`
///   `split` and a value `2:1` (or `1:10` for a reverse split), or `dividend` and a cash amount.
public enum CorporateActionFile {
    /// The actions in `path`, for `symbol` (events files with a symbol column keep only its rows),
    /// sorted by date. Errors name the file, line and field.
    public static func read(path: String, symbol: String) throws(DataError) -> [CorporateAction] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, line: 0, message: "cannot read the corporate-actions file")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        var rows: [(line: Int, fields: [String])] = []
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            rows.append((index + 1, line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }))
        }
        guard let first = rows.first else { throw DataError(file: path, line: 0, message: "the file is empty") }
        let header = first.fields.map { $0.lowercased() }
        let actions: [CorporateAction]
        if header == ["date", "price_factor", "split_factor", "reference_price"] {
            actions = try factorFile(Array(rows.dropFirst()), path: path, symbol: symbol)
        } else if first.fields.count == 4, first.fields[0].count == 8, Int(first.fields[0]) != nil {
            actions = try factorFile(rows, path: path, symbol: symbol)
        } else if header == ["date", "type", "value"] || header == ["symbol", "date", "type", "value"] {
            actions = try events(Array(rows.dropFirst()), hasSymbol: header.count == 4, path: path, symbol: symbol)
        } else {
            throw DataError(file: path, line: first.line, message: "header '\(first.fields.joined(separator: ","))' is neither "
                + "a factor file (date,price_factor,split_factor,reference_price) nor events (date,type,value)")
        }
        return actions.sorted { $0.date < $1.date }
    }

    /// Whether the file is events with a symbol column (so it can serve several symbols).
    public static func namesSymbols(path: String) throws(DataError) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, line: 0, message: "cannot read the corporate-actions file")
        }
        let firstLine = String(decoding: data.prefix(200), as: UTF8.self).split(separator: "\n").first ?? ""
        return firstLine.lowercased().replacingOccurrences(of: " ", with: "").hasPrefix("symbol,date,type,value")
    }

    static func factorFile(_ rows: [(line: Int, fields: [String])], path: String, symbol: String) throws(DataError) -> [CorporateAction] {
        struct Row { var line: Int; var date: CivilDate; var price: Double; var split: Double; var reference: Double }
        var parsed: [Row] = []
        for (line, fields) in rows {
            guard fields.count == 4 else {
                throw DataError(file: path, line: line, message: "expected 4 fields (date,price_factor,split_factor,reference_price), found \(fields.count)")
            }
            let text = fields[0]
            guard text.count == 8, let year = Int(text.prefix(4)), let month = Int(text.dropFirst(4).prefix(2)),
                  let day = Int(text.suffix(2)), CivilDate(year: year, month: month, day: day).isValid else {
                throw DataError(file: path, line: line, field: "date", message: "'\(text)' is not a date YYYYMMDD")
            }
            let names = ["price_factor", "split_factor", "reference_price"]
            var numbers: [Double] = []
            for k in 1...3 {
                guard let value = Double(fields[k]), value.isFinite, value >= 0, k == 3 || value > 0 else {
                    throw DataError(file: path, line: line, field: names[k - 1], message: "'\(fields[k])' is not a "
                        + (k == 3 ? "non-negative number" : "positive number"))
                }
                numbers.append(value)
            }
            let date = CivilDate(year: year, month: month, day: day)
            if let last = parsed.last, date <= last.date {
                throw DataError(file: path, line: line, field: "date", message: "\(date) is not after the row before (\(last.date))")
            }
            parsed.append(Row(line: line, date: date, price: numbers[0], split: numbers[1], reference: numbers[2]))
        }
        var actions: [CorporateAction] = []
        for (row, next) in zip(parsed, parsed.dropFirst()) {
            // The next row's factors take over after this row's date: on the next weekday.
            var effective = CivilDate(daysSinceEpoch: row.date.daysSinceEpoch + 1)
            while effective.weekday == 0 || effective.weekday == 6 { effective = CivilDate(daysSinceEpoch: effective.daysSinceEpoch + 1) }
            if abs(next.split / row.split - 1) > 1e-6 {
                guard let (numerator, denominator) = CorporateAction.splitRatio(next.split / row.split, tolerance: 1e-4) else {
                    throw DataError(file: path, line: next.line, field: "split_factor",
                                    message: "split factors \(row.split) then \(next.split) make no split ratio up to 1000:1")
                }
                actions.append(CorporateAction(symbol: symbol, date: effective, kind: .split(numerator: numerator, denominator: denominator)))
            }
            if abs(next.price / row.price - 1) > 1e-9 {
                let amount = (row.reference * (1 - row.price / next.price) * 10_000).rounded() / 10_000
                guard amount > 0, let perShare = Price(String(format: "%.4f", amount)) else {
                    throw DataError(file: path, line: next.line, field: "price_factor",
                                    message: "price factors \(row.price) then \(next.price) with reference \(row.reference) make no dividend")
                }
                actions.append(CorporateAction(symbol: symbol, date: effective, kind: .dividend(perShare: perShare)))
            }
        }
        return actions
    }

    static func events(_ rows: [(line: Int, fields: [String])], hasSymbol: Bool, path: String, symbol: String) throws(DataError) -> [CorporateAction] {
        var actions: [CorporateAction] = []
        for (line, fields) in rows {
            guard fields.count == (hasSymbol ? 4 : 3) else {
                throw DataError(file: path, line: line, message: "expected \(hasSymbol ? 4 : 3) fields, found \(fields.count)")
            }
            let offset = hasSymbol ? 1 : 0
            if hasSymbol && fields[0] != symbol { continue }
            guard let date = CivilDate(iso: fields[offset]) else {
                throw DataError(file: path, line: line, field: "date", message: "'\(fields[offset])' is not a date YYYY-MM-DD")
            }
            let value = fields[offset + 2]
            switch fields[offset + 1].lowercased() {
            case "split":
                let parts = value.split(separator: ":")
                guard parts.count == 2, let numerator = Int64(parts[0]), let denominator = Int64(parts[1]),
                      (1...1_000_000).contains(numerator), (1...1_000_000).contains(denominator), numerator != denominator else {
                    throw DataError(file: path, line: line, field: "value",
                                    message: "'\(value)' is not a split ratio like 2:1 or 1:10 (whole numbers up to 1000000)")
                }
                actions.append(CorporateAction(symbol: symbol, date: date, kind: .split(numerator: numerator, denominator: denominator)))
            case "dividend":
                guard let amount = Price(value), amount.units > 0 else {
                    throw DataError(file: path, line: line, field: "value", message: "'\(value)' is not a positive cash amount per share")
                }
                actions.append(CorporateAction(symbol: symbol, date: date, kind: .dividend(perShare: amount)))
            default:
                throw DataError(file: path, line: line, field: "type", message: "'\(fields[offset + 1])' is neither split nor dividend")
            }
        }
        return actions
    }
}
