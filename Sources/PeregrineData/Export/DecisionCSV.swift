import PeregrineCore
import PeregrineEngine

/// The decision log's CSV row, shared by backtest reports and the trading runtime's running log.
public enum DecisionCSV {
    public static let header = "timestamp,symbol,action,outcome,reason,side,quantity,client_order_id,detail,strategy"

    /// - Parameter strategy: the strategy, or the portfolio sleeve, that decided.
    public static func line(_ decision: Decision, symbol: String, clientOrderID: String?, strategy: String) -> String {
        [
            decision.timestamp.compactDescription, symbol, decision.action?.rawValue ?? "order", decision.outcome.rawValue,
            decision.reason.code, decision.side?.rawValue ?? "", decision.quantity.description, clientOrderID ?? "",
            CSVField.escape(decision.detail), CSVField.escape(strategy),
        ].joined(separator: ",")
    }
}
