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
            bot trades as in its own backtest. Without --step, the bots share one trading stream (trade_updates, \
            one connection for the account, as Alpaca allows): each hears its own orders' fills as they happen and \
            catches up over REST after every reconnection; --poll makes them ask about their working orders each \
            turn instead.

            Bots with bar_stream = "iex" (or "sip") share one market-data stream per feed (one connection for \
            the key, crypto pairs on the crypto stream), subscribed to all their symbols: each bar wakes the \
            bots that hold its symbol, which read their new bars over REST. With --step each such bot waits for \
            the step's bar on the stream before it reads.

            Live mode (--mode live) needs --live on the command line every time and [live] account = "..." \
            naming the account the broker must report; every bot's strategy must pass the validation gate on \
            --validate-on data unless --override-gate is given, as for `peregrine trade`.

            An [account_risk] table (daily_loss_limit, max_drawdown as fractions, check_seconds) adds limits on the \
            whole account: the broker's equity is read every check_seconds (with --step, at the end of every step, \
            dated by the exchange's clock), and past a limit every bot is paused and flattened at its next turn, \
            once, with the reason in the audit trail; a person resumes them. \
            Its max_gross_exposure (an amount) limits what all the bots hold together: before each entry, the \
            bot's positions and working orders at the last closes, the order's value and what the other bots \
            last reported are added up, and an entry that would pass the limit is refused (account_exposure).

            With --serve the control API serves all the bots (see `peregrine trade --help` and `peregrine serve \
            --help`): each by its name under /api/v1/bots/{name}, actions queued for that bot's next turn.

            Examples:
              peregrine exchange --data prices/ --speed manual --port 8123 &
              peregrine run --config examples/bots.toml --mode sim --base-url http://127.0.0.1:8123 --step
              peregrine run --config examples/bots.toml --mode paper --serve
              peregrine run --config bots.toml --mode live --live --validate-on prices/ --serve
            """
    )

    @Option(help: ArgumentHelp("TOML file with [[bots]] tables.", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("sim (the local exchange), paper or live.", valueName: "mode"))
    var mode: String = "sim"

    @OptionGroup var liveOptions: LiveOptions

    @Flag(help: "Ask about each working order every turn instead of sharing one trading stream (trade_updates).")
    var poll = false

    @OptionGroup var session: BrokerSessionOptions

    @OptionGroup var serveOptions: ServeOptions

    @OptionGroup var logOptions: LogOptions

    func run() async throws {
        // A long-running process: large blocks it frees go back to the system (see ProcessMemory).
        ProcessMemory.mapLargeBlocks()
        let file: RunConfiguration
        do { file = try RunConfiguration.load(path: config) } catch { throw CLIFailure(error.description) }
        let accountRisk: AccountRiskSettings?
        do { accountRisk = try AccountRiskSettings.load(path: config) } catch { throw CLIFailure(error.description) }
        let environment: AlpacaEnvironment
        switch mode {
        case "sim", "paper": environment = session.environment(mode)!
        case "live":
            let accounts = Set(file.bots.compactMap(\.trade.liveAccount))
            do {
                environment = try AlpacaEnvironment.live(optIn: liveOptions.live, confirmedAccount: accounts.count == 1 ? accounts.first : nil)
            } catch {
                throw CLIFailure("\(error.description) (--live on the command line, [live] account in \(config))")
            }
            for bot in file.bots { try liveOptions.checkValidationGate(bot.trade, bot: bot.name, configuration: config) }
        default: throw ValidationError("--mode '\(mode)': expected sim, paper or live")
        }
        if liveOptions.live && mode != "live" { throw ValidationError("--live is for --mode live only") }
        if session.step && mode != "sim" { throw ValidationError("--step drives the local exchange's clock; it needs --mode sim") }
        var owner: [String: String] = [:]
        for bot in file.bots {
            for symbol in bot.trade.symbols {
                if let other = owner[symbol] {
                    throw CLIFailure("\(config): bots \(other) and \(bot.name) both trade \(symbol); bots of one account trade different symbols")
                }
                owner[symbol] = bot.name
            }
        }
        let credentials = try session.credentials()
        let alerts = try AlertServices.settings(configuration: config)
        let telemetry = serveOptions.telemetry(alerts: alerts != nil)
        let logger = logOptions.logger("peregrine.run")
        let broker = session.broker(environment, mode: mode, credentials: credentials, transport: serveOptions.transport(telemetry))
        let audit = try session.openStore()
        // All the bots' gross exposure, limited together and checked before each entry; stepping, against
        // the other bots' exposure at the end of the previous step, whatever order their turns ended in.
        let accountExposure = accountRisk?.maxGrossExposure.map { AccountExposure(limit: $0, stepped: session.step) }
        // The daily loss and drawdown of the account: read every check_seconds, or stepping, at each step's end
        // on the exchange's clock (the same bar trips it in every run).
        let accountMonitor = accountRisk.flatMap { limits in
            limits.dailyLossLimit != nil || limits.maxDrawdown != nil
                ? AccountRiskMonitor(settings: limits, bots: [], store: audit, log: { logger.warning("\($0)") }) : nil
        }
        let steppedMonitor = session.step ? accountMonitor : nil
        let barrier = session.step ? LocalClockBarrier(members: file.bots.count, atStepEnd: { accountExposure?.closeStep() }) {
            await steppedMonitor?.checkStep { (try await broker.account().equity.doubleValue, try await broker.clock().timestamp) }
            return try await broker.advanceLocalExchange(steps: 1).replayed
        } : nil

        let reviewer = try VetoReviewerOption.reviewer(configuration: config, log: { logger.warning("\($0)") })
        // One trading stream for the account, shared by every bot (a stepped simulation asks instead).
        let sharedStream = poll || session.step ? nil : SharedTradeStream(environment: environment, credentials: credentials)
        // One market-data stream per feed for the bots that ask for one (bar_stream), subscribed to all their symbols.
        var barStreams: [String: SharedMarketDataStream] = [:]
        for feed in Set(file.bots.compactMap(\.trade.barStream)).sorted() {
            let listening = file.bots.filter { $0.trade.barStream == feed }
            barStreams[feed] = SharedMarketDataStream(environment: environment, feed: feed, symbols: listening.flatMap(\.trade.symbols),
                                                      bots: listening.count, credentials: credentials)
        }
        var members: [FleetService.Member] = []
        var controls: [BotControl] = []
        for bot in file.bots {
            var settings: TradingSettings
            do {
                settings = try session.settings(bot.trade)
            } catch let error as ValidationError {
                throw CLIFailure("bot \(bot.name): \(error.message)")
            }
            settings.stepBarrier = barrier
            settings.entryReviewer = reviewer
            settings.sharedTradeStream = sharedStream
            settings.sharedBarStream = bot.trade.barStream.flatMap { barStreams[$0] }
            settings.accountExposure = accountExposure
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
        print("running \(file.bots.count) bots in \(mode) mode at \(environment.tradingBaseURL); key \(credentials.keyID), secret ****; store \(StoreLocation.redacted(session.store))")
        let fleet = FleetService(members: members, barrier: barrier, log: { logger.error("\($0)") })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: fleet, successTerminationBehavior: .gracefullyShutdownGroup)]
        if let limit = accountRisk?.maxGrossExposure {
            print("account risk: gross exposure of all bots together at most \(limit.formatted(places: 2)), checked before each entry")
        }
        if let accountRisk, let monitor = accountMonitor {
            monitor.watch(controls)
            let percent = { (fraction: Double?) in fraction.map { String(format: "%g%%", $0 * 100) } ?? "none" }
            print("account risk: daily loss limit \(percent(accountRisk.dailyLossLimit)), max drawdown \(percent(accountRisk.maxDrawdown)), checked "
                  + (session.step ? "at the end of every step" : "every \(accountRisk.checkSeconds) s") + " on the broker's equity")
            if !session.step {
                services.append(.init(service: BackgroundService { await monitor.run { try await broker.account().equity.doubleValue } } onStop: {},
                                      successTerminationBehavior: .ignore))
            }
        }
        if let sharedStream {
            services.append(.init(service: BackgroundService { try? await sharedStream.run(log: { logger.info("\($0)") }) } onStop: {},
                                  successTerminationBehavior: .ignore))
        }
        for stream in barStreams.values {
            services.append(.init(service: BackgroundService { try? await stream.run(log: { logger.info("\($0)") }) } onStop: {},
                                  successTerminationBehavior: .ignore))
        }
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
                print(TradeCommand.reportTable(report, store: session.store).render(), terminator: "")
            } else {
                failed += 1
                print("bot \(control.name): stopped by an error: \(control.status.error ?? "unknown")")
            }
        }
        if failed > 0 { throw CLIFailure("\(failed) of \(controls.count) bots stopped by an error (above)") }
    }
}
