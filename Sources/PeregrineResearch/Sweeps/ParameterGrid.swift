/// Integer parameter ranges and a constraint between them, parsed from the command line:
/// `fast=5..50:1`, `slow=20..200:2`, `fast<slow`.
public struct ParameterGrid: Sendable, Equatable {
    public struct Axis: Sendable, Equatable {
        public var name: String
        public var values: [Int]
    }

    public struct Constraint: Sendable, Equatable {
        public var left: String
        public var relation: String
        public var right: String

        func holds(_ values: [String: Int]) -> Bool {
            guard let a = values[left], let b = values[right] else { return true }
            switch relation {
            case "<": return a < b
            case "<=": return a <= b
            case ">": return a > b
            case ">=": return a >= b
            default: return a != b
            }
        }
    }

    public struct ParseError: Error, CustomStringConvertible { public var description: String }

    public var axes: [Axis]
    public var constraints: [Constraint]

    public init(axes: [String], constraints: [String]) throws(ParseError) {
        var parsed: [Axis] = []
        for text in axes {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let range = parts.count == 2 ? parts[1].split(separator: ":").map(String.init) : []
            let bounds = range.first?.components(separatedBy: "..") ?? []
            guard parts.count == 2, bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high,
                  let step = range.count == 2 ? Int(range[1]) : 1, step >= 1, range.count <= 2 else {
                throw ParseError(description: "grid '\(text)': expected name=from..to[:step], e.g. fast=5..50:1")
            }
            guard !parsed.contains(where: { $0.name == parts[0] }) else {
                throw ParseError(description: "grid '\(parts[0])' is given twice")
            }
            parsed.append(Axis(name: parts[0], values: Array(stride(from: low, through: high, by: step))))
        }
        var rules: [Constraint] = []
        for text in constraints {
            let compact = text.replacingOccurrences(of: " ", with: "")
            guard let relation = ["<=", ">=", "!=", "<", ">"].first(where: { compact.contains($0) }) else {
                throw ParseError(description: "constraint '\(text)': expected a<b, a<=b, a>b, a>=b or a!=b")
            }
            let sides = compact.components(separatedBy: relation)
            guard sides.count == 2, parsed.contains(where: { $0.name == sides[0] }), parsed.contains(where: { $0.name == sides[1] }) else {
                throw ParseError(description: "constraint '\(text)': both sides must be grid parameters (\(parsed.map(\.name).joined(separator: ", ")))")
            }
            rules.append(Constraint(left: sides[0], relation: relation, right: sides[1]))
        }
        self.axes = parsed
        self.constraints = rules
    }

    /// Every combination that meets the constraints, in axis order (the last axis fastest).
    public var combinations: [[String: Int]] {
        var result: [[String: Int]] = [[:]]
        for axis in axes {
            result = result.flatMap { partial in axis.values.map { value in partial.merging([axis.name: value]) { $1 } } }
        }
        return result.filter { values in constraints.allSatisfy { $0.holds(values) } }
    }
}

import Foundation
