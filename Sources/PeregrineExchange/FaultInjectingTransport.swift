import Foundation
import PeregrineAlpaca
import PeregrineCore

/// Wraps a transport and makes the network misbehave at a set rate: a 429 or a 500 before the request
/// reaches the exchange, or (the dangerous one) a lost response after the exchange acted on it. A run
/// through it must end exactly like a clean run, with no order sent twice.
public actor FaultInjectingTransport: HTTPTransport {
    public enum Fault: String, Sendable, CaseIterable {
        case rateLimited, serverError, lostResponse
    }

    private let inner: any HTTPTransport
    private let rate: Double
    private var generator: SeededGenerator
    public private(set) var injected: [Fault: Int] = [:]

    public init(_ inner: any HTTPTransport, rate: Double, seed: UInt64) {
        precondition(rate >= 0 && rate < 1)
        self.inner = inner
        self.rate = rate
        self.generator = SeededGenerator(seed: seed)
    }

    /// Faults hit Alpaca's API only; the local exchange's own clock control (`/peregrine/...`) passes.
    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        if request.url.contains("/peregrine/") { return try await inner.send(request) }
        let draw = generator.nextUniform()
        guard draw < rate else { return try await inner.send(request) }
        let fault = Fault.allCases[Int(generator.next() % 3)]
        injected[fault, default: 0] += 1
        switch fault {
        case .rateLimited:
            return HTTPResponseSpec(status: 429, headers: ["Retry-After": "1"],
                                    body: Data(#"{"code":42910000,"message":"rate limit exceeded"}"#.utf8))
        case .serverError:
            return HTTPResponseSpec(status: 500, body: Data(#"{"code":50010000,"message":"internal server error"}"#.utf8))
        case .lostResponse:
            _ = try await inner.send(request)
            throw TransportFailure("timed out waiting for the response")
        }
    }
}
