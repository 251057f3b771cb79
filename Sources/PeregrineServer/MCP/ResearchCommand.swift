import Foundation
import MCP

/// The command line a research tool's arguments stand for, with the files it writes in its own
/// folder. Only the arguments a tool declares become options, each value a separate argument (no
/// shell), and no value may pass for an option.
struct ResearchCommand {
    let tool: String
    let folder: String
    private(set) var arguments: [String] = []
    /// The file whose contents the tool returns.
    private(set) var resultFile = ""
    /// The HTML tearsheet, for a backtest.
    private(set) var report: String?
    /// For indicators: how many of the last rows to return.
    private var rows = 20

    /// `marketDataURL`: where `latest_quotes` asks (nil: Alpaca's market-data API).
    init(tool: String, arguments given: [String: Value], folder: String, marketDataURL: String? = nil) throws {
        self.tool = tool
        self.folder = folder
        let out = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        switch tool {
        case "backtest":
            try summaryRun(["backtest"], given, options: ["strategy": "--strategy", "cash": "--cash", "quantity": "--quantity"],
                           pairs: [("params", "--param")], lists: [("rules", "--rule")])
            report = out("report.html")
            arguments += ["--report", out("report.html")]
        case "sweep":
            try summaryRun(["sweep"], given, options: ["strategy": "--strategy", "objective": "--objective"],
                           pairs: [("grid", "--grid")], lists: [("rules", "--rule"), ("constraints", "--constraint")])
        case "walk_forward":
            try summaryRun(["walkforward"], given,
                           options: ["strategy": "--strategy", "in_sample": "--in-sample", "out_of_sample": "--out-of-sample"],
                           pairs: [("params", "--param"), ("grid", "--grid")], lists: [("rules", "--rule")], flags: [("anchored", "--anchored")])
        case "monte_carlo":
            try summaryRun(["montecarlo"], given, options: ["strategy": "--strategy", "paths": "--paths", "method": "--method"],
                           pairs: [("params", "--param")], lists: [("rules", "--rule")])
        case "indicators":
            arguments = ["indicators"]
            try addData(given)
            try addList(given["indicators"], "--indicator", "indicators")
            rows = try Self.rows(given["rows"]) ?? rows
            arguments += ["--out", out("indicators.csv")]
            resultFile = out("indicators.csv")
        case "signals":
            arguments = ["models", "signaling"]
            try addData(given)
            rows = try Self.rows(given["rows"]) ?? rows
            arguments += ["--out", out("signals.csv")]
            resultFile = out("signals.csv")
        case "latest_quotes":
            guard case .array(let items)? = given["symbols"], (1...50).contains(items.count) else {
                throw MCPToolbox.ToolRefusal("'symbols' must be a list of 1 to 50 symbols")
            }
            let symbols = try items.map { item -> String in
                let symbol = try Self.value(item, "symbols")
                guard symbol.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "/" }) else {
                    throw MCPToolbox.ToolRefusal("'\(symbol.prefix(30))' is not a symbol")
                }
                return symbol
            }
            arguments = ["data", "latest", "--symbols", symbols.joined(separator: ",")]
            if let marketDataURL { arguments += ["--base-url", marketDataURL] }
        case "regime":
            arguments = ["models", "hmm"]
            try addData(given)
            try addOptions(given, ["states": "--states", "seed": "--seed"])
            arguments += ["--out", out("hmm.json")]
            resultFile = out("hmm.json")
        default:
            throw MCPToolbox.ToolRefusal("\(tool) is not a research tool")
        }
    }

    /// A research command that writes `summary.json` in the folder: the data, then each kind of
    /// argument in the order given, the costs, and `--out`.
    private mutating func summaryRun(_ command: [String], _ given: [String: Value], options: [String: String],
                                     pairs: [(argument: String, option: String)], lists: [(argument: String, option: String)],
                                     flags: [(argument: String, option: String)] = []) throws {
        arguments = command
        try addData(given)
        try addOptions(given, options)
        for pair in pairs { try addPairs(given[pair.argument], pair.option, pair.argument) }
        for list in lists { try addList(given[list.argument], list.option, list.argument) }
        for flag in flags where given[flag.argument] == .bool(true) { arguments.append(flag.option) }
        try addCosts(given)
        arguments += ["--out", folder]
        resultFile = (folder as NSString).appendingPathComponent("summary.json")
    }

    /// How many of the last rows a CSV result returns, from 1 to 500.
    static func rows(_ value: Value?) throws -> Int? {
        guard let value, value != .null else { return nil }
        guard let count = MCPToolbox.scalar(value).flatMap(Int.init), (1...500).contains(count) else {
            throw MCPToolbox.ToolRefusal("'rows' must be a whole number from 1 to 500")
        }
        return count
    }

    /// A value that could pass for an option (`--out=...`, `-x`) is refused; negative numbers are fine.
    static func value(_ value: Value, _ name: String) throws -> String {
        guard let text = MCPToolbox.scalar(value) else { throw MCPToolbox.ToolRefusal("'\(name)' must be a string, a number or a boolean") }
        if text.hasPrefix("-") && Double(text) == nil { throw MCPToolbox.ToolRefusal("'\(name)' may not start with '-': \(text.prefix(40))") }
        guard !text.isEmpty, text.count <= 4096, !text.contains("\0") else { throw MCPToolbox.ToolRefusal("'\(name)' is empty or too long") }
        return text
    }

    private mutating func addData(_ given: [String: Value]) throws {
        switch given["data"] {
        case .array(let items):
            guard !items.isEmpty else { throw MCPToolbox.ToolRefusal("'data' is an empty list") }
            for item in items { arguments += ["--data", try Self.value(item, "data")] }
        case .some(let item): arguments += ["--data", try Self.value(item, "data")]
        case .none: throw MCPToolbox.ToolRefusal("\(tool) needs 'data': a CSV file, a folder, or synthetic")
        }
    }

    private mutating func addOptions(_ given: [String: Value], _ options: [String: String]) throws {
        for name in options.keys.sorted() {
            guard let value = given[name], value != .null, let option = options[name] else { continue }
            arguments += [option, try Self.value(value, name)]
        }
    }

    private mutating func addCosts(_ given: [String: Value]) throws {
        try addOptions(given, ["commission": "--commission", "slippage": "--slippage", "risk": "--risk"])
    }

    /// `{"fast": 10}` as `--param fast=10`.
    private mutating func addPairs(_ value: Value?, _ option: String, _ name: String) throws {
        guard let value, value != .null else { return }
        guard case .object(let members) = value else { throw MCPToolbox.ToolRefusal("'\(name)' must be an object of name: value") }
        for key in members.keys.sorted() {
            guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !key.isEmpty else {
                throw MCPToolbox.ToolRefusal("'\(name)' has a bad name '\(key.prefix(40))' (letters, digits and _ only)")
            }
            arguments += [option, key + "=" + (try Self.value(members[key]!, "\(name).\(key)"))]
        }
    }

    private mutating func addList(_ value: Value?, _ option: String, _ name: String) throws {
        guard let value, value != .null else { return }
        guard case .array(let items) = value else { throw MCPToolbox.ToolRefusal("'\(name)' must be a list of strings") }
        for item in items { arguments += [option, try Self.value(item, name)] }
    }

    /// What the tool returns: the summary's JSON, for indicators and signals the header and the last
    /// rows, for the latest quotes the lines the command printed (`output`).
    func resultText(output: String = "") throws -> String {
        if resultFile.isEmpty {
            return output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let data = FileManager.default.contents(atPath: resultFile) else {
            throw MCPToolbox.ToolRefusal("the command finished but wrote no \(resultFile)")
        }
        var text = String(decoding: data, as: UTF8.self)
        if tool == "indicators" || tool == "signals" {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            text = ([lines.first ?? ""] + lines.dropFirst().suffix(rows)).joined(separator: "\n")
        }
        // A summary is small; a model gets at most 60,000 characters and the file's path for the rest.
        if text.count > 60_000 { text = String(text.prefix(60_000)) + "\n... (cut; the whole file is \(resultFile))" }
        return text
    }
}
