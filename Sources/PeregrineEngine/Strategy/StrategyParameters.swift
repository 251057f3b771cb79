import PeregrineCore
import PeregrineEngine

/// `key=value` settings for a strategy as given (`--param fast=10`, a configuration table), before
/// they are checked against the strategy's declarations (`StrategyArguments`).
public struct StrategyParameters: Sendable, Equatable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// `fast=10 slow=30`, keys in order: how runs and reports name the settings.
    public var text: String { values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }

    /// Parses `["fast=10", "slow=30"]`.
    public init(assignments: [String]) throws(ConfigurationError) {
        var values: [String: String] = [:]
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ConfigurationError("parameter '\(assignment)' is not key=value (example: --param fast=10)")
            }
            if values[parts[0]] != nil { throw ConfigurationError("parameter '\(parts[0])' is given twice") }
            values[parts[0]] = parts[1]
        }
        self.values = values
    }
}
