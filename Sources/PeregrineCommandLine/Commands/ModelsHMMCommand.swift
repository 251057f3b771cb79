import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels

struct ModelsHMMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hmm",
        abstract: "Fit a Gaussian hidden Markov model to daily log returns (in percent) and decode the regimes.",
        discussion: """
            States are ordered by mean (with 3 states: bear, sideways, bull). Baum-Welch runs from --restarts \
            seeded starts and keeps the best. The JSON holds log_likelihood, means, variances, \
            transition_matrix, initial, states (the Viterbi path) and filtered (the forward-filtered state \
            probabilities of the last bar, which use no later data).

            Example:
              peregrine models hmm --data ../shared/data/orcl_daily.csv --states 3 --seed 0 --out hmm.json
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Number of hidden states.")
    var states: Int = 3

    @Option(help: "Random seed for the starts.")
    var seed: UInt64 = 0

    @Option(help: "Number of Baum-Welch starts.")
    var restarts: Int = 5

    @Option(help: ArgumentHelp("Write the fitted model here.", valueName: "file"))
    var out: String?

    func run() throws {
        guard (1...10).contains(states) else { throw ValidationError("--states must be between 1 and 10") }
        guard restarts >= 1 else { throw ValidationError("--restarts must be at least 1") }
        let sources = try dataOptions.load()
        guard sources.count == 1 else { throw ValidationError("hmm takes one data file, got \(sources.count)") }
        let closes = sources[0].series.closes.map { Double($0) / Double(Price.scale) }
        guard closes.count > states + 1 else { throw CLIFailure("not enough bars for \(states) states") }
        let returns = (1..<closes.count).map { 100 * log(closes[$0] / closes[$0 - 1]) }
        let fit = GaussianHiddenMarkovModel.fit(returns, states: states, seed: seed, restarts: restarts)
        let path = fit.model.viterbi(returns)
        let names = states == 3 ? ["bear", "sideways", "bull"] : (0..<states).map { "state\($0)" }
        var table = Table()
        table.add("observations", "\(returns.count) daily log returns x100")
        table.add("log likelihood", Table.number(fit.logLikelihood, places: 4))
        for i in 0..<states {
            let share = Double(path.filter { $0 == i }.count) / Double(path.count)
            table.add(names[i], "mean \(Table.number(fit.model.means[i], places: 4)), variance "
                + "\(Table.number(fit.model.variances[i], places: 4)), stay \(Table.percent(fit.model.transition[i][i])), "
                + "\(Table.percent(share)) of days")
        }
        print(table.render())
        guard let out else { return }
        var json = JSONObject()
        json.set("observations", returns.count)
        json.set("log_likelihood", fit.logLikelihood)
        json.set("labels", strings: names)
        json.set("means", numbers: fit.model.means)
        json.set("variances", numbers: fit.model.variances)
        json.set("initial", numbers: fit.model.initial)
        json.set("transition_matrix", rows: fit.model.transition)
        json.set("states", integers: path)
        json.set("filtered", numbers: fit.model.filter(returns).last ?? [])
        do { try TextFileWriter.write(json.render() + "\n", to: out) } catch { throw CLIFailure(error.description) }
        print("wrote \(out)")
    }
}
