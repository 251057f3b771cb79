import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// The JSON documents of the local exchange's options, shaped like Alpaca's: contracts, option
/// orders (single and mleg, whose top level has no symbol, side or asset), option positions
/// (quantity in contracts, prices per share) and the activities of option events.
enum OptionDocuments {
    /// A stable asset id for a contract (FNV-1a of its symbol), in UUID form.
    static func contractID(_ contract: OCCSymbol) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in contract.description.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        let digits = String(repeating: "0", count: 16 - hex.count) + hex
        let high = digits.prefix(8), low = digits.suffix(8)
        return "\(high)-0000-4000-8000-0000\(low)"
    }

    static func orderID(_ number: Int) -> String { ExchangeDocuments.uuid(5, number) }

    static func contract(_ contract: OCCSymbol, underlyingID: String, close: Price, on date: CivilDate) -> [String: Any] {
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][contract.expiration.month - 1]
        let name = "\(contract.root) \(month) \(contract.expiration.day) \(contract.expiration.year) \(contract.strike) \(contract.type == .call ? "Call" : "Put")"
        return ["id": contractID(contract), "symbol": contract.description, "name": name, "status": "active", "tradable": true,
                "expiration_date": contract.expiration.description, "root_symbol": contract.root, "underlying_symbol": contract.root,
                "underlying_asset_id": underlyingID, "type": contract.type.rawValue, "style": "american",
                "strike_price": contract.strike.description, "size": String(OptionBook.multiplier), "open_interest": "0",
                "open_interest_date": date.description, "close_price": close.description, "close_price_date": date.description]
    }

    static func order(_ order: OptionOrder) -> [String: Any] {
        let filled = order.status == .filled
        func times(_ fields: inout [String: Any?]) {
            let time = order.submittedAt.iso8601
            fields["created_at"] = time
            fields["submitted_at"] = time
            fields["updated_at"] = order.updatedAt.iso8601
            fields["filled_at"] = filled ? order.updatedAt.iso8601 : nil
            fields["canceled_at"] = order.status == .canceled ? order.updatedAt.iso8601 : nil
            fields["expired_at"] = order.status == .expired ? order.updatedAt.iso8601 : nil
        }
        let legs: [[String: Any]] = order.legs.enumerated().map { k, leg in
            var fields: [String: Any?] = [
                "id": ExchangeDocuments.uuid(6, order.number * 10 + k), "client_order_id": "\(order.clientOrderID)-\(k + 1)",
                "asset_id": contractID(leg.contract), "symbol": leg.contract.description, "asset_class": "us_option",
                "qty": String(order.quantity * leg.ratio), "filled_qty": String(filled ? order.quantity * leg.ratio : 0),
                "filled_avg_price": leg.fillPrice?.description, "order_class": "mleg", "type": order.type.rawValue,
                "order_type": order.type.rawValue, "side": leg.side.rawValue, "position_intent": leg.intent,
                "ratio_qty": String(leg.ratio), "time_in_force": order.timeInForce.rawValue, "status": order.status.rawValue,
                "extended_hours": false, "legs": nil, "limit_price": nil, "stop_price": nil,
            ]
            times(&fields)
            return fields.mapValues { $0 ?? NSNull() }
        }
        let single = order.legs[0]
        var fields: [String: Any?] = [
            "id": orderID(order.number), "client_order_id": order.clientOrderID,
            "asset_id": order.isMultiLeg ? "" : contractID(single.contract), "symbol": order.isMultiLeg ? "" : single.contract.description,
            "asset_class": order.isMultiLeg ? "" : "us_option", "notional": nil, "qty": String(order.quantity),
            "filled_qty": String(filled ? order.quantity : 0), "filled_avg_price": order.fillPrice?.description,
            "order_class": order.isMultiLeg ? "mleg" : "simple", "order_type": order.type.rawValue, "type": order.type.rawValue,
            "side": order.isMultiLeg ? "" : single.side.rawValue, "position_intent": order.isMultiLeg ? nil : single.intent,
            "time_in_force": order.timeInForce.rawValue, "limit_price": order.limitPrice?.description, "stop_price": nil,
            "status": order.status.rawValue, "extended_hours": false, "legs": order.isMultiLeg ? legs : nil,
            "replaced_at": nil, "replaced_by": nil, "replaces": nil, "failed_at": nil, "trail_percent": nil, "trail_price": nil, "hwm": nil,
        ]
        times(&fields)
        return fields.mapValues { $0 ?? NSNull() }
    }

    /// A position in `contract` (quantity in shares inside `position`) shown in contracts.
    static func position(_ contract: OCCSymbol, position: Position, mark: Price) -> [String: Any] {
        var fields = ExchangeDocuments.position(symbol: contract.description, instrument: InstrumentID(0), assetClass: "us_option",
                                                position: position, mark: mark, previousClose: mark)
        let contracts = String(OptionBook.contracts(position))
        fields["asset_id"] = contractID(contract)
        fields["qty"] = contracts
        fields["qty_available"] = contracts
        fields["asset_marginable"] = false
        return fields
    }

    static func activity(_ activity: OptionActivity, accountID: String) -> [String: Any] {
        let date = activity.date
        let stamp = String(date.year * 10_000 + date.month * 100 + date.day) + "000000000"
        var fields: [String: Any] = [
            "id": "\(stamp)::\(ExchangeDocuments.uuid(7, activity.number))", "account_id": accountID,
            "activity_type": activity.kind.rawValue, "date": date.description, "net_amount": activity.netAmount.description,
            "description": activity.kind.description, "symbol": activity.symbol, "qty": activity.quantity.description, "status": "executed",
        ]
        if let price = activity.price { fields["price"] = price.description }
        return fields
    }
}
