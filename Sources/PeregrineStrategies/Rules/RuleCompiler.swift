import PeregrineCore
import PeregrineIndicators
import PeregrineModels

/// Turns a parsed rule into a list of nodes evaluated in order each bar, children first: every
/// indicator is built once here with its periods, so nothing is parsed or looked up per bar. A
/// subexpression that occurs more than once, in one rule or across the rules of a machine (the
/// `sma(close, 10)` of both an entry and an exit), is one node: its value on a bar depends only on
/// the bars and position seen so far, so every use reads the same value. Type errors (a condition
/// where a number belongs, a period that is not a whole number, an unknown name) name the rule and
/// the column.
final class RuleCompiler {
    enum ValueType { case number, condition }

    /// Whether a node holds an exact price (a bar's open, high, low or close, or a delay of one).
    private var priceNodes: Set<ObjectIdentifier> = []
    private(set) var nodes: [RuleNode] = []
    /// The node and type of every subexpression compiled so far, by `RuleExpression.key`.
    private var compiled: [String: (RuleNode, ValueType)] = [:]
    let inputs: RuleInputs
    let parameters: [String: Double]
    let sessionZone: ZoneRule
    /// Whether this compiles the expression inside a `tf()`, over a coarser timeframe's bars.
    let insideTimeframe: Bool
    private var rule = ""

    init(inputs: RuleInputs, parameters: [String: Double], sessionZone: ZoneRule, insideTimeframe: Bool = false) {
        self.inputs = inputs
        self.parameters = parameters
        self.sessionZone = sessionZone
        self.insideTimeframe = insideTimeframe
    }

    /// The functions rules can call: name, what the first argument is, and the constant arguments
    /// with their defaults (nil: must be given).
    enum Input { case series, price, bar, none }
    static let functions: [String: (input: Input, constants: [Double?])] = [
        "sma": (.series, [nil]), "ema": (.series, [nil]), "wma": (.series, [nil]), "dema": (.series, [nil]),
        "tema": (.series, [nil]), "rsi": (.series, [14]), "roc": (.series, [10]),
        "macd": (.series, [12, 26, 9]), "macd_signal": (.series, [12, 26, 9]), "macd_hist": (.series, [12, 26, 9]),
        "mom": (.price, [10]), "stddev": (.price, [20]), "zscore": (.price, [20]),
        "bollinger_signal": (.price, [20, 2, 0.5]), "rsi_reversal": (.series, [14]),
        "bb_upper": (.price, [20, 2]), "bb_middle": (.price, [20, 2]), "bb_lower": (.price, [20, 2]),
        "highest": (.series, [nil]), "lowest": (.series, [nil]), "prev": (.series, [1]),
        "atr": (.bar, [14]), "adx": (.bar, [14]), "plus_di": (.bar, [14]), "minus_di": (.bar, [14]),
        "stoch_k": (.bar, [14, 3, 3]), "stoch_d": (.bar, [14, 3, 3]), "obv": (.bar, []), "vwap": (.bar, []),
        "donchian_upper": (.bar, [20]), "donchian_middle": (.bar, [20]), "donchian_lower": (.bar, [20]),
        "keltner_upper": (.bar, [20, 2]), "keltner_middle": (.bar, [20, 2]), "keltner_lower": (.bar, [20, 2]),
        "crosses_above": (.none, []), "crosses_below": (.none, []), "abs": (.none, []), "min": (.none, []), "max": (.none, []),
        "tf": (.none, []),
    ]

    static let names: [String: InputNode.Field] = [
        "open": .open, "high": .high, "low": .low, "close": .close, "volume": .volume,
        "position": .position, "bars_held": .barsHeld, "entry_price": .entryPrice,
    ]

    /// Compiles one rule that must be a condition; returns its root node.
    func compileCondition(_ expression: RuleExpression, rule: String) throws(RuleError) -> RuleNode {
        self.rule = rule
        let (node, type) = try compile(expression)
        guard type == .condition else {
            throw failure("the rule is a number, not a condition; compare it, e.g. '... > 0'", expression.column)
        }
        return node
    }

    private func failure(_ message: String, _ column: Int) -> RuleError { RuleError(rule: rule, column: column, message: message) }

    private func add<N: RuleNode>(_ node: N) -> N {
        nodes.append(node)
        return node
    }

    /// The node of a subexpression: the one already compiled for the same text, or a new one.
    private func compile(_ expression: RuleExpression) throws(RuleError) -> (RuleNode, ValueType) {
        let key = expression.key
        if let known = compiled[key] { return known }
        let made = try build(expression)
        compiled[key] = made
        return made
    }

