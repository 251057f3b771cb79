/// The server cannot start as configured: a bad address, a token that cannot be read, a port in use.
public struct ServerError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
