import Foundation
import PeregrineAlpaca

/// Somewhere an alert is sent: a Telegram chat or a webhook. Each sends one text over HTTP through a
/// transport, so tests point it at a stand-in.
struct AlertChannel: Sendable {
    let name: String
    let request: @Sendable (String) -> HTTPRequestSpec

    /// Telegram's Bot API `sendMessage` to one chat.
    static func telegram(baseURL: String, token: String, chatID: String) -> AlertChannel {
        AlertChannel(name: "telegram") { text in
            HTTPRequestSpec(method: .post, url: "\(baseURL)/bot\(token)/sendMessage", headers: ["Content-Type": "application/json"],
                            body: try? JSONSerialization.data(withJSONObject: ["chat_id": chatID, "text": text], options: .sortedKeys))
        }
    }

    /// A Slack- and Discord-compatible webhook: `{"text": ..., "content": ...}`.
    static func webhook(url: String) -> AlertChannel {
        AlertChannel(name: "webhook") { text in
            HTTPRequestSpec(method: .post, url: url, headers: ["Content-Type": "application/json"],
                            body: try? JSONSerialization.data(withJSONObject: ["text": text, "content": text], options: .sortedKeys))
        }
    }
}
