import PeregrineCore

/// A trading strategy, written once and run unchanged in backtests, simulation, paper and live.
/// The engine calls it with each bar and event; it acts only through the `StrategyContext`
/// (signals that pass the decision gates, or explicit orders). Engines are generic over the
/// strategy type, so calls are direct, not dynamic dispatch.
public protocol Strategy {
    /// Once, before the first bar: set up per-instrument state.
    mutating func onStart(_ context: StrategyContext)
    /// Each bar of each instrument, after resting orders were matched against it and positions marked.
    mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext)
    /// Each execution of one of this strategy's orders.
    mutating func onFill(_ fill: Fill, _ context: StrategyContext)
    /// Each status change of one of this strategy's orders.
    mutating func onOrderUpdate(_ order: Order, _ context: StrategyContext)
    /// Whether the engine calls `onOrderUpdate` (true unless a strategy says otherwise). A strategy
    /// that never looks at order updates says `false`, and the engine skips copying the order for
    /// each status change, two or more per order.
    static var observesOrderUpdates: Bool { get }
    /// Whether the strategy implements `skipQuietBars` (false unless it says otherwise); read once.
    static var skipsQuietBars: Bool { get }
    /// Feeds the strategy bars `from..<to` of one instrument's columns on which its `onBar` would
    /// neither signal nor read the context, updating its state exactly as those `onBar` calls would,
    /// and returns the first bar it would act on (not fed), or `to`. The kernel asks only when nothing
    /// else can happen on those bars (a single instrument, no working orders, exits, risk limits,
    /// schedule, options or corporate actions) and records their marks and equity itself: most bars
    /// of a crossover then cost a few instructions instead of a trip through the kernel's bar step.
    mutating func skipQuietBars(_ columns: BarSeries.Columns, from: Int, to: Int, instrument: InstrumentID) -> Int
    /// Once, after the last bar.
    mutating func onStop(_ context: StrategyContext)
}

extension Strategy {
    public mutating func onStart(_ context: StrategyContext) {}
    public mutating func onFill(_ fill: Fill, _ context: StrategyContext) {}
    public mutating func onOrderUpdate(_ order: Order, _ context: StrategyContext) {}
    public static var observesOrderUpdates: Bool { true }
    public static var skipsQuietBars: Bool { false }
    public mutating func skipQuietBars(_ columns: BarSeries.Columns, from: Int, to: Int, instrument: InstrumentID) -> Int { from }
    public mutating func onStop(_ context: StrategyContext) {}
}
