import Foundation
import PeregrineCore

/// A non-trade activity of an option position as Alpaca lists it at `GET /v2/account/activities`:
/// an exercise (OPEXC), an assignment (OPASN) or an expiry (OPEXP) of the contract `symbol`, with
/// the contracts it took from the position (signed as the position's change), or the stock trade
/// (OPTRD) one of them caused. The trading runtime books them into the bot's option book.
public struct AlpacaOptionActivity: Equatable, Sendable {
    public var id: String
    /// OPEXC, OPASN, OPEXP or OPTRD.
    public var type: String
    public var date: CivilDate
    public var symbol: String
    public var quantity: Quantity
    public var price: Price?
    public var netAmount: Money

    /// The option activity types, as `activity_types` takes them.
    public static let optionTypes = ["OPEXC", "OPASN", "OPEXP", "OPTRD"]

    /// Decodes a JSON array of activities, keeping the option ones (an account lists fills,
    /// dividends and more under the same route).
    public static func decodeList(_ data: Data) throws -> [AlpacaOptionActivity] {
        try JSONDecoder().decode([Raw].self, from: data).filter { optionTypes.contains($0.activity_type) }.map { try AlpacaOptionActivity(raw: $0) }
    }

    struct Raw: Decodable {
        var id: String
        var activity_type: String
        var date: String?
        var symbol: String?
        var qty: String?
        var price: String?
        var net_amount: String?
    }

    init(raw: Raw) throws(AlpacaWireError) {
        let read = AlpacaFieldReader(document: "activity \(raw.id)")
        id = raw.id
        type = raw.activity_type
        guard let text = raw.date, let date = CivilDate(iso: Substring(text.prefix(10))), date.isValid else {
            throw read.fail("date", "'\(raw.date ?? "")' is not a date (YYYY-MM-DD)")
        }
        self.date = date
        guard let symbol = raw.symbol, !symbol.isEmpty else { throw read.fail("symbol", "missing") }
        self.symbol = symbol
        quantity = try read.quantity(raw.qty, "qty")
        price = try read.price(raw.price, "price")
        netAmount = try raw.net_amount.map { text throws(AlpacaWireError) in try read.money(text, "net_amount") } ?? .zero
    }
}
