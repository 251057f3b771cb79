import Foundation

/// Runs one research command (`backtest`, `sweep`, `walkforward`, `montecarlo`, `indicators`,
/// `models hmm`) for the MCP tools, as the command line runs it, so a tool's run is the user's own
/// command with the same checks and files. The command line provides it (a child process of this
/// binary); tests may script it.
public protocol ResearchRunner: Sendable {
    /// Runs `peregrine` with `arguments`; `progress` hears a line of what it is doing now and then.
    func run(_ arguments: [String], progress: @escaping @Sendable (String) async -> Void) async throws -> ResearchOutcome
}

/// How a research command ended: its exit status and what it printed.
public struct ResearchOutcome: Sendable {
    public var status: Int32
    public var output: String
    public var errors: String

    public init(status: Int32, output: String, errors: String) {
        self.status = status
        self.output = output
        self.errors = errors
    }
}
