import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels
import PeregrineStorage
import PeregrineStrategies

struct AdaptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapt",
        abstract: "Recommend signaling-game's min_prob_up from the closed trades kept in a store.",
        discussion: """
            Cuts the stored fills (of one run, or of every trading run) into flat-to-flat trades, gives each the \
            probability its entry decision assigned to the side traded, and for each threshold from 0.50 to 0.80 \
            prints the trades at or above it, their win rate and the posterior probability (Beta, uniform \
            prior) that their win rate beats break-even (the realized average loss over average win plus \
            average loss; the brackets' stop over take-profit plus stop before five wins and five losses). \
            The recommendation has the largest expected edge among confident thresholds and moves at most \
            --max-step from --current. `[trade] adapt_thresholds = true` applies the same rule at each start \
            of `peregrine trade`.

            Examples:
              peregrine adapt --store peregrine-trading.sqlite --current 0.55
              peregrine backtest --data prices.csv --strategy signaling-game --store runs.sqlite && peregrine adapt --store runs.sqlite --run 1
            """
    )

    @Option(help: ArgumentHelp("The SQLite store with the trades.", valueName: "file"))
    var store: String

    @Option(name: .customLong("run"), help: ArgumentHelp("One run's trades (see `peregrine db runs`); default: every paper, live and sim run.",
                                                     valueName: "id"))
    var runID: Int64?

    @Option(help: "The threshold in use now.")
    var current: Double = 0.55

    @Option(help: "Largest move from --current.")
    var maxStep: Double = 0.05

    @Option(help: "Posterior probability of an edge a threshold needs.")
    var confidence: Double = 0.9

    @Option(help: "Fewest trades a threshold needs to count.")
    var minTrades: Int = 20

    @Option(help: "The brackets' take-profit (for the break-even before enough trades).")
    var takeProfit: Double = 0.04

    @Option(help: "The brackets' stop-loss.")
    var stopLoss: Double = 0.02

    func run() throws {
        // A batch of backtests: freed arrays stay for the next run (see ProcessMemory).
        ProcessMemory.keepFreedBlocksForReuse()
        guard (0...1).contains(current), maxStep > 0, confidence > 0 && confidence < 1, minTrades > 0, takeProfit > 0, stopLoss > 0 else {
            throw ValidationError("--current in [0, 1], --max-step > 0, --confidence in (0, 1), --min-trades > 0, positive brackets")
        }
        guard StoreLocation.isURL(store) || FileManager.default.fileExists(atPath: store) else { throw CLIFailure("--store \(StoreLocation.redacted(store)): no such file") }
        let database: TradingStore
        do { database = try TradingStore(path: store) } catch { throw CLIFailure.store("--store", store, error) }
        let fills = try database.fills(runID: runID, tradingOnly: runID == nil).map {
            SignalThresholdAdaptation.Execution(clientOrderID: $0.clientOrderID, symbol: $0.symbol, side: $0.side, quantity: $0.quantity,
                                                price: $0.price, commission: $0.commission)
        }
        guard !fills.isEmpty else { throw CLIFailure("no fills in \(StoreLocation.redacted(store))" + (runID.map { " for run \($0)" } ?? " from trading runs (use --run for a backtest)")) }
        var calibration = ThresholdCalibration()
        calibration.maxStep = maxStep
        calibration.confidence = confidence
        calibration.minTrades = minTrades
        let decisions = try database.orderDecisions(runID: runID, tradingOnly: runID == nil)
        let outcome = SignalThresholdAdaptation.recommend(fills: fills, decisions: decisions, current: current, takeProfit: takeProfit,
                                                          stopLoss: stopLoss, calibration: calibration)
        let closed = SignalThresholdAdaptation.closedTrades(fills)
        print("\(closed.count) closed trades; break-even win rate \(Table.number(outcome.breakEven))")
        print("threshold  trades  win rate  P(edge)")
        for c in outcome.candidates where c.trades > 0 {
            print(Table.number(c.threshold).padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(c.trades).padding(toLength: 8, withPad: " ", startingAt: 0)
                + Table.percent(Double(c.wins) / Double(c.trades)).padding(toLength: 10, withPad: " ", startingAt: 0)
                + Table.number(c.edgeProbability))
        }
        print("")
        print("min_prob_up \(Table.number(current)) -> \(Table.number(outcome.threshold)): \(outcome.reason)")
    }
}
