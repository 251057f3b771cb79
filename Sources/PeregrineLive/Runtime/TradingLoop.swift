/// A started trading run, its strategy type hidden: run it until it stops.
public protocol TradingLoop: AnyObject {
    /// Trades bar by bar until `stop` is requested, `maxBars` new bars were handled, or the local
    /// exchange runs out of bars; then shuts down as configured and reports.
    func run(until stop: StopSignal) async throws -> TradingReport
}
