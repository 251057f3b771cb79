import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// postgres-nio's errors as store errors a user can act on: what failed and where, by the redacted URL.
/// `PSQLError` deliberately describes itself vaguely (so as not to leak data); the server's own
/// message and SQLSTATE are what say what is wrong, and neither carries the password.
enum PostgresFailure {
    static func store(_ error: any Error, location: PostgresLocation, connecting: Bool) -> StoreError {
        let place = location.redacted
        if let reason = tlsFailure((error as? PSQLError)?.underlying ?? error) {
            let roots = location.rootCertificate.map { "the authority in \($0)" } ?? "the system's trust roots"
            return StoreError(.unreadable, "\(place): the server's TLS certificate is refused under sslmode=\(location.tls.rawValue) "
                              + "(checked against \(roots)): \(reason)")
        }
        guard let psql = error as? PSQLError else {
            return StoreError(.unreadable, "\(place): \(connecting ? "cannot connect" : "failed"): \(plain(error))")
        }
        if let server = psql.serverInfo {
            let message = server[.message] ?? "error"
            let code = server[.sqlState] ?? ""
            switch code {
            case "28P01":
                return StoreError(.unreadable, "\(place): wrong password for user \(location.user) "
                                  + "(the password comes from the URL, PGPASSWORD or the pass file, in that order)")
            case "28000":
                return StoreError(.unreadable, "\(place): the server refuses user \(location.user): \(message)")
            case "3D000":
                return StoreError(.unreadable, "\(place): the database \(location.database) does not exist "
                                  + "(create it with `createdb \(location.database)` or name another)")
            default:
                let detail = server[.detail].map { " (\($0))" } ?? ""
                return StoreError(.unreadable, "\(place): PostgreSQL says: \(message)\(detail) [SQLSTATE \(code)]")
            }
        }
        switch psql.code {
        case .authMechanismRequiresPassword:
            return StoreError(.unreadable, "\(place): the server asks for a password and none was found "
                              + "(put it in PGPASSWORD, a pass file such as ~/.pgpass, or the URL)")
        case .sslUnsupported:
            return StoreError(.unreadable, "\(place): the server does not offer TLS, which sslmode=\(location.tls.rawValue) requires")
        case .connectionError:
            let endpoint = location.socketDirectory.map { "the socket in \($0)" } ?? "\(location.host ?? "localhost"):\(location.port)"
            return StoreError(.unreadable, "\(place): cannot reach PostgreSQL at \(endpoint): \(psql.underlying.map(plain) ?? "connection failed")")
        case .serverClosedConnection, .clientClosedConnection:
            return StoreError(.unreadable, "\(place): the connection to PostgreSQL closed")
        default:
            return StoreError(.unreadable, "\(place): PostgreSQL \(connecting ? "connection" : "query") failed (\(psql.code))")
        }
    }

    /// What went wrong in a TLS handshake, nil when the error is not one.
    static func tlsFailure(_ error: any Error) -> String? {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "the certificate does not name this host"
        }
        if let ssl = error as? NIOSSLError {
            if case .handshakeFailed(let reason) = ssl {
                return "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") ? "it is not signed by a trusted authority" : "handshake failed: \(reason)"
            }
            return "\(ssl)"
        }
        if let boring = error as? BoringSSLError { return "\(boring)" }
        if let connection = error as? NIOConnectionError {
            return connection.connectionErrors.lazy.compactMap { tlsFailure($0.error) }.first
        }
        return nil
    }

    /// An underlying network error in a few words.
    static func plain(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError {
            return connection.connectionErrors.first.map { plain($0.error) } ?? "connection failed"
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        return String(describing: error)
    }
}
