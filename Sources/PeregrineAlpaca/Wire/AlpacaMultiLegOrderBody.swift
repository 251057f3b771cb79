import Foundation
import PeregrineCore
import PeregrineModels

/// The JSON body of `POST /v2/orders` for a multi-leg option order (`order_class` `mleg`): 2 to 4
/// legs on distinct contracts, each with its ratio to the order's quantity, side and position
/// intent, filled together at market or at a net limit price. Numbers go out as decimal strings,
/// as for single orders; there is no top-level symbol.
public struct AlpacaMultiLegOrderBody: Encodable, Equatable, Sendable {
    public enum PositionIntent: String, Sendable {
        case buyToOpen = "buy_to_open"
        case buyToClose = "buy_to_close"
        case sellToOpen = "sell_to_open"
        case sellToClose = "sell_to_close"
    }

    public struct Leg: Encodable, Equatable, Sendable {
        public var symbol: String
        public var ratioQty: String
        public var side: String
        public var positionIntent: String

        enum CodingKeys: String, CodingKey {
            case symbol, side
            case ratioQty = "ratio_qty"
            case positionIntent = "position_intent"
        }
    }

    public var qty: String
    public var type: String
    public var timeInForce: String
    public var orderClass = "mleg"
    public var limitPrice: String?
    public var clientOrderID: String
    public var legs: [Leg]

    enum CodingKeys: String, CodingKey {
        case qty, type, legs
        case timeInForce = "time_in_force"
        case orderClass = "order_class"
        case limitPrice = "limit_price"
        case clientOrderID = "client_order_id"
    }

    /// `legs` as (contract, ratio, side, intent); a limit order when `limitPrice` is given (Alpaca
    /// reads a net limit: positive to pay, negative to receive).
    public init(quantity: Int, legs: [(contract: OCCSymbol, ratio: Int, side: OrderSide, intent: PositionIntent)], limitPrice: Price? = nil,
                timeInForce: String = "day", clientOrderID: String) throws(AlpacaWireError) {
        let fail = { (field: String, problem: String) in AlpacaWireError(document: "mleg order \(clientOrderID)", field: field, problem: problem) }
        guard quantity >= 1 else { throw fail("qty", "\(quantity) must be a whole number of at least 1") }
        guard (2...4).contains(legs.count) else { throw fail("legs", "\(legs.count) legs: an mleg order takes 2 to 4") }
        guard Set(legs.map(\.contract)).count == legs.count else { throw fail("legs", "every leg must be a different contract") }
        if let bad = legs.first(where: { $0.ratio < 1 }) { throw fail("ratio_qty", "\(bad.ratio) for \(bad.contract) must be at least 1") }
        qty = String(quantity)
        type = limitPrice == nil ? "market" : "limit"
        self.timeInForce = timeInForce
        self.limitPrice = limitPrice?.description
        self.clientOrderID = clientOrderID
        self.legs = legs.map { Leg(symbol: $0.contract.description, ratioQty: String($0.ratio), side: $0.side.rawValue, positionIntent: $0.intent.rawValue) }
    }

    /// Opening a strategy's option legs: buys to open its long legs and sells to open its short ones,
    /// each leg's contract from the underlying's root and the expiration date of its expiry (in
    /// years) in `expirations`; ratios are the legs' whole quantities. Shares cannot ride in an mleg
    /// order and are refused.
    public static func opening(_ strategy: OptionStrategy, root: String, expirations: [Double: CivilDate], quantity: Int,
                               limitPrice: Price? = nil, clientOrderID: String) throws(AlpacaWireError) -> AlpacaMultiLegOrderBody {
        let fail = { (field: String, problem: String) in AlpacaWireError(document: "mleg order \(clientOrderID)", field: field, problem: problem) }
        var legs: [(contract: OCCSymbol, ratio: Int, side: OrderSide, intent: PositionIntent)] = []
        for leg in strategy.legs {
            guard case .option(let type, let strike, let expiry) = leg.instrument else {
                throw fail("legs", "\(leg.description): shares cannot be a leg of an mleg order; trade them as their own order")
            }
            guard let date = expirations[expiry] else { throw fail("legs", "no expiration date given for expiry \(expiry) years") }
            guard leg.quantity == leg.quantity.rounded(), abs(leg.quantity) >= 1, abs(leg.quantity) <= 1_000 else {
                throw fail("ratio_qty", "\(leg.description): a leg's quantity must be a whole number of contracts")
            }
            let contract: OCCSymbol
            do { contract = try OCCSymbol(root: root, expiration: date, type: type, strike: Price(approximating: strike)) } catch {
                throw fail("symbol", error.description)
            }
            legs.append((contract, Int(abs(leg.quantity)), leg.quantity > 0 ? .buy : .sell, leg.quantity > 0 ? .buyToOpen : .sellToOpen))
        }
        return try AlpacaMultiLegOrderBody(quantity: quantity, legs: legs, limitPrice: limitPrice, clientOrderID: clientOrderID)
    }

    /// Canonical bytes (sorted keys), as for single orders.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Plain strings and arrays of them cannot fail to encode.
        return try! encoder.encode(self)
    }
}
