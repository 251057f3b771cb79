/// Several bots stepping one local exchange (`peregrine run --step`): the exchange's clock moves one
/// step only when every bot still running has handled the bars it has, so each bot sees every bar
/// in turn and its orders fill on the next bar, as in its own backtest. A bot that stops leaves the
/// barrier and no longer holds the others back.
public actor LocalClockBarrier {
    private var members: Int
    private var waiting: [CheckedContinuation<Int, any Error>] = []
    private let advance: @Sendable () async throws -> Int
    /// Runs once every bot has arrived, before the clock moves: the step's end as all bots left it.
    private let atStepEnd: @Sendable () -> Void
    /// Set by `releaseAll`: nobody waits any more (the run is stopping).
    private var released = false

    /// `members` bots; `advance` moves the exchange one step and returns how many bars it replayed;
    /// `atStepEnd` sees every bot's turn of the step done (the account's exposure snapshot).
    public init(members: Int, atStepEnd: @escaping @Sendable () -> Void = {}, advance: @escaping @Sendable () async throws -> Int) {
        self.members = members
        self.atStepEnd = atStepEnd
        self.advance = advance
    }

    /// Waits until every running bot has arrived, then the clock moves once for all of them; returns
    /// the bars replayed (0: the exchange has no more).
    public func arrive() async throws -> Int {
        if released { return 1 }
        if waiting.count + 1 >= members {
            return try await step()
        }
        return try await withCheckedThrowingContinuation { waiting.append($0) }
    }

    /// A bot stopped (finished or failed): the others no longer wait for it.
    public func leave() async {
        members -= 1
        if !waiting.isEmpty && waiting.count >= members {
            _ = try? await step()
        }
    }

    /// The run is stopping: every bot waiting goes on (and sees the stop at the top of its loop),
    /// and none waits again.
    public func releaseAll() {
        released = true
        for continuation in waiting { continuation.resume(returning: 1) }
        waiting.removeAll()
    }

    private func step() async throws -> Int {
        let released = waiting
        waiting.removeAll()
        atStepEnd()
        do {
            let replayed = try await advance()
            for continuation in released { continuation.resume(returning: replayed) }
            return replayed
        } catch {
            for continuation in released { continuation.resume(throwing: error) }
            throw error
        }
    }
}
