import PeregrineCore

/// Who owns each order of a venue that several sleeves share, and the fan-out of the venue's
/// events to the sleeves' views: a fill or status change goes to the sleeve whose order it is, so
/// each sleeve's books see exactly their own fills.
public final class SleeveRouter<V: ExecutionVenue> {
    public let venue: V
    /// Owning sleeve per order id (`OrderID.value`); -1 for an order no sleeve claimed.
    @exclusivity(unchecked) private(set) var owners: [Int32] = []
    /// The views, one per sleeve, in sleeve order.
    @exclusivity(unchecked) public private(set) var views: [SleeveVenue<V>] = []
    /// Events of orders no sleeve owns (none, unless an order was adopted without an owner).
    @exclusivity(unchecked) public private(set) var unclaimed: [VenueEvent] = []

    public init(venue: V) { self.venue = venue }

    /// A new sleeve's view. `clientOrderTag`, when given, names the sleeve's generated client order
    /// ids (`TAG-N`), so the broker's record says whose each order is.
    public func addView(clientOrderTag: String? = nil) -> SleeveVenue<V> {
        let view = SleeveVenue(router: self, sleeve: views.count, clientOrderTag: clientOrderTag)
        views.append(view)
        return view
    }

    public func owner(of id: OrderID) -> Int? {
        guard owners.indices.contains(id.value), owners[id.value] >= 0 else { return nil }
        return Int(owners[id.value])
    }

    /// Gives every order the venue holds past the known ones to `sleeve` (a group's legs come with it).
    func claimNew(for sleeve: Int) {
        let count = venue.orderCount
        if owners.count < count { owners.append(contentsOf: repeatElement(Int32(sleeve), count: count - owners.count)) }
    }

    /// Records the owner of an order that joined the venue another way (adopted from a broker at start).
    public func claim(_ id: OrderID, for sleeve: Int) {
        if owners.count <= id.value { owners.append(contentsOf: repeatElement(-1, count: id.value + 1 - owners.count)) }
        owners[id.value] = Int32(sleeve)
    }

    /// Moves the venue's pending events to their owners' views.
    func route() {
        guard venue.hasEvents else { return }
        let events = venue.events
        venue.events.removeAll(keepingCapacity: true)
        for event in events {
            let id: OrderID
            switch event {
            case .fill(let fill): id = fill.orderID
            case .orderUpdated(let order): id = order
            }
            if let sleeve = owner(of: id) { views[sleeve].events.append(event) } else { unclaimed.append(event) }
        }
    }
}
