import PeregrineCore
import PeregrineEngine
import PeregrineIndicators

/// One step of a compiled rule: it reads its children's values (evaluated before it) and sets its
/// own. Numbers are Doubles, NaN while an indicator warms up; conditions are 1 or 0. A node whose
/// value is an exact fraction of price units (a price, a simple average of prices, a price
/// literal) also sets `exact`, so comparisons between such values are exact, as the hand-written
/// sma-cross compares its averages. A node belongs to one instrument's machine and is advanced by
/// one thread, so the indicator state it mutates each bar opts out of dynamic exclusivity checks,
/// as the kernel's hot properties do.
class RuleNode {
    final var value = Double.nan
    final var exact: ExactNumber?

    /// Advances the node by one bar; its children have already advanced.
    func evaluate() {}

    /// -1, 0 or +1 for lhs against rhs; nil when either is undefined.
    static func compare(_ lhs: RuleNode, _ rhs: RuleNode) -> Int8? {
        if let a = lhs.exact, let b = rhs.exact { return a.compare(b) }
        let a = lhs.value, b = rhs.value
        guard !a.isNaN, !b.isNaN else { return nil }
        return a > b ? 1 : (a < b ? -1 : 0)
    }
}

/// `numerator / denominator` price units (10⁻⁹), compared without rounding.
struct ExactNumber: Sendable, Equatable {
    var numerator: Int128
    var denominator: Int64

    func compare(_ other: ExactNumber) -> Int8 {
        let lhs = numerator * Int128(other.denominator)
        let rhs = other.numerator * Int128(denominator)
        return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0)
    }
}

/// What the rules read besides indicators: the bar and the position, set by the strategy before
/// each evaluation, and the context a `tf()` reads its coarser bars from.
final class RuleInputs {
    /// The run's context and the instrument the rules trade, set once at the start (nil while the
    /// rules are only being checked).
    var context: StrategyContext?
    var instrument = InstrumentID(0)
    var bar = Bar(timestamp: Timestamp(nanoseconds: 0), open: .zero, high: .zero, low: .zero, close: .zero, volume: .zero)
    /// +1 long, -1 short, 0 flat.
    var position = 0.0
    /// Bars since the position was opened (0 on the bar it was first seen, and when flat).
    var barsHeld = 0.0
    /// Average entry price of the open position; NaN when flat.
    var entryPrice = Double.nan
}

/// A literal number or a parameter's value.
final class ConstantNode: RuleNode {
    init(_ number: Double, exact: ExactNumber?) {
        super.init()
        value = number
        self.exact = exact
    }
}

/// A field of the current bar or the position state.
final class InputNode: RuleNode {
    enum Field { case open, high, low, close, volume, position, barsHeld, entryPrice }
    let inputs: RuleInputs
    let field: Field

    init(_ field: Field, inputs: RuleInputs) {
        self.field = field
        self.inputs = inputs
    }

    override func evaluate() {
        let bar = inputs.bar
        switch field {
        case .open: set(bar.open)
        case .high: set(bar.high)
        case .low: set(bar.low)
        case .close: set(bar.close)
        case .volume: value = bar.volume.doubleValue
        case .position: value = inputs.position
        case .barsHeld: value = inputs.barsHeld
        case .entryPrice: value = inputs.entryPrice
        }
    }

    private func set(_ price: Price) {
        value = price.doubleValue
        exact = ExactNumber(numerator: Int128(price.units), denominator: 1)
    }
}

/// `-x`, `not c`, `abs(x)`.
final class UnaryNode: RuleNode {
    enum Operation { case negate, not, absolute }
    let operand: RuleNode
    let operation: Operation

    init(_ operation: Operation, _ operand: RuleNode) {
        self.operation = operation
        self.operand = operand
    }

    override func evaluate() {
        switch operation {
        case .negate: value = -operand.value
        case .not: value = operand.value == 1 ? 0 : 1
        case .absolute: value = abs(operand.value)
        }
    }
}

/// Arithmetic, comparisons, `and`, `or`, `min` and `max`.
final class BinaryNode: RuleNode {
    enum Operation { case add, subtract, multiply, divide, less, lessOrEqual, greater, greaterOrEqual, equal, notEqual, and, or, minimum, maximum }
    let lhs: RuleNode
    let rhs: RuleNode
    let operation: Operation

    init(_ operation: Operation, _ lhs: RuleNode, _ rhs: RuleNode) {
        self.operation = operation
        self.lhs = lhs
        self.rhs = rhs
    }

    override func evaluate() {
        let a = lhs.value, b = rhs.value
        switch operation {
        case .add: value = a + b
        case .subtract: value = a - b
        case .multiply: value = a * b
        case .divide: value = b == 0 ? .nan : a / b
        case .minimum: value = a.isNaN || b.isNaN ? .nan : min(a, b)
        case .maximum: value = a.isNaN || b.isNaN ? .nan : max(a, b)
        case .and: value = a == 1 && b == 1 ? 1 : 0
        case .or: value = a == 1 || b == 1 ? 1 : 0
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual:
            guard let order = RuleNode.compare(lhs, rhs) else { value = 0; return }
            let holds: Bool
            switch operation {
            case .less: holds = order < 0
            case .lessOrEqual: holds = order <= 0
            case .greater: holds = order > 0
            case .greaterOrEqual: holds = order >= 0
            case .equal: holds = order == 0
            default: holds = order != 0
            }
            value = holds ? 1 : 0
        }
    }
}

