import ArgumentParser
import Foundation
import PeregrineEngine
import PeregrineModels

struct ModelsNashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nash",
        abstract: "Find the Nash equilibria of a two-player game given as a CSV of bimatrix payoffs.",
        discussion: """
            The file has one line per strategy of the row player and one cell per strategy of the column \
            player; a cell is the row player's payoff and the column player's payoff separated by a semicolon \
            (3;1), or a single number for a zero-sum game (the column player receives its negative). Lines \
            starting with # and blank lines are skipped. Games up to 10 strategies a side are solved by support \
            enumeration, which finds every equilibrium of a nondegenerate game; larger ones (up to 200) by \
            Lemke-Howson pivoting, which finds one. Each equilibrium prints the two mixed strategies and the \
            expected payoffs.

            Example:
              peregrine models nash --payoffs examples/battle_of_the_sexes.csv
            """
    )

    @Option(help: ArgumentHelp("CSV of payoffs: rows are the row player's strategies, cells 'row;column'.", valueName: "file"))
    var payoffs: String

    func run() throws {
        let text: String
        do { text = try String(contentsOfFile: payoffs, encoding: .utf8) } catch { throw CLIFailure("--payoffs \(payoffs): cannot read the file") }
        let game: BimatrixGame
        do { game = try Self.parse(text) } catch { throw CLIFailure("\(payoffs): \(error.message)") }
        let equilibria: [NashEquilibriumSolver.Equilibrium]
        let method: String
        if max(game.rowCount, game.columnCount) <= 10 {
            equilibria = NashEquilibriumSolver.solve(game)
            method = "support enumeration"
        } else {
            equilibria = LemkeHowson.solve(game).map { [$0] } ?? []
            method = "Lemke-Howson (one equilibrium)"
        }
        print("\(game.rowCount) x \(game.columnCount) game, \(method): \(equilibria.count) equilibri\(equilibria.count == 1 ? "um" : "a")")
        for (index, e) in equilibria.enumerated() {
            func mix(_ p: [Double]) -> String { "(" + p.map { Table.number($0, places: 4) }.joined(separator: ", ") + ")" }
            print("\(index + 1): row \(mix(e.row)), column \(mix(e.column)); payoffs row \(Table.number(e.rowPayoff, places: 4)), "
                + "column \(Table.number(e.columnPayoff, places: 4))")
        }
    }

    /// The game in the file's text; every refusal names the line and the cell.
    static func parse(_ text: String) throws(ConfigurationError) -> BimatrixGame {
        var rows: [[Double]] = [], columns: [[Double]] = []
        var zeroSum: Bool?
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            var rowLine: [Double] = [], columnLine: [Double] = []
            for (index, cell) in cells.enumerated() {
                let parts = cell.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                let numbers = parts.map { Double($0) }
                let place = "line \(offset + 1), cell \(index + 1)"
                guard parts.count <= 2, numbers.allSatisfy({ $0?.isFinite == true }) else {
                    throw ConfigurationError("\(place): '\(cell)' is not a payoff (a number, or two numbers as row;column)")
                }
                guard abs(numbers[0]!) <= 1e12, abs(numbers[numbers.count - 1]!) <= 1e12 else {
                    throw ConfigurationError("\(place): payoffs must be within ±1e12")
                }
                if let kind = zeroSum, kind != (parts.count == 1) {
                    throw ConfigurationError("\(place): mixes single payoffs (zero-sum) with row;column pairs")
                }
                zeroSum = parts.count == 1
                rowLine.append(numbers[0]!)
                columnLine.append(parts.count == 1 ? -numbers[0]! : numbers[1]!)
            }
            if let first = rows.first, first.count != rowLine.count {
                throw ConfigurationError("line \(offset + 1): \(rowLine.count) cells, the first row has \(first.count)")
            }
            rows.append(rowLine)
            columns.append(columnLine)
        }
        guard !rows.isEmpty else { throw ConfigurationError("no payoffs: the file has no rows") }
        guard rows.count <= 200 && rows[0].count <= 200 else {
            throw ConfigurationError("\(rows.count) x \(rows[0].count) strategies: at most 200 a side")
        }
        return BimatrixGame(rowPayoffs: rows, columnPayoffs: columns)
    }
}
