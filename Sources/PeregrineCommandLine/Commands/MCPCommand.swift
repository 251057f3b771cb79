import ArgumentParser
import Foundation
import Logging
import MCP
import PeregrineAlpaca
import PeregrineServer
import PeregrineStorage
import ServiceLifecycle

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve Peregrine's tools to an AI assistant over the Model Context Protocol (stdio, or streamable HTTP).",
        discussion: """
            An assistant (any MCP client) gets tools that read a store or running bots (status, bots, positions, \
            orders, fills, decisions with their reasons, equity, risk limits and their use, stored runs and their \
            summaries, bars, proposals, the audit trail; the broker's latest quotes and trades), tools that run research on data files (backtest, sweep, \
            walk_forward, monte_carlo, indicators, regime; each runs the peregrine command of the same name and \
            returns its summary and the folder of its files, under --workspace), and trading tools (pause_bot, \
            resume_bot, flatten_position, submit_order, cancel_order). Every result marks what it returns as data, \
            not instructions.

            Trading tools are off unless --allow-trading is given; a call then is refused and nothing happens. With \
            --allow-trading a call only proposes the action: it waits (15 minutes at most) until a person confirms \
            it through the control API (POST /api/v1/pending/ID/confirm), the dashboard's Proposals panel, or \
            /approve ID on Telegram. Proposals, confirmations and the actions they lead to are in the audit trail \
            with the tool, its arguments and who confirmed.

            With --store FILE the tools read that store (read-only) and trading tools have no bots to act on. With \
            --api URL they ask a running `peregrine run --serve` or `peregrine trade --serve` over HTTP, with the \
            API's token from PEREGRINE_API_TOKEN or --token-file (the file beside its store, STORE.api-token).

            By default the protocol runs over standard input and output (what desktop assistants launch); logs go \
            to standard error. With --http HOST:PORT it is served as streamable HTTP at /mcp instead, each request \
            with 'Authorization: Bearer TOKEN' (the API's token), on loopback unless --http-public is given too.

            Examples:
              peregrine mcp --store peregrine.sqlite
              peregrine mcp --api http://127.0.0.1:8080 --token-file peregrine.sqlite.api-token --allow-trading
              peregrine mcp --store peregrine.sqlite --http 127.0.0.1:8765 --workspace research/mcp
            """
    )

    @Option(help: ArgumentHelp("A store to read (read-only): runs, trading history, audit trail.", valueName: "file"))
    var store: String?

    @Option(help: ArgumentHelp("A running server's control API, e.g. http://127.0.0.1:8080 (peregrine run or trade with --serve).",
                               valueName: "url"))
    var api: String?

    @Option(help: ArgumentHelp("A file holding the API's token (else PEREGRINE_API_TOKEN), with --api.", valueName: "file"))
    var tokenFile: String?

    @Flag(help: "Let the trading tools propose actions (each still waits for a person's confirmation).")
    var allowTrading = false

    @Option(help: ArgumentHelp("Folder for the research tools' runs.", valueName: "dir"))
    var workspace: String = "mcp-runs"

    @Option(help: ArgumentHelp("Serve MCP as streamable HTTP at /mcp on HOST:PORT instead of stdio (port 0 picks a free one and prints it).",
                               valueName: "address"))
    var http: String?

    @Flag(help: "Allow --http to bind an address other than loopback.")
    var httpPublic = false

    @Option(help: ArgumentHelp("Where latest_quotes asks for market data: a local exchange's URL (default: Alpaca's, with the keys from the environment).",
                               valueName: "url"))
    var marketDataURL: String?

    @Option(help: ArgumentHelp("A research run longer than this many seconds is stopped.", valueName: "seconds"))
    var researchTimeout: Double = 3600

    @OptionGroup var logOptions: LogOptions

    func validate() throws {
        guard (store == nil) != (api == nil) else { throw ValidationError("give one of --store FILE or --api URL") }
        if let api, !(api.hasPrefix("http://") || api.hasPrefix("https://")) {
            throw ValidationError("--api must be an http:// or https:// URL, not '\(api.prefix(60))'")
        }
        if tokenFile != nil && api == nil { throw ValidationError("--token-file goes with --api") }
        if httpPublic && http == nil { throw ValidationError("--http-public goes with --http ADDRESS") }
        if let http {
            do { _ = try ServeAddress(parsing: http).checked(public: httpPublic) } catch { throw ValidationError("--http: \(error)") }
        }
        guard researchTimeout.isFinite, researchTimeout >= 1 else { throw ValidationError("--research-timeout must be at least 1 second") }
    }

    func run() async throws {
        let token = try resolveToken()
        let logger = logOptions.logger("peregrine.mcp", secrets: LogOptions.environmentSecrets + [token?.value ?? ""], toStandardError: true)
        let log: @Sendable (String) -> Void = { logger.warning("\($0)") }
        let access: any ControlAPIAccess
        if let api, let token {
            access = RemoteControlAPI(baseURL: api, token: token.value, transport: AsyncHTTPTransport())
        } else if let store {
            let database: TradingStore
            do { database = try TradingStore(readingOnly: store) } catch { throw CLIFailure.store("--store", store, error) }
            let local = ControlAPI(store: database, plane: StoreOnlyPlane(), requestGuard: RequestGuard(token: UUID().uuidString, log: log), log: log)
            access = InProcessControlAPI(api: local, source: "store \(StoreLocation.redacted(store))")
        } else {
            throw CLIFailure("give one of --store FILE or --api URL")
        }
        let toolbox = MCPToolbox(api: access, research: ChildProcessResearchRunner(timeoutSeconds: researchTimeout),
                                 settings: .init(allowTrading: allowTrading, workspace: workspace, marketDataURL: marketDataURL), log: log)
        log("mcp: tools read \(access.source); trading tools \(allowTrading ? "propose actions for a person to confirm" : "are off")")
        if let http {
            try await serveHTTP(toolbox, address: try ServeAddress(parsing: http).checked(public: httpPublic), token: token, log: log)
        } else {
            let server = await MCPServerFactory.make(toolbox, version: ControlAPI.version)
            try await server.start(transport: StdioTransport())
            await server.waitUntilCompleted()
        }
    }

    /// The API's token: with --api from --token-file or PEREGRINE_API_TOKEN; with --store (needed only
    /// for --http) from the environment or the store's token file, made when absent.
    func resolveToken() throws -> APIToken? {
        if api != nil {
            if let tokenFile {
                guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else { throw CLIFailure("--token-file \(tokenFile) cannot be read") }
                let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !value.isEmpty else { throw CLIFailure("--token-file \(tokenFile) is empty") }
                return APIToken(value: value, source: tokenFile)
            }
            guard let value = ProcessInfo.processInfo.environment[APIToken.environmentVariable], !value.isEmpty else {
                throw CLIFailure("--api needs the API's token: set \(APIToken.environmentVariable) or give --token-file FILE")
            }
            return APIToken(value: value, source: APIToken.environmentVariable)
        }
        guard http != nil, let store else { return nil }
        do { return try APIToken.resolve(store: store) } catch { throw CLIFailure.store("--store", store, error) }
    }

    private func serveHTTP(_ toolbox: MCPToolbox, address: ServeAddress, token: APIToken?, log: @escaping @Sendable (String) -> Void) async throws {
        guard let token else { throw CLIFailure("--http needs a token") }
        if token.generated { FileHandle.standardOutput.write(Data("API token (kept in \(token.source), shown once): \(token.value)\n".utf8)) }
        let server = MCPHTTPServer(toolbox: toolbox, version: ControlAPI.version, requestGuard: RequestGuard(token: token.value, log: log),
                                   address: address)
        var logger = Logger(label: "peregrine-mcp")
        logger.logLevel = .warning
        let service = server.service { port in
            let line = "serving MCP at http://\(ServeAddress(host: address.host, port: port))\(MCPHTTPServer.path) (bearer token from \(token.source)); Ctrl-C stops\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await ServiceGroup(configuration: ServiceGroupConfiguration(services: [service], gracefulShutdownSignals: [.sigterm, .sigint],
                                                                        logger: logger)).run()
    }
}
