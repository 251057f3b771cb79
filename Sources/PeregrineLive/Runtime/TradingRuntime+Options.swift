import PeregrineAlpaca
import PeregrineCore
import PeregrineEngine
import PeregrineModels

extension TradingRuntime {
    /// This deployment's option orders (client order ids in `ours`) still working at the broker: its
    /// mleg orders, and its single orders on an OCC symbol, in whole contracts. Stamped `now` when the
    /// broker gives no submission time.
    static func workingOptionOrders(broker: AlpacaTradingClient, ours: Set<String>, now: Timestamp) async throws -> [BrokerOptions.WorkingOrder] {
        func contracts(_ quantity: Quantity) -> Int? {
            guard quantity.units > 0, quantity.units % Quantity.scale == 0, quantity.units / Quantity.scale <= 10_000 else { return nil }
            return Int(quantity.units / Quantity.scale)
        }
        var orders: [BrokerOptions.WorkingOrder] = []
        for order in try await broker.openMultiLegOrders() where ours.contains(order.clientOrderID) && order.status.isWorking {
            guard let quantity = contracts(order.quantity) else { continue }
            let legs = order.legs.compactMap { leg in
                contracts(leg.ratio).map { OptionOrder.Leg(contract: leg.contract, ratio: $0, side: leg.side, intent: leg.positionIntent) }
            }
            guard legs.count == order.legs.count else { continue }
            orders.append(BrokerOptions.WorkingOrder(clientOrderID: order.clientOrderID, brokerID: order.id, quantity: quantity, legs: legs,
                                                     submittedAt: order.submittedAt ?? now))
        }
        for order in try await broker.openOrders() where ours.contains(order.clientOrderID) && order.status.isWorking {
            guard let contract = try? OCCSymbol(order.symbol), let quantity = contracts(order.quantity) else { continue }
            orders.append(BrokerOptions.WorkingOrder(clientOrderID: order.clientOrderID, brokerID: order.id, quantity: quantity,
                                                     legs: [OptionOrder.Leg(contract: contract, ratio: 1, side: order.side)],
                                                     submittedAt: order.submittedAt ?? now))
        }
        return orders
    }
}
