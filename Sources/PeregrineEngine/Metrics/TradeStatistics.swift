import PeregrineCore

/// Statistics of closed round trips: win rate, profit factor, expectancy, average win and loss.
public struct TradeStatistics: Hashable, Sendable, Codable {
    public var roundTrips: Int
    public var winners: Int
    public var losers: Int
    public var winRate: Double
    /// Gross profit over gross loss; infinite with no losers, NaN with no trades.
    public var profitFactor: Double
    /// Mean net P&L per round trip, in currency.
    public var expectancy: Double
    public var averageWin: Double
    public var averageLoss: Double
    public var averageBarsHeld: Double

    public init(_ trips: [RoundTrip]) {
        roundTrips = trips.count
        var grossProfit = Money.zero
        var grossLoss = Money.zero
        var total = Money.zero
        var wins = 0
        var losses = 0
        var bars = 0
        for trip in trips {
            let pnl = trip.netPnL
            total += pnl
            if pnl > .zero {
                wins += 1
                grossProfit += pnl
            } else if pnl < .zero {
                losses += 1
                grossLoss -= pnl
            }
            bars += trip.barsHeld ?? 0
        }
        winners = wins
        losers = losses
        let count = Double(trips.count)
        winRate = trips.isEmpty ? .nan : Double(wins) / count
        profitFactor = trips.isEmpty ? .nan : (grossLoss == .zero ? .infinity : grossProfit.doubleValue / grossLoss.doubleValue)
        expectancy = trips.isEmpty ? .nan : total.doubleValue / count
        averageWin = wins == 0 ? .nan : grossProfit.doubleValue / Double(wins)
        averageLoss = losses == 0 ? .nan : -grossLoss.doubleValue / Double(losses)
        averageBarsHeld = trips.isEmpty ? .nan : Double(bars) / count
    }
}
