import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import PeregrineAlpaca
import ServiceLifecycle

/// Serves a `LocalExchange` over HTTP on 127.0.0.1, so any Alpaca client (Peregrine's, or the
/// official SDK pointed at it with `url_override`) can trade against it. Every request goes through
/// `LocalExchange.handle`, the same path the in-process transport uses; `/stream` upgrades to Alpaca's
/// trading stream (`trade_updates`) over a WebSocket, `/v2/iex` (or `sip`, `test`) to its stock
/// market-data stream and `/v1beta3/crypto/us` to its crypto market-data stream.
public struct ExchangeServer: Sendable {
    public let exchange: LocalExchange
    public let port: Int
    /// Misbehaves like a real network at a set rate when given (429s, 500s and lost responses); nil
    /// answers every request.
    public let faults: FaultInjectingTransport?

    public init(exchange: LocalExchange, port: Int = 0, faults: FaultInjectingTransport? = nil) {
        self.exchange = exchange
        self.port = port
        self.faults = faults
    }

    /// Runs until the process receives SIGINT or SIGTERM. `onRunning` gets the bound port (useful with 0).
    public func run(onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        try await serviceGroup(onRunning: onRunning).run()
    }

    /// The server as a service group: `run()` it, and stop it with `triggerGracefulShutdown()`
    /// (or SIGINT/SIGTERM), which lets requests in flight finish.
    public func serviceGroup(onRunning: @escaping @Sendable (Int) async -> Void) -> ServiceGroup {
        let exchange = self.exchange
        let transport: any HTTPTransport = faults ?? InProcessTransport(exchange)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            guard let method = HTTPRequestSpec.Method(rawValue: request.method.rawValue) else {
                return Response(status: .methodNotAllowed)
            }
            let spec = HTTPRequestSpec(method: method, url: request.uri.description, headers: headers,
                                       body: body.readableBytes > 0 ? Data(body.readableBytesView) : nil)
            let answer: HTTPResponseSpec
            do {
                answer = try await transport.send(spec)
            } catch {
                // A lost response: the exchange acted on the request, and the connection closes before
                // the client hears the answer (the head promises a body that never comes).
                return Response(status: .ok, headers: [.contentLength: "64"], body: ResponseBody(contentLength: 64) { _ in throw error })
            }
            var fields = HTTPFields()
            for (name, value) in answer.headers { if let key = HTTPField.Name(name) { fields[key] = value } }
            return Response(status: HTTPResponse.Status(code: answer.status), headers: fields,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        let stream = TradeUpdateStream(exchange: exchange)
        let app = Application(responder: responder,
                              server: .http1WebSocketUpgrade { request, _, _ in
                                  // Alpaca's trading stream lives at /stream, its market-data stream at /v2/{feed};
                                  // every other path is plain HTTP.
                                  let path = request.path?.split(separator: "?").first.map(String.init) ?? ""
                                  if path == "/stream" {
                                      return .upgrade([:]) { inbound, outbound, _ in try await stream.serve(inbound, outbound) }
                                  }
                                  let endpoints = ["/v2/iex": "iex", "/v2/sip": "sip", "/v2/test": "test", "/v1beta3/crypto/us": "crypto/us"]
                                  guard let endpoint = endpoints[path] else { return .dontUpgrade }
                                  let msgpack = request.headerFields[.contentType]?.contains("msgpack") ?? false
                                  let data = MarketDataStream(exchange: exchange, msgpack: msgpack, endpoint: endpoint,
                                                              crypto: endpoint.hasPrefix("crypto"))
                                  return .upgrade([:]) { inbound, outbound, _ in try await data.serve(inbound, outbound) }
                              },
                              configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port),
                                                                      serverName: "peregrine-exchange"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) })
        var logger = Logger(label: "peregrine-exchange")
        logger.logLevel = .warning
        return ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                                                                     logger: logger))
    }
}
