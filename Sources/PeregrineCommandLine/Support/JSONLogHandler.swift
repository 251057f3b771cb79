import Foundation
import Logging

/// A swift-log handler writing one JSON object per line to standard output (`--log-format json`;
/// standard error where standard output carries a protocol, as `peregrine mcp` over stdio):
/// `{"time", "level", "label", "message", ...metadata}`, keys sorted. Every registered secret is
/// replaced by `****` in the message and the metadata before the line is written.
struct JSONLogHandler: LogHandler {
    let label: String
    let secrets: [String]
    var toStandardError = false
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = ["time": ISO8601DateFormatter.withFractions.string(from: Date()), "level": event.level.rawValue,
                                        "label": label, "message": redacted("\(event.message)")]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[key] = redacted("\(value)") }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        (toStandardError ? FileHandle.standardError : FileHandle.standardOutput).write(data + Data("\n".utf8))
    }

    func redacted(_ text: String) -> String { LogOptions.redacted(text, secrets) }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFractions: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
