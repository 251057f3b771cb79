import Foundation

/// Where a PostgreSQL store's password comes from, first found wins: the URL, `PGPASSWORD`, then the
/// pass file (`PGPASSFILE`, else `~/.pgpass`) in libpq's format, `host:port:database:user:password`
/// with `*` matching anything and `\:` / `\\` escapes. As libpq does, a pass file that others can read
/// is ignored. The password is only ever handed to the connection, never put in a message.
enum PostgresPassword {
    static func resolve(for location: PostgresLocation,
                        environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let password = location.password { return password }
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        guard let file = passFile(environment) else { return nil }
        return lookUp(in: file, host: location.passFileHost, port: location.port, database: location.database, user: location.user)
    }

    static func passFile(_ environment: [String: String]) -> String? {
        if let file = environment["PGPASSFILE"], !file.isEmpty { return file }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.pgpass"
    }

    /// The password of the first matching line of `file`; nil when the file is missing, readable by
    /// others, or has no matching line.
    static func lookUp(in file: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 == 0,
              let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A pass-file line's fields, with `\:` and `\\` unescaped.
    static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