    private func build(_ expression: RuleExpression) throws(RuleError) -> (RuleNode, ValueType) {
        switch expression {
        case .number(let text, let column):
            guard let number = Double(text), number.isFinite else { throw failure("'\(text)' is not a number", column) }
            return (add(ConstantNode(number, exact: Price(text).map { ExactNumber(numerator: Int128($0.units), denominator: 1) })), .number)
        case .boolean(let flag, _):
            return (add(ConstantNode(flag ? 1 : 0, exact: nil)), .condition)
        case .parameter(let name, let column):
            guard let number = parameters[name] else { throw failure("parameter $\(name) has no value; give --param \(name)=...", column) }
            return (add(ConstantNode(number, exact: nil)), .number)
        case .name(let name, let column):
            guard let field = Self.names[name] else {
                let hint = Self.functions[name] != nil ? "; \(name) is a function: \(name)(...)" : ""
                throw failure("unknown name '\(name)'; known: \(Self.names.keys.sorted().joined(separator: ", "))\(hint)", column)
            }
            if insideTimeframe && ![.open, .high, .low, .close, .volume].contains(field) {
                throw failure("'\(name)' is the position's, not a bar's; inside tf() use open, high, low, close, volume and "
                              + "indicators of them", column)
            }
            let node = add(InputNode(field, inputs: inputs))
            if [.open, .high, .low, .close].contains(field) { priceNodes.insert(ObjectIdentifier(node)) }
            return (node, .number)
        case .unary(let op, let operand, let column):
            let (inner, type) = try compile(operand)
            if op == "not" {
                guard type == .condition else { throw failure("'not' needs a condition", column) }
                return (add(UnaryNode(.not, inner)), .condition)
            }
            guard type == .number else { throw failure("'-' needs a number", column) }
            return (add(UnaryNode(.negate, inner)), .number)
        case .binary(let op, let lhs, let rhs, let column):
            let (left, leftType) = try compile(lhs)
            let (right, rightType) = try compile(rhs)
            switch op {
            case "and", "or":
                guard leftType == .condition, rightType == .condition else { throw failure("'\(op)' joins two conditions", column) }
                return (add(BinaryNode(op == "and" ? .and : .or, left, right)), .condition)
            case "<", "<=", ">", ">=", "==", "!=":
                guard leftType == .number, rightType == .number else { throw failure("'\(op)' compares two numbers", column) }
                let operation: BinaryNode.Operation = ["<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
                                                       "==": .equal, "!=": .notEqual][op]!
                return (add(BinaryNode(operation, left, right)), .condition)
            default:
                guard leftType == .number, rightType == .number else { throw failure("'\(op)' needs two numbers", column) }
                let operation: BinaryNode.Operation = ["+": .add, "-": .subtract, "*": .multiply, "/": .divide][op]!
                return (add(BinaryNode(operation, left, right)), .number)
            }
        case .call(let name, let arguments, let column):
            return try call(name, arguments, column: column)
        }
    }

    /// A constant argument: a number, a $parameter, or arithmetic of them.
    private func constant(_ expression: RuleExpression) -> Double? {
        switch expression {
        case .number(let text, _): return Double(text)
        case .parameter(let name, _): return parameters[name]
        case .unary("-", let operand, _): return constant(operand).map { -$0 }
        case .binary(let op, let lhs, let rhs, _):
            guard let a = constant(lhs), let b = constant(rhs) else { return nil }
            switch op {
            case "+": return a + b
            case "-": return a - b
            case "*": return a * b
            case "/": return b == 0 ? nil : a / b
            default: return nil
            }
        default: return nil
        }
    }

    /// `tf(1h, x)`: x compiled on nodes of its own, which read the bars of the coarser timeframe.
    private func timeframe(_ arguments: [RuleExpression], column: Int) throws(RuleError) -> (RuleNode, ValueType) {
        guard arguments.count == 2 else {
            throw failure("tf takes a timeframe and an expression, as tf(1h, sma(close, 20)); got \(arguments.count) argument(s)", column)
        }
        guard case .name(let text, _) = arguments[0], let timeframe = Timeframe(text) else {
            throw failure("the first argument of tf must be a timeframe: 5min, 15min, 30min, 1h, 4h or 1d (minutes or hours "
                          + "that divide a day)", arguments[0].column)
        }
        guard !insideTimeframe else { throw failure("tf() cannot hold another tf()", column) }
        let inner = RuleCompiler(inputs: RuleInputs(), parameters: parameters, sessionZone: sessionZone, insideTimeframe: true)
        inner.rule = rule
        let (root, type) = try inner.compile(arguments[1])
        let node = add(TimeframeNode(timeframe, inputs: inputs, periodInputs: inner.inputs, nodes: inner.nodes, root: root))
        if inner.priceNodes.contains(ObjectIdentifier(root)) { priceNodes.insert(ObjectIdentifier(node)) }
        return (node, type)
    }

