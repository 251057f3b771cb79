import ArgumentParser
import PeregrineData
import PeregrineResearch

/// `--gate FILE`: the validation gate's thresholds from a file's `[validation]` table (the defaults
/// without it), shared by the commands that print a verdict.
struct GateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A TOML file whose [validation] table sets the gate's thresholds (min_trades, min_win_rate, min_sharpe, "
                               + "min_oos_ratio, max_drawdown, min_deflated_sharpe).", valueName: "file.toml"))
    var gate: String?

    /// The gate to judge with.
    func validationGate() throws -> ValidationGate {
        guard let gate else { return ValidationGate() }
        do {
            guard let settings = try ValidationSettings.load(path: gate) else {
                throw ValidationError("--gate \(gate): the file has no [validation] table")
            }
            return ValidationGate(settings)
        } catch let error as ConfigurationFileError {
            throw ValidationError("--gate \(gate): \(error.description)")
        }
    }
}

extension ValidationGate {
    /// The default gate with the thresholds `settings` gives.
    init(_ settings: ValidationSettings?) {
        self.init()
        guard let settings else { return }
        minimumTrades = settings.minimumTrades ?? minimumTrades
        minimumWinRate = settings.minimumWinRate ?? minimumWinRate
        minimumSharpe = settings.minimumSharpe ?? minimumSharpe
        minimumOutOfSampleRatio = settings.minimumOutOfSampleRatio ?? minimumOutOfSampleRatio
        maximumDrawdown = settings.maximumDrawdown ?? maximumDrawdown
        minimumDeflatedSharpe = settings.minimumDeflatedSharpe ?? minimumDeflatedSharpe
    }
}
