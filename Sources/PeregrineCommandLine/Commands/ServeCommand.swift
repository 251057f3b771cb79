import ArgumentParser
import Logging
import Foundation
import PeregrineCore
import PeregrineServer
import PeregrineStorage

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a store read-only over the control API: browse past runs, backtests and their tearsheets.",
        discussion: """
            Opens --store for reading only (a bot may be writing to it at the same time) and serves the \
            control API under /api/v1 (JSON; described by the OpenAPI 3.1 document at /openapi.json): \
            health, status, bots (the latest trading run of each strategy), positions, orders, fills, \
            decisions with their reasons, equity, risk, runs and each run's stored tearsheet. No bots run \
            here, so every action (pause, resume, flatten, cancel, risk resume) answers 409; a running \
            `peregrine trade --serve` takes them.

            Every request but GET /api/v1/health needs 'Authorization: Bearer TOKEN'. The token comes from \
            PEREGRINE_API_TOKEN, or from the file STORE.api-token (mode 0600), generated and printed at \
            the first start. A client that fails --auth-failure-limit times within a minute is refused (429) \
            until its failures are a minute old. The \
            server listens on loopback; any other address needs --serve-public as well.

            With --openapi FILE it writes the API's OpenAPI document and exits.

            Examples:
              peregrine serve --store peregrine.sqlite
              peregrine serve --store peregrine.sqlite --serve 127.0.0.1:9000
              curl -H "Authorization: Bearer $(cat peregrine.sqlite.api-token)" http://127.0.0.1:8080/api/v1/runs
              peregrine serve --openapi openapi.json
            """
    )

    @Option(help: ArgumentHelp("The store to serve, read-only.", valueName: "file"))
    var store: String?

    @Option(help: ArgumentHelp("Where to listen, HOST:PORT (port 0 picks a free one and prints it).", valueName: "address"))
    var serve: String = ServeOptions.defaultAddress

    @Flag(help: "Allow --serve to bind an address other than loopback.")
    var servePublic = false

    @Option(help: ArgumentHelp("Failed authentications a client may make in a minute before it is refused (429) until they age out.",
                               valueName: "n"))
    var authFailureLimit: Int = 10

    @OptionGroup var logOptions: LogOptions

    @Option(help: ArgumentHelp("Write the OpenAPI document to this file and exit.", valueName: "file"))
    var openapi: String?

    func validate() throws {
        guard openapi != nil || store != nil else { throw ValidationError("give --store FILE (or --openapi FILE)") }
        guard (1...1_000_000).contains(authFailureLimit) else { throw ValidationError("--auth-failure-limit must be from 1 to 1000000") }
    }

    func run() async throws {
        // A long-running process: large blocks it frees go back to the system (see ProcessMemory).
        ProcessMemory.mapLargeBlocks()
        if let openapi {
            do { try OpenAPIDocument.rendered.write(to: URL(fileURLWithPath: openapi)) } catch {
                throw CLIFailure("--openapi \(openapi): \(error.localizedDescription)")
            }
            print("wrote \(openapi)")
            return
        }
        guard let store else { return }
        let address: ServeAddress
        let token: APIToken
        let database: TradingStore
        do {
            address = try ServeAddress(parsing: serve).checked(public: servePublic)
            database = try TradingStore(readingOnly: store)
            token = try APIToken.resolve(store: store)
        } catch let error as ServerError {
            throw CLIFailure("--serve: \(error)")
        } catch {
            throw CLIFailure.store("--store", store, error)
        }
        let logger = logOptions.logger("peregrine.serve", secrets: LogOptions.environmentSecrets + [token.value])
        let log: @Sendable (String) -> Void = { logger.warning("\($0)") }
        if token.generated { FileHandle.standardOutput.write(Data("API token (kept in \(token.source), shown once): \(token.value)\n".utf8)) }
        let api = ControlAPI(store: database, plane: StoreOnlyPlane(), requestGuard: RequestGuard(token: token.value, allowedFailures: authFailureLimit, log: log), log: log)
        let host = address.description
        try await ControlServer(api: api, address: address).run { port in
            let shown = ServeAddress(host: address.host, port: port)
            // Written straight to the descriptor so a script reading the port sees it at once.
            let line = "serving \(store) read-only at http://\(shown)/ (API under /api/v1, document at /openapi.json); Ctrl-C stops"
                + (port == address.port ? "" : " [asked \(host)]") + "\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}
