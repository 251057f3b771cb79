import Foundation
import PeregrineCore

/// One trading day of Alpaca's calendar (`GET /v2/calendar`): the date and the regular session's
/// open and close as minutes after midnight New York time (an early close shows as 13:00).
public struct AlpacaCalendarDay: Equatable, Sendable {
    public var date: CivilDate
    public var openMinute: Int
    public var closeMinute: Int

    public init(date: CivilDate, openMinute: Int, closeMinute: Int) {
        self.date = date
        self.openMinute = openMinute
        self.closeMinute = closeMinute
    }

    public static func decodeList(_ data: Data) throws -> [AlpacaCalendarDay] {
        try JSONDecoder().decode([Raw].self, from: data).map { raw in
            let read = AlpacaFieldReader(document: "calendar day \(raw.date)")
            guard let date = CivilDate(iso: raw.date) else {
                throw AlpacaWireError(document: "calendar day", field: "date", problem: "'\(raw.date)' is not YYYY-MM-DD")
            }
            return AlpacaCalendarDay(date: date,
                                     openMinute: try minutes(raw.open, "open", read), closeMinute: try minutes(raw.close, "close", read))
        }
    }

    static func minutes(_ text: String, _ field: String, _ read: AlpacaFieldReader) throws -> Int {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
            throw AlpacaWireError(document: read.document, field: field, problem: "'\(text)' is not HH:MM")
        }
        return parts[0] * 60 + parts[1]
    }

    struct Raw: Decodable {
        var date: String
        var open: String
        var close: String
    }
}
