/// How a strategy's option legs are valued: European by Black-Scholes-Merton, or American (early
/// exercise at any time) by a Leisen-Reimer tree, Barone-Adesi-Whaley, or Bjerksund-Stensland (2002,
/// or QuantLib's 1993 engine). Exchange-listed equity options in the US are American, so a strategy
/// held through an ex-dividend date, or deep in the money, is worth more than its European value.
public enum LegPricing: Hashable, Sendable {
    case european
    case leisenReimer(steps: Int)
    case baroneAdesiWhaley
    case bjerksundStensland(BjerksundStensland.Version)

    /// The names `--model` takes: leisen-reimer, baw, bjs, bjs1993 (American), bsm (European).
    public init?(model: String, american: Bool, steps: Int) {
        switch (model, american) {
        case ("bsm", false): self = .european
        case ("leisen-reimer", true): self = .leisenReimer(steps: steps)
        case ("baw", true): self = .baroneAdesiWhaley
        case ("bjs", true): self = .bjerksundStensland(.twoStep2002)
        case ("bjs1993", true): self = .bjerksundStensland(.flatBoundary1993)
        default: return nil
        }
    }

    public var isAmerican: Bool { self != .european }

    /// One option's price and Greeks.
    public func value(_ type: OptionType, _ inputs: OptionInputs) -> OptionValuation {
        switch self {
        case .european: return BlackScholesMerton.value(type, inputs)
        case .leisenReimer(let steps): return BinomialTree(kind: .leisenReimer, steps: steps).value(type, inputs, american: true)
        case .baroneAdesiWhaley: return BaroneAdesiWhaley.value(type, inputs)
        case .bjerksundStensland(let version): return BjerksundStensland.value(type, inputs, version: version)
        }
    }

    /// One option's price alone (the cheaper path where a model has one).
    public func price(_ type: OptionType, _ inputs: OptionInputs) -> Double {
        switch self {
        case .european: return BlackScholesMerton.value(type, inputs).price
        case .leisenReimer(let steps): return BinomialTree(kind: .leisenReimer, steps: steps).price(type, inputs, american: true)
        case .baroneAdesiWhaley: return BaroneAdesiWhaley.price(type, inputs)
        case .bjerksundStensland(let version): return BjerksundStensland.price(type, inputs, version: version)
        }
    }
}
