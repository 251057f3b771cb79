import Synchronization

/// The arguments the command line was started with (after the program's name), kept for a command
/// that must name its own invocation: every shard of a sweep derives the sweep's id from them.
enum CommandArguments {
    private static let given = Mutex<[String]?>(nil)

    static func record(_ arguments: [String]) { given.withLock { $0 = arguments } }

    /// What `record` kept, or the process's own arguments when the command line was not started by
    /// `PeregrineCommandLine.main`.
    static var current: [String] { given.withLock { $0 } ?? Array(CommandLine.arguments.dropFirst()) }
}
