import Foundation
import PeregrineCore
import PeregrineModels

/// One listed option contract from `GET /v2/options/contracts`: its OCC symbol (root, expiration,
/// call or put, exact strike), whether it trades, its exercise style, shares per contract, and the
/// latest open interest and close when Alpaca has them. A symbol that disagrees with the contract's
/// own fields is refused, so a contract is never priced as another.
public struct AlpacaOptionContract: Equatable, Sendable {
    public var symbol: OCCSymbol
    public var id: String
    public var name: String
    public var status: String
    public var tradable: Bool
    public var underlyingSymbol: String
    public var style: String
    public var size: Quantity
    public var openInterest: Int?
    public var closePrice: Price?

    init(_ raw: Raw) throws(AlpacaWireError) {
        let read = AlpacaFieldReader(document: "option contract \(raw.symbol)")
        let symbol: OCCSymbol
        do { symbol = try OCCSymbol(raw.symbol) } catch { throw read.fail("symbol", error.description) }
        guard raw.expiration_date == symbol.expiration.description else {
            throw read.fail("expiration_date", "\(raw.expiration_date) disagrees with the symbol's \(symbol.expiration)")
        }
        guard raw.type == symbol.type.rawValue else { throw read.fail("type", "'\(raw.type)' disagrees with the symbol's \(symbol.type.rawValue)") }
        let strike = try read.requiredPrice(raw.strike_price.text, "strike_price")
        guard strike == symbol.strike else { throw read.fail("strike_price", "\(strike) disagrees with the symbol's \(symbol.strike)") }
        guard raw.root_symbol == symbol.root else { throw read.fail("root_symbol", "'\(raw.root_symbol)' disagrees with the symbol's \(symbol.root)") }
        var openInterest: Int?
        if let text = raw.open_interest {
            guard let value = Int(text), value >= 0 else { throw read.fail("open_interest", "'\(text)' is not a count") }
            openInterest = value
        }
        self.symbol = symbol
        id = raw.id
        name = raw.name
        status = raw.status
        tradable = raw.tradable
        underlyingSymbol = raw.underlying_symbol
        style = raw.style
        size = try read.quantity(raw.size, "size")
        self.openInterest = openInterest
        closePrice = try read.price(raw.close_price, "close_price")
    }

    struct Raw: Decodable {
        var id: String
        var symbol: String
        var name: String
        var status: String
        var tradable: Bool
        var expiration_date: String
        var root_symbol: String
        var underlying_symbol: String
        var type: String
        var style: String
        var strike_price: WireDecimal
        var size: String
        var open_interest: String?
        var close_price: String?
    }
}
