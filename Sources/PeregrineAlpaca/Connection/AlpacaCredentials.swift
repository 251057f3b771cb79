import Foundation

/// An Alpaca key pair. The secret is only ever placed in a request header: this type prints and
/// debug-prints as the key id with the secret masked, so it cannot leak through a log line or an error.
public struct AlpacaCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let keyID: String
    let secret: String

    public init(keyID: String, secret: String) {
        self.keyID = keyID
        self.secret = secret
    }

    public var description: String { "AlpacaCredentials(key \(keyID), secret ****)" }
    public var debugDescription: String { description }

    /// Whether a presented key pair is this one (for a server checking its clients).
    public func matches(keyID: String?, secret: String?) -> Bool { keyID == self.keyID && secret == self.secret }

    /// The two authentication headers Alpaca expects.
    var headers: [(String, String)] { [("APCA-API-KEY-ID", keyID), ("APCA-API-SECRET-KEY", secret)] }

    public struct LoadError: Error, CustomStringConvertible, Equatable {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Reads `APCA_API_KEY_ID` and `APCA_API_SECRET_KEY` from the environment.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(LoadError)
        -> AlpacaCredentials {
        guard let key = environment["APCA_API_KEY_ID"], !key.isEmpty else {
            throw LoadError(description: "APCA_API_KEY_ID is not set (or give a key file)")
        }
        guard let secret = environment["APCA_API_SECRET_KEY"], !secret.isEmpty else {
            throw LoadError(description: "APCA_API_SECRET_KEY is not set (or give a key file)")
        }
        return AlpacaCredentials(keyID: key, secret: secret)
    }

    /// Reads a key file of `APCA_API_KEY_ID=...` and `APCA_API_SECRET_KEY=...` lines. The file must be
    /// readable by its owner only (mode 0600 or stricter), like an SSH key.
    public static func fromFile(_ path: String) throws(LoadError) -> AlpacaCredentials {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw LoadError(description: "key file \(path): cannot be read")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        guard mode & 0o077 == 0 else {
            throw LoadError(description: "key file \(path): mode \(String(mode, radix: 8)) lets others read it; run chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "key file \(path): cannot be read")
        }
        var values: [String: String] = [:]
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            // The line itself is not quoted back: it may hold the secret.
            guard parts.count == 2 else { throw LoadError(description: "key file \(path):\(number + 1): expected NAME=value") }
            values[parts[0]] = parts[1]
        }
        do { return try fromEnvironment(values) } catch {
            throw LoadError(description: "key file \(path): " + error.description.replacingOccurrences(of: " (or give a key file)", with: ""))
        }
    }
}
