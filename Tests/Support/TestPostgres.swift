import Foundation
#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
import Darwin
private let streamSocket = SOCK_STREAM
#endif

/// A PostgreSQL server for the tests that run the store on PostgreSQL: `PEREGRINE_TEST_POSTGRES_URL`
/// when set, else ONE throwaway cluster per test process, made with the PostgreSQL binaries when they
/// are installed (initdb into a temporary folder, trust authentication, a free port on 127.0.0.1, the
/// socket in the same folder; as root it runs as the `postgres` user, since initdb refuses root) and
/// stopped when the process exits. Each test takes its own schema of it (`freshURL()`). Without
/// binaries or URL the PostgreSQL cases are skipped with `unavailableReason`.
public enum TestPostgres {
    public static let environmentVariable = "PEREGRINE_TEST_POSTGRES_URL"

    private static let server: (url: String?, reason: String) = start()

    public static var available: Bool { server.url != nil }

    /// Why the PostgreSQL cases do not run here.
    public static var unavailableReason: String { "PostgreSQL cases skipped: " + server.reason }

    /// The server's URL with a schema no other test uses (created by the store when it opens), nil when
    /// there is no server.
    public static func freshURL() -> String? {
        guard let url = server.url else { return nil }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return url + (url.contains("?") ? "&" : "?") + "schema=" + schema
    }

