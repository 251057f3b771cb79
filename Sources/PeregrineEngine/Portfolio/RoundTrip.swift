import PeregrineCore

/// One round trip: from flat to a position and back to flat (or flipped). P&L is net of the
/// commissions of its fills; a fill that flips a position charges its commission to the trip it closes.
public struct RoundTrip: Hashable, Sendable {
    public enum Direction: String, Hashable, Sendable { case long, short }

    // Sixteen-byte values first, the direction in the optional time's padding: a long backtest
    // keeps every trip, a tenth smaller this way.
    /// Total quantity bought (long) or sold (short) to build the position.
    public var entryQuantity: Quantity = .zero
    public var entryNotional: Money = .zero
    public var exitQuantity: Quantity = .zero
    public var exitNotional: Money = .zero
    public var realizedPnL: Money = .zero
    public var commission: Money = .zero
    public var instrument: InstrumentID
    public var entryTime: Timestamp
    public var entryBar: Int
    public var exitTime: Timestamp?
    public var direction: Direction
    public var exitBar: Int?

    public init(instrument: InstrumentID, direction: Direction, entryTime: Timestamp, entryBar: Int) {
        self.instrument = instrument
        self.direction = direction
        self.entryTime = entryTime
        self.entryBar = entryBar
    }

    public var isOpen: Bool { exitTime == nil }
    public var netPnL: Money { realizedPnL - commission }
    public var barsHeld: Int? { exitBar.map { $0 - entryBar } }

    public var averageEntryPrice: Price {
        Price(units: Int64(entryNotional.units / Int128(max(1, entryQuantity.units))))
    }
    public var averageExitPrice: Price? {
        exitQuantity.units > 0 ? Price(units: Int64(exitNotional.units / Int128(exitQuantity.units))) : nil
    }
    /// Net P&L over the capital put in.
    public var returnOnEntry: Double {
        entryNotional.units == 0 ? 0 : netPnL.doubleValue / entryNotional.doubleValue
    }
}
