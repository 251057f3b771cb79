import ArgumentParser
import Logging
import PeregrineServer
import ServiceLifecycle
import Dispatch
import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineLive
import PeregrineResearch
import PeregrineStorage
import PeregrineStrategies

struct TradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trade",
        abstract: "Trade a strategy bar by bar: on the local exchange (sim), Alpaca paper, or Alpaca live.",
        discussion: """
            Loads the strategy, symbols, timeframe, risk limits and exit rules from the configuration's \
            [trade], [risk] and [exits] tables; reconciles the store with the broker; warms the strategy \
            up on history (no orders); then runs the backtest's kernel on each new bar and sends its \
            orders through Alpaca's API. Every order is stored before it is sent and every fill before the \
            strategy hears of it (--store). Fills arrive over Alpaca's trading stream (trade_updates; orders wait \
            while it is down and working orders are caught up over REST after each reconnection) unless --poll \
            or --step, which ask about each working order instead. With bar_stream = "iex" (or "sip") in [trade], \
            the market-data stream's bars wake the trader at once instead of at the next poll (crypto pairs on \
            Alpaca's crypto stream). Crypto pairs (symbols = ["BTC/USD"]) trade around the clock, nights and \
            weekends, in fractions, their orders sent good till canceled (Alpaca takes no day orders for \
            crypto); see examples/crypto.toml. Keys come from APCA_API_KEY_ID / APCA_API_SECRET_KEY or a 0600 \
            --keys file and are never printed. Ctrl-C or SIGTERM stops new orders, cancels this run's \
            working orders (unless cancel_open_orders_on_stop = false) and closes the run in the store.

            With a [trade.portfolio] table of sleeves in place of strategy, several strategies share the account as \
            in `peregrine portfolio`: each trades in its own sub-book (its orders tagged with the sleeve, so a restart \
            gives each its positions back), and capital moves between them every rebalance_bars bars by static \
            weights or the Thompson meta-controller, whose state the store keeps.

            The option strategies (covered-call, iron-condor) trade their contracts through the broker too: a \
            single contract as an order on its OCC symbol, several legs as one mleg order, each stored before it \
            is sent; fills are asked over REST every turn and booked leg by leg (contracts, price per share, 100 \
            shares a contract), exercises, assignments and expiries are read from the account's activities, and \
            a restart adopts the option positions and working option orders. The strategy sees the \
            contracts the local exchange lists.

            With --serve (127.0.0.1:8080 when given without an address) the run also serves the control API \
            (see `peregrine serve --help` for the endpoints and the token): a person can watch the bot and \
            pause it (no new entries from its next turn; exits, protection and the kill switch still run), \
            resume it, flatten a symbol or everything (closed at market, past the limits), cancel one of its \
            working orders, or resume its risk after a halt. Each action is written to the store's audit trail \
            with who asked before the bot sees it, and again when the bot carries it out; a pause outlives \
            restarts until resumed (through the API, Telegram or `peregrine risk resume`).

            Live mode needs --live on the command line and [live] account = "..." naming the account the \
            broker must report, and refuses a strategy whose backtest on --validate-on data fails the \
            validation gate unless --override-gate is given.

            Examples:
              peregrine exchange --data synthetic --speed manual --port 8123 &
              peregrine trade --config examples/trade.toml --mode sim --base-url http://127.0.0.1:8123 --step
              peregrine trade --config examples/trade.toml --mode paper --dry-run
              peregrine trade --config examples/portfolio.toml --mode sim --base-url http://127.0.0.1:8123 --step
              peregrine exchange --data crypto/BTCUSD.csv --asset-class crypto --speed manual --port 8124 &
              peregrine trade --config examples/crypto.toml --mode sim --base-url http://127.0.0.1:8124 --step
              peregrine trade --config live.toml --mode live --live --validate-on prices/ --store live.sqlite
              peregrine trade --config examples/trade.toml --mode paper --serve
              curl -X POST -H "Authorization: Bearer $(cat peregrine-trading.sqlite.api-token)" http://127.0.0.1:8080/api/v1/bots/sma-cross/pause
            """
    )

    @Option(help: ArgumentHelp("TOML file with [trade] (and optionally [risk], [exits], [live]).", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("sim (the local exchange), paper or live.", valueName: "mode"))
    var mode: String

    @Option(help: ArgumentHelp("Also append every decision (holds and refusals with reasons) to this CSV file.", valueName: "file"))
    var decisions: String?

    @Flag(help: "Ask about each working order every poll instead of listening to the trading stream (trade_updates).")
    var poll = false

    @OptionGroup var liveOptions: LiveOptions

    @OptionGroup var session: BrokerSessionOptions

    @OptionGroup var serveOptions: ServeOptions

    @OptionGroup var logOptions: LogOptions

    func run() async throws {
        // A long-running process: large blocks it frees go back to the system (see ProcessMemory).
        ProcessMemory.mapLargeBlocks()
        let file: TradeConfiguration
        do { file = try TradeConfiguration.load(path: config) } catch { throw CLIFailure(error.description) }
        let environment: AlpacaEnvironment
        switch mode {
        case "sim", "paper": environment = session.environment(mode)!
        case "live":
            do {
                environment = try AlpacaEnvironment.live(optIn: liveOptions.live, confirmedAccount: file.liveAccount)
            } catch {
                throw CLIFailure("\(error.description) (--live on the command line, [live] account in \(config))")
            }
            try liveOptions.checkValidationGate(file, configuration: config)
        default: throw ValidationError("--mode '\(mode)': expected sim, paper or live")
        }
        if session.step && mode != "sim" { throw ValidationError("--step drives the local exchange's clock; it needs --mode sim") }
        if liveOptions.live && mode != "live" { throw ValidationError("--live is for --mode live only") }

        var settings = try session.settings(file)
        if let points = ProcessInfo.processInfo.environment["PEREGRINE_CRASH_POINTS"] {
            // For crash tests: the process kills itself at the named points of the order path.
            settings.crashPoints = try CrashPoints(parsing: points)
            Console.error("crash points armed: \(points)")
        }

        settings.entryReviewer = try VetoReviewerOption.reviewer(configuration: config, log: { Console.error($0) })

        let credentials = try session.credentials()
        let alerts = try AlertServices.settings(configuration: config)
        let telemetry = serveOptions.telemetry(alerts: alerts != nil)
        let broker = session.broker(environment, mode: mode, credentials: credentials, transport: serveOptions.transport(telemetry))
        // Fills over the trading stream unless asked to poll; a stepped simulation always asks.
        if !poll && !session.step {
            settings.tradeStreamKeys = credentials
            settings.barStreamFeed = file.barStream
        }
        let audit = try session.openStore()
        // With --serve, a person steers the bot through the control API (pause, resume, flatten, cancel).
        let control = BotControl(name: file.portfolio == nil ? file.strategy : "portfolio", settings: settings, telemetry: telemetry?.hub)
        settings.control = control
        var services: [any Service] = []
        let plane = TradingControlPlane(bots: [control], store: audit, mode: environment.mode.rawValue)
        let logger = logOptions.logger("peregrine.trade")
        let api = try serveOptions.api(store: audit, plane: plane, telemetry: telemetry, log: { logger.warning("\($0)") })
        if let alerts, let hub = telemetry?.hub { services += AlertServices.services(alerts, hub: hub, api: api, log: { logger.warning("\($0)") }) }
        if let server = try serveOptions.server(api) {
            services.append(server.service { port in
                ServeOptions.say("control API at http://\(ServeAddress(host: server.address.host, port: port))/api/v1 (document at /openapi.json)")
            })
        }

        print("trading \(file.portfolio.map { "a portfolio of " + $0.sleeves.joined(separator: ", ") } ?? file.strategy) on \(file.symbols.joined(separator: ", ")) (\(file.timeframe)) in \(mode) mode"
              + " at \(environment.tradingBaseURL); key \(credentials.keyID), secret ****; store \(session.store)")
        let report: TradingReport
        do {
            let decisionPath = decisions
            let start = { @Sendable [settings] () async throws -> any TradingLoop in
                let decisionLog = try decisionPath.map { try AppendingDecisionLog(path: $0) }
                return try await TradingRuntime.start(settings: settings, broker: broker, store: audit, decisionLog: decisionLog,
                                                      log: { logger.info("\($0)") })
            }
            // SIGINT and SIGTERM reach the run through swift-service-lifecycle's graceful shutdown.
            let service = TradingService(start: start, onStopRequest: { Console.error("stopping: no new orders; shutting down") })
            guard let finished = try await service.runUntilDone(alongside: services) else {
                throw CLIFailure("the trading run ended without a report")
            }
            report = finished
        } catch let error as TradingRuntimeError {
            control.finish(error: error.message)
            throw CLIFailure(error.message)
        } catch let error as ConfigurationError {
            throw CLIFailure(error.description)
        }
        let table = Self.reportTable(report, store: session.store)
        print(table.render(), terminator: "")
    }

    /// The end-of-run summary of one bot.
    static func reportTable(_ report: TradingReport, store: String) -> Table {
        var table = Table()
        table.add("run", report.runID.map { "\($0) in \(StoreLocation.redacted(store))" } ?? "-")
        table.add("warm-up bars", "\(report.warmUpBars)")
        table.add("bars traded", "\(report.liveBars)")
        table.add("orders sent", "\(report.ordersSent)")
        table.add("refused by broker", "\(report.brokerRejections)")
        table.add("fills", "\(report.fillCount)")
        table.add("orders kept in memory", "\(report.ordersInMemory) of \(report.orderCount) (history_records)")
        table.add("canceled at stop", "\(report.canceledAtStop)")
        table.add("bars heard on the stream", "\(report.streamBars)")
        table.add("equity (own books)", report.equity.formatted(places: 2))
        table.add("equity (broker)", report.brokerEquity.map { $0.formatted(places: 2) } ?? "unavailable")
        if let summary = report.equitySummary, summary.points > 0 {
            table.add("return since the warm-up", String(format: "%.4f%%", summary.totalReturn * 100))
            table.add("max drawdown", String(format: "%.4f%% (longest %d steps below a peak)", summary.maxDrawdown * 100, summary.maxDrawdownPeriods))
        }
        table.add("stopped", report.stopReason)
        for (key, count) in report.decisionCounts.sorted(by: { $0.key < $1.key }) { table.add("decisions \(key)", "\(count)") }
        return table
    }

    /// What a `[trade]` table (or a `[[bots]]` one) asks of a trading run, with the command line's choices.
    static func settings(_ file: TradeConfiguration, dryRun: Bool, maxBars: Int?, step: Bool, allowMismatch: Bool) throws -> TradingSettings {
        var settings: TradingSettings
        do { settings = try TradingSettings(file) } catch { throw ValidationError(error.message) }
        settings.dryRun = dryRun
        settings.maxBars = maxBars
        settings.stepLocalClock = step
        settings.allowMismatch = allowMismatch
        return settings
    }
}
