import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineLive
import Synchronization

/// Sends alerts about the bots to people: a fill, a burst of refusals, a halt (and its end), a bot
/// stopped by an error, a stream down longer than `disconnect_seconds` (and back up). It watches the telemetry inline but only queues there; each channel sends
/// from its own task, retrying with backoff, so a channel that is down never slows a bot. Messages
/// that do not fit the queue are counted and dropped oldest-first.
public final class Notifier: Sendable {
    let settings: AlertSettings
    let channels: [AlertChannel]
    let transport: any HTTPTransport
    let log: @Sendable (String) -> Void
    /// Seconds before the first retry; doubled each time, five attempts in all.
    let retryDelay: Double
    private let queues: [(stream: AsyncStream<String>, continuation: AsyncStream<String>.Continuation)]
    private let refusals = Mutex<[String: [Double]]>([:])
    private let lastBurstAlert = Mutex<[String: Double]>([:])
    private let clock: @Sendable () -> Double
    private let counts = Mutex<(sent: Int, failed: Int)>((0, 0))
    /// Per stream, since when it is down and whether that was alerted.
    private let outages = Mutex<[String: (since: Double, alerted: Bool)]>([:])

    public init(settings: AlertSettings, transport: any HTTPTransport, retryDelay: Double = 1,
                clock: (@Sendable () -> Double)? = nil, log: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        var channels: [AlertChannel] = []
        if let telegram = settings.telegram {
            channels.append(.telegram(baseURL: telegram.baseURL, token: telegram.token, chatID: telegram.chatID))
        }
        if let url = settings.webhookURL { channels.append(.webhook(url: url)) }
        self.channels = channels
        self.transport = transport
        self.retryDelay = retryDelay
        self.log = log
        self.clock = clock ?? { Date().timeIntervalSince1970 }
        queues = channels.map { _ in AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1_000)) }
    }

    /// Alerts sent and given up on so far, over all channels.
    public var delivered: (sent: Int, failed: Int) { counts.withLock { $0 } }

    /// Starts watching `hub`; alerts flow until `run` is cancelled.
    public func observe(_ hub: TelemetryHub) {
        hub.observe { [weak self] event in
            guard let self, let text = self.message(for: event) else { return }
            self.send(text)
        }
    }

    /// Queues `text` on every channel, without waiting.
    public func send(_ text: String) {
        for queue in queues { queue.continuation.yield(text) }
    }

    /// Sends the queued alerts until cancelled: one task per channel.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for (channel, queue) in zip(channels, queues) {
                group.addTask { for await text in queue.stream { await self.deliver(text, to: channel) } }
            }
        }
    }

    public func stop() { for queue in queues { queue.continuation.finish() } }

    /// Alerts each stream down for `disconnect_seconds` or longer, once per outage; returns how many.
    @discardableResult
    public func disconnectTick() -> Int {
        let now = clock(), limit = settings.disconnectSeconds
        let due = outages.withLock { table -> [(String, Double)] in
            var due: [(String, Double)] = []
            for (name, outage) in table where !outage.alerted && now - outage.since >= limit {
                table[name] = (outage.since, true)
                due.append((name, now - outage.since))
            }
            return due.sorted { $0.0 < $1.0 }
        }
        for (name, seconds) in due { send("\(name): DISCONNECTED for \(Int(seconds)) s (limit \(Int(limit)) s)") }
        return due.count
    }

    /// Checks the streams' outages every second until cancelled.
    public func runDisconnectWatch() async {
        guard settings.events.contains(.disconnect) else { return }
        while !Task.isCancelled {
            disconnectTick()
            try? await Task.sleep(nanoseconds: 1_000_000_000)
        }
    }

    private let dailyState = Mutex(TradingSchedule.State())

    /// Sends the daily summary when `now` is the first check at or after the configured time of a
    /// local day; returns whether it did.
    @discardableResult
    public func dailyTick(now: Timestamp, summary: () async -> String) async -> Bool {
        guard let schedule = settings.dailySummary else { return false }
        guard dailyState.withLock({ schedule.admits(now, state: &$0) }) else { return false }
        send("daily summary: " + (await summary()))
        return true
    }

    /// Checks the daily summary's time every 20 seconds until cancelled.
    public func runDailySummary(summary: @escaping @Sendable () async -> String) async {
        guard settings.dailySummary != nil else { return }
        while !Task.isCancelled {
            await dailyTick(now: WallClock.now(), summary: summary)
            try? await Task.sleep(nanoseconds: 20_000_000_000)
        }
    }

    private func deliver(_ text: String, to channel: AlertChannel) async {
        var delay = retryDelay
        for attempt in 1...5 {
            let outcome: String
            do {
                let response = try await transport.send(channel.request(text))
                if (200..<300).contains(response.status) {
                    counts.withLock { $0.sent += 1 }
                    return
                }
                outcome = "HTTP \(response.status)"
            } catch {
                outcome = "\(error)"
            }
            if attempt == 5 {
                counts.withLock { $0.failed += 1 }
                log("alerts: \(channel.name) failed 5 times (\(outcome)); the alert is dropped: \(text.prefix(80))")
                return
            }
            try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            delay *= 2
        }
    }

    /// The alert an event calls for, if any.
    func message(for event: TelemetryEvent) -> String? {
        switch event {
        case .fill(let bot, let time, _, let symbol, let side, let quantity, let price) where settings.events.contains(.fill):
            return "\(bot): \(side == .buy ? "bought" : "sold") \(quantity) \(symbol) @ \(price) (\(time.iso8601))"
        case .decision(let bot, _, _, _, let outcome, let reason, _) where outcome == "rejected" && settings.events.contains(.rejections):
            let now = clock()
            let recent = refusals.withLock { table -> Int in
                table[bot] = (table[bot] ?? []).filter { now - $0 < 60 } + [now]
                return table[bot]!.count
            }
            guard recent > settings.rejectionsPerMinute else { return nil }
            // At most one such alert a minute per bot.
            let due = lastBurstAlert.withLock { table -> Bool in
                if let last = table[bot], now - last < 60 { return false }
                table[bot] = now
                return true
            }
            return due ? "\(bot): \(recent) orders refused in the last minute (latest: \(reason))" : nil
        case .risk(let bot, _, let halted, let detail) where settings.events.contains(.halt):
            return halted ? "\(bot): HALTED. \(detail)" : "\(bot): trading again. \(detail)"
        case .botState(let bot, let state, let error) where state == "stopped" && settings.events.contains(.botStopped):
            return "\(bot) STOPPED: \(error ?? "no reason given")"
        case .connection(let name, let state) where settings.events.contains(.disconnect):
            let now = clock()
            if state == "disconnected" {
                outages.withLock { if $0[name] == nil { $0[name] = (now, false) } }
                return nil
            }
            guard state == "connected", let outage = outages.withLock({ $0.removeValue(forKey: name) }), outage.alerted else { return nil }
            return "\(name): connected again after \(Int(now - outage.since)) s"
        case .proposal(let id, let action, let target, let state) where state == "pending":
            // Always sent: nothing a tool proposes happens until a person says so.
            return "\(id) waits for you: \(action) \(target). /approve \(id) or /reject \(id) (or the dashboard)"
        default:
            return nil
        }
    }
}
