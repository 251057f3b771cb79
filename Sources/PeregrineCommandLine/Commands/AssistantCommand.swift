import ArgumentParser
import Foundation
import PeregrineServer
import PeregrineStorage

struct AssistantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assistant",
        abstract: "Recommendations from a store's runs, in plain words with the numbers behind each.",
        discussion: """
            Reads the store (read-only) and reports, each with its evidence: a risk limit or check refusing more \
            than half of a trading run's entries (limits_refuse_entries), the veto model doing so \
            (veto_refuses_entries), a stored backtest failing the validation gate on its trades, win rate, Sharpe \
            or drawdown (validation_gate), a signaling-game threshold its realized trades argue for, as peregrine \
            adapt computes it (adapt_threshold), fills on average 5 bps or more away from the open of their bar \
            where the store holds the bars (fill_drift), and a portfolio sleeve that sent almost none of the \
            entries (starved_sleeve). The rules are fixed and the same store gives the same advice; the dashboard \
            shows it too (GET /api/v1/assistant).

            Examples:
              peregrine assistant --store peregrine.sqlite
              peregrine assistant --store peregrine.sqlite --json > advice.json
            """
    )

    @Option(help: ArgumentHelp("The store to read.", valueName: "file"))
    var store: String

    @Flag(help: "Print the recommendations as JSON.")
    var json = false

    func run() throws {
        guard StoreLocation.isURL(store) || FileManager.default.fileExists(atPath: store) else { throw CLIFailure("--store \(StoreLocation.redacted(store)): no such file") }
        let advice: [Recommendation]
        do {
            advice = try TradingAssistant(store: try TradingStore(readingOnly: store)).recommendations()
        } catch {
            throw CLIFailure.store("--store", store, error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(advice), as: UTF8.self))
            return
        }
        guard !advice.isEmpty else {
            print("no recommendations: no limit refuses most entries, every stored backtest passes its gate, fills match their bars")
            return
        }
        for (n, item) in advice.enumerated() {
            print("\(n + 1). [\(item.rule)] \(item.text)")
            print("   evidence: " + item.evidence.keys.sorted().map { "\($0) \(item.evidence[$0]!)" }.joined(separator: ", "))
        }
    }
}
