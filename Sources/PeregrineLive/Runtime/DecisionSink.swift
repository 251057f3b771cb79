import PeregrineEngine
import PeregrineStorage

/// Somewhere besides the store that a trading run's decisions go as they are made (a CSV log).
public protocol DecisionSink: AnyObject {
    func record(_ items: [DecisionRecord]) throws
}
