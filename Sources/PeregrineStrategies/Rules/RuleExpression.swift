/// A parsed rule: the syntax tree of one condition such as
/// `crosses_above(sma(close, $fast), sma(close, $slow)) and rsi(close, 14) < 70`. Every node keeps
/// the column it starts at, so a type error can name where it is.
indirect enum RuleExpression: Sendable, Equatable {
    case number(String, column: Int)
    case boolean(Bool, column: Int)
    /// A bar field or position state: `close`, `volume`, `bars_held`, ...
    case name(String, column: Int)
    /// `$fast`: a declared, sweepable parameter.
    case parameter(String, column: Int)
    case call(String, [RuleExpression], column: Int)
    case unary(String, RuleExpression, column: Int)
    case binary(String, RuleExpression, RuleExpression, column: Int)

    var column: Int {
        switch self {
        case .number(_, let c), .boolean(_, let c), .name(_, let c), .parameter(_, let c), .call(_, _, let c), .unary(_, _, let c),
             .binary(_, _, _, let c):
            return c
        }
    }

    /// The expression as text without its columns: two subexpressions with the same key compute the
    /// same value on every bar, so a machine computes them once.
    var key: String {
        switch self {
        case .number(let text, _): return text
        case .boolean(let flag, _): return flag ? "true" : "false"
        case .name(let name, _): return name
        case .parameter(let name, _): return "$" + name
        case .call(let name, let arguments, _): return name + "(" + arguments.map(\.key).joined(separator: ", ") + ")"
        case .unary(let op, let operand, _): return "(" + op + " " + operand.key + ")"
        case .binary(let op, let lhs, let rhs, _): return "(" + lhs.key + " " + op + " " + rhs.key + ")"
        }
    }

    /// Every `$name` the expression uses, in order of first use.
    var parameterNames: [String] {
        var names: [String] = []
        func walk(_ node: RuleExpression) {
            switch node {
            case .parameter(let name, _): if !names.contains(name) { names.append(name) }
            case .call(_, let arguments, _): arguments.forEach(walk)
            case .unary(_, let operand, _): walk(operand)
            case .binary(_, let lhs, let rhs, _): walk(lhs); walk(rhs)
            default: break
            }
        }
        walk(self)
        return names
    }
}

/// A rule that does not parse or does not type-check: which rule, the column (from 1) and why.
public struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: String
    public var column: Int
    public var message: String

    public var description: String { "rule \(rule), column \(column): \(message)" }
}
