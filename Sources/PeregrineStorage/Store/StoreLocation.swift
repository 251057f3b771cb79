/// Where a store lives, from the `--store` text every command takes: a SQLite file path, or a
/// `postgres://` / `postgresql://` URL.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Reads `--store` text: a URL with a PostgreSQL scheme is parsed (and refused with what is wrong
    /// when malformed); anything else is a SQLite file path.
    public init(_ text: String) throws {
        if PostgresLocation.hasPostgresScheme(text) {
            self = .postgres(try PostgresLocation(url: text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// Whether `--store` text names a PostgreSQL server rather than a file.
    public static func isURL(_ text: String) -> Bool { PostgresLocation.hasPostgresScheme(text) }

    /// `--store` text as a message may show it: a URL's password replaced by `***`, even when the URL
    /// is malformed; a file path unchanged.
    public static func redacted(_ text: String) -> String {
        guard isURL(text) else { return text }
        if let location = try? PostgresLocation(url: text) { return location.redacted }
        // Malformed: everything between the user name and the last '@' is hidden (a password may hold
        // '/' or '?'), and so is any password= option.
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        var shown = String(text)
        if let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            shown = String(text[..<rest.index(after: colon)]) + "***" + String(rest[at...])
        }
        guard let option = shown.range(of: "password=", options: .caseInsensitive) else { return shown }
        let valueEnd = shown[option.upperBound...].firstIndex(of: "&") ?? shown.endIndex
        return String(shown[..<option.upperBound]) + "***" + String(shown[valueEnd...])
    }

    /// The location as a user may be shown it: never a password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.redacted
        }
    }
}
