import PeregrineAlpaca

/// Where the trading stream leaves what it heard for the session's next turn: updates in order,
/// whether the stream is up, and whether a REST catch-up is owed (after every (re)connection,
/// since updates sent while it was down are gone).
actor TradeUpdateInbox {
    private(set) var isConnected = false
    private(set) var connections = 0
    private(set) var drops = 0
    private var updates: [AlpacaTradeUpdate] = []
    private var catchUpOwed = false

    func receive(_ event: AlpacaTradeStream.Event) {
        switch event {
        case .connected:
            isConnected = true
            connections += 1
            catchUpOwed = true
        case .update(let update):
            updates.append(update)
        case .disconnected:
            if isConnected { drops += 1 }
            isConnected = false
        }
    }

    /// The updates so far and whether a catch-up is owed; both are cleared.
    func take() -> (updates: [AlpacaTradeUpdate], catchUp: Bool) {
        defer {
            updates.removeAll()
            catchUpOwed = false
        }
        return (updates, catchUpOwed)
    }
}
