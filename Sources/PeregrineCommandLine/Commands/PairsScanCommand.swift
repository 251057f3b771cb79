import ArgumentParser
import PeregrineCore
import PeregrineData
import PeregrineModels

struct PairsScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Engle-Granger test of every ordered pair of series, ranked by p-value.",
        discussion: """
            Loads two or more series (repeat --data, or give a folder), aligns each pair on the timestamps \
            both have, and for every ordered pair (y, x) regresses y on a constant and x (intercept, \
            hedge_ratio), tests the residual for a unit root without deterministic terms, lag by AIC \
            (t_statistic), and reads MacKinnon's two-series p-value with a constant (p_value), as \
            statsmodels' coint(y, x) does. half_life is -ln 2 / b from regressing the spread's change on its \
            previous value with a constant, in bars; empty when the spread does not revert. The test is not \
            symmetric, so both orders are listed.

            The CSV has one row per ordered pair: y,x,rows,intercept,hedge_ratio,t_statistic,p_value,half_life, \
            lowest p-value first. A low p-value on many pairs is expected by chance alone: with 20 series there \
            are 380 ordered pairs, so about 19 pass at 5% without any relation.

            Examples:
              peregrine pairs scan --data ../shared/data/orcl_daily.csv --data ../shared/data/nvda_daily.csv --log --out pairs.csv
              peregrine pairs scan --data prices/ --symbols KO,PEP,XOM,CVX --log --out pairs.csv
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "Test the natural logs of the closes.")
    var log = false

    @Option(help: ArgumentHelp("Largest lag AIC may choose in the residual's test (default 12 (n/100)^(1/4)).", valueName: "n"))
    var maxLag: Int?

    @Option(help: ArgumentHelp("Output CSV file.", valueName: "file"))
    var out: String

    struct Row {
        var y: String, x: String, rows: Int
        var result: EngleGranger.Result
        var halfLife: Double
    }

    func run() throws {
        if let maxLag, maxLag < 0 { throw ValidationError("--max-lag \(maxLag): use 0 or more") }
        let series = try CloseSeries.load(dataOptions, log: log)
        guard series.count >= 2 else { throw ValidationError("pairs scan needs at least two series, got \(series.count)") }
        for one in series {
            if let first = one.values.first, one.values.allSatisfy({ $0 == first }) {
                throw CLIFailure("\(one.file): every close is the same (\(first)); a constant series cannot form a pair")
            }
        }
        var rows: [Row] = []
        for yIndex in series.indices {
            for xIndex in series.indices where xIndex != yIndex {
                let y = series[yIndex], x = series[xIndex]
                let aligned = CloseSeries.aligned([y, x])
                do {
                    let result = try EngleGranger.test(y: aligned.values[0], x: aligned.values[1], maxLag: maxLag)
                    let halfLife = try MeanReversionHalfLife(result.hedge.spread(y: aligned.values[0], x: aligned.values[1]))
                    rows.append(Row(y: y.symbol, x: x.symbol, rows: aligned.timestamps.count, result: result, halfLife: halfLife.bars))
                } catch {
                    throw CLIFailure("\(y.symbol) (\(y.file)) on \(x.symbol) (\(x.file)), \(aligned.timestamps.count) common timestamps: \(error)")
                }
            }
        }
        rows.sort { ($0.result.pValue, $0.y, $0.x) < ($1.result.pValue, $1.y, $1.x) }
        do {
            let writer = try TextFileWriter(path: out)
            try writer.writeLine("y,x,rows,intercept,hedge_ratio,t_statistic,p_value,half_life")
            for row in rows {
                let fields = [row.y, row.x, String(row.rows), "\(row.result.hedge.intercept)", "\(row.result.hedge.ratio)",
                              "\(row.result.statistic)", "\(row.result.pValue)", row.halfLife.isFinite ? "\(row.halfLife)" : ""]
                try writer.writeLine(fields.joined(separator: ","))
            }
            try writer.close()
        } catch {
            throw CLIFailure(error.description)
        }
        var table = Table()
        for row in rows.prefix(10) {
            table.add("\(row.y) on \(row.x)", "p \(Table.number(row.result.pValue, places: 4)), hedge \(Table.number(row.result.hedge.ratio, places: 4)), "
                + "half-life \(row.halfLife.isFinite ? Table.number(row.halfLife, places: 1) : "none"), \(row.rows) rows")
        }
        print(table.render())
        print("wrote \(rows.count) pairs to \(out)")
    }
}
