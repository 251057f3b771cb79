/// One parameter a strategy declares: its name, what values it takes, its default and a line of
/// help. The registry checks every `--param`, configuration value and sweep grid against these
/// declarations before a strategy is built, and `peregrine strategies` prints them.
public struct StrategyParameter: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case integer(ClosedRange<Int>)
        case decimal(ClosedRange<Double>)
        case boolean
        case choice([String])
        /// Comma-separated items the strategy parses itself, such as `5/20,10/30`.
        case list(example: String)
        /// Free text the strategy parses itself, such as a rule expression.
        case text(example: String)

        /// How `peregrine strategies` names the kind.
        public var description: String {
            switch self {
            case .integer(let range): return "integer \(range.lowerBound)..\(range.upperBound)"
            case .decimal(let range): return "decimal \(Self.number(range.lowerBound))..\(Self.number(range.upperBound))"
            case .boolean: return "true|false"
            case .choice(let options): return options.joined(separator: "|")
            case .list(let example): return "list, e.g. \(example)"
            case .text(let example): return "text, e.g. \(example)"
            }
        }

        /// Whether a sweep can step through the values numerically.
        public var isNumeric: Bool {
            switch self {
            case .integer, .decimal: return true
            default: return false
            }
        }

        static func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e12 ? String(Int64(value)) : "\(value)".replacingOccurrences(of: "e+", with: "e")
        }
    }

    public var name: String
    public var kind: Kind
    /// The value used when none is given, as text; nil when the parameter is optional (an
    /// alternative such as `percent` in place of `quantity`) or must be given.
    public var defaultValue: String?
    public var help: String
    /// A parameter without a default that must be given (a rule's `$name`, for instance).
    public var isRequired = false

    public init(_ name: String, _ kind: Kind, default defaultValue: String? = nil, required: Bool = false, help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.isRequired = required
        self.help = help
    }

    /// Checks one value; the message names the parameter and what would be right.
    public func check(_ text: String) throws(ConfigurationError) {
        switch kind {
        case .integer(let range):
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError("parameter \(name)=\(text): expected a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
        case .decimal(let range):
            guard let value = Double(text), value.isFinite, range.contains(value) else {
                throw ConfigurationError("parameter \(name)=\(text): expected a number in "
                    + "\(Kind.number(range.lowerBound))...\(Kind.number(range.upperBound))")
            }
        case .boolean:
            guard Self.boolean(text) != nil else { throw ConfigurationError("parameter \(name)=\(text): expected true or false") }
        case .choice(let options):
            guard options.contains(text) else {
                throw ConfigurationError("parameter \(name)=\(text): expected one of \(options.joined(separator: ", "))")
            }
        case .list(let example):
            guard !text.isEmpty else { throw ConfigurationError("parameter \(name) is empty; expected a list such as \(example)") }
        case .text(let example):
            guard !text.isEmpty else { throw ConfigurationError("parameter \(name) is empty; expected text such as \(example)") }
        }
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: return nil
        }
    }
}
