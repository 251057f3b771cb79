/// Parses one rule into a `RuleExpression`. The grammar, loosest binding first:
///
///     rule    := or
///     or      := and ("or" and)*
///     and     := not ("and" not)*
///     not     := "not" not | compare
///     compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
///     sum     := product (("+" | "-") product)*
///     product := unary (("*" | "/") unary)*
///     unary   := "-" unary | atom
///     atom    := number | "true" | "false" | "$" name | name | name "(" arguments ")" | "(" rule ")"
///
/// Digits run into letters (`1h`, `15min`) make one name: a timeframe, as `tf(1h, ...)` takes.
struct RuleParser {
    private enum Token: Equatable {
        case number(String), word(String), parameter(String), symbol(String), end
    }

    private let rule: String
    private var tokens: [(token: Token, column: Int)] = []
    private var index = 0

    /// Parses `text`; `rule` names it in errors (`entry`, `exit`, ...).
    static func parse(_ text: String, rule: String) throws(RuleError) -> RuleExpression {
        var parser = RuleParser(rule: rule)
        try parser.tokenize(Array(text))
        let expression = try parser.parseOr()
        guard case .end = parser.current.token else {
            throw parser.error("unexpected '\(parser.describe(parser.current.token))' after a complete rule")
        }
        return expression
    }

    private init(rule: String) { self.rule = rule }

    private var current: (token: Token, column: Int) { tokens[index] }

    private func error(_ message: String, column: Int? = nil) -> RuleError {
        RuleError(rule: rule, column: column ?? current.column, message: message)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .number(let text), .word(let text), .symbol(let text): return text
        case .parameter(let name): return "$" + name
        case .end: return "end of rule"
        }
    }

    private mutating func tokenize(_ characters: [Character]) throws(RuleError) {
        var i = 0
        func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        while i < characters.count {
            let c = characters[i]
            let column = i + 1
            if c.isWhitespace { i += 1; continue }
            if c.isNumber || (c == "." && i + 1 < characters.count && characters[i + 1].isNumber) {
                var j = i
                while j < characters.count && (characters[j].isNumber || characters[j] == ".") { j += 1 }
                if j < characters.count && characters[j].isLetter {
                    // Digits run into letters: a timeframe such as 1h or 15min, read as one word.
                    while j < characters.count && isNameCharacter(characters[j]) { j += 1 }
                    tokens.append((.word(String(characters[i..<j]).lowercased()), column))
                    i = j
                    continue
                }
                let text = String(characters[i..<j])
                guard text.filter({ $0 == "." }).count <= 1 else {
                    throw RuleError(rule: rule, column: column, message: "'\(text)' is not a number")
                }
                tokens.append((.number(text), column))
                i = j
            } else if c.isLetter || c == "_" {
                var j = i
                while j < characters.count && isNameCharacter(characters[j]) { j += 1 }
                tokens.append((.word(String(characters[i..<j]).lowercased()), column))
                i = j
            } else if c == "$" {
                var j = i + 1
                while j < characters.count && isNameCharacter(characters[j]) { j += 1 }
                guard j > i + 1 else { throw RuleError(rule: rule, column: column, message: "'$' must be followed by a parameter name") }
                tokens.append((.parameter(String(characters[(i + 1)..<j])), column))
                i = j
            } else {
                let pair = i + 1 < characters.count ? String([c, characters[i + 1]]) : ""
                if ["<=", ">=", "==", "!=", "&&", "||"].contains(pair) {
                    tokens.append((.symbol(pair == "&&" ? "and" : pair == "||" ? "or" : pair), column))
                    i += 2
                } else if "<>+-*/(),!".contains(c) {
                    tokens.append((.symbol(c == "!" ? "not" : String(c)), column))
                    i += 1
                } else {
                    throw RuleError(rule: rule, column: column, message: "unexpected character '\(c)'")
                }
            }
        }
        tokens.append((.end, characters.count + 1))
    }

    private mutating func take(_ symbol: String) -> Bool {
        switch current.token {
        case .symbol(let s) where s == symbol, .word(let s) where s == symbol:
            index += 1
            return true
        default:
            return false
        }
    }

    private mutating func parseOr() throws(RuleError) -> RuleExpression {
        var lhs = try parseAnd()
        while case let column = current.column, take("or") { lhs = .binary("or", lhs, try parseAnd(), column: column) }
        return lhs
    }

    private mutating func parseAnd() throws(RuleError) -> RuleExpression {
        var lhs = try parseNot()
        while case let column = current.column, take("and") { lhs = .binary("and", lhs, try parseNot(), column: column) }
        return lhs
    }

    private mutating func parseNot() throws(RuleError) -> RuleExpression {
        let column = current.column
        if take("not") { return .unary("not", try parseNot(), column: column) }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(RuleError) -> RuleExpression {
        let lhs = try parseSum()
        for relation in ["<=", ">=", "==", "!=", "<", ">"] {
            let column = current.column
            if take(relation) { return .binary(relation, lhs, try parseSum(), column: column) }
        }
        return lhs
    }

    private mutating func parseSum() throws(RuleError) -> RuleExpression {
        var lhs = try parseProduct()
        while true {
            let column = current.column
            if take("+") { lhs = .binary("+", lhs, try parseProduct(), column: column) }
            else if take("-") { lhs = .binary("-", lhs, try parseProduct(), column: column) }
            else { return lhs }
        }
    }

    private mutating func parseProduct() throws(RuleError) -> RuleExpression {
        var lhs = try parseUnary()
        while true {
            let column = current.column
            if take("*") { lhs = .binary("*", lhs, try parseUnary(), column: column) }
            else if take("/") { lhs = .binary("/", lhs, try parseUnary(), column: column) }
            else { return lhs }
        }
    }

    private mutating func parseUnary() throws(RuleError) -> RuleExpression {
        let column = current.column
        if take("-") { return .unary("-", try parseUnary(), column: column) }
        return try parseAtom()
    }

    private mutating func parseAtom() throws(RuleError) -> RuleExpression {
        let (token, column) = current
        switch token {
        case .number(let text):
            index += 1
            return .number(text, column: column)
        case .parameter(let name):
            index += 1
            return .parameter(name, column: column)
        case .word(let word):
            index += 1
            if word == "true" || word == "false" { return .boolean(word == "true", column: column) }
            if ["and", "or", "not"].contains(word) { throw error("'\(word)' needs a condition before it", column: column) }
            guard take("(") else { return .name(word, column: column) }
            var arguments: [RuleExpression] = []
            if !take(")") {
                repeat { arguments.append(try parseOr()) } while take(",")
                guard take(")") else { throw error("expected ',' or ')' in the arguments of \(word), found '\(describe(current.token))'") }
            }
            return .call(word, arguments, column: column)
        case .symbol("("):
            index += 1
            let inner = try parseOr()
            guard take(")") else { throw error("expected ')', found '\(describe(current.token))'") }
            return inner
        default:
            throw error("expected a number, a name, a $parameter or '(', found '\(describe(token))'")
        }
    }
}
