import CoreMetrics
import Foundation
import PeregrineCore
import PeregrineLive
import Prometheus
import Synchronization

/// The bots' figures for Prometheus (`GET /metrics`), kept through swift-metrics with a Prometheus
/// registry of this server's own (no process-wide bootstrap): it observes every telemetry event
/// inline, so counters never miss one the way a slow WebSocket watcher may.
public final class BotMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let counters = Mutex<[String: CoreMetrics.Counter]>([:])
    private let gauges = Mutex<[String: CoreMetrics.Gauge]>([:])
    private let timers = Mutex<[String: CoreMetrics.Timer]>([:])

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        let seconds: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                   .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
                                   .seconds(10)]
        factory.defaultDurationHistogramBuckets = seconds
        self.factory = factory
    }

    /// Starts observing a hub's events.
    public func observe(_ hub: TelemetryHub) {
        hub.observe { [weak self] event in self?.record(event) }
    }

    func record(_ event: TelemetryEvent) {
        switch event {
        case .bar(let bot, let symbol, _):
            count("peregrine_bars_total", [("bot", bot), ("symbol", symbol)])
        case .decision(let bot, _, _, _, let outcome, let reason, _):
            count("peregrine_decisions_total", [("bot", bot), ("outcome", outcome), ("reason", reason)])
        case .order(let bot, _, _, _, _, _, let status):
            count("peregrine_order_updates_total", [("bot", bot), ("status", status)])
        case .fill(let bot, _, _, let symbol, let side, _, _):
            count("peregrine_fills_total", [("bot", bot), ("symbol", symbol), ("side", side.rawValue)])
        case .equity(let bot, _, let equity, let cash, let positions, let exposure):
            set("peregrine_equity", [("bot", bot)], equity.doubleValue)
            set("peregrine_cash", [("bot", bot)], cash.doubleValue)
            set("peregrine_open_positions", [("bot", bot)], Double(positions))
            set("peregrine_gross_exposure", [("bot", bot)], exposure.doubleValue)
        case .botState(let bot, let state, _):
            for name in ["running", "paused", "halted", "stopped", "finished"] {
                set("peregrine_bot_state", [("bot", bot), ("state", name)], name == state ? 1 : 0)
            }
        case .risk(let bot, _, let halted, _):
            set("peregrine_risk_halted", [("bot", bot)], halted ? 1 : 0)
            if halted { count("peregrine_risk_halts_total", [("bot", bot)]) }
        case .turn(let bot, let seconds, let bars, let behind):
            set("peregrine_bars_behind", [("bot", bot)], Double(behind))
            time("peregrine_turn_seconds", [("bot", bot)], seconds)
            if bars > 0 { count("peregrine_turns_with_bars_total", [("bot", bot)]) }
        case .connection(let name, let state):
            set("peregrine_connection_up", [("name", name)], state == "connected" ? 1 : 0)
            if state == "disconnected" { count("peregrine_connection_drops_total", [("name", name)]) }
        case .proposal(_, let action, _, let state):
            count("peregrine_proposals_total", [("action", action), ("state", state)])
        }
    }

    /// A broker request's round trip and its status (0: no response).
    public func recordBrokerRequest(method: String, status: Int, seconds: Double) {
        time("peregrine_broker_request_seconds", [("method", method)], seconds)
        count("peregrine_broker_responses_total", [("status", String(status))])
        if status == 429 { count("peregrine_broker_rate_limited_total", []) }
    }

    /// The text Prometheus scrapes, with the process's memory and descriptors as read now.
    public func exposition() -> String {
        if let memory = ProcessMemory.reading() {
            set("process_resident_memory_bytes", [], Double(memory.resident))
            set("peregrine_process_anonymous_memory_bytes", [], Double(memory.anonymous))
            set("process_open_fds", [], Double(memory.openDescriptors))
        }
        return registry.emitToString()
    }

    private func count(_ name: String, _ dimensions: [(String, String)]) {
        Self.instrument(counters, name, dimensions) { CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory) }.increment()
    }

    private func set(_ name: String, _ dimensions: [(String, String)], _ value: Double) {
        Self.instrument(gauges, name, dimensions) { CoreMetrics.Gauge(label: name, dimensions: dimensions, factory: factory) }.record(value)
    }

    private func time(_ name: String, _ dimensions: [(String, String)], _ seconds: Double) {
        guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return }
        Self.instrument(timers, name, dimensions) { CoreMetrics.Timer(label: name, dimensions: dimensions, factory: factory) }
            .recordNanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// The instrument of `name` with `dimensions`, made once and kept: events come many times a second.
    private static func instrument<Instrument>(_ table: borrowing Mutex<[String: Instrument]>, _ name: String, _ dimensions: [(String, String)],
                                               make: () -> Instrument) -> Instrument {
        let key = name + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        return table.withLock { table in
            if let existing = table[key] { return existing }
            let made = make()
            table[key] = made
            return made
        }
    }
}
