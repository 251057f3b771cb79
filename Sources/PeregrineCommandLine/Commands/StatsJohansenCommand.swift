import ArgumentParser
import PeregrineData
import PeregrineModels

struct StatsJohansenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "johansen",
        abstract: "Johansen cointegration test of 2 to 6 series aligned on common timestamps.",
        discussion: """
            Counts the cointegrating relations among the closes, as statsmodels' coint_johansen(endog, \
            det_order, k_ar_diff) does: --deterministic none, constant or trend (det_order -1, 0, 1) and \
            --lag-differences lagged differences (k_ar_diff). For each r = 0, 1, ... the trace statistic tests \
            at most r relations and the max-eigen statistic exactly r against r + 1; a statistic above its \
            critical value (90%, 95%, 99%; MacKinnon, Haug and Michelis 1999) rejects. The first eigenvector \
            holds the weights of the most stationary combination.

            The JSON holds symbols, rows, eigenvalues, eigenvectors (one row per series, one column per \
            eigenvalue), trace, max_eigen, trace_critical_values, max_eigen_critical_values and \
            relations_95 (the relations the trace test finds at 95%).

            Example:
              peregrine stats johansen --data a.csv --data b.csv --data c.csv --log --out johansen.json
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "Test the natural logs of the closes.")
    var log = false

    @Option(help: ArgumentHelp("Deterministic terms removed first: none, constant or trend.", valueName: "none|constant|trend"))
    var deterministic: String = "constant"

    @Option(help: ArgumentHelp("Lagged differences in the model (k_ar_diff).", valueName: "n"))
    var lagDifferences: Int = 1

    @Option(help: ArgumentHelp("Write the result here as JSON.", valueName: "file"))
    var out: String?

    func run() throws {
        let choices: [String: Johansen.Deterministic] = ["none": .none, "constant": .constant, "trend": .trend]
        guard let terms = choices[deterministic] else {
            throw ValidationError("--deterministic '\(deterministic)': use none, constant or trend")
        }
        guard (0...20).contains(lagDifferences) else { throw ValidationError("--lag-differences \(lagDifferences): use 0 to 20") }
        let series = try CloseSeries.load(dataOptions, log: log)
        guard Johansen.seriesCovered.contains(series.count) else {
            throw ValidationError("stats johansen takes 2 to 6 series, got \(series.count)")
        }
        let aligned = CloseSeries.aligned(series)
        let symbols = series.map(\.symbol)
        let result: Johansen.Result
        do {
            result = try Johansen.test(aligned.values, deterministic: terms, lagDifferences: lagDifferences)
        } catch {
            throw CLIFailure("\(symbols.joined(separator: ", ")) on \(aligned.timestamps.count) common timestamps: \(error)")
        }
        var table = Table()
        table.add("series", "\(symbols.joined(separator: ", ")), \(aligned.timestamps.count) common bars")
        for i in result.trace.indices {
            table.add("r <= \(i)", "trace \(Table.number(result.trace[i], places: 3)) (95% \(result.traceCriticalValues[i][1])), "
                + "max-eigen \(Table.number(result.maxEigen[i], places: 3)) (95% \(result.maxEigenCriticalValues[i][1]))")
        }
        table.add("relations at 95%", "\(result.relations(level: 1))")
        print(table.render())
        guard let out else { return }
        var json = JSONObject()
        json.set("symbols", strings: symbols)
        json.set("rows", aligned.timestamps.count)
        json.set("deterministic", deterministic)
        json.set("lag_differences", lagDifferences)
        json.set("eigenvalues", numbers: result.eigenvalues)
        json.set("eigenvectors", rows: (0..<series.count).map { row in (0..<series.count).map { result.eigenvectors[row, $0] } })
        json.set("trace", numbers: result.trace)
        json.set("max_eigen", numbers: result.maxEigen)
        json.set("trace_critical_values", rows: result.traceCriticalValues)
        json.set("max_eigen_critical_values", rows: result.maxEigenCriticalValues)
        json.set("relations_95", result.relations(level: 1))
        do { try TextFileWriter.write(json.render() + "\n", to: out) } catch { throw CLIFailure(error.description) }
        print("wrote \(out)")
    }
}
