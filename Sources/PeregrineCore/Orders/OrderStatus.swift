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
    @inlinable public var isTerminal: Bool {
        switch self {
        case .filled, .canceled, .expired, .rejected, .replaced: return true
        default: return false
        }
    }

    /// The order can still fill.
    @inlinable public var isWorking: Bool { !isTerminal }

    /// Whether the state machine allows moving from this status to `next`. A switch, not a set
    /// lookup: it runs on every fill and status change.
    @inlinable
    public func canTransition(to next: OrderStatus) -> Bool {
        switch self {
        case .new:
            return next == .accepted || next == .rejected || next == .canceled || next == .pendingCancel
        case .accepted:
            return next == .partiallyFilled || next == .filled || next == .canceled || next == .expired
                || next == .pendingCancel || next == .pendingReplace
        case .partiallyFilled:
            return next == .partiallyFilled || next == .filled || next == .canceled || next == .expired
                || next == .pendingCancel || next == .pendingReplace
        case .pendingCancel:
            // A cancel can lose the race to a fill, or be refused and fall back to working.
            return next == .canceled || next == .filled || next == .partiallyFilled || next == .accepted
                || next == .expired
        case .pendingReplace:
            return next == .replaced || next == .filled || next == .partiallyFilled || next == .accepted
                || next == .canceled || next == .expired
        case .filled, .canceled, .expired, .rejected, .replaced:
            return false
        }
    }

    /// The legal next states from this one.
    public var successors: Set<OrderStatus> { Set(OrderStatus.allCases.filter(canTransition(to:))) }

    public var description: String { rawValue }
}

/// A refused status change: which order, from what, to what.
public struct IllegalOrderTransition: Error, Equatable, Sendable, CustomStringConvertible {
    public var orderID: OrderID
    public var from: OrderStatus
    public var to: OrderStatus
    public var description: String { "order \(orderID): illegal status change \(from) -> \(to)" }
}
