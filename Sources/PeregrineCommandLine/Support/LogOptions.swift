import ArgumentParser
import Foundation
import Logging

/// How the commands that run bots or serve the API log: plain lines (the default), or JSON lines
/// through swift-log for a log collector. Secrets given to `logger(secrets:)` never appear in either.
struct LogOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: ArgumentHelp("text, or json for one JSON object per line (time, level, label, message, bot, request id).",
                               valueName: "format"))
    var logFormat: Format = .text

    /// The secrets this process knows from its environment (the broker's secret key, the API token).
    static var environmentSecrets: [String] {
        let environment = ProcessInfo.processInfo.environment
        return ["APCA_API_SECRET_KEY", "PEREGRINE_API_TOKEN"].compactMap { environment[$0] }.filter { $0.count >= 4 }
    }

    /// `text` with every secret replaced by `****`.
    static func redacted(_ text: String, _ secrets: [String]) -> String {
        secrets.reduce(text) { $1.isEmpty ? $0 : $0.replacingOccurrences(of: $1, with: "****") }
    }

    /// A logger for `label` in the chosen format; text goes to standard output as the plain message
    /// (warnings and errors to standard error).
    /// `toStandardError` sends every line to standard error (where standard output is a protocol's).
    func logger(_ label: String, secrets: [String] = LogOptions.environmentSecrets, toStandardError: Bool = false) -> Logger {
        switch logFormat {
        case .json:
            return Logger(label: label) { name in JSONLogHandler(label: name, secrets: secrets, toStandardError: toStandardError) }
        case .text:
            return Logger(label: label) { _ in PlainLogHandler(secrets: secrets, toStandardError: toStandardError) }
        }
    }
}

/// The text form: the message alone (with `[bot]` in front when the line belongs to one), as before.
struct PlainLogHandler: LogHandler {
    let secrets: [String]
    var toStandardError = false
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var text = "\(event.message)"
        if let bot = (event.metadata ?? [:])["bot"] ?? metadata["bot"] { text = "[\(bot)] " + text }
        text = LogOptions.redacted(text, secrets)
        if event.level >= .warning || toStandardError {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }
    }
}
