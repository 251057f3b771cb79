import PeregrineAlpaca

/// Connects an Alpaca client straight to a `LocalExchange` in the same process: the same requests and
/// documents as over HTTP, without sockets, for tests and single-process simulation.
public struct InProcessTransport: HTTPTransport {
    public let exchange: LocalExchange

    public init(_ exchange: LocalExchange) { self.exchange = exchange }

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        await exchange.handle(request)
    }
}
