import PeregrineCore
import PeregrineEngine
import PeregrineIndicators

/// A strategy written as rules instead of Swift: conditions over prices, volume, indicators, the
/// position and `$parameters`, such as
///
///     entry = "crosses_above(sma(close, $fast), sma(close, $slow)) and rsi(close, 14) < 70"
///     exit  = "crosses_below(sma(close, $fast), sma(close, $slow)) or bars_held >= 20"
///
/// When flat, `entry` buys (or, with `short_entry` given, that condition sells short); when long,
/// `exit` sells the position; when short, `short_exit` buys it back. The rules are parsed once and
/// compiled into streaming indicators per instrument; a condition is false while any indicator it
/// reads warms up. Each `$name` is a declared parameter of its own, so sweeps can vary it.
///
/// `tf(1h, x)` reads x over the instrument's bars at a coarser timeframe (5min to 1d), as
/// `StrategyContext.history(_:timeframe:)` gives them: periods that have closed, never the one
/// forming, so `close > tf(1h, highest(high, 3))` compares this minute with the last three whole hours.
public struct RulesStrategy: Strategy {
    /// The rules by role, parsed.
    let rules: [Role: RuleExpression]
    let parameterValues: [String: Double]
    public let sizing: PositionSizing
    public let volatilityWindow: Int
    public let periodsPerYear: Double
    private var machines: [RuleMachine] = []
    private var volatility: [RollingVolatility] = []

    enum Role: String, CaseIterable {
        case entry, exit
        case shortEntry = "short_entry"
        case shortExit = "short_exit"

        /// The role's place in `allCases`.
        var position: Int {
            switch self {
            case .entry: 0
            case .exit: 1
            case .shortEntry: 2
            case .shortExit: 3
            }
        }
    }

    public mutating func onStart(_ context: StrategyContext) {
        machines = context.instruments.enumerated().map { index, instrument in
            // The rules compiled when the strategy was built, so this cannot fail.
            try! RuleMachine(rules: rules, parameters: parameterValues, sessionZone: instrument.assetClass.defaultCalendar.zone,
                             context: context, instrument: InstrumentID(index))
        }
        if sizing.volatilityTarget != nil {
            volatility = Array(repeating: RollingVolatility(window: volatilityWindow), count: context.instruments.count)
        }
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        if !volatility.isEmpty { volatility[i].update(bar.close) }
        let position = context.position(instrument)
        let machine = machines[i]
        machine.advance(bar, position: position)
        if position.isLong {
            if machine.holds(.exit) { context.signal(.sell, instrument, quantity: .zero, note: "rule exit") }
        } else if position.isShort {
            if machine.holds(.shortExit) { context.signal(.buy, instrument, quantity: .zero, note: "rule short_exit") }
        } else if machine.holds(.entry) {
            context.signal(.buy, instrument, quantity: entrySize(bar, instrument, context), note: "rule entry")
        } else if machine.holds(.shortEntry) {
            context.signal(.sell, instrument, quantity: entrySize(bar, instrument, context), note: "rule short_entry")
        }
    }

    private func entrySize(_ bar: Bar, _ instrument: InstrumentID, _ context: StrategyContext) -> Quantity {
        if case .quantity(let quantity) = sizing.base, sizing.volatilityTarget == nil { return quantity }
        let barVolatility = volatility.isEmpty || !volatility[instrument.index].isReady ? nil : volatility[instrument.index].standardDeviation
        return sizing.size(price: bar.close, equity: context.equity, lot: context.instrument(instrument).lotSize,
                           barVolatility: barVolatility, periodsPerYear: periodsPerYear)
    }
}

extension RulesStrategy: DeclaredStrategy {
    public static let name = "rules"
    public static let summary = "entry and exit conditions written as rules over prices, indicators, position and $parameters"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("entry", .text(example: "crosses_above(sma(close, $fast), sma(close, $slow))"), required: true,
                          help: "when flat, buy when this holds"),
        StrategyParameter("exit", .text(example: "crosses_below(sma(close, $fast), sma(close, $slow)) or bars_held >= 20"),
                          help: "when long, sell when this holds"),
        StrategyParameter("short_entry", .text(example: "close < donchian_lower(20)"), help: "when flat, sell short when this holds"),
        StrategyParameter("short_exit", .text(example: "close > donchian_upper(10)"), help: "when short, buy back when this holds"),
    ] + PositionSizing.parameters(defaultQuantity: "100") + [
        StrategyParameter("vol_window", .integer(2...100_000), default: "20", help: "bars of returns for vol_target"),
    ]

    /// The fixed parameters and one decimal parameter for each `$name` the given rules use.
    public static func parameters(given: StrategyParameters) throws(ConfigurationError) -> [StrategyParameter] {
        var declared = parameters
        for name in try parse(given.values).flatMap({ $0.value.parameterNames }) where !declared.contains(where: { $0.name == name }) {
            declared.append(StrategyParameter(name, .decimal(-1e15...1e15), required: true, help: "the rules' $\(name)"))
        }
        return declared
    }

    static func parse(_ values: [String: String]) throws(ConfigurationError) -> [Role: RuleExpression] {
        var rules: [Role: RuleExpression] = [:]
        for role in Role.allCases {
            guard let text = values[role.rawValue] else { continue }
            do { rules[role] = try RuleParser.parse(text, rule: role.rawValue) } catch { throw ConfigurationError(error.description) }
        }
        return rules
    }

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        rules = try Self.parse(arguments.given)
        var values: [String: Double] = [:]
        for name in rules.values.flatMap(\.parameterNames) { values[name] = arguments.decimal(name) }
        parameterValues = values
        // Compiling once here finds every type error before the run starts.
        do { _ = try RuleMachine(rules: rules, parameters: values, sessionZone: .fixed(seconds: 0)) } catch {
            throw ConfigurationError(error.description)
        }
        if rules[.shortEntry] != nil {
            guard rules[.shortExit] != nil else { throw ConfigurationError("rules: short_entry needs a short_exit") }
            setup.configuration.allowShort = true
        }
        sizing = try PositionSizing(arguments)
        volatilityWindow = arguments.integer("vol_window")
        periodsPerYear = setup.periodsPerYear
    }
}
