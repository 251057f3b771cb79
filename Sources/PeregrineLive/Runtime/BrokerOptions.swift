import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// What the broker holds of a bot's options when it starts (a restart): positions in contracts on its
/// symbols, and the option orders of earlier runs of this deployment still working. The session takes
/// both into the strategy's option book before the warm-up, as stock holdings and working orders are
/// taken into the account and the order book.
struct BrokerOptions {
    struct Holding {
        var contract: OCCSymbol
        /// Signed: short positions are negative.
        var contracts: Int
        var averagePrice: Price
    }

    struct WorkingOrder {
        var clientOrderID: String
        var brokerID: String
        var quantity: Int
        var legs: [OptionOrder.Leg]
        var submittedAt: Timestamp
    }

    var holdings: [Holding] = []
    var orders: [WorkingOrder] = []
}