    private static func start() -> (url: String?, reason: String) {
        if let url = ProcessInfo.processInfo.environment[environmentVariable], !url.isEmpty { return (url, "") }
        guard let binaries = binaryFolder() else {
            return (nil, "no PostgreSQL binaries (initdb, pg_ctl) found; install PostgreSQL (Debian: apt-get install postgresql) "
                    + "or set \(environmentVariable)")
        }
        let folder = NSTemporaryDirectory() + "peregrine-pg-" + UUID().uuidString
        var runAs: [String] = []
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if geteuid() == 0 {
                guard let account = getpwnam("postgres"), FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else {
                    return (nil, "running as root, and there is no postgres user (or runuser) to run initdb as")
                }
                try FileManager.default.setAttributes([.ownerAccountID: NSNumber(value: account.pointee.pw_uid),
                                                       .groupOwnerAccountID: NSNumber(value: account.pointee.pw_gid)], ofItemAtPath: folder)
                runAs = ["/usr/sbin/runuser", "-u", "postgres", "--"]
            }
        } catch {
            return (nil, "cannot prepare \(folder): \(error)")
        }
        let data = folder + "/data"
        // Connections over TCP need the password (so the tests see password authentication at work);
        // the socket in the folder trusts its owner.
        let passwordFile = folder + "/password"
        guard FileManager.default.createFile(atPath: passwordFile, contents: Data(password.utf8),
                                             attributes: [.posixPermissions: 0o644]) else { return (nil, "cannot write \(passwordFile)") }
        let initdb = run(runAs + [binaries + "/initdb", "-D", data, "--auth-local=trust", "--auth-host=scram-sha-256", "-U", "peregrine",
                                  "--pwfile", passwordFile, "-E", "UTF8", "--no-sync"])
        guard initdb.status == 0 else { return (nil, "initdb failed: \(initdb.output.suffix(400))") }
        guard let port = freePort() else { return (nil, "no free port on 127.0.0.1") }
        var options = "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400"
        // TLS offered beside plain connections, with a certificate for "localhost" from a throwaway CA.
        switch makeCertificates(in: folder, owner: geteuid() == 0 ? getpwnam("postgres")?.pointee : nil) {
        case .success(let made):
            options += " -c ssl=on -c ssl_cert_file=\(made.certificate) -c ssl_key_file=\(made.key)"
            tlsFiles = (made.authority, made.otherAuthority, "")
        case .failure(let reason):
            tlsFiles = (nil, nil, reason.description)
        }
        serverPort = port
        let started = run(runAs + [binaries + "/pg_ctl", "-D", data, "-l", folder + "/server.log", "-o", options, "-w", "-t", "60", "start"])
        guard started.status == 0 else { return (nil, "pg_ctl start failed: \(started.output.suffix(400))") }
        stopCommand = runAs + [binaries + "/pg_ctl", "-D", data, "-m", "immediate", "stop"]
        stopFolder = folder
        atexit {
            _ = TestPostgres.run(TestPostgres.stopCommand)
            try? FileManager.default.removeItem(atPath: TestPostgres.stopFolder)
        }
        return ("postgres://peregrine:\(password)@127.0.0.1:\(port)/postgres?sslmode=disable", "")
    }

    /// The cluster's port (0 when the server came from the environment or did not start).
    nonisolated(unsafe) public private(set) static var serverPort = 0
    nonisolated(unsafe) private static var tlsFiles: (authority: String?, otherAuthority: String?, reason: String) = (nil, nil, "no cluster")

    /// The certificate authority that signed the cluster's TLS certificate (for "localhost" only), nil
    /// when the cluster offers no TLS; and an unrelated authority, which must not be trusted for it.
    public static var tlsAuthorities: (signer: String, other: String)? {
        _ = server
        guard let signer = tlsFiles.authority, let other = tlsFiles.otherAuthority else { return nil }
        return (signer, other)
    }

    /// Why the cluster offers no TLS.
    public static var tlsUnavailableReason: String { _ = server; return "TLS cases skipped: " + tlsFiles.reason }

    struct CertificateFailure: Error, CustomStringConvertible { let description: String }

    /// A CA, a server certificate it signs for DNS:localhost (key readable by the server's user only),
    /// and a second CA that signed nothing here, made with the openssl command.
    private static func makeCertificates(in folder: String, owner: passwd?)
        -> Result<(authority: String, certificate: String, key: String, otherAuthority: String), CertificateFailure>
    {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let openssl = (paths + ["/usr/bin"]).map({ $0 + "/openssl" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .failure(CertificateFailure(description: "no openssl command to make certificates with"))
        }
        let tls = folder + "/tls"
        do { try FileManager.default.createDirectory(atPath: tls, withIntermediateDirectories: true) } catch {
            return .failure(CertificateFailure(description: "cannot make \(tls): \(error)"))
        }
        let extensions = tls + "/server.ext"
        FileManager.default.createFile(atPath: extensions, contents: Data("subjectAltName=DNS:localhost\n".utf8))
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", tls + "/ca.key", "-out", tls + "/ca.crt", "-days", "2",
             "-subj", "/CN=Peregrine test CA"],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", tls + "/other.key", "-out", tls + "/other.crt", "-days", "2",
             "-subj", "/CN=Someone else's CA"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", tls + "/server.key", "-out", tls + "/server.csr", "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", tls + "/server.csr", "-CA", tls + "/ca.crt", "-CAkey", tls + "/ca.key", "-CAcreateserial",
             "-out", tls + "/server.crt", "-days", "2", "-extfile", extensions],
        ]
        for step in steps {
            let made = run([openssl] + step)
            guard made.status == 0 else { return .failure(CertificateFailure(description: "openssl \(step[0]) failed: \(made.output.suffix(300))")) }
        }
        do {
            var attributes: [FileAttributeKey: Any] = [.posixPermissions: 0o600]
            if let owner {
                attributes[.ownerAccountID] = NSNumber(value: owner.pw_uid)
                attributes[.groupOwnerAccountID] = NSNumber(value: owner.pw_gid)
                try FileManager.default.setAttributes([.ownerAccountID: NSNumber(value: owner.pw_uid)], ofItemAtPath: tls)
            }
            try FileManager.default.setAttributes(attributes, ofItemAtPath: tls + "/server.key")
            if let owner { try FileManager.default.setAttributes([.ownerAccountID: NSNumber(value: owner.pw_uid)], ofItemAtPath: tls + "/server.crt") }
        } catch {
            return .failure(CertificateFailure(description: "cannot hand the key to the server's user: \(error)"))
        }
        return .success((tls + "/ca.crt", tls + "/server.crt", tls + "/server.key", tls + "/other.crt"))
    }

    /// The throwaway cluster's password (it listens on 127.0.0.1 only and is removed at exit).
    public static let password = "peregrine-test-only"

    nonisolated(unsafe) private static var stopCommand: [String] = []
    nonisolated(unsafe) private static var stopFolder = ""

    /// The newest installed PostgreSQL's binaries: Debian's versioned folder, else `initdb` on the PATH.
    private static func binaryFolder() -> String? {
        let debian = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(debian)/\(version)/bin/initdb") {
            return "\(debian)/\(version)/bin"
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            if FileManager.default.isExecutableFile(atPath: "\(folder)/initdb"), FileManager.default.isExecutableFile(atPath: "\(folder)/pg_ctl") {
                return String(folder)
            }
        }
        return nil
    }

    /// Runs a program to its end with its output in a file (read back as `output`). posix_spawn and
    /// waitpid rather than Foundation's `Process`, whose wait can hang when the server a command starts
    /// outlives it (pg_ctl's postmaster) or while the process is exiting (the atexit stop).
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        guard !arguments.isEmpty else { return (-1, "") }
        let log = NSTemporaryDirectory() + "peregrine-pg-command-" + UUID().uuidString + ".log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else { return (-1, "\(arguments[0]): cannot start") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : -1, output)
    }

    /// A port nothing listens on now: the kernel's choice for a socket bound to port 0.
    private static func freePort() -> Int? {
        let descriptor = socket(AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
