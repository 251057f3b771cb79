import PeregrineData
import PeregrineEngine

extension TradingSettings {
    /// What a `[trade]` table (or a `[[bots]]` one) asks of a trading run; the command line's own
    /// choices (dry run, stepping, ...) are set after. The document is kept, so the run's bot can be
    /// rebuilt from the store.
    public init(_ file: TradeConfiguration) throws(TradingRuntimeError) {
        self.init(strategy: file.strategy, parameters: StrategyParameters(file.parameters), symbols: file.symbols,
                  timeframe: try BarTimeframe(file.timeframe))
        warmUpBars = file.warmUpBars
        historyBars = file.historyBars
        historyRecords = file.historyRecords
        pollSeconds = file.pollSeconds
        cancelOpenOrdersOnStop = file.cancelOpenOrdersOnStop
        adaptThresholds = file.adaptThresholds
        schedule = file.schedule
        sizing = file.sizing
        if let path = file.corporateActions {
            do {
                corporateActions = try file.symbols.flatMap { try CorporateActionFile.read(path: path, symbol: $0) }
            } catch { throw TradingRuntimeError("trade.corporate_actions: \(error)") }
        }
        allowShort = file.allowShort
        risk = file.risk
        exits = file.exits
        portfolio = file.portfolio.map { .init(sleeves: $0.sleeves, rule: $0.rule, rebalanceBars: $0.rebalanceBars) }
        configurationDocument = file.document.isEmpty ? nil : file.document
    }
}
