import PeregrineCore
import PeregrineEngine

/// `key=value` settings for a strategy, read with types and checked: an unknown key or a value that
/// does not parse is an error that names the key and what would be right.
public struct StrategyParameters: Sendable {
    public private(set) var values: [String: String]
    private var read: Set<String> = []

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

    public mutating func integer(_ key: String, default value: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        read.insert(key)
        guard let text = values[key] else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            throw ConfigurationError("parameter \(key)=\(text): expected a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return parsed
    }

    public mutating func number(_ key: String, range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        read.insert(key)
        guard let text = values[key] else { return nil }
        guard let parsed = Double(text), parsed.isFinite, range.contains(parsed) else {
            throw ConfigurationError("parameter \(key)=\(text): expected a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return parsed
    }

    public mutating func quantity(_ key: String) throws(ConfigurationError) -> Quantity? {
        read.insert(key)
        guard let text = values[key] else { return nil }
        guard let parsed = Quantity(text), parsed.units > 0 else {
            throw ConfigurationError("parameter \(key)=\(text): expected a positive quantity such as 100 or 0.5")
        }
        return parsed
    }

    /// A free-form value (a list, a name) that the strategy parses itself.
    public mutating func text(_ key: String) -> String? {
        read.insert(key)
        return values[key]
    }

    public mutating func flag(_ key: String, default value: Bool) throws(ConfigurationError) -> Bool {
        read.insert(key)
        guard let text = values[key] else { return value }
        switch text.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw ConfigurationError("parameter \(key)=\(text): expected true or false")
        }
    }

    /// Fails if a key was given that the strategy never asked for (a typo, most often).
    public func rejectUnknown(strategy: String) throws(ConfigurationError) {
        let unknown = Set(values.keys).subtracting(read).sorted()
        guard unknown.isEmpty else {
            throw ConfigurationError("strategy \(strategy) has no parameter \(unknown.joined(separator: ", ")); "
                + "it takes \(read.sorted().joined(separator: ", "))")
        }
    }
}
