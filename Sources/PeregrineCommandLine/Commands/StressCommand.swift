import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies

struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Run a strategy through the history's worst declines, scaled volatility, gaps and a liquidity drought.",
        discussion: """
            The same strategy, parameters and run options as a backtest, in each scenario: the baseline; \
            the --declines deepest peak-to-trough declines of the closes (warmed up on --warm-up bars before, \
            trading only inside); the whole history with log returns scaled by --vol; with gaps of --gap \
            every --gap-every bars (up or down by a seeded coin, kept); and a drought with volume times \
            --volume, --slippage-bps of slippage and each order capped to 10% of a bar's volume. Prints \
            return, drawdown, trades and refusals per scenario against the market's return; --out writes \
            stress.csv and summary.json.

            Any registered strategy runs (built-in, rules or your own) with the run options of backtest \
            (cash, costs, fills, risk limits, exits, sizing, schedule); the baseline is the backtest of \
            the same options. Here --warm-up is the bars before each decline (default 100), not a warm-up \
            of the whole history, and the drought's slippage (--slippage-bps) replaces --slippage there.

            A folder (or repeated --data) runs as one portfolio: the declines are then those of an \
            equal-weight index of the instruments (each at its close over its first close, carried over \
            missing bars) on their merged time steps, each instrument trading its own bars inside a \
            decline's dates; volatility, gaps (seeded per instrument) and volume change instrument by \
            instrument, and the market return is the index's.

            Examples:
              peregrine stress --data ../shared/data/orcl_daily.csv --strategy sma-cross --param fast=10 --param slow=30
              peregrine stress --data prices.csv --strategy rsi-bollinger --risk default --vol 3 --gap 0.1 --out stress
              peregrine stress --data prices/ --strategy sma-cross --param percent=0.2 --declines 2
              peregrine stress --data prices.csv --rule "entry=crosses_above(sma(close, 10), sma(close, 50))" --rule "exit=close < sma(close, 20)" --exits examples/peregrine.toml
            """
    )

    @OptionGroup var dataOptions: DataOptions

    /// The strategy and how every scenario runs; its `--warm-up` is the bars before each decline.
    @OptionGroup var runOptions: RunOptions

    @Option(help: "How many of the deepest declines to replay.")
    var declines: Int = 3

    @Option(help: "Volatility factor (log returns scaled by it).")
    var vol: Double = 2

    @Option(help: "Gap size as a fraction (0.05 is 5%).")
    var gap: Double = 0.05

    @Option(help: "Bars between gaps.")
    var gapEvery: Int = 250

    @Option(help: "Volume factor in the drought (0.1 leaves a tenth).")
    var volume: Double = 0.1

    @Option(help: "Slippage in the drought, in basis points.")
    var slippageBps: String = "25"

    @Option(help: "Seed of the gap placement and direction.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Folder for stress.csv and summary.json.", valueName: "dir"))
    var out: String?

    func run() throws {
        // A batch of backtests: freed arrays stay for the next run (see ProcessMemory).
        ProcessMemory.keepFreedBlocksForReuse()
        guard vol > 0, vol.isFinite else { throw ValidationError("--vol must be positive") }
        guard gap > 0 && gap < 1 else { throw ValidationError("--gap must be between 0 and 1 (exclusive)") }
        let warmUp = runOptions.warmUp ?? 100
        guard gapEvery > 1, declines >= 0, warmUp >= 0 else { throw ValidationError("--gap-every > 1, --declines and --warm-up ≥ 0") }
        guard volume > 0 && volume <= 1 else { throw ValidationError("--volume must be in (0, 1]") }
        let strategy = runOptions.strategyName
        let strategyParameters = try runOptions.strategyParameters()
        let sources = try dataOptions.load()
        let series = sources.map(\.series).filter { !$0.isEmpty }
        guard !series.isEmpty else { throw ValidationError("stress needs bars to run on") }
        // The warm-up is the declines' own, so the whole-history scenarios trade from the first bar.
        var wholeHistory = runOptions
        wholeHistory.warmUp = nil
        var configuration = try wholeHistory.configuration(series: series)
        configuration.recordDecisions = false
        configuration.corporateActions = try dataOptions.corporateActionsForBooks(symbols: series.map(\.instrument.symbol))
        var test = StressTest(strategy: strategy, parameters: strategyParameters, configuration: configuration)
        test.declines = declines
        test.warmUpBars = warmUp
        test.volatilityFactor = vol
        test.gapSize = gap
        test.gapEvery = gapEvery
        test.volumeFactor = volume
        test.droughtSlippage = slippageBps
        test.seed = seed
        let outcomes: [StressTest.Outcome]
        do { outcomes = try test.run(series) } catch { throw ValidationError(error.message) }

        func pct(_ x: Double) -> String { Table.percent(x) }
        print("scenario             bars     market     strategy   drawdown   trades  refused  detail")
        for o in outcomes {
            print(o.name.padding(toLength: 21, withPad: " ", startingAt: 0)
                + String(o.bars).padding(toLength: 9, withPad: " ", startingAt: 0)
                + pct(o.marketReturn).padding(toLength: 11, withPad: " ", startingAt: 0)
                + pct(o.totalReturn).padding(toLength: 11, withPad: " ", startingAt: 0)
                + pct(o.maxDrawdown).padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(o.roundTrips).padding(toLength: 8, withPad: " ", startingAt: 0)
                + String(o.rejections).padding(toLength: 9, withPad: " ", startingAt: 0) + o.detail)
        }
        guard let out else { return }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let csv = try TextFileWriter(path: out + "/stress.csv")
            try csv.writeLine("scenario,bars,market_return,total_return,max_drawdown,round_trips,fills,rejections,final_equity,detail")
            for o in outcomes {
                try csv.writeLine([o.name, String(o.bars), "\(o.marketReturn)", "\(o.totalReturn)", "\(o.maxDrawdown)",
                                   String(o.roundTrips), String(o.fills), String(o.rejections), o.finalEquity.formatted(places: 4),
                                   "\"\(o.detail)\""].joined(separator: ","))
            }
            try csv.close()
            var summary = JSONObject()
            summary.set("strategy", strategy)
            summary.set("scenarios", outcomes.count)
            if let worst = outcomes.min(by: { $0.totalReturn < $1.totalReturn }) {
                summary.set("worst_scenario", worst.name)
                summary.set("worst_return", worst.totalReturn)
            }
            summary.set("worst_drawdown", outcomes.map(\.maxDrawdown).min() ?? 0)
            try TextFileWriter.write(summary.render() + "\n", to: out + "/summary.json")
        } catch { throw CLIFailure("\(error)") }
        print("wrote \(out)/stress.csv, summary.json")
    }
}
