import ArgumentParser
import Foundation
import PeregrineAlpaca
import PeregrineLive
import PeregrineServer
import PeregrineStorage

/// The control API options of the commands that run bots (`trade`): where to serve it, whether a
/// public address is meant, and how many failed authentications a client gets.
struct ServeOptions: ParsableArguments {
    static let defaultAddress = ServeAddress.defaultText

    @Option(help: ArgumentHelp("Serve the control API while trading, at HOST:PORT (127.0.0.1:8080 when given without a value; port 0 picks a free one and prints it).",
                               valueName: "address"))
    var serve: String?

    @Flag(help: "Allow --serve to bind an address other than loopback.")
    var servePublic = false

    @Option(help: ArgumentHelp("Failed authentications a client may make in a minute before it is refused (429) until they age out.",
                               valueName: "n"))
    var authFailureLimit: Int = 10

    func validate() throws {
        guard (1...1_000_000).contains(authFailureLimit) else { throw ValidationError("--auth-failure-limit must be from 1 to 1000000") }
        if let serve {
            do { _ = try ServeAddress(parsing: serve).checked(public: servePublic) } catch { throw ValidationError("--serve: \(error)") }
        } else if servePublic {
            throw ValidationError("--serve-public goes with --serve ADDRESS")
        }
    }

    /// The API over `store` with `plane`, its token resolved (printed once when generated), or nil without --serve.
    /// Where bots publish their events when the API is served, and the metrics kept of them (nil
    /// without --serve: nobody can watch).
    func telemetry(alerts: Bool = false) -> (hub: TelemetryHub, metrics: BotMetrics)? {
        guard serve != nil || alerts else { return nil }
        let hub = TelemetryHub(), metrics = BotMetrics()
        metrics.observe(hub)
        return (hub, metrics)
    }

    /// The broker transport, timed for `/metrics` when served.
    func transport(_ telemetry: (hub: TelemetryHub, metrics: BotMetrics)?) -> any HTTPTransport {
        telemetry.map { MeasuringTransport(AsyncHTTPTransport(), metrics: $0.metrics) } ?? AsyncHTTPTransport()
    }

    /// The API over `store`; served with --serve, and always the one Telegram's commands go through.
    func api(store: TradingStore, plane: any ControlPlane, telemetry: (hub: TelemetryHub, metrics: BotMetrics)?,
             log: @escaping @Sendable (String) -> Void) throws -> ControlAPI {
        guard serve != nil else {
            // Not on the network: nobody can present a token, so a random one never known to anyone guards it.
            let unknown = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 36) }.joined()
            return ControlAPI(store: store, plane: plane, requestGuard: RequestGuard(token: unknown, log: log),
                              telemetry: telemetry?.hub, metrics: telemetry?.metrics, log: log)
        }
        let token: APIToken
        do { token = try APIToken.resolve(store: store.path) } catch { throw CLIFailure("--serve: \(error)") }
        if token.generated { Self.say("API token (kept in \(token.source), shown once): \(token.value)") }
        // Whatever the log says, it never says the token.
        let secret = token.value
        let log: @Sendable (String) -> Void = { line in log(line.replacingOccurrences(of: secret, with: "****")) }
        return ControlAPI(store: store, plane: plane, requestGuard: RequestGuard(token: token.value, allowedFailures: authFailureLimit, log: log),
                          telemetry: telemetry?.hub, metrics: telemetry?.metrics, log: log)
    }

    /// The server for `api`, or nil without --serve.
    func server(_ api: ControlAPI) throws -> ControlServer? {
        guard let serve else { return nil }
        return ControlServer(api: api, address: try ServeAddress(parsing: serve).checked(public: servePublic))
    }

    /// Written straight to the descriptor so a script reading the address sees it at once.
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}
