import ArgumentParser
import PeregrineAlpaca
import PeregrineData
import PeregrineLive
import PeregrineStorage

/// What every command that trades through a broker shares (`trade`, `run`): where the local exchange
/// is, the store, the keys, and how careful the run is. The account mode (`--mode`) stays each
/// command's own, since they allow different ones.
struct BrokerSessionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Local exchange URL for --mode sim.", valueName: "url"))
    var baseURL: String = "http://127.0.0.1:8123"

    @Option(help: ArgumentHelp("Audit store (SQLite): runs, decisions, order intents, fills (of every bot).", valueName: "file"))
    var store: String = "peregrine-trading.sqlite"

    @Option(help: ArgumentHelp("Key file (mode 0600, key id and secret on two lines) instead of the environment.", valueName: "file"))
    var keys: String?

    @Flag(help: "Decide and log, but send nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Stop (each bot) after this many new bars.", valueName: "n"))
    var maxBars: Int?

    @Flag(help: "sim with an exchange at --speed manual: move its clock as soon as the bars it replayed are handled.")
    var step = false

    @Flag(help: "Trade even if start-up reconciliation finds a mismatch (it is reported either way).")
    var allowMismatch = false

    func validate() throws {
        guard maxBars.map({ $0 > 0 }) ?? true else { throw ValidationError("--max-bars must be positive") }
    }

    /// The broker's address for `mode` (sim is the local exchange at --base-url); nil for a mode that
    /// needs more than this group knows (live).
    func environment(_ mode: String) -> AlpacaEnvironment? {
        switch mode {
        case "sim": .local(baseURL)
        case "paper": .paper
        default: nil
        }
    }

    /// The keys from --keys or the environment.
    func credentials() throws -> AlpacaCredentials {
        do { return try keys.map { try AlpacaCredentials.fromFile($0) } ?? AlpacaCredentials.fromEnvironment() } catch {
            throw CLIFailure("\(error)")
        }
    }

    /// One client for the run. Alpaca's 200 requests a minute do not apply to the local exchange, which a
    /// stepped simulation asks a few times per bar.
    func broker(_ environment: AlpacaEnvironment, mode: String, credentials: AlpacaCredentials, transport: any HTTPTransport) -> AlpacaTradingClient {
        AlpacaTradingClient(environment: environment, credentials: credentials, transport: transport,
                            budget: mode == "sim" ? RequestBudget(limit: 1_000_000) : RequestBudget())
    }

    func openStore() throws -> TradingStore {
        do { return try TradingStore(path: store) } catch { throw CLIFailure.store("--store", store, error) }
    }

    /// What a `[trade]` table (or a `[[bots]]` one) asks of a trading run, with this group's choices.
    func settings(_ file: TradeConfiguration) throws -> TradingSettings {
        try TradeCommand.settings(file, dryRun: dryRun, maxBars: maxBars, step: step, allowMismatch: allowMismatch)
    }
}
