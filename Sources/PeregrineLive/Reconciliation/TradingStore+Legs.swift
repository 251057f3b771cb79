import PeregrineAlpaca
import PeregrineCore
import PeregrineStorage

extension TradingStore {
    /// Stores the legs the broker created for a group order (bracket, OCO, OTO) as acknowledged
    /// orders of the same run, under the broker's client order ids, so their fills have an order to
    /// belong to and a restart knows them as this deployment's. Legs already stored are left alone.
    func recordLegs(of order: AlpacaOrder, parent: String, runID: Int64, at time: Timestamp) throws {
        for leg in order.legs where try intent(leg.clientOrderID) == nil {
            try recordIntent(OrderIntent(clientOrderID: leg.clientOrderID, runID: runID, symbol: leg.symbol, side: leg.side,
                                         quantity: leg.quantity, type: leg.type, body: "{\"leg_of\":\"\(parent)\"}"), at: time)
            try advance(leg.clientOrderID, to: .acknowledged, brokerOrderID: leg.id, status: leg.status.rawValue,
                        detail: "leg of \(parent)", at: time)
        }
    }
}
