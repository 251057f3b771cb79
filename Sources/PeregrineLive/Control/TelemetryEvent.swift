import Foundation
import PeregrineCore

/// What a running bot tells its watchers as it happens, one JSON message each:
/// `{"type": ..., "bot": ..., "time": ..., "data": {...}}`. Money, prices and quantities are exact
/// decimal text, as in the REST API.
public enum TelemetryEvent: Sendable, Equatable {
    case bar(bot: String, symbol: String, bar: Bar)
    case decision(bot: String, time: Timestamp, symbol: String, action: String?, outcome: String, reason: String, detail: String)
    case order(bot: String, time: Timestamp, clientOrderID: String, symbol: String, side: OrderSide, quantity: Quantity, status: String)
    case fill(bot: String, time: Timestamp, clientOrderID: String, symbol: String, side: OrderSide, quantity: Quantity, price: Price)
    case equity(bot: String, time: Timestamp, equity: Money, cash: Money, positions: Int, exposure: Money)
    /// One turn of the bot's loop: how long it took, how many new bars it handled, and how far behind
    /// it had fallen (the most bars of one symbol waiting at the turn's start, less the one a turn
    /// expects: 0 for a bot that keeps up).
    case turn(bot: String, seconds: Double, bars: Int, behind: Int)
    case botState(bot: String, state: String, error: String?)
    case risk(bot: String, time: Timestamp, halted: Bool, detail: String)
    case connection(name: String, state: String)
    /// A proposed action (from the MCP server) waiting for a person, or decided.
    case proposal(id: String, action: String, target: String, state: String)

    public var type: String {
        switch self {
        case .bar: "bar"
        case .decision: "decision"
        case .order: "order"
        case .fill: "fill"
        case .equity: "equity"
        case .turn: "turn"
        case .botState: "bot_state"
        case .risk: "risk"
        case .connection: "connection"
        case .proposal: "proposal"
        }
    }

    /// The message as sent: keys sorted, so equal events are equal bytes.
    public var json: String {
        var data: [String: Any] = [:]
        var bot = "", time: Timestamp?
        switch self {
        case .bar(let name, let symbol, let value):
            (bot, time) = (name, value.timestamp)
            data = ["symbol": symbol, "open": value.open.description, "high": value.high.description, "low": value.low.description,
                    "close": value.close.description, "volume": value.volume.description]
        case .decision(let name, let at, let symbol, let action, let outcome, let reason, let detail):
            (bot, time) = (name, at)
            data = ["symbol": symbol, "outcome": outcome, "reason": reason, "detail": detail]
            if let action { data["action"] = action }
        case .order(let name, let at, let id, let symbol, let side, let quantity, let status):
            (bot, time) = (name, at)
            data = ["client_order_id": id, "symbol": symbol, "side": side.rawValue, "quantity": quantity.description, "status": status]
        case .fill(let name, let at, let id, let symbol, let side, let quantity, let price):
            (bot, time) = (name, at)
            data = ["client_order_id": id, "symbol": symbol, "side": side.rawValue, "quantity": quantity.description, "price": price.description]
        case .equity(let name, let at, let equity, let cash, let positions, let exposure):
            (bot, time) = (name, at)
            data = ["equity": equity.description, "cash": cash.description, "positions": positions, "gross_exposure": exposure.description]
        case .turn(let name, let seconds, let bars, let behind):
            bot = name
            data = ["seconds": seconds, "bars": bars, "behind": behind]
        case .botState(let name, let state, let error):
            bot = name
            data = ["state": state]
            if let error { data["error"] = error }
        case .risk(let name, let at, let halted, let detail):
            (bot, time) = (name, at)
            data = ["halted": halted, "detail": detail]
        case .connection(let name, let state):
            data = ["name": name, "state": state]
        case .proposal(let id, let action, let target, let state):
            data = ["id": id, "action": action, "target": target, "state": state]
        }
        var message: [String: Any] = ["type": type, "data": data]
        if !bot.isEmpty { message["bot"] = bot }
        if let time { message["time"] = time.iso8601 }
        let bytes = (try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }
}
