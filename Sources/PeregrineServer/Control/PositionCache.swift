import Synchronization
import PeregrineStorage

/// The trading runs' positions, kept between requests: each `positions` request reads only the fills
/// stored since the last one instead of every fill of every run, so its cost stays flat while a bot
/// trades for months and a dashboard polls. Only where rows appear in id order (SQLite); elsewhere
/// every request rebuilds the books from all fills, which is exact but grows with the store.
final class PositionCache: Sendable {
    private struct State {
        var all = PositionBook()
        var byBot: [String: PositionBook] = [:]
        var lastRowID: Int64 = 0
        var runs: [Int64: (kind: String, strategy: String)] = [:]
    }

    private let state = Mutex(State())

    /// The books of every trading fill so far: all bots together and per bot.
    func books(from store: TradingStore) throws -> (all: PositionBook, byBot: [String: PositionBook]) {
        var query = RecordQuery()
        query.tradingOnly = true
        query.limit = Int.max
        guard store.rowsAppearInIDOrder else {
            var fresh = State()
            try Self.apply(store.fills(matching: query), store: store, to: &fresh)
            return (fresh.all, fresh.byBot)
        }
        // Reads outside the lock, so requests never queue behind the store; a request that lost the race
        // to another applies nothing twice (rows at or below the books' last id are skipped).
        query.after = state.withLock { $0.lastRowID }
        let fills = try store.fills(matching: query)
        let names = try fills.contains { item in state.withLock { $0.runs[item.runID] == nil } } ? store.runNames() : nil
        return state.withLock { current in
            if let names { current.runs = names }
            Self.apply(fills, to: &current)
            return (current.all, current.byBot)
        }
    }

    private static func apply(_ fills: [(rowID: Int64, runID: Int64, fill: StoredFill)], store: TradingStore, to state: inout State) throws {
        if !fills.isEmpty { state.runs = try store.runNames() }
        apply(fills, to: &state)
    }

    /// Applies fills (given newest first, as the store lists them) oldest first, past the last one applied.
    private static func apply(_ fills: [(rowID: Int64, runID: Int64, fill: StoredFill)], to state: inout State) {
        for item in fills.reversed() where item.rowID > state.lastRowID {
            let bot = state.runs[item.runID]?.strategy ?? "?"
            state.all.apply(item.fill, bot: bot)
            state.byBot[bot, default: PositionBook()].apply(item.fill, bot: bot)
            state.lastRowID = item.rowID
        }
    }
}
