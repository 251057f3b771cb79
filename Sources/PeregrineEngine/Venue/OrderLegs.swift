/// The legs of a bracket or OTO entry, by order index: none, one or two (a take-profit and a
/// stop-loss). Two optional indices instead of an array keep `OrderState` a plain value, which
/// the venue's book appends and copies without reference counting on every order.
struct OrderLegs: Sequence {
    private var first: Int?
    private var second: Int?

    init() {}

    /// The legs in the order they were added; more than two is a bug in the venue.
    init(_ legs: [Int]) {
        precondition(legs.count <= 2, "an entry has at most a take-profit and a stop-loss leg")
        first = legs.first
        second = legs.count > 1 ? legs[1] : nil
    }

    var isEmpty: Bool { first == nil }

    func makeIterator() -> Iterator { Iterator(legs: self) }

    struct Iterator: IteratorProtocol {
        let legs: OrderLegs
        var position = 0

        mutating func next() -> Int? {
            defer { position += 1 }
            switch position {
            case 0: return legs.first
            case 1: return legs.second
            default: return nil
            }
        }
    }
}
