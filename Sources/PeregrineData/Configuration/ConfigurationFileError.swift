import Foundation
import TOMLKit

/// A configuration file that cannot be used: which file, line or key, and what would be right.
public struct ConfigurationFileError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }

    /// The file's text, or the error that names the file.
    static func text(of path: String) throws(ConfigurationFileError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationFileError(description: "\(path): cannot read the configuration file")
        }
        return text
    }

    /// The TOML document, or the error that names the source and the line.
    static func root(of text: String, source: String) throws(ConfigurationFileError) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationFileError(description: "\(source):\(error.source.begin.line): \(error.description)")
        } catch {
            throw ConfigurationFileError(description: "\(source): \(error)")
        }
    }

    /// The top-level table `name` of a document, nil when absent; an error when it is not a table or
    /// holds a key outside `known` (named, with the keys that are).
    /// A number of `table` (an integer or a float) within `range`, nil when the key is absent; the
    /// refusal names `source`, the table and the key.
    static func number(_ table: TOMLTable, _ key: String, in range: ClosedRange<Double>, table name: String,
                       source: String) throws(ConfigurationFileError) -> Double? {
        guard let value = table[key] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init), number.isFinite, range.contains(number) else {
            throw ConfigurationFileError(description: "\(source): \(name).\(key): expected a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    static func table(_ name: String, of text: String, source: String, known: Set<String>) throws(ConfigurationFileError) -> TOMLTable? {
        let root = try root(of: text, source: source)
        guard let value = root[name] else { return nil }
        guard let table = value.table else { throw ConfigurationFileError(description: "\(source): \(name) must be a table") }
        if let unknown = table.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigurationFileError(description: "\(source): \(name).\(unknown) is not a setting; known: \(known.sorted().joined(separator: ", "))")
        }
        return table
    }
}
