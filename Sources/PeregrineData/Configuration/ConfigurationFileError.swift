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
}
