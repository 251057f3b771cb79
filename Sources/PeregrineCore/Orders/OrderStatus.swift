/// An order's life cycle, with Alpaca's states. `canTransition(to:)` is the whole state machine:
/// a status change it does not list is a bug or a broker inconsistency and is refused.
public enum OrderStatus: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Created and sent; not yet acknowledged by the venue.
    case new
    case accepted
    case partiallyFilled = "partially_filled"
    case filled
    case canceled
    case expired
    case rejected
    /// Superseded by a replacement order.
    case replaced
    case pendingCancel = "pending_cancel"
    case pendingReplace = "pending_replace"

    /// No further change can happen.
    public var isTerminal: Bool {
        switch self {
        case .filled, .canceled, .expired, .rejected, .replaced: return true
        default: return false
        }
    }

    /// The order can still fill.
    public var isWorking: Bool { !isTerminal }

    /// The legal next states from this one.
    public var successors: Set<OrderStatus> {
        switch self {
        case .new:
            return [.accepted, .rejected, .canceled, .pendingCancel]
        case .accepted:
            return [.partiallyFilled, .filled, .canceled, .expired, .pendingCancel, .pendingReplace]
        case .partiallyFilled:
            return [.partiallyFilled, .filled, .canceled, .expired, .pendingCancel, .pendingReplace]
        case .pendingCancel:
            // A cancel can lose the race to a fill, or be refused and fall back to working.
            return [.canceled, .filled, .partiallyFilled, .accepted, .expired]
        case .pendingReplace:
            return [.replaced, .filled, .partiallyFilled, .accepted, .canceled, .expired]
        case .filled, .canceled, .expired, .rejected, .replaced:
            return []
        }
    }

    public func canTransition(to next: OrderStatus) -> Bool { successors.contains(next) }

    public var description: String { rawValue }
}

/// A refused status change: which order, from what, to what.
public struct IllegalOrderTransition: Error, Equatable, Sendable, CustomStringConvertible {
    public var orderID: OrderID
    public var from: OrderStatus
    public var to: OrderStatus
    public var description: String { "order \(orderID): illegal status change \(from) -> \(to)" }
}