    private func call(_ name: String, _ arguments: [RuleExpression], column: Int) throws(RuleError) -> (RuleNode, ValueType) {
        guard let signature = Self.functions[name] else {
            throw failure("unknown function '\(name)'; known: \(Self.functions.keys.sorted().joined(separator: ", "))", column)
        }
        let leading = signature.input == .series || signature.input == .price ? 1 : 0
        switch name {
        case "crosses_above", "crosses_below", "min", "max":
            guard arguments.count == 2 else { throw failure("\(name) takes two arguments, got \(arguments.count)", column) }
            let (a, aType) = try compile(arguments[0])
            let (b, bType) = try compile(arguments[1])
            guard aType == .number, bType == .number else { throw failure("\(name) takes two numbers", column) }
            if name == "min" || name == "max" { return (add(BinaryNode(name == "min" ? .minimum : .maximum, a, b)), .number) }
            return (add(CrossNode(a, b, upward: name == "crosses_above")), .condition)
        case "tf":
            return try timeframe(arguments, column: column)
        case "abs":
            guard arguments.count == 1 else { throw failure("abs takes one argument", column) }
            let (a, type) = try compile(arguments[0])
            guard type == .number else { throw failure("abs takes a number", column) }
            return (add(UnaryNode(.absolute, a)), .number)
        default:
            break
        }
        let maximum = leading + signature.constants.count
        let minimum = leading + signature.constants.filter { $0 == nil }.count
        guard arguments.count >= minimum && arguments.count <= maximum else {
            let shape = (leading == 1 ? ["x"] : []) + signature.constants.enumerated().map { $0.element == nil ? "n" : "n\($0.offset + 1)?" }
            throw failure("\(name) takes \(minimum == maximum ? "\(minimum)" : "\(minimum) to \(maximum)") argument(s): "
                + "\(name)(\(shape.joined(separator: ", "))), got \(arguments.count)", column)
        }
        var values: [Double] = []
        for (index, fallback) in signature.constants.enumerated() {
            let position = leading + index
            if position < arguments.count {
                guard let value = constant(arguments[position]) else {
                    throw failure("argument \(position + 1) of \(name) must be a number or a $parameter", arguments[position].column)
                }
                values.append(value)
            } else {
                values.append(fallback!)
            }
        }
        // Periods are whole numbers from 1; a width (the last of bb_* and keltner_*) is any positive number;
        // bollinger_signal's entry and exit are z levels with entry > exit >= 0.
        for (index, value) in values.enumerated() {
            let isWidth = (name.hasPrefix("bb_") || name.hasPrefix("keltner_")) && index == 1
            let argumentColumn = leading + index < arguments.count ? arguments[leading + index].column : column
            if name == "bollinger_signal" && index > 0 {
                guard values[1] > values[2], values[2] >= 0, values[1] <= 100 else {
                    throw failure("bollinger_signal needs entry > exit >= 0 (entry at most 100), got entry \(values[1]) exit \(values[2])",
                                  argumentColumn)
                }
            } else if isWidth {
                guard value > 0 && value <= 100 else { throw failure("\(name) width \(value) must be in (0, 100]", argumentColumn) }
            } else {
                guard value >= 1, value <= 100_000, value == value.rounded() else {
                    throw failure("\(name) period \(value) must be a whole number from 1 to 100000", argumentColumn)
                }
            }
        }
        func period(_ index: Int) -> Int { Int(values[index]) }
        var input: RuleNode?
        if leading == 1 {
            let (node, type) = try compile(arguments[0])
            guard type == .number else { throw failure("the first argument of \(name) must be a number, not a condition", arguments[0].column) }
            if signature.input == .price || name == "sma" {
                let isPrice = priceNodes.contains(ObjectIdentifier(node))
                if signature.input == .price && !isPrice {
                    throw failure("\(name) is defined on prices: its first argument must be open, high, low, close or prev() of one",
                                  arguments[0].column)
                }
            }
            input = node
        }
        let node: RuleNode
        switch name {
        case "sma":
            node = priceNodes.contains(ObjectIdentifier(input!))
                ? PriceAverageNode(input!, period: period(0))
                : SeriesNode(input!, RunningMean(period: period(0))) { $0.update($1) }
        case "ema": node = SeriesNode(input!, ExponentialMovingAverage(period: period(0))) { $0.update($1) }
        case "wma": node = SeriesNode(input!, WeightedMovingAverage(period: period(0))) { $0.update($1) }
        case "dema": node = SeriesNode(input!, DoubleExponentialMovingAverage(period: period(0))) { $0.update($1) }
        case "tema": node = SeriesNode(input!, TripleExponentialMovingAverage(period: period(0))) { $0.update($1) }
        case "rsi": node = SeriesNode(input!, RelativeStrengthIndex(period: period(0))) { $0.update($1) }
        case "roc": node = SeriesNode(input!, RateOfChange(period: period(0))) { $0.update($1) }
        case "macd", "macd_signal", "macd_hist":
            let macd = MovingAverageConvergenceDivergence(fast: period(0), slow: period(1), signal: period(2))
            node = SeriesNode(input!, macd) { indicator, x in
                guard let v = indicator.update(x) else { return nil }
                return name == "macd" ? v.line : name == "macd_signal" ? v.signal : v.histogram
            }
        case "highest", "lowest":
            node = SeriesNode(input!, RollingExtreme(period: period(0), maximum: name == "highest")) { $0.update($1) }
        case "prev":
            node = PreviousNode(input!, bars: period(0))
            if priceNodes.contains(ObjectIdentifier(input!)) { priceNodes.insert(ObjectIdentifier(node)) }
        case "mom": node = PriceSeriesNode(input!, Momentum(period: period(0))) { $0.update($1) }
        case "stddev": node = PriceSeriesNode(input!, RollingStandardDeviation(period: period(0))) { $0.update($1)?.deviation }
        case "zscore": node = PriceSeriesNode(input!, ZScore(period: period(0))) { $0.update($1) }
        case "bollinger_signal":
            // 1 buy (z at or below -entry), -1 sell (at or above entry), 0 exit (within exit of the middle),
            // no value in between: `bollinger_signal(close) == 1` holds only on a buy reading.
            let reading = BollingerZSignal(entry: values[1], exit: values[2])
            node = PriceSeriesNode(input!, ZScore(period: period(0))) { indicator, price in
                guard let z = indicator.update(price) else { return nil }
                switch reading.read(z) {
                case .buy: return 1
                case .sell: return -1
                case .exit: return 0
                case .none: return nil
                }
            }
        case "rsi_reversal":
            node = SeriesNode(input!, RelativeStrengthIndex(period: period(0))) { indicator, x in
                indicator.update(x).map { BayesianRSISignal.reversalProbability(rsi: $0) }
            }
        case "bb_upper", "bb_middle", "bb_lower":
            node = PriceSeriesNode(input!, BollingerBands(period: period(0), width: values[1])) { bands, price in
                guard let v = bands.update(price) else { return nil }
                return name == "bb_upper" ? v.upper : name == "bb_middle" ? v.middle : v.lower
            }
        case "atr": node = BarSeriesNode(inputs, AverageTrueRange(period: period(0))) { $0.update($1) }
        case "adx", "plus_di", "minus_di":
            node = BarSeriesNode(inputs, DirectionalMovement(period: period(0))) { indicator, bar in
                guard let v = indicator.update(bar) else { return nil }
                return name == "adx" ? v.adx : name == "plus_di" ? v.plusDI : v.minusDI
            }
        case "stoch_k", "stoch_d":
            node = BarSeriesNode(inputs, Stochastic(fastK: period(0), slowK: period(1), slowD: period(2))) { indicator, bar in
                guard let v = indicator.update(bar) else { return nil }
                return name == "stoch_k" ? v.k : v.d
            }
        case "obv": node = BarSeriesNode(inputs, OnBalanceVolume()) { $0.update($1) }
        case "vwap":
            node = BarSeriesNode(inputs, SessionVWAP(zone: sessionZone)) { $0.update($1) }
        case "donchian_upper", "donchian_middle", "donchian_lower":
            node = BarSeriesNode(inputs, DonchianChannel(period: period(0))) { channel, bar in
                guard let v = channel.update(bar) else { return nil }
                return name == "donchian_upper" ? v.upper : name == "donchian_middle" ? v.middle : v.lower
            }
        default:  // keltner_upper, keltner_middle, keltner_lower
            node = BarSeriesNode(inputs, KeltnerChannel(period: period(0), width: values[1])) { channel, bar in
                guard let v = channel.update(bar) else { return nil }
                return name == "keltner_upper" ? v.upper : name == "keltner_middle" ? v.middle : v.lower
            }
        }
        return (add(node), .number)
    }
}