/// `crosses_above(a, b)`: a > b on this bar and a <= b on the one before, both defined on both
/// bars (`crosses_below` mirrored), as the hand-written sma-cross decides its crossings.
final class CrossNode: RuleNode {
    let lhs: RuleNode
    let rhs: RuleNode
    let upward: Bool
    private var previous: Int8?

    init(_ lhs: RuleNode, _ rhs: RuleNode, upward: Bool) {
        self.lhs = lhs
        self.rhs = rhs
        self.upward = upward
    }

    override func evaluate() {
        let current = RuleNode.compare(lhs, rhs)
        defer { previous = current }
        guard let now = current, let before = previous else { value = 0; return }
        value = (upward ? now > 0 && before <= 0 : now < 0 && before >= 0) ? 1 : 0
    }
}

/// The exact simple average of a price: one integer window sum, so it compares exactly.
final class PriceAverageNode: RuleNode {
    let input: RuleNode
    @exclusivity(unchecked) private var sum: RollingSum

    init(_ input: RuleNode, period: Int) {
        self.input = input
        sum = RollingSum(window: period)
    }

    override func evaluate() {
        guard let price = input.exact else { return }
        sum.update(Int64(truncatingIfNeeded: price.numerator))
        guard sum.isReady else { return }
        value = Double(sum.sum) / Double(sum.window) / Double(Price.scale)
        exact = ExactNumber(numerator: Int128(sum.sum), denominator: Int64(sum.window))
    }
}

/// A streaming indicator over another value (`ema(close, 20)`, `rsi(sma(close, 5), 14)`).
/// A NaN input (a warming-up operand) is not fed, so the indicator warms up after it.
final class SeriesNode<Indicator>: RuleNode {
    let input: RuleNode
    @exclusivity(unchecked) private var indicator: Indicator
    private let step: (inout Indicator, Double) -> Double?

    init(_ input: RuleNode, _ indicator: Indicator, step: @escaping (inout Indicator, Double) -> Double?) {
        self.input = input
        self.indicator = indicator
        self.step = step
    }

    override func evaluate() {
        let x = input.value
        guard !x.isNaN else { return }
        value = step(&indicator, x) ?? .nan
    }
}

/// A streaming indicator over a price input, for the indicators defined on exact prices
/// (`stddev`, `zscore`, `bb_upper`, `mom`).
final class PriceSeriesNode<Indicator>: RuleNode {
    let input: RuleNode
    @exclusivity(unchecked) private var indicator: Indicator
    private let step: (inout Indicator, Price) -> Double?

    init(_ input: RuleNode, _ indicator: Indicator, step: @escaping (inout Indicator, Price) -> Double?) {
        self.input = input
        self.indicator = indicator
        self.step = step
    }

    override func evaluate() {
        guard let price = input.exact, price.denominator == 1 else { return }
        value = step(&indicator, Price(units: Int64(truncatingIfNeeded: price.numerator))) ?? .nan
    }
}

/// A streaming indicator over whole bars (`atr(14)`, `adx(14)`, `donchian_upper(20)`).
final class BarSeriesNode<Indicator>: RuleNode {
    let inputs: RuleInputs
    @exclusivity(unchecked) private var indicator: Indicator
    private let step: (inout Indicator, Bar) -> Double?

    init(_ inputs: RuleInputs, _ indicator: Indicator, step: @escaping (inout Indicator, Bar) -> Double?) {
        self.inputs = inputs
        self.indicator = indicator
        self.step = step
    }

    override func evaluate() { value = step(&indicator, inputs.bar) ?? .nan }
}

/// `tf(1h, x)`: x over the instrument's bars at a coarser timeframe, as the context's view gives
/// them: evaluated once per period as it closes, never on a period still forming, and holding
/// that value until the next one closes. Its nodes read `periodInputs`, whose bar is the period's.
final class TimeframeNode: RuleNode {
    let timeframe: Timeframe
    let inputs: RuleInputs
    let periodInputs: RuleInputs
    let nodes: [RuleNode]
    let root: RuleNode
    /// Periods evaluated so far.
    private var seen = 0

    init(_ timeframe: Timeframe, inputs: RuleInputs, periodInputs: RuleInputs, nodes: [RuleNode], root: RuleNode) {
        self.timeframe = timeframe
        self.inputs = inputs
        self.periodInputs = periodInputs
        self.nodes = nodes
        self.root = root
    }

    override func evaluate() {
        guard let context = inputs.context else { return }
        let periods = context.history(inputs.instrument, timeframe: timeframe)
        guard periods.count > seen else { return }
        while seen < periods.count {
            periodInputs.bar = periods[ago: periods.count - 1 - seen]
            for node in nodes { node.evaluate() }
            seen += 1
        }
        value = root.value
        exact = root.exact
    }
}

/// `prev(x, n)`: the value n bars ago (NaN until there is one).
final class PreviousNode: RuleNode {
    let input: RuleNode
    @exclusivity(unchecked) private var values: [Double]
    @exclusivity(unchecked) private var exacts: [ExactNumber?]
    private var position = 0
    private var seen = 0

    init(_ input: RuleNode, bars: Int) {
        self.input = input
        values = Array(repeating: .nan, count: bars)
        exacts = Array(repeating: nil, count: bars)
    }

    override func evaluate() {
        if seen >= values.count {
            value = values[position]
            exact = exacts[position]
        }
        values[position] = input.value
        exacts[position] = input.exact
        position = position + 1 == values.count ? 0 : position + 1
        seen += 1
    }
}
