import PeregrineAlpaca

/// A transport that times each broker request and notes its status for `/metrics`, then passes it
/// on unchanged: the client keeps its policy, the transport still only moves bytes.
public struct MeasuringTransport: HTTPTransport {
    let inner: any HTTPTransport
    let metrics: BotMetrics

    public init(_ inner: any HTTPTransport, metrics: BotMetrics) {
        self.inner = inner
        self.metrics = metrics
    }

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        let start = ContinuousClock.now
        do {
            let response = try await inner.send(request)
            metrics.recordBrokerRequest(method: request.method.rawValue, status: response.status, seconds: Self.seconds(since: start))
            return response
        } catch {
            metrics.recordBrokerRequest(method: request.method.rawValue, status: 0, seconds: Self.seconds(since: start))
            throw error
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = (ContinuousClock.now - start).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }
}
