import Foundation
import PeregrineCore

/// An order a person places by hand through the control plane: what and how much, at market or at a
/// limit (day orders). It goes through the bot's checks like any of its strategy's orders.
public struct OperatorOrder: Sendable, Equatable, Codable {
    public var symbol: String
    public var side: String
    /// Decimal text, as the broker takes it.
    public var quantity: String
    /// Nil for a market order.
    public var limitPrice: String?

    public init(symbol: String, side: OrderSide, quantity: Quantity, limitPrice: Price? = nil) {
        self.symbol = symbol
        self.side = side.rawValue
        self.quantity = quantity.description
        self.limitPrice = limitPrice?.description
    }

    /// Checks a request's fields; the error says which one is wrong and why.
    public static func parse(symbol: String, side: String, quantity: String, limitPrice: String?) throws(OperatorOrderError) -> OperatorOrder {
        guard let orderSide = OrderSide(rawValue: side.lowercased()) else {
            throw OperatorOrderError("side must be buy or sell, not '\(side.prefix(20))'")
        }
        guard let amount = Quantity(quantity), amount > .zero else {
            throw OperatorOrderError("quantity must be a positive decimal number, not '\(quantity.prefix(30))'")
        }
        var price: Price?
        if let limitPrice {
            guard let parsed = Price(limitPrice), parsed > .zero else {
                throw OperatorOrderError("limit_price must be a positive decimal number, not '\(limitPrice.prefix(30))'")
            }
            price = parsed
        }
        let trimmed = symbol.trimmingCharacters(in: .whitespaces).uppercased()
        guard (1...24).contains(trimmed.count), trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "/" }) else {
            throw OperatorOrderError("symbol '\(symbol.prefix(30))' is not a ticker")
        }
        return OperatorOrder(symbol: trimmed, side: orderSide, quantity: amount, limitPrice: price)
    }

    /// The order for instrument `instrument`, as the kernel takes it.
    func request(for instrument: InstrumentID) -> OrderRequest? {
        guard let side = OrderSide(rawValue: side), let amount = Quantity(quantity) else { return nil }
        if let limitPrice, let price = Price(limitPrice) { return .limit(instrument, side, amount, price) }
        return .market(instrument, side, amount)
    }

    /// How the audit trail and the logs name it: `buy 10 SPY at market`, `sell 5 QQQ limit 410.5`.
    public var summary: String {
        "\(side) \(quantity) \(symbol) " + (limitPrice.map { "limit \($0)" } ?? "at market")
    }
}

/// Why an order by hand was refused before it reached a bot.
public struct OperatorOrderError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
