import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels

struct ModelsSignalingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signaling",
        abstract: "Run the signal engine's market-type game over a bar file and write its metadata per bar.",
        discussion: """
            Each bar the signal engine gives a signal (buy, sell or hold) with its confidence and probability of \
            profit; the CSV holds, per bar once the engine has warmed up, the regime probabilities (bear, \
            sideways, bull), the market-type posterior (trend, range, manipulator, exhausted), the game's \
            equilibrium payoff x and deviation payoff m by type, the surviving types, the posterior over the \
            survivors, the minimax multiplier and the expected edge (empty for a hold that never reached the \
            game), the Bayesian RSI reversal probability, the Bollinger z, the signal's kind against the recent move \
            (follow, fade, hold), its price target, and the reason. The signaling-game strategy trades on these signals.

            --game estimated estimates the market types from the file's own past as the engine goes: type profiles, persistence, \
            damping and frictions from bars labelled once their horizon has passed; until 250 bars are labelled \
            the fixed form plays (the game_form column says which form gave each row). --game fixed is the earlier form with \
            hand-set profiles and payoffs, and the default. --profiles FILE.json writes the last estimated profiles.

            Example:
              peregrine models signaling --data ../shared/data/orcl_daily.csv --out orcl_game.csv --game estimated --profiles orcl_types.json
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Forecast horizon in bars.")
    var horizon: Int = 5

    @Option(help: ArgumentHelp("Write the per-bar metadata here.", valueName: "file.csv"))
    var out: String

    @Option(help: "The game's form: estimated or fixed.")
    var game: String = SignalEngine.Settings().game.rawValue

    @Option(help: "Per-step discount of the estimated game's equilibrium payoff x(t), in (0, 1].")
    var discount: Double = 0.95

    @Option(help: ArgumentHelp("Write the last estimated type profiles here (estimated form).", valueName: "file.json"))
    var profiles: String?

    static let types = MarketType.allCases.map(\.description)

    /// The CSV's header: one column per figure, one per type for the by-type figures.
    static var header: [String] {
        ["timestamp", "close", "direction", "confidence", "probability_of_profit", "probability_up", "regime_bear", "regime_sideways",
         "regime_bull"] + types.map { "posterior_" + $0 } + types.map { "x_" + $0 } + types.map { "m_" + $0 }
            + ["survivors"] + types.map { "survivor_posterior_" + $0 }
            + ["minimax_multiplier", "expected_edge", "reversal_probability", "bollinger_z", "signal_kind", "price_target", "game_form", "reason"]
    }

    /// One bar's row.
    static func row(_ bar: Bar, _ signal: TradeSignal) -> [String] {
        func numbers(_ values: [Double]?, count: Int) -> [String] {
            guard let values, values.count == count else { return Array(repeating: "", count: count) }
            return values.map { "\($0)" }
        }
        let game = signal.game
        return [bar.timestamp.compactDescription, bar.close.description, signal.direction.rawValue, "\(signal.confidence)",
                "\(signal.probabilityOfProfit)", "\(signal.probabilityUp)"]
            + numbers(signal.regimeProbabilities, count: 3) + numbers(signal.typePosterior, count: types.count)
            + numbers(game?.equilibriumPayoffs, count: types.count) + numbers(game?.deviationPayoffs, count: types.count)
            + [game.map { $0.survivors.map(\.description).joined(separator: "|") } ?? ""]
            + numbers(game?.updatedPosterior, count: types.count)
            + [game.map { "\($0.minimaxMultiplier)" } ?? "", game.map { "\($0.expectedEdge)" } ?? "", "\(signal.reversalProbability)",
               "\(signal.bollingerZ)", signal.kind.description, "\(signal.priceTarget)", signal.form.rawValue,
               CSVField.escape(signal.reason)]
    }

    func run() throws {
        guard horizon >= 1 && horizon <= 250 else { throw ValidationError("--horizon must be from 1 to 250 bars") }
        let sources = try dataOptions.load()
        guard sources.count == 1 else { throw ValidationError("signaling takes one data file, got \(sources.count)") }
        guard let form = SignalEngine.GameForm(rawValue: game) else {
            throw ValidationError("--game must be one of \(SignalEngine.GameForm.allCases.map(\.rawValue).joined(separator: ", ")), got \(game)")
        }
        guard discount > 0 && discount <= 1 else { throw ValidationError("--discount must be in (0, 1], got \(discount)") }
        guard profiles == nil || form == .estimated else { throw ValidationError("--profiles needs --game estimated") }
        var settings = SignalEngine.Settings()
        settings.horizon = horizon
        settings.game = form
        settings.discount = discount
        var engine = SignalEngine(settings: settings)
        var counts: [String: Int] = [:]
        do {
            let file = try TextFileWriter(path: out)
            try file.writeLine(Self.header.joined(separator: ","))
            let series = sources[0].series
            for index in 0..<series.count {
                let bar = series[index]
                guard let signal = engine.update(bar) else { continue }
                counts[signal.direction.rawValue, default: 0] += 1
                try file.writeLine(Self.row(bar, signal).joined(separator: ","))
            }
            try file.close()
        } catch { throw CLIFailure("\(out): \(error)") }
        if let profiles {
            guard let estimated = engine.estimatedProfiles else {
                throw CLIFailure("\(profiles): no profiles were estimated (too few bars: \(settings.estimationMinimum) labelled bars are needed)")
            }
            do { try TextFileWriter.write(try EstimatedProfilesJSON.text(estimated), to: profiles) } catch { throw CLIFailure("\(profiles): \(error)") }
            print("wrote \(profiles)")
        }
        let total = counts.values.reduce(0, +)
        print("\(sources[0].series.count) bars, \(total) signals after warm-up: " + ["buy", "sell", "hold"].map { "\(counts[$0] ?? 0) \($0)" }
            .joined(separator: ", "))
        print("wrote \(out)")
    }
}
