import PeregrineModels
import PeregrineResearch
import PeregrineStorage

/// A sweep's combination to and from the row a shard stores, every figure to the bit.
extension StrategySweep.Result {
    func shardRow(position: Int, shard: Int) -> SweepShardRow {
        SweepShardRow(position: position, shard: shard, parameters: values, trades: roundTrips, openTrades: openTrades, fills: fills,
                      finalEquity: finalEquity, totalReturn: totalReturn, sharpe: sharpe, sortino: sortino, maxDrawdown: maxDrawdown,
                      calmar: calmar, profitFactor: profitFactor, blockMoments: ReturnMoments.exactText(of: blockMoments),
                      failure: failure)
    }

    init(_ row: SweepShardRow, sweep: String) throws {
        guard let moments = ReturnMoments.blocks(exactText: row.blockMoments) else {
            throw CLIFailure("sweep \(sweep), combination \(row.position): its block moments do not read back")
        }
        self.init(values: row.parameters)
        roundTrips = row.trades
        openTrades = row.openTrades
        fills = row.fills
        finalEquity = row.finalEquity
        totalReturn = row.totalReturn
        sharpe = row.sharpe
        sortino = row.sortino
        maxDrawdown = row.maxDrawdown
        calmar = row.calmar
        profitFactor = row.profitFactor
        blockMoments = moments
        failure = row.failure
    }
}
