import PeregrineCore

/// The rules of a `rules` strategy kept in a file rather than on the command line: one
/// `role = expression` per line (roles `entry`, `exit`, `short_entry`, `short_exit`), `#` starting a
/// comment, blank lines allowed:
///
///     # trend with an RSI filter
///     entry = crosses_above(sma(close, $fast), sma(close, $slow)) and rsi(close, 14) < 70
///     exit  = crosses_below(sma(close, $fast), sma(close, $slow))
///
/// Each expression is parsed as the file is read, and `check` type-checks it once the `$parameters`
/// are known, so a mistake is reported at its file, line and column.
public struct RuleFile: Sendable, Equatable {
    /// A line that is not `role = expression`, a role given twice, or a rule that does not parse or
    /// type-check.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int
        /// From 1, in characters of the line.
        public var column: Int
        public var message: String

        public var description: String { "\(path):\(line):\(column): \(message)" }
    }

    /// Where an expression starts in the file.
    struct Position: Sendable, Equatable {
        var line: Int
        /// From 0, in characters of the line.
        var offset: Int
    }

    public let path: String
    /// Expression by role, as written.
    public let rules: [String: String]
    let positions: [String: Position]

    /// Reads the text of the file at `path` (which only names it in errors).
    public init(parsing text: String, path: String) throws(Failure) {
        var rules: [String: String] = [:]
        var positions: [String: Position] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            var line = Array(rawLine)
            if let hash = line.firstIndex(of: "#") { line.removeSubrange(hash...) }
            guard let start = line.firstIndex(where: { !$0.isWhitespace }) else { continue }
            while let last = line.last, last.isWhitespace { line.removeLast() }
            func failure(_ message: String, at offset: Int) -> Failure {
                Failure(path: path, line: number, column: offset + 1, message: message)
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw failure("expected role = expression, e.g. entry = rsi(close, 14) < 30", at: start)
            }
            var roleEnd = equals
            while roleEnd > start, line[roleEnd - 1].isWhitespace { roleEnd -= 1 }
            let role = String(line[start..<roleEnd])
            guard RulesStrategy.Role(rawValue: role) != nil else {
                throw failure("'\(role)' is not a role; use entry, exit, short_entry or short_exit", at: start)
            }
            if let first = positions[role] { throw failure("\(role) is given twice (first on line \(first.line))", at: start) }
            guard let expressionStart = line[(equals + 1)...].firstIndex(where: { !$0.isWhitespace }) else {
                throw failure("\(role) has no expression after '='", at: equals)
            }
            let expression = String(line[expressionStart...])
            do {
                _ = try RuleParser.parse(expression, rule: role)
            } catch {
                throw failure(error.message, at: expressionStart + error.column - 1)
            }
            rules[role] = expression
            positions[role] = Position(line: number, offset: expressionStart)
        }
        self.path = path
        self.rules = rules
        self.positions = positions
    }

    /// Compiles the rules of `roles` as the strategy will, with the `$parameter` values in
    /// `parameters`, so a type error (an unknown function, a condition where a number belongs) is
    /// reported at its place in the file. A rule whose `$parameters` are not all given numbers is
    /// left to the strategy's own check.
    public func check(roles: some Sequence<String>, parameters: [String: String]) throws(Failure) {
        for role in roles {
            guard let text = rules[role], let position = positions[role],
                  let expression = try? RuleParser.parse(text, rule: role) else { continue }
            var values: [String: Double] = [:]
            for name in expression.parameterNames { values[name] = parameters[name].flatMap(Double.init) }
            guard values.count == Set(expression.parameterNames).count, let parsedRole = RulesStrategy.Role(rawValue: role) else { continue }
            do {
                _ = try RuleMachine(rules: [parsedRole: expression], parameters: values, sessionZone: .fixed(seconds: 0))
            } catch {
                throw Failure(path: path, line: position.line, column: position.offset + error.column, message: error.message)
            }
        }
    }
}
