import PeregrineCore

/// One round trip: from flat to a position and back to flat (or flipped). P&L is net of the
/// commissions of its fills; a fill that flips a position charges its commission to the trip it closes.
public struct RoundTrip: Hashable, Sendable {
    public enum Direction: String, Hashable, Sendable { case long, short }

    // Sixteen-byte values first, the exit's time and bar without optionals' padding (whether each
    // is set in one byte beside the direction): 138 bytes in a 144-byte stride, where two optionals
    // took 160. A long backtest keeps every trip.
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
    private var exitNanoseconds: Int64 = 0
    private var exitBarIndex: Int = 0
    public var direction: Direction
    /// Bit 0: the exit time is set; bit 1: the exit bar is set.
    private var exitSet: UInt8 = 0

    /// When the trip closed; nil while it is open.
    public var exitTime: Timestamp? {
        get { exitSet & 1 != 0 ? Timestamp(nanoseconds: exitNanoseconds) : nil }
        set {
            exitNanoseconds = newValue?.nanoseconds ?? 0
            exitSet = newValue == nil ? exitSet & ~1 : exitSet | 1
        }
    }

    /// The bar the trip closed on; nil while it is open.
    public var exitBar: Int? {
        get { exitSet & 2 != 0 ? exitBarIndex : nil }
        set {
            exitBarIndex = newValue ?? 0
            exitSet = newValue == nil ? exitSet & ~2 : exitSet | 2
        }
    }

    public init(instrument: InstrumentID, direction: Direction, entryTime: Timestamp, entryBar: Int) {
        self.instrument = instrument
        self.direction = direction
        self.entryTime = entryTime
        self.entryBar = entryBar
    }

    public var isOpen: Bool { exitSet & 1 == 0 }
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
