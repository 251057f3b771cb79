import Foundation

/// `peregrine` run as a separate process, as a user runs it: a command to completion, or `exchange`
/// kept running on a free port until the test ends.
public enum PeregrineProcess {
    /// Runs the built tool with `arguments` and `environment` added to this process's, to completion.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String, error: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}

/// A running `peregrine exchange --port 0 ...` (or `serve`, or `trade --serve`): its process, its base
/// URL and what it printed up to and including its ready line. `stop()` ends it (SIGTERM).
public final class ExchangeProcess {
    public let process: Process
    public let base: String
    public let banner: String
    private let output: Pipe

    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `peregrine exchange` with `arguments` (which should include `--port 0`) and waits for
    /// the line that names its address.
    public convenience init(_ arguments: [String], environment: [String: String]) throws {
        try self.init(command: ["exchange"] + arguments, readyWhen: "listening on ", environment: environment)
    }

    /// Starts `peregrine` with `command` and waits for a line containing `marker`; `base` is the first
    /// `http://` address on that line (without a trailing slash).
    public init(command: [String], readyWhen marker: String, environment: [String: String]) throws {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: TestPaths.executable)
        server.arguments = command
        server.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        server.standardOutput = output
        server.standardError = Pipe()
        try server.run()
        var text = ""
        while !text.split(separator: "\n").contains(where: { $0.contains(marker) }) || !text.hasSuffix("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.contains(marker) }),
              let address = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }) else {
            server.terminate()
            server.waitUntilExit()
            throw StartFailure(description: "peregrine \(command.first ?? "") did not start: \(text)")
        }
        process = server
        self.output = output
        base = address.hasSuffix("/") ? String(address.dropLast()) : String(address)
        banner = text
    }

    public func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// Stops it (SIGTERM) and returns what it printed after its ready line.
    public func stopReadingOutput() -> String {
        process.terminate()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: rest, as: UTF8.self)
    }
}
