import PeregrineEngine

/// Somewhere besides the store that a trading run's decisions go as they are made (a CSV log).
public protocol DecisionSink: AnyObject {
    func record(_ items: [(decision: Decision, symbol: String, clientOrderID: String?)]) throws
}
