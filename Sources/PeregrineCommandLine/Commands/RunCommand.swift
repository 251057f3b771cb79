import ArgumentParser
import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineLive
import PeregrineServer
import PeregrineStorage
import Logging
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run many bots in one process, each a [[bots]] table of the configuration, sharing one broker connection.",
        discussion: """
            Starts every bot the configuration lists. Each [[bots]] table holds what `peregrine trade` reads \
            from [trade] (strategy or [bots.portfolio], symbols, timeframe, schedule, parameters, ...) plus a \
            name, with the bot's own [bots.risk], [bots.exits] and [bots.sizing] tables beneath it. Every bot \
            has its own risk state, breakers and runs in the one store, and they share one broker client and \
            its request budget. Bots of one account trade different symbols: a symbol listed by two bots is \
            refused at start, so no two bots hold contradictory positions and each bot's position is its own.

            A bot that fails, at start (a symbol the broker does not trade, a failed reconciliation) or while \
            trading, is stopped and reported; the others keep trading. The run ends when every bot has ended; \
            Ctrl-C or SIGTERM stops them all as `peregrine trade` stops. With --step (the local exchange at \
            --speed manual) the exchange's clock moves one step once every bot has handled its bars, so each \
            bot trades as in its own backtest. Bots ask the broker about their working orders each turn (no \
            trading stream is shared yet). --mode is sim or paper; live bots run one per process with \
            `peregrine trade --mode live --live`.

            With --serve the control API serves all the bots (see `peregrine trade --help` and `peregrine serve \
            --help`): each by its name under /api/v1/bots/{name}, actions queued for that bot's next turn.

            Examples:
              peregrine exchange --data prices/ --speed manual --port 8123 &
              peregrine run --config examples/bots.toml --mode sim --base-url http://127.0.0.1:8123 --step
              peregrine run --config examples/bots.toml --mode paper --serve
            """
    )

    @Option(help: ArgumentHelp("TOML file with [[bots]] tables.", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("sim (the local exchange) or paper.", valueName: "mode"))
    var mode: String = "sim"

    @Option(help: ArgumentHelp("Local exchange URL for --mode sim.", valueName: "url"))
    var baseURL: String = "http://127.0.0.1:8123"

    @Option(help: ArgumentHelp("Audit store (SQLite): every bot's runs, decisions, order intents, fills.", valueName: "file"))
    var store: String = "peregrine-trading.sqlite"

    @Option(help: ArgumentHelp("Key file (mode 0600, key id and secret on two lines) instead of the environment.", valueName: "file"))
    var keys: String?

    @Flag(help: "Decide and log, but send nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Stop each bot after this many new bars.", valueName: "n"))
    var maxBars: Int?

    @Flag(help: "sim with an exchange at --speed manual: move its clock once every bot has handled its bars.")
    var step = false

    @Flag(help: "Trade even if start-up reconciliation finds a mismatch (it is reported either way).")
    var allowMismatch = false

    @OptionGroup var serveOptions: ServeOptions

    @OptionGroup var logOptions: LogOptions

    func run() async throws {
        let file: RunConfiguration
        do { file = try RunConfiguration.load(path: config) } catch { throw CLIFailure(error.description) }
        guard maxBars.map({ $0 > 0 }) ?? true else { throw ValidationError("--max-bars must be positive") }
        let environment: AlpacaEnvironment
        switch mode {
        case "sim": environment = .local(baseURL)
        case "paper": environment = .paper
        case "live": throw ValidationError("--mode live: run live bots one per process with `peregrine trade --mode live --live`")
        default: throw ValidationError("--mode '\(mode)': expected sim or paper")
        }
        if step && mode != "sim" { throw ValidationError("--step drives the local exchange's clock; it needs --mode sim") }
        var owner: [String: String] = [:]
        for bot in file.bots {
            for symbol in bot.trade.symbols {
                if let other = owner[symbol] {
                    throw CLIFailure("\(config): bots \(other) and \(bot.name) both trade \(symbol); bots of one account trade different symbols")
                }
                owner[symbol] = bot.name
            }
        }
        let credentials: AlpacaCredentials
        do {
            credentials = try keys.map { try AlpacaCredentials.fromFile($0) } ?? AlpacaCredentials.fromEnvironment()
        } catch {
            throw CLIFailure("\(error)")
        }
        let budget = mode == "sim" ? RequestBudget(limit: 1_000_000) : RequestBudget()
        let alerts = try AlertServices.settings(configuration: config)
        let telemetry = serveOptions.telemetry(alerts: alerts != nil)
        let logger = logOptions.logger("peregrine.run")
        let broker = AlpacaTradingClient(environment: environment, credentials: credentials, transport: serveOptions.transport(telemetry), budget: budget)
        let audit: TradingStore
        do { audit = try TradingStore(path: store) } catch { throw CLIFailure("\(store): \(error)") }
        let barrier = step ? LocalClockBarrier(members: file.bots.count) { try await broker.advanceLocalExchange(steps: 1).replayed } : nil

        var members: [FleetService.Member] = []
        var controls: [BotControl] = []
        for bot in file.bots {
            var settings: TradingSettings
            do {
                settings = try TradeCommand.settings(bot.trade, dryRun: dryRun, maxBars: maxBars, step: step, allowMismatch: allowMismatch)
            } catch let error as ValidationError {
                throw CLIFailure("bot \(bot.name): \(error.message)")
            }
            settings.stepBarrier = barrier
            let control = BotControl(name: bot.name, settings: settings, telemetry: telemetry?.hub)
            settings.control = control
            controls.append(control)
            let name = bot.name
            members.append(FleetService.Member(control: control) { [settings] in
                try await TradingRuntime.start(settings: settings, broker: broker, store: audit, log: { logger.info("\($0)", metadata: ["bot": "\(name)"]) })
            })
            print("bot \(bot.name): \(bot.trade.portfolio.map { "a portfolio of " + $0.sleeves.joined(separator: ", ") } ?? bot.trade.strategy) "
                  + "on \(bot.trade.symbols.joined(separator: ", ")) (\(bot.trade.timeframe))")
        }
        print("running \(file.bots.count) bots in \(mode) mode at \(environment.tradingBaseURL); key \(credentials.keyID), secret ****; store \(store)")
        let fleet = FleetService(members: members, barrier: barrier, log: { logger.error("\($0)") })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: fleet, successTerminationBehavior: .gracefullyShutdownGroup)]
        let plane = TradingControlPlane(bots: controls, store: audit, mode: environment.mode.rawValue)
        let api = try serveOptions.api(store: audit, plane: plane, telemetry: telemetry, log: { logger.warning("\($0)") })
        if let alerts, let hub = telemetry?.hub {
            services += AlertServices.services(alerts, hub: hub, api: api, log: { logger.warning("\($0)") }).map { .init(service: $0) }
        }
        if let server = try serveOptions.server(api) {
            services.append(.init(service: server.service { port in
                ServeOptions.say("control API at http://\(ServeAddress(host: server.address.host, port: port))/api/v1 (document at /openapi.json)")
            }))
        }
        var quiet = Logger(label: "peregrine-run")
        quiet.logLevel = .critical
        try await ServiceGroup(configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                                        logger: quiet)).run()
        let reports = fleet.reports
        var failed = 0
        for control in controls {
            print("")
            if let report = reports[control.name] {
                print("bot \(control.name)")
                print(TradeCommand.reportTable(report, store: store).render(), terminator: "")
            } else {
                failed += 1
                print("bot \(control.name): stopped by an error: \(control.status.error ?? "unknown")")
            }
        }
        if failed > 0 { throw CLIFailure("\(failed) of \(controls.count) bots stopped by an error (above)") }
    }
}
