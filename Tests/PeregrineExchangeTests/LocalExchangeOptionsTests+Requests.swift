import Foundation
import PeregrineAlpaca
import PeregrineExchange

/// Raw requests to the exchange for the option suites: the body and answer as JSON, the status and
/// Alpaca's error code, so a test reads exactly what a client would.
extension LocalExchangeOptionsTests {
    struct Answer {
        var status: Int
        var json: [String: Any]
        var code: Int { json["code"] as? Int ?? 0 }
        var message: String { json["message"] as? String ?? "" }
        var id: String { json["id"] as? String ?? "" }
        var orderStatus: String { json["status"] as? String ?? "" }
    }

    func request(_ exchange: LocalExchange, _ method: HTTPRequestSpec.Method, _ path: String, body: [String: Any]? = nil) async -> Answer {
        let data = body.flatMap { try? JSONSerialization.data(withJSONObject: $0) }
        let response = await exchange.handle(HTTPRequestSpec(method: method, url: "http://x" + path, headers: headers, body: data))
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        return Answer(status: response.status, json: json)
    }

    /// A single-contract order body.
    static func single(_ symbol: String, _ side: String, qty: Int = 1, limit: String? = nil, tif: String = "day") -> [String: Any] {
        var body: [String: Any] = ["symbol": symbol, "qty": String(qty), "side": side, "type": limit == nil ? "market" : "limit", "time_in_force": tif]
        if let limit { body["limit_price"] = limit }
        return body
    }

    /// An mleg order body: legs as (symbol, ratio, side).
    static func multiLeg(_ legs: [(String, Int, String)], qty: Int = 1, limit: String? = nil, tif: String = "day") -> [String: Any] {
        var body: [String: Any] = ["order_class": "mleg", "qty": String(qty), "type": limit == nil ? "market" : "limit", "time_in_force": tif,
                                   "legs": legs.map { ["symbol": $0.0, "ratio_qty": String($0.1), "side": $0.2] }]
        if let limit { body["limit_price"] = limit }
        return body
    }

    /// The `trade_updates` messages' data (event and order) in order.
    func updates(_ exchange: LocalExchange) async -> [[String: Any]] {
        await exchange.tradeUpdates.compactMap { message in
            ((try? JSONSerialization.jsonObject(with: message)) as? [String: Any])?["data"] as? [String: Any]
        }
    }
}
