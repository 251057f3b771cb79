import Foundation
import PeregrineCore

/// One message of the `trade_updates` stream: an order event, and for fills the execution's price and
/// quantity. This is the broker's word on what happened; the store records it before the strategy hears.
public struct AlpacaTradeUpdate: Equatable, Sendable {
    public enum Event: String, Sendable {
        case new, fill, canceled, expired, replaced, rejected, suspended, calculated
        case partialFill = "partial_fill"
        case doneForDay = "done_for_day"
        case pendingNew = "pending_new"
        case pendingCancel = "pending_cancel"
        case pendingReplace = "pending_replace"
        case orderReplaceRejected = "order_replace_rejected"
        case orderCancelRejected = "order_cancel_rejected"
        case stopped, held, accepted
    }

    public var event: Event
    public var executionID: String?
    public var price: Price?
    public var quantity: Quantity?
    public var positionQuantity: Quantity?
    public var timestamp: Timestamp?
    public var order: AlpacaOrder

    /// Decodes a whole stream message (`{"stream":"trade_updates","data":{...}}`).
    public static func decodeMessage(_ data: Data) throws -> AlpacaTradeUpdate {
        let message = try JSONDecoder().decode(Message.self, from: data)
        guard message.stream == "trade_updates" else {
            throw AlpacaWireError(document: "stream message", field: "stream", problem: "expected trade_updates, got \(message.stream)")
        }
        let raw = message.data
        let read = AlpacaFieldReader(document: "trade update \(raw.event)")
        return AlpacaTradeUpdate(
            event: try read.choice(raw.event, "event", as: Event.self), executionID: raw.execution_id,
            price: try read.price(raw.price, "price"),
            quantity: try raw.qty.map { text throws(AlpacaWireError) in try read.quantity(text, "qty") },
            positionQuantity: try raw.position_qty.map { text throws(AlpacaWireError) in try read.quantity(text, "position_qty") },
            timestamp: try read.time(raw.timestamp, "timestamp"), order: try AlpacaOrder(raw: raw.order))
    }

    struct Message: Decodable {
        var stream: String
        var data: Raw
    }

    struct Raw: Decodable {
        var event: String
        var execution_id: String?
        var price: String?
        var qty: String?
        var position_qty: String?
        var timestamp: String?
        var order: AlpacaOrder.Raw
    }
}
