/// Where the control server listens: `HOST:PORT` (`127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:9000`). Anything
/// but a loopback address exposes the bots' controls to the network, so it must be asked for twice
/// (`--serve-public`).
public struct ServeAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public static let defaultText = "127.0.0.1:8080"

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT`; the message says what is wrong with a bad one.
    public init(parsing text: String) throws {
        guard let colon = text.lastIndex(of: ":") else {
            throw ServerError("'\(text)' is not HOST:PORT (e.g. \(ServeAddress.defaultText))")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ServerError("'\(text)' names no host (e.g. \(ServeAddress.defaultText))") }
        guard let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ServerError("'\(text)': the port must be a number from 0 to 65535 (0 picks a free one)")
        }
        self.host = host
        self.port = port
    }

    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Refuses a non-loopback address unless the user also said `--serve-public`.
    public func checked(public allowed: Bool) throws -> ServeAddress {
        guard isLoopback || allowed else {
            throw ServerError("--serve \(self) would expose the API beyond this machine; add --serve-public to mean it "
                              + "(and put TLS in front of it)")
        }
        return self
    }
}
