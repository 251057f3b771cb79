import ArgumentParser
import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData

struct DataCorporateActionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corporate-actions",
        abstract: "Download splits and cash dividends from Alpaca's corporate-actions API into an events file.",
        discussion: """
            Reads GET /v1/corporate-actions (forward and reverse splits, cash dividends; every page) for \
            the symbols and ex-dates from --start to --end, and writes them as an events file \
            (symbol,date,type,value: split 4:1, dividend 0.205), the format backtest --corporate-actions, \
            data adjust and data validate read. Other kinds Alpaca reports (mergers, spin-offs, name \
            changes) are counted and left out. Keys as for data download; --base-url reads a local \
            exchange started with --corporate-actions.

            Example:
              peregrine data corporate-actions --symbols AAPL,MSFT --start 2020-01-01 --end 2021-12-31 --out actions.csv
            """
    )

    @Option(help: ArgumentHelp("Comma-separated stock symbols.", valueName: "list"))
    var symbols: String

    @Option(help: ArgumentHelp("First ex-date, YYYY-MM-DD.", valueName: "date"))
    var start: String

    @Option(help: ArgumentHelp("Last ex-date, YYYY-MM-DD (default: today).", valueName: "date"))
    var end: String?

    @Option(help: ArgumentHelp("Events file to write.", valueName: "file"))
    var out: String

    @OptionGroup var access: MarketDataAccessOptions

    func run() async throws {
        let list = try MarketDataAccessOptions.symbolList(symbols)
        guard let from = CivilDate(iso: start) else { throw ValidationError("--start '\(start)' is not a date YYYY-MM-DD") }
        let today = Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9)).utcDate
        guard let to = end.map({ CivilDate(iso: $0) }) ?? today else { throw ValidationError("--end '\(end ?? "")' is not a date YYYY-MM-DD") }
        guard from <= to else { throw ValidationError("--start \(from) is after --end \(to)") }
        let actions: [CorporateAction]
        do { actions = try await access.client().corporateActions(symbols: list, start: from, end: to) } catch {
            throw CLIFailure("corporate actions: \(error)")
        }
        var text = "symbol,date,type,value\n"
        for action in actions {
            switch action.kind {
            case .split(let numerator, let denominator): text += "\(action.symbol),\(action.date),split,\(numerator):\(denominator)\n"
            case .dividend(let amount): text += "\(action.symbol),\(action.date),dividend,\(amount)\n"
            }
        }
        do { try TextFileWriter.write(text, to: out) } catch { throw CLIFailure(error.description) }
        print("wrote \(actions.count) corporate actions of \(list.joined(separator: ",")) to \(out)")
    }
}
