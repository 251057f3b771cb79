import PeregrineCore
import PeregrineModels

/// The filters of `GET /v2/options/contracts`, written as alpaca-py's TradingClient sends them:
/// underlying symbols joined by commas, dates as YYYY-MM-DD, strikes as decimal text, status
/// `active` unless told otherwise.
public struct AlpacaOptionContractsQuery: Equatable, Sendable {
    public var underlyingSymbols: [String]
    public var status: String? = "active"
    public var expirationDate: CivilDate?
    public var expirationDateFrom: CivilDate?
    public var expirationDateTo: CivilDate?
    public var rootSymbol: String?
    public var type: OptionType?
    public var style: String?
    public var strikeFrom: Price?
    public var strikeTo: Price?
    /// Contracts per page (Alpaca allows up to 10,000).
    public var limit: Int?

    public init(underlyingSymbols: [String]) {
        self.underlyingSymbols = underlyingSymbols
    }

    /// The query's parameters in alpaca-py's order, with `page_token` when continuing.
    public func parameters(pageToken: String? = nil) -> [(String, String)] {
        var items: [(String, String)] = []
        if !underlyingSymbols.isEmpty { items.append(("underlying_symbols", underlyingSymbols.joined(separator: ","))) }
        if let status { items.append(("status", status)) }
        if let expirationDate { items.append(("expiration_date", expirationDate.description)) }
        if let expirationDateFrom { items.append(("expiration_date_gte", expirationDateFrom.description)) }
        if let expirationDateTo { items.append(("expiration_date_lte", expirationDateTo.description)) }
        if let rootSymbol { items.append(("root_symbol", rootSymbol)) }
        if let type { items.append(("type", type.rawValue)) }
        if let style { items.append(("style", style)) }
        if let strikeFrom { items.append(("strike_price_gte", strikeFrom.description)) }
        if let strikeTo { items.append(("strike_price_lte", strikeTo.description)) }
        if let limit { items.append(("limit", String(limit))) }
        if let pageToken { items.append(("page_token", pageToken)) }
        return items
    }
}
