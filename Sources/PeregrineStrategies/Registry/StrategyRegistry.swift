import PeregrineCore
import PeregrineEngine
import PeregrineModels
import Synchronization

/// Every strategy the command line and configuration files can run, by name: the built-in ones and
/// any a user registers (`PeregrineCommandLine.main(registering:)`). A strategy comes with its
/// declared parameters, so `--param` values, configuration keys and sweep grids are checked against
/// them before it is built.
public final class StrategyRegistry: Sendable {
    /// The registry the command line and the trading runtime use.
    public static let shared = StrategyRegistry(builtIn: true)

    /// The strategies Peregrine ships, in the order `peregrine strategies` lists them.
    public static let builtIn: [any DeclaredStrategy.Type] = [
        SMACrossStrategy.self, BuyAndHoldStrategy.self, SignalingGameStrategy.self, RSIBollingerStrategy.self,
        BanditSMAStrategy.self, HMMRegimeStrategy.self, RulesStrategy.self, TimeSeriesMomentumStrategy.self,
        DonchianBreakoutStrategy.self, PairsTradingStrategy.self, CrossSectionalMomentumStrategy.self, DualMomentumStrategy.self,
        GridTradingStrategy.self, MarketMakingStrategy.self, CoveredCallStrategy.self, IronCondorStrategy.self,
    ]

    /// A strategy type; a metatype is immutable, so sharing it across threads is safe.
    private struct Entry: @unchecked Sendable {
        let type: any DeclaredStrategy.Type
    }

    private let strategies: Mutex<[Entry]>

    public init(builtIn: Bool = true) {
        strategies = Mutex((builtIn ? Self.builtIn : []).map(Entry.init))
    }

    /// Adds a strategy; a name already taken is refused, so a user's strategy never silently
    /// replaces another.
    public func register(_ strategy: any DeclaredStrategy.Type) throws(ConfigurationError) {
        guard !strategy.name.isEmpty, !strategy.name.contains(where: { $0 == " " || $0 == ":" || $0 == "=" }) else {
            throw ConfigurationError("strategy name '\(strategy.name)' must be non-empty, without spaces, ':' or '='")
        }
        let entry = Entry(type: strategy)
        let taken = strategies.withLock { list in
            if list.contains(where: { $0.type.name == entry.type.name }) { return true }
            list.append(entry)
            return false
        }
        guard !taken else { throw ConfigurationError("a strategy named '\(strategy.name)' is already registered") }
    }

    public var all: [any DeclaredStrategy.Type] { strategies.withLock { $0.map(\.type) } }
    public var names: [String] { all.map { $0.name } }

    public func strategy(named name: String) throws(ConfigurationError) -> any DeclaredStrategy.Type {
        guard let found = all.first(where: { $0.name == name }) else {
            throw ConfigurationError("unknown strategy '\(name)'; available: \(names.joined(separator: ", "))")
        }
        return found
    }

    /// The parameters the named strategy takes with these values given (checked, not built).
    public func parameters(strategy name: String, given: StrategyParameters) throws(ConfigurationError) -> [StrategyParameter] {
        try strategy(named: name).parameters(given: given)
    }

    /// Checks the values against the named strategy's declarations without building it.
    public func validate(strategy name: String, parameters: StrategyParameters) throws(ConfigurationError) {
        let type = try strategy(named: name)
        _ = try StrategyArguments(strategy: name, declared: type.parameters(given: parameters), given: parameters)
    }

    /// Builds the named strategy from its parameters (each checked against its declaration) and hands
    /// it, with the configuration it implies (shorting, for instance), to `visitor`: a backtest runs
    /// it over history, the trading runtime runs it against a broker. `periodsPerYear` annualizes
    /// volatility.
    public func build<Visitor: StrategyVisitor>(strategy name: String, parameters: StrategyParameters, periodsPerYear: Double,
                                                configuration: BacktestConfiguration, visitor: Visitor)
        throws(ConfigurationError) -> Visitor.Output
    {
        func make<S: DeclaredStrategy>(_ type: S.Type) throws(ConfigurationError) -> Visitor.Output {
            let arguments = try StrategyArguments(strategy: name, declared: type.parameters(given: parameters), given: parameters)
            var setup = StrategySetup(periodsPerYear: periodsPerYear, configuration: configuration)
            let strategy = try S(arguments, setup: &setup)
            return visitor.visit(strategy, configuration: setup.configuration)
        }
        return try make(strategy(named: name))
    }

    /// Builds the named strategy and runs it over `series`. A strategy that replays a signal tape
    /// (`SignalTapeReplaying`) replays `signalTape` when its engine settings match (the tape was
    /// recorded on these same `series`).
    public func backtest(strategy name: String, parameters: StrategyParameters, series: [BarSeries],
                         configuration: BacktestConfiguration, signalTape: SignalTape? = nil)
        throws(ConfigurationError) -> BacktestResult
    {
        let calendar = configuration.venue.calendar ?? series[0].instrument.assetClass.defaultCalendar
        let periodsPerYear = configuration.periodsPerYear
            ?? BacktestConfiguration.inferredPeriodsPerYear(interval: series[0].typicalInterval, calendar: calendar)
        let result = try build(strategy: name, parameters: parameters, periodsPerYear: periodsPerYear,
                               configuration: configuration, visitor: BacktestRunner(series: series, signalTape: signalTape))
        if let failure = result.rangeFailure { throw ConfigurationError(failure) }
        return result
    }

    /// The signal-engine settings of the named strategy with these parameters, when it replays
    /// signal tapes (nil otherwise).
    public func signalEngineSettings(strategy name: String, parameters: StrategyParameters)
        throws(ConfigurationError) -> SignalEngine.Settings?
    {
        struct EngineSettings: StrategyVisitor {
            func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> SignalEngine.Settings? {
                (strategy as? any SignalTapeReplaying)?.signalEngineSettings
            }
        }
        return try build(strategy: name, parameters: parameters, periodsPerYear: 252, configuration: BacktestConfiguration(),
                         visitor: EngineSettings())
    }

    /// A signal tape for the named strategy on `series`, when it replays one (nil otherwise):
    /// recorded with the engine settings its parameters give.
    public func signalTape(strategy name: String, parameters: StrategyParameters, series: [BarSeries])
        throws(ConfigurationError) -> SignalTape?
    {
        let settings = try signalEngineSettings(strategy: name, parameters: parameters)
        return settings.map { SignalTape(series: series, settings: $0) }
    }
}
