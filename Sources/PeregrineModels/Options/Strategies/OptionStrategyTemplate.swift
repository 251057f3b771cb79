/// The named option strategies and the legs each one holds, from its strikes (lowest first) and
/// expiries, each as traders usually hold it (a bull call spread buys the lower strike; the iron
/// condor and iron butterfly sell the inner strikes for a credit). `short` takes the other side of
/// every leg: a short straddle, a short butterfly.
public enum OptionStrategyTemplate: String, CaseIterable, Sendable {
    /// Long 100 shares, short a call at K.
    case coveredCall = "covered-call"
    /// Short a put at K, with the strike's cash set aside.
    case cashSecuredPut = "cash-secured-put"
    /// Long shares, long a put at K.
    case protectivePut = "protective-put"
    /// Long shares, long a put at K1, short a call at K2.
    case collar
    /// Long a call at K1, short a call at K2.
    case bullCallSpread = "bull-call-spread"
    /// Short a call at K1, long a call at K2.
    case bearCallSpread = "bear-call-spread"
    /// Long a put at K1, short a put at K2 (a credit).
    case bullPutSpread = "bull-put-spread"
    /// Short a put at K1, long a put at K2.
    case bearPutSpread = "bear-put-spread"
    /// Long a call and a put at K.
    case straddle
    /// Long a put at K1, long a call at K2.
    case strangle
    /// Long a put at K1, short a put at K2, short a call at K3, long a call at K4 (a credit).
    case ironCondor = "iron-condor"
    /// Long a put at K1, short a put and a call at K2, long a call at K3 (a credit).
    case ironButterfly = "iron-butterfly"
    /// Long one at K1, short two at K2, long one at K3, all calls or all puts.
    case butterfly
    /// Short the near expiry, long the far one, both at K.
    case calendar
    /// Short the near expiry at K2, long the far one at K1 (for calls; K2 and K1 swap for puts).
    case diagonal

    /// How many strikes the strategy takes.
    public var strikeCount: Int {
        switch self {
        case .coveredCall, .cashSecuredPut, .protectivePut, .straddle, .calendar: 1
        case .collar, .bullCallSpread, .bearCallSpread, .bullPutSpread, .bearPutSpread, .strangle, .diagonal: 2
        case .ironButterfly, .butterfly: 3
        case .ironCondor: 4
        }
    }

    /// Whether it holds a far expiry as well as the near one.
    public var needsFarExpiry: Bool { self == .calendar || self == .diagonal }

    /// The legs, per share. `type` chooses calls or puts for the butterfly, calendar and diagonal.
    public func legs(strikes: [Double], expiry: Double, farExpiry: Double? = nil, type: OptionType = .call,
                     short: Bool = false) throws(OptionStrategyError) -> [OptionLeg] {
        guard strikes.count == strikeCount else {
            throw OptionStrategyError("\(rawValue) takes \(strikeCount) strike\(strikeCount == 1 ? "" : "s"), got \(strikes.count)")
        }
        if let bad = strikes.first(where: { !($0 > 0 && $0.isFinite) }) { throw OptionStrategyError("strike \(bad) must be a positive number") }
        for index in strikes.indices.dropFirst() where strikes[index] <= strikes[index - 1] {
            throw OptionStrategyError("strikes must rise: \(strikes[index - 1]) then \(strikes[index])")
        }
        guard expiry > 0 && expiry <= 100 else { throw OptionStrategyError("expiry \(expiry) years: use more than 0 and at most 100") }
        let far: Double
        if needsFarExpiry {
            guard let farExpiry, farExpiry > expiry, farExpiry <= 100 else {
                throw OptionStrategyError("\(rawValue) needs a far expiry after the near one (\(expiry) years)")
            }
            far = farExpiry
        } else {
            far = expiry
        }
        let k = strikes, t = expiry
        let legs: [OptionLeg]
        switch self {
        case .coveredCall: legs = [.stock(1), .call(-1, strike: k[0], expiry: t)]
        case .cashSecuredPut: legs = [.put(-1, strike: k[0], expiry: t)]
        case .protectivePut: legs = [.stock(1), .put(1, strike: k[0], expiry: t)]
        case .collar: legs = [.stock(1), .put(1, strike: k[0], expiry: t), .call(-1, strike: k[1], expiry: t)]
        case .bullCallSpread: legs = [.call(1, strike: k[0], expiry: t), .call(-1, strike: k[1], expiry: t)]
        case .bearCallSpread: legs = [.call(-1, strike: k[0], expiry: t), .call(1, strike: k[1], expiry: t)]
        case .bullPutSpread: legs = [.put(1, strike: k[0], expiry: t), .put(-1, strike: k[1], expiry: t)]
        case .bearPutSpread: legs = [.put(-1, strike: k[0], expiry: t), .put(1, strike: k[1], expiry: t)]
        case .straddle: legs = [.call(1, strike: k[0], expiry: t), .put(1, strike: k[0], expiry: t)]
        case .strangle: legs = [.put(1, strike: k[0], expiry: t), .call(1, strike: k[1], expiry: t)]
        case .ironCondor:
            legs = [.put(1, strike: k[0], expiry: t), .put(-1, strike: k[1], expiry: t), .call(-1, strike: k[2], expiry: t),
                    .call(1, strike: k[3], expiry: t)]
        case .ironButterfly:
            legs = [.put(1, strike: k[0], expiry: t), .put(-1, strike: k[1], expiry: t), .call(-1, strike: k[1], expiry: t),
                    .call(1, strike: k[2], expiry: t)]
        case .butterfly:
            legs = [OptionLeg(.option(type, strike: k[0], expiry: t), quantity: 1), OptionLeg(.option(type, strike: k[1], expiry: t), quantity: -2),
                    OptionLeg(.option(type, strike: k[2], expiry: t), quantity: 1)]
        case .calendar:
            legs = [OptionLeg(.option(type, strike: k[0], expiry: t), quantity: -1), OptionLeg(.option(type, strike: k[0], expiry: far), quantity: 1)]
        case .diagonal:
            // The far leg deeper in the money than the near one it is short.
            let (near, deep) = type == .call ? (k[1], k[0]) : (k[0], k[1])
            legs = [OptionLeg(.option(type, strike: near, expiry: t), quantity: -1), OptionLeg(.option(type, strike: deep, expiry: far), quantity: 1)]
        }
        return short ? legs.map { OptionLeg($0.instrument, quantity: -$0.quantity) } : legs
    }
}
