import ArgumentParser
import PeregrineCore
import PeregrineData
import PeregrineModels

struct PairsHedgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hedge",
        abstract: "Hedge ratio and spread of a pair bar by bar: static least squares or a Kalman filter.",
        discussion: """
            Takes two series (the first is y, the second x), aligned on common timestamps. --method ols fits \
            y = intercept + hedge_ratio * x once over all bars (it looks ahead: for research, not for \
            trading). --method kalman lets the ratio and intercept drift as a random walk and updates them \
            bar by bar from past bars only: --delta sets how fast they may move (state noise delta/(1-delta) \
            per bar), --observation-variance the noise of y around the line; the z-score is the forecast \
            error over its standard deviation.

            The CSV has timestamp,y,x,hedge_ratio,intercept,spread,zscore (zscore empty for ols).

            Example:
              peregrine pairs hedge --data ../shared/data/orcl_daily.csv --data ../shared/data/nvda_daily.csv --log --method kalman --out hedge.csv
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "Use the natural logs of the closes.")
    var log = false

    @Option(help: ArgumentHelp("ols (one static fit) or kalman (updated bar by bar).", valueName: "ols|kalman"))
    var method: String = "kalman"

    @Option(help: ArgumentHelp("Kalman state drift, between 0 and 1 exclusive.", valueName: "delta"))
    var delta: Double = 1e-4

    @Option(help: ArgumentHelp("Kalman observation noise variance, above 0.", valueName: "variance"))
    var observationVariance: Double = 1e-3

    @Option(help: ArgumentHelp("Output CSV file.", valueName: "file"))
    var out: String

    func run() throws {
        guard method == "ols" || method == "kalman" else { throw ValidationError("--method '\(method)': use ols or kalman") }
        guard delta > 0 && delta < 1 else { throw ValidationError("--delta \(delta): use a number between 0 and 1 exclusive") }
        guard observationVariance > 0 && observationVariance.isFinite else {
            throw ValidationError("--observation-variance \(observationVariance): use a positive number")
        }
        let series = try CloseSeries.load(dataOptions, log: log)
        guard series.count == 2 else { throw ValidationError("pairs hedge takes two series (y then x), got \(series.count)") }
        let aligned = CloseSeries.aligned(series)
        let y = aligned.values[0], x = aligned.values[1]
        var lines: [String] = []
        do {
            if method == "ols" {
                let hedge = try HedgeRatio.ordinaryLeastSquares(y: y, x: x)
                let spread = hedge.spread(y: y, x: x)
                for i in y.indices {
                    lines.append(line(aligned.timestamps[i], y[i], x[i], hedge.ratio, hedge.intercept, spread[i], nil))
                }
                print("\(series[0].symbol) = \(hedge.intercept) + \(hedge.ratio) x \(series[1].symbol) over \(y.count) bars")
            } else {
                let estimates = try KalmanHedgeRatio.filter(y: y, x: x, delta: delta, observationVariance: observationVariance)
                for (i, estimate) in estimates.enumerated() {
                    lines.append(line(aligned.timestamps[i], y[i], x[i], estimate.ratio, estimate.intercept,
                                      y[i] - estimate.intercept - estimate.ratio * x[i],
                                      estimate.forecastError / estimate.forecastVariance.squareRoot()))
                }
                if let last = estimates.last {
                    print("\(series[0].symbol) on \(series[1].symbol): last hedge ratio \(last.ratio), intercept \(last.intercept) after \(y.count) bars")
                }
            }
        } catch {
            throw CLIFailure("\(series[0].symbol) on \(series[1].symbol), \(y.count) common timestamps: \(error)")
        }
        do {
            let writer = try TextFileWriter(path: out)
            try writer.writeLine("timestamp,y,x,hedge_ratio,intercept,spread,zscore")
            for text in lines { try writer.writeLine(text) }
            try writer.close()
        } catch {
            throw CLIFailure(error.description)
        }
        print("wrote \(lines.count) rows to \(out)")
    }

    private func line(_ time: Int64, _ y: Double, _ x: Double, _ ratio: Double, _ intercept: Double, _ spread: Double, _ z: Double?) -> String {
        [Timestamp(nanoseconds: time).compactDescription, "\(y)", "\(x)", "\(ratio)", "\(intercept)", "\(spread)", z.map { "\($0)" } ?? ""]
            .joined(separator: ",")
    }
}
