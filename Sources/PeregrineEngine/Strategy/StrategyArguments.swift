import PeregrineCore

/// A strategy's parameter values after checking against its declarations: every given name is
/// declared, every value parses as its kind and lies in its range, every required one is given.
/// Reading a value that was not given returns the declared default, so a strategy never repeats
/// its defaults in code.
public struct StrategyArguments: Sendable {
    public let strategy: String
    public let declared: [StrategyParameter]
    public let given: [String: String]

    public init(strategy: String, declared: [StrategyParameter], given: StrategyParameters) throws(ConfigurationError) {
        let names = Set(declared.map(\.name))
        let unknown = given.values.keys.filter { !names.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw ConfigurationError("strategy \(strategy) has no parameter \(unknown.joined(separator: ", ")); "
                + "it takes \(declared.map(\.name).joined(separator: ", ")) (see `peregrine strategies`)")
        }
        for parameter in declared {
            if let text = given.values[parameter.name] {
                try parameter.check(text)
            } else if parameter.isRequired {
                throw ConfigurationError("strategy \(strategy) needs parameter \(parameter.name) (\(parameter.help))")
            }
        }
        self.strategy = strategy
        self.declared = declared
        self.given = given.values
    }

    /// The given value or the declared default, as text; nil when neither exists.
    public func text(_ name: String) -> String? {
        given[name] ?? declaration(name).defaultValue
    }

    public func isGiven(_ name: String) -> Bool { given[name] != nil }

    public func integer(_ name: String) -> Int {
        guard let text = text(name), let value = Int(text) else {
            preconditionFailure("\(strategy): integer parameter \(name) has neither a value nor a default")
        }
        return value
    }

    public func decimal(_ name: String) -> Double? { text(name).flatMap(Double.init) }

    public func flag(_ name: String) -> Bool { text(name).flatMap(StrategyParameter.boolean) ?? false }

    /// An exact quantity (shares, coins); refuses zero and negative sizes.
    public func quantity(_ name: String) throws(ConfigurationError) -> Quantity? {
        guard let text = text(name) else { return nil }
        guard let value = Quantity(text), value.units > 0 else {
            throw ConfigurationError("parameter \(name)=\(text): expected a positive quantity such as 100 or 0.5")
        }
        return value
    }

    private func declaration(_ name: String) -> StrategyParameter {
        guard let parameter = declared.first(where: { $0.name == name }) else {
            preconditionFailure("\(strategy) reads parameter \(name) that it does not declare")
        }
        return parameter
    }
}
