/// A strategy that declares itself: a name, a one-line summary and its parameters, and a way to be
/// built from values already checked against them. The registry (`StrategyRegistry` in
/// PeregrineStrategies) holds such types, so every command and configuration file can run a strategy
/// by name, including strategies defined in other packages:
///
///     struct Breakout: DeclaredStrategy {
///         static let name = "breakout"
///         static let summary = "buy a close above the 20-bar high, sell below the 10-bar low"
///         static let parameters = [StrategyParameter("entry", .integer(2...1_000), default: "20", help: "entry channel")]
///         init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) { ... }
///         mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) { ... }
///     }
public protocol DeclaredStrategy: Strategy {
    /// The name `--strategy` and configuration files use; lower case with dashes by convention.
    static var name: String { get }
    /// One line for `peregrine strategies`.
    static var summary: String { get }
    /// Every parameter the strategy reads.
    static var parameters: [StrategyParameter] { get }
    /// The parameters for these given values, when they depend on them (a rules strategy declares
    /// each `$name` its rules use); `parameters` otherwise.
    static func parameters(given: StrategyParameters) throws(ConfigurationError) -> [StrategyParameter]
    /// Builds the strategy. `arguments` holds only declared names with checked values; `setup` says
    /// how often bars come and lets the strategy ask for what it needs of the run (shorting).
    init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError)
}

extension DeclaredStrategy {
    public static func parameters(given: StrategyParameters) throws(ConfigurationError) -> [StrategyParameter] { parameters }
}

/// What a strategy being built may read of the run and change in it.
public struct StrategySetup: Sendable {
    /// Bars per year, to annualize volatility.
    public var periodsPerYear: Double
    /// The run's configuration: a strategy that shorts sets `allowShort`.
    public var configuration: BacktestConfiguration

    public init(periodsPerYear: Double, configuration: BacktestConfiguration) {
        self.periodsPerYear = periodsPerYear
        self.configuration = configuration
    }
}
