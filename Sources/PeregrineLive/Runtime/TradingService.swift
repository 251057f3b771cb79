import Logging
import ServiceLifecycle
import Synchronization

/// A trading run as a service (swift-service-lifecycle): it starts the run and trades until it
/// stops; the group's graceful shutdown (SIGINT or SIGTERM) asks it to stop new orders, after
/// which it shuts down as configured (cancels or leaves working orders, saves state, closes the
/// run). A shutdown asked for while it is still starting is honoured as soon as trading begins.
public final class TradingService: Service, Sendable {
    private let start: @Sendable () async throws -> any TradingLoop
    private let onStopRequest: @Sendable () -> Void
    private let stop = StopSignal()
    private let outcome = Mutex<TradingReport?>(nil)

    public init(start: @escaping @Sendable () async throws -> any TradingLoop, onStopRequest: @escaping @Sendable () -> Void = {}) {
        self.start = start
        self.onStopRequest = onStopRequest
    }

    /// The run's report, once `run` has returned.
    public var report: TradingReport? { outcome.withLock { $0 } }

    public func run() async throws {
        let stop = self.stop, onStopRequest = self.onStopRequest
        try await withGracefulShutdownHandler {
            let loop = try await start()
            let report = try await loop.run(until: stop)
            outcome.withLock { $0 = report }
        } onGracefulShutdown: {
            onStopRequest()
            stop.request()
        }
    }

    /// Runs the service in a group that turns SIGINT and SIGTERM into a graceful shutdown, and
    /// returns the report. `alongside` run in the same group (the control API's server) and stop
    /// with it when the run ends.
    public func runUntilDone(alongside others: [any Service] = []) async throws -> TradingReport? {
        var logger = Logger(label: "peregrine-trade")
        logger.logLevel = .critical
        let service = ServiceGroupConfiguration.ServiceConfiguration(service: self, successTerminationBehavior: .gracefullyShutdownGroup)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [service] + others.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        return report
    }
}
