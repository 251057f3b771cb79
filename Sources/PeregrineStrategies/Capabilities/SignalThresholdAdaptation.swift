import PeregrineCore
import PeregrineModels

/// Adapts the signaling-game strategy's `min_prob_up` to its own trade history (live, paper or a
/// stored backtest): the fills are cut into flat-to-flat trades per symbol, each trade takes the
/// probability the signal gave the traded side when its first order was placed (from that
/// decision's detail), and `ThresholdCalibration` picks the threshold. The break-even win rate is
/// the realized one, average loss over average win plus average loss, once there are five wins and
/// five losses; before that, the brackets' stop over take-profit plus stop.
public enum SignalThresholdAdaptation {
    public struct Execution: Sendable {
        public var clientOrderID: String
        public var symbol: String
        public var side: OrderSide
        public var quantity: Quantity
        public var price: Price
        public var commission: Money

        public init(clientOrderID: String, symbol: String, side: OrderSide, quantity: Quantity, price: Price, commission: Money = .zero) {
            self.clientOrderID = clientOrderID
            self.symbol = symbol
            self.side = side
            self.quantity = quantity
            self.price = price
            self.commission = commission
        }
    }

    /// A closed trade: the client order id that opened it, its side, and its net result.
    public struct ClosedTrade: Sendable, Equatable {
        public var openedBy: String
        public var side: OrderSide
        public var netPnL: Money

        public init(openedBy: String, side: OrderSide, netPnL: Money) {
            self.openedBy = openedBy
            self.side = side
            self.netPnL = netPnL
        }
    }

    /// Flat-to-flat trades from fills in time order; a fill that goes through flat closes one trade
    /// and opens the next with its remainder. Trades still open are left out.
    public static func closedTrades(_ fills: [Execution]) -> [ClosedTrade] {
        struct Open { var openedBy: String; var side: OrderSide; var position: Int128; var cash: Money }
        var open: [String: Open] = [:]
        var closed: [ClosedTrade] = []
        for fill in fills {
            var remaining = fill.quantity.units
            let sign: Int128 = fill.side == .buy ? 1 : -1
            // Commission goes with the fill's first part.
            var commission = fill.commission
            while remaining > 0 {
                var trade = open[fill.symbol] ?? Open(openedBy: fill.clientOrderID, side: fill.side, position: 0, cash: .zero)
                let closing = trade.position != 0 && (trade.position > 0) != (sign > 0)
                let part = closing ? min(remaining, abs(trade.position)) : remaining
                trade.position += sign * part
                let notional: Money = fill.price * Quantity(units: part)
                trade.cash = (sign > 0 ? trade.cash - notional : trade.cash + notional) - commission
                commission = .zero
                remaining -= part
                if trade.position == 0 {
                    closed.append(ClosedTrade(openedBy: trade.openedBy, side: trade.side, netPnL: trade.cash))
                    open[fill.symbol] = nil
                } else {
                    open[fill.symbol] = trade
                }
            }
        }
        return closed
    }

    /// The probability a signaling-game decision gave the side it traded, read from its detail
    /// (`p_up=...`): p_up for a buy, 1 − p_up for a sell.
    public static func probability(detail: String, side: OrderSide) -> Double? {
        guard let token = detail.split(separator: " ").first(where: { $0.hasPrefix("p_up=") }),
              let value = Double(token.dropFirst(5)), value.isFinite else { return nil }
        return side == .buy ? value : 1 - value
    }

    /// The recommended `min_prob_up` from the fills and the decisions that placed their orders.
    public static func recommend(fills: [Execution], decisions: [String: (side: OrderSide?, detail: String)], current: Double,
                                 takeProfit: Double = 0.04, stopLoss: Double = 0.02,
                                 calibration: ThresholdCalibration = ThresholdCalibration()) -> ThresholdCalibration.Outcome {
        let trades = closedTrades(fills)
        let scored = trades.compactMap { trade -> ThresholdCalibration.Trade? in
            guard let decision = decisions[trade.openedBy], let p = probability(detail: decision.detail, side: trade.side) else { return nil }
            return ThresholdCalibration.Trade(probability: p, won: trade.netPnL > .zero)
        }
        let wins = trades.filter { $0.netPnL > .zero }.map { $0.netPnL.doubleValue }
        let losses = trades.filter { $0.netPnL <= .zero }.map { -$0.netPnL.doubleValue }
        var breakEven = stopLoss / (takeProfit + stopLoss)
        if wins.count >= 5 && losses.count >= 5 {
            let averageWin = wins.reduce(0, +) / Double(wins.count), averageLoss = losses.reduce(0, +) / Double(losses.count)
            if averageWin + averageLoss > 0 { breakEven = min(0.99, max(0.01, averageLoss / (averageWin + averageLoss))) }
        }
        return calibration.recommend(trades: scored, breakEven: breakEven, current: current)
    }
}
