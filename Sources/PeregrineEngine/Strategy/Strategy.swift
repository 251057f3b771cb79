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
    /// Once, after the last bar.
    mutating func onStop(_ context: StrategyContext)
}

extension Strategy {
    public mutating func onStart(_ context: StrategyContext) {}
    public mutating func onFill(_ fill: Fill, _ context: StrategyContext) {}
    public mutating func onOrderUpdate(_ order: Order, _ context: StrategyContext) {}
    public static var observesOrderUpdates: Bool { true }
    public mutating func onStop(_ context: StrategyContext) {}
}
