import Foundation

/// A PostgreSQL store's URL, parsed: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE?OPTIONS`.
///
/// Options: `sslmode=disable|prefer|require|verify-ca|verify-full` (default `prefer`, as libpq),
/// `sslrootcert=FILE` (trust roots for the verify modes), `schema=NAME` (the store's tables in that
/// schema, created when missing), and `host=/socket/dir` for a unix socket (also written as a
/// percent-encoded host, `postgres://user@%2Fvar%2Frun%2Fpostgresql/db`). Omitted parts default as libpq
/// does: user from `PGUSER` or the login name, port 5432, database named as the user.
public struct PostgresLocation: Sendable, Equatable {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    /// The password written in the URL, if any; see `PostgresPassword` for the other sources.
    public var password: String?
    /// A host name or address; nil with `socketDirectory`.
    public var host: String?
    public var socketDirectory: String?
    public var port: Int
    public var database: String
    public var tls: TLSMode
    public var rootCertificate: String?
    public var schema: String?

    static let schemes = ["postgres://", "postgresql://"]

    static func hasPostgresScheme(_ text: String) -> Bool {
        schemes.contains { text.lowercased().hasPrefix($0) }
    }

    /// Parses the URL; every refusal names the part that is wrong and never repeats a password.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let scheme = Self.schemes.first(where: { url.lowercased().hasPrefix($0) }) else {
            throw Self.malformed("it must start with postgres:// or postgresql://")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        // A password holding an unencoded '/', '?' or '#' would be cut into host, port, path or query
        // and echoed by the messages below: refuse it first, showing none of it.
        if let at = rest.lastIndex(of: "@"), let cut = rest.firstIndex(where: { "/?#".contains($0) }), cut < at {
            throw Self.malformed("the part before '@' holds '/', '?' or '#': percent-encode them in a user name or password")
        }
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var authority = rest
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }
        var userInfo: Substring?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
        }
        var user: String?
        var password: String?
        if let userInfo {
            let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            user = try Self.decode(parts[0], "user name")
            if parts.count == 2 { password = try Self.decode(parts[1], "password") }
        }
        var hostText = Substring(hostPort)
        var portText: Substring?
        if hostText.hasPrefix("[") {
            guard let close = hostText.firstIndex(of: "]") else { throw Self.malformed("the IPv6 host has no closing ]") }
            let after = hostText[hostText.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw Self.malformed("unexpected text after the host") }
            hostText = hostText[hostText.index(after: hostText.startIndex)..<close]
        } else if let colon = hostText.lastIndex(of: ":") {
            portText = hostText[hostText.index(after: colon)...]
            hostText = hostText[..<colon]
        }
        var host: String? = hostText.isEmpty ? nil : try Self.decode(hostText, "host")
        var port = 5432
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw Self.malformed("port '\(portText)' is not a number from 1 to 65535")
            }
            port = number
        }
        var database = path.isEmpty ? nil : try Self.decode(path, "database name")
        if database?.contains("/") == true { throw Self.malformed("the database name may not contain '/'") }
        var tls = TLSMode.prefer
        var rootCertificate: String?
        var schema: String?
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count == 2 ? try Self.decode(parts[1], "option \(name)") : ""
            switch name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw Self.malformed("sslmode '\(value)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "sslrootcert": rootCertificate = value
            case "schema":
                guard Self.isPlainIdentifier(value) else {
                    throw Self.malformed("schema '\(value)' must be letters, digits and _ (not starting with a digit), at most 63")
                }
                schema = value
            case "host": host = value
            case "port":
                guard let number = Int(value), (1...65535).contains(number) else { throw Self.malformed("port '\(value)' is not a number from 1 to 65535") }
                port = number
            case "user": user = value
            case "dbname": database = value
            case "password": password = value
            case "application_name", "connect_timeout": continue
            default:
                throw Self.malformed("unknown option '\(name)' (known: sslmode, sslrootcert, schema, host, port, user, dbname)")
            }
        }
        var socketDirectory: String?
        if let named = host, named.hasPrefix("/") {
            socketDirectory = named
            host = nil
        }
        let resolvedUser = user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        self.user = resolvedUser
        self.password = password
        self.host = host ?? (socketDirectory == nil ? "localhost" : nil)
        self.socketDirectory = socketDirectory
        self.port = port
        self.database = database.flatMap { $0.isEmpty ? nil : $0 } ?? resolvedUser
        self.tls = tls
        self.rootCertificate = rootCertificate
        self.schema = schema
    }

    /// The URL with its password replaced by `***`: what messages, logs and the control API show.
    public var redacted: String {
        var text = "postgres://\(user)\(password == nil ? "" : ":***")@"
        if let host { text += host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" } else { text += ":\(port)" }
        text += "/\(database)"
        var options: [String] = []
        if let socketDirectory { options.append("host=\(socketDirectory)") }
        if tls != .prefer { options.append("sslmode=\(tls.rawValue)") }
        if let schema { options.append("schema=\(schema)") }
        return options.isEmpty ? text : text + "?" + options.joined(separator: "&")
    }

    /// The host as a pass file names it: `localhost` for a unix socket, as libpq matches.
    var passFileHost: String { host ?? "localhost" }

    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63,
              first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    static func decode(_ text: Substring, _ part: String) throws -> String {
        guard let decoded = String(text).removingPercentEncoding else { throw malformed("the \(part) has a broken %-escape") }
        return decoded
    }

    static func malformed(_ reason: String) -> StoreError {
        StoreError(.unreadable, "the PostgreSQL URL is malformed: \(reason) (expected postgres://USER@HOST:PORT/DATABASE)")
    }
}
