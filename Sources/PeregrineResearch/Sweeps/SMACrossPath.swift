import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels

extension SMACrossSweep {
    /// One combination's walk through the bars, resumable block by block, so that a group of
    /// combinations can share each block of the columns while it is in cache. Fills follow the
    /// kernel's rules: a cross on bar t's close fills at bar t + 1's open, buy only when flat, sell
    /// only when long, a buy refused when its cost at the signal close exceeds cash. The equity of a
    /// held stretch goes to the statistics as each block ends; a flat bar's return is exactly 0.
    struct Path {
        let combination: Combination
        /// The next bar to scan for a change of sign.
        private var nextBar: Int
        private var previousSign: Int8
        private var long = false
        private var cash: Money
        private var entryCost = Money.zero
        private var grossProfit = 0.0
        private var grossLoss = 0.0
        private var roundTrips = 0
        private var fills = 0
        /// While long: the first held bar not yet in the statistics, and the cash beside the position.
        private var heldFrom = 0
        private var heldCash = 0.0
        private var stats: EquityReturnAccumulator
        /// A sale's return that belongs to the bar a block of the walk ends on, added when the next block starts,
        /// so the moments taken at a block's end hold exactly the returns of the bars before it.
        private var pendingSaleEquity: Double?
        /// The running moments at the end of each significance block so far.
        private(set) var momentsAtBoundaries: [ReturnMoments] = []

        init<Scan: CrossSignScan>(_ combination: Combination, scan: Scan, bars: Int, initialCash: Money) {
            self.combination = combination
            // The first bar with both averages sets the sign.
            let first = max(combination.fast, combination.slow) - 1
            previousSign = first < bars ? scan.sign(at: first, fast: combination.fast, slow: combination.slow) : 0
            nextBar = first + 1
            cash = initialCash
            stats = EquityReturnAccumulator(start: initialCash.doubleValue)
        }

        /// Walks the bars before `blockEnd`; a signal on the last bar of the series cannot fill.
        mutating func advance<Scan: CrossSignScan>(to blockEnd: Int, scan: Scan, columns: Columns, sweep: SMACrossSweep) {
            if let equity = pendingSaleEquity {
                stats.add(equity)
                pendingSaleEquity = nil
            }
            let (fast, slow) = (combination.fast, combination.slow)
            let end = min(blockEnd, columns.count - 1)
            let perShare = sweep.quantity.doubleValue / Double(Price.scale)
            while nextBar < end {
                let (t, sign) = scan.nextChange(from: nextBar, to: end, previous: previousSign, fast: fast, slow: slow)
                if t >= end { break }
                nextBar = t + 1
                previousSign = sign
                let crossUp = sign > 0 && !long
                let crossDown = sign < 0 && long
                guard crossUp || crossDown else { continue }
                let prices = columns.signalPrices[t]
                if crossUp && cash < columns.largestCloseValue && prices.closeValue > cash { continue }
                fills += 1
                if crossUp {
                    entryCost = prices.buyCost
                    cash -= entryCost
                    heldFrom = t + 1
                    heldCash = cash.doubleValue
                } else {
                    stats.addHolding(cash: heldCash, quantity: perShare, closes: columns.closeValues, from: heldFrom, to: t + 1)
                    cash += prices.sellProceeds
                    if t + 1 < blockEnd { stats.add(cash.doubleValue) } else { pendingSaleEquity = cash.doubleValue }
                    let pnl = (prices.sellProceeds - entryCost).doubleValue
                    if pnl > 0 { grossProfit += pnl } else if pnl < 0 { grossLoss -= pnl }
                    roundTrips += 1
                }
                long = crossUp
            }
            nextBar = max(nextBar, end)  // the next block goes on from here
            let heldTo = min(blockEnd, columns.count)
            if long && heldFrom < heldTo {
                stats.addHolding(cash: heldCash, quantity: perShare, closes: columns.closeValues, from: heldFrom, to: heldTo)
                heldFrom = heldTo
            }
        }

        /// Notes the running moments at a significance block's end; the walk has reached `bar`.
        mutating func markBoundary(at bar: Int) {
            momentsAtBoundaries.append(stats.moments(periods: bar))
        }

        /// The moments of each significance block, from the running moments at their ends and at the last bar.
        func blockMoments(bars: Int) -> [ReturnMoments] {
            guard !momentsAtBoundaries.isEmpty else { return [] }
            let ends = momentsAtBoundaries + [stats.moments(periods: bars)]
            return ends.indices.map { $0 == 0 ? ends[0] : ends[$0] - ends[$0 - 1] }
        }

        /// The figures once every bar was walked.
        func result(columns: Columns, sweep: SMACrossSweep) -> Result {
            let n = columns.count
            let initial = sweep.initialCash.doubleValue
            let periodsPerYear = sweep.periodsPerYear
            let worst = stats.maxDrawdown
            let finalEquity = long ? cash + columns.signalPrices[n - 1].closeValue : cash
            let count = Double(n)
            let sums = stats.sums
            let mean = sums.returns / count
            let variance = max(0, (sums.squares - count * mean * mean) / (count - 1))
            let deviation = variance.squareRoot()
            let growth = stats.equity / initial
            let sharpe = deviation > 0 ? mean / deviation * periodsPerYear.squareRoot() : .nan
            let downsideRisk = (sums.downside / count).squareRoot() * periodsPerYear.squareRoot()
            let sortino = downsideRisk > 0 ? mean * periodsPerYear / downsideRisk : .nan
            let annual = growth > 0 ? pow(growth, periodsPerYear / count) - 1 : .nan
            return Result(
                combination: combination, roundTrips: roundTrips, openTrades: long ? 1 : 0, fills: fills, finalEquity: finalEquity,
                totalReturn: finalEquity.doubleValue / initial - 1, sharpe: sharpe, sortino: sortino,
                maxDrawdown: worst, calmar: worst < 0 ? annual / -worst : .nan,
                profitFactor: roundTrips == 0 ? .nan : (grossLoss == 0 ? .infinity : grossProfit / grossLoss),
                blockMoments: sweep.significanceBlocks > 0 ? blockMoments(bars: n) : [])
        }
    }
}
