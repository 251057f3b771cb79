import Foundation
import PeregrineCore
import PeregrineStorage

/// An order of the store: what was intended, how far it got, what the broker last said.
public struct OrderView: Codable, Sendable, Equatable {
    public var id: Int64
    public var runId: Int64
    public var clientOrderId: String
    public var brokerOrderId: String?
    public var symbol: String
    public var side: String
    public var quantity: String
    public var type: String
    public var state: String
    public var status: String?
    public var updated: String
    /// A stop or stop-limit order's trigger, and a limit order's price, as sent to the broker.
    public var stopPrice: String?
    public var limitPrice: String?

    public init(rowID: Int64, updated: Timestamp, intent: OrderIntent) {
        id = rowID
        runId = intent.runID
        clientOrderId = intent.clientOrderID
        brokerOrderId = intent.brokerOrderID
        symbol = intent.symbol
        side = intent.side.rawValue
        quantity = intent.quantity.description
        type = intent.type.rawValue
        state = intent.state.rawValue
        status = intent.status
        self.updated = updated.iso8601
        // The prices as sent: the order's body is the broker's JSON.
        if let sent = try? JSONSerialization.jsonObject(with: Data(intent.body.utf8)) as? [String: Any] {
            stopPrice = Self.decimal(sent["stop_price"])
            limitPrice = Self.decimal(sent["limit_price"])
        }
    }

    /// A price from the body, kept only when it is a plain decimal.
    static func decimal(_ value: Any?) -> String? {
        guard let text = value as? String, Price(text) != nil else { return nil }
        return text
    }
}
