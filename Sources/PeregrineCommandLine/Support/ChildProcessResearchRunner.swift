import Foundation
import PeregrineServer

/// Runs a research tool's command as a child process of this binary: the same command a user types,
/// with its own checks and files, and a crash or a long run never takes the MCP server with it. The
/// child reads nothing (stdin is /dev/null) and its output goes to files, so over stdio it cannot
/// write into the protocol's stream.
struct ChildProcessResearchRunner: ResearchRunner {
    /// A run longer than this is stopped (SIGTERM) and reported as such.
    let timeoutSeconds: Double

    init(timeoutSeconds: Double = 3600) {
        self.timeoutSeconds = timeoutSeconds
    }

    func run(_ arguments: [String], progress: @escaping @Sendable (String) async -> Void) async throws -> ResearchOutcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("peregrine-mcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let started = Date()
        var lastReport = started
        while process.isRunning {
            try? await Task.sleep(nanoseconds: 200_000_000)
            let elapsed = Date().timeIntervalSince(started)
            if Task.isCancelled || elapsed > timeoutSeconds {
                process.terminate()
                process.waitUntilExit()
                let why = Task.isCancelled ? "the call was cancelled" : "it ran past \(Int(timeoutSeconds)) s"
                return ResearchOutcome(status: 124, output: "", errors: "peregrine \(arguments.first ?? "") was stopped: \(why)")
            }
            if Date().timeIntervalSince(lastReport) >= 2 {
                lastReport = Date()
                await progress("peregrine \(arguments.prefix(2).joined(separator: " ")) running, \(Int(elapsed)) s")
            }
        }
        let output = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let errors = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return ResearchOutcome(status: process.terminationStatus, output: output, errors: errors)
    }

    /// This binary: the command line's research commands run as the user would run them.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
