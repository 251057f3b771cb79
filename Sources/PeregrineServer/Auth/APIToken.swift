import Foundation
import PeregrineStorage

/// The bearer token every API request but `health` must carry. It comes from `PEREGRINE_API_TOKEN`,
/// or from a file beside the store (`<store>.api-token`, mode 0600) that is generated at first start;
/// `generated` tells the caller to print it once. The token never appears in logs or errors.
public struct APIToken: Sendable {
    public let value: String
    /// Where it came from: the environment variable's name or the file's path.
    public let source: String
    public let generated: Bool

    public static let environmentVariable = "PEREGRINE_API_TOKEN"
    static let minimumLength = 16

    public init(value: String, source: String, generated: Bool = false) {
        self.value = value
        self.source = source
        self.generated = generated
    }

    public static func filePath(besideStore store: String) -> String { store + ".api-token" }

    /// The token from the environment, or the store's token file (made when absent).
    public static func resolve(store: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> APIToken {
        if let value = environment[environmentVariable] {
            guard value.count >= minimumLength, value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ServerError("\(environmentVariable) must be at least \(minimumLength) printable characters without spaces")
            }
            return APIToken(value: value, source: environmentVariable)
        }
        // A PostgreSQL store has no folder to keep a token file beside it.
        guard !StoreLocation.isURL(store) else {
            throw ServerError("with a PostgreSQL store the API token comes from \(environmentVariable) (at least \(minimumLength) characters)")
        }
        let path = filePath(besideStore: store)
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            let attributes = try manager.attributesOfItem(atPath: path)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            guard mode & 0o077 == 0 else {
                throw ServerError("\(path) can be read by others (mode \(String(mode, radix: 8))); run chmod 600 \(path)")
            }
            let value = (try String(contentsOfFile: path, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
            guard value.count >= minimumLength else { throw ServerError("\(path) holds no token; delete it to have one generated") }
            return APIToken(value: value, source: path)
        }
        var generator = SystemRandomNumberGenerator()
        let value = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        guard manager.createFile(atPath: path, contents: Data((value + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ServerError("cannot write the API token to \(path)")
        }
        return APIToken(value: value, source: path, generated: true)
    }
}
