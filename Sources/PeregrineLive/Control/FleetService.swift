import ServiceLifecycle
import Synchronization

/// Many bots in one process (`peregrine run`), as one service: each starts and trades on its own
/// task; a bot that fails, at start or later, is stopped and reported through its `BotControl`
/// while the others keep trading. The service ends when every bot has; a graceful shutdown (SIGINT,
/// SIGTERM) asks all of them to stop new orders and shut down as configured.
public final class FleetService: Service, Sendable {
    public struct Member: Sendable {
        public let control: BotControl
        public let start: @Sendable () async throws -> any TradingLoop

        public init(control: BotControl, start: @escaping @Sendable () async throws -> any TradingLoop) {
            self.control = control
            self.start = start
        }
    }

    private let members: [Member]
    private let barrier: LocalClockBarrier?
    private let log: @Sendable (String) -> Void
    private let stop = StopSignal()
    private let finished = Mutex<[String: TradingReport]>([:])

    public init(members: [Member], barrier: LocalClockBarrier? = nil, log: @escaping @Sendable (String) -> Void) {
        self.members = members
        self.barrier = barrier
        self.log = log
    }

    /// The reports of the bots that ran to their end, by name.
    public var reports: [String: TradingReport] { finished.withLock { $0 } }

    /// One bot from start to end; its failure ends it alone.
    private func trade(_ member: Member) async {
        let name = member.control.name
        do {
            let loop = try await member.start()
            let report = try await loop.run(until: stop)
            finished.withLock { $0[name] = report }
        } catch {
            let message = (error as? TradingRuntimeError)?.message ?? "\(error)"
            member.control.finish(error: message)
            log("bot \(name) stopped: \(message)")
        }
        await barrier?.leave()
    }

    public func run() async throws {
        let stop = self.stop, barrier = self.barrier
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for member in members {
                    group.addTask { await self.trade(member) }
                }
            }
        } onGracefulShutdown: {
            stop.request()
            if let barrier { Task { await barrier.releaseAll() } }
        }
    }
}
