import PeregrineCore

/// One sleeve's kernel with its strategy type hidden: what `MultiStrategyKernel` drives. A
/// `TradingKernel` over a `SleeveVenue` is one; the call per sleeve per bar is dynamic, the
/// strategy's calls inside it stay specialized.
public protocol SleeveKernel: AnyObject {
    var context: StrategyContext { get }
    var fills: [Fill] { get }
    /// Equity at the last close step's marks.
    var lastEquity: Money { get }
    /// Why the sleeve stopped: its equity left the books' range (nil while it runs).
    var rangeFailure: String? { get }
    /// The strategy, to save a resumable one's learning.
    var strategyValue: any Strategy { get }
    func start()
    func finish()
    func stepSharedBar(instrument i: Int, bar: Bar, index: Int)
    func receiveSharedBar(_ bar: Bar, instrument i: Int)
    func closeStep(at time: Int64)
    func dispatchEvents()
    /// Moves cash into (out of, when negative) the sleeve's books.
    func transfer(_ amount: Money)
    func result(bars: Int) -> BacktestResult
    /// Live trading: forgets the past beyond the window (`TradingKernel+LiveMemory`).
    @discardableResult
    func releaseRecords(_ retention: LiveRetention, foldingEquityInto summary: inout EquitySummary?) -> (bars: Int, fills: Int)
    func forgetDecisions(_ count: Int)
}

extension TradingKernel: SleeveKernel {
    public var strategyValue: any Strategy { strategy }
    public func stepSharedBar(instrument i: Int, bar: Bar, index: Int) { step(instrument: i, bar: bar, index: index) }
    public func receiveSharedBar(_ bar: Bar, instrument i: Int) { receive(bar, instrument: i) }

    public func transfer(_ amount: Money) {
        let before = context.equity.doubleValue
        context.state.account.transfer(amount)
        context.risk?.onTransfer(equityBefore: before, equityAfter: context.equity.doubleValue)
    }
}
