import PeregrineCore

/// Something the venue reports back: a fill, or an order whose status changed.
public enum VenueEvent: Hashable, Sendable {
    case fill(Fill)
    case orderUpdated(OrderID)
}
