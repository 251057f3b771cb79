import Foundation

/// Parameter ranges of any strategy and constraints between them, from the command line:
/// `fast=5..50:1` (whole numbers), `min_prob_up=0.50..0.70:0.05` (decimals, as many places as the
/// text gives), `arms=5/20,10/30;20/60,30/100` or `short=true,false` (a list of values, `;` between
/// them when a value holds commas), and `fast<slow`. Values stay text, exactly as the strategy will
/// read them.
public struct StrategyGrid: Sendable, Equatable {
    public struct Axis: Sendable, Equatable {
        public var name: String
        public var values: [String]

        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }
    }

    public var axes: [Axis]
    public var constraints: [ParameterGrid.Constraint]

    /// Axes already parsed, without constraints.
    public init(parsedAxes: [Axis]) {
        axes = parsedAxes
        constraints = []
    }

    public init(axes: [String], constraints: [String]) throws(ParameterGrid.ParseError) {
        var parsed: [Axis] = []
        for text in axes {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ParameterGrid.ParseError(description: "grid '\(text)': expected name=from..to[:step] or name=a,b,c, e.g. fast=5..50:1")
            }
            guard !parsed.contains(where: { $0.name == parts[0] }) else {
                throw ParameterGrid.ParseError(description: "grid '\(parts[0])' is given twice")
            }
            parsed.append(Axis(name: parts[0], values: try Self.values(parts[1], text: text)))
        }
        var rules: [ParameterGrid.Constraint] = []
        for text in constraints {
            let compact = text.replacingOccurrences(of: " ", with: "")
            guard let relation = ["<=", ">=", "!=", "<", ">"].first(where: { compact.contains($0) }) else {
                throw ParameterGrid.ParseError(description: "constraint '\(text)': expected a<b, a<=b, a>b, a>=b or a!=b")
            }
            let sides = compact.components(separatedBy: relation)
            guard sides.count == 2, parsed.contains(where: { $0.name == sides[0] }), parsed.contains(where: { $0.name == sides[1] }) else {
                throw ParameterGrid.ParseError(description: "constraint '\(text)': both sides must be grid parameters "
                    + "(\(parsed.map(\.name).joined(separator: ", ")))")
            }
            rules.append(ParameterGrid.Constraint(left: sides[0], relation: relation, right: sides[1]))
        }
        self.axes = parsed
        self.constraints = rules
    }

    static func values(_ range: String, text: String) throws(ParameterGrid.ParseError) -> [String] {
        guard range.contains("..") else {
            let separator: Character = range.contains(";") ? ";" : ","
            return range.split(separator: separator).map(String.init)
        }
        let pieces = range.split(separator: ":").map(String.init)
        let bounds = pieces[0].components(separatedBy: "..")
        guard pieces.count <= 2, bounds.count == 2, let low = Double(bounds[0]), let high = Double(bounds[1]), abs(low) <= 1e15,
              abs(high) <= 1e15, low <= high, let step = pieces.count == 2 ? Double(pieces[1]) : 1, step > 0, step.isFinite else {
            throw ParameterGrid.ParseError(description: "grid '\(text)': expected name=from..to[:step] with from <= to within ±1e15 "
                + "and a positive step")
        }
        let places = ([bounds[0], bounds[1]] + (pieces.count == 2 ? [pieces[1]] : [])).map { part -> Int in
            guard let dot = part.firstIndex(of: ".") else { return 0 }
            return part.distance(from: dot, to: part.endIndex) - 1
        }.max() ?? 0
        let steps = ((high - low) / step + 1e-9).rounded(.down)
        guard steps < 10_000_000 else { throw ParameterGrid.ParseError(description: "grid '\(text)' has more than 10 million values") }
        let count = Int(steps) + 1
        return (0..<count).map { index in
            let value = low + Double(index) * step
            return places == 0 ? Int64(exactly: value.rounded()).map(String.init) ?? String(value) : String(format: "%.\(places)f", value)
        }
    }

    /// Every combination that meets the constraints, in axis order (the last axis fastest).
    public var combinations: [[String: String]] {
        var result: [[String: String]] = [[:]]
        for axis in axes {
            result = result.flatMap { partial in axis.values.map { value in partial.merging([axis.name: value]) { $1 } } }
        }
        return result.filter { values in
            constraints.allSatisfy { rule in
                guard let a = values[rule.left].flatMap(Double.init), let b = values[rule.right].flatMap(Double.init) else { return true }
                switch rule.relation {
                case "<": return a < b
                case "<=": return a <= b
                case ">": return a > b
                case ">=": return a >= b
                default: return a != b
                }
            }
        }
    }
}
