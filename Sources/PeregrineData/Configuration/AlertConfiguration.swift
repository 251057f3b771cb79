import Foundation
import PeregrineCore
import TOMLKit

/// The `[alerts]` table: where a bot's alerts go (Telegram, a Slack/Discord-compatible webhook) and
/// which events send one. Secrets come from the environment, never from the file.
///
/// ```toml
/// [alerts]
/// events = ["fill", "rejections", "halt", "bot_stopped", "disconnect"]   # default: all five
/// disconnect_seconds = 60         # "disconnect": alert when a stream stays down this long
/// rejections_per_minute = 10      # "rejections": alert when a bot's refusals in a minute pass this
/// daily_summary = "16:05 America/New_York"   # equity, P&L today and the bots' states, once a day
/// [alerts.telegram]
/// chat_id = "123456789"           # the only chat whose commands are obeyed
/// token_env = "PEREGRINE_TELEGRAM_TOKEN"
/// base_url = "https://api.telegram.org"
/// commands = true                 # /status /bots /positions /pause NAME /resume NAME /flatten SYMBOL
/// [alerts.webhook]
/// url_env = "PEREGRINE_WEBHOOK_URL"   # the URL carries its own secret, so it comes from the environment
/// ```
public struct AlertSettings: Sendable, Equatable {
    public enum Event: String, Sendable, CaseIterable {
        case fill, rejections, halt
        case botStopped = "bot_stopped"
        /// A broker or market-data stream down for longer than `disconnectSeconds` (and back up).
        case disconnect
    }

    public struct Telegram: Sendable, Equatable {
        public var chatID: String
        public var token: String
        public var baseURL: String
        public var commands: Bool
    }

    public var events: Set<Event> = Set(Event.allCases)
    public var rejectionsPerMinute = 10
    /// How long a stream may stay down before a `disconnect` alert.
    public var disconnectSeconds = 60.0
    public var telegram: Telegram?
    public var webhookURL: String?
    /// When the daily summary goes out (a `daily HH:MM ZONE` schedule), nil: none.
    public var dailySummary: TradingSchedule?

    /// The settings of the file at `path`, nil when it has no `[alerts]` table.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationFileError) -> AlertSettings?
    {
        try parse(ConfigurationFileError.text(of: path), source: path, environment: environment)
    }

    public static func parse(_ text: String, source: String = "configuration",
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationFileError) -> AlertSettings? {
        func fail(_ message: String) -> ConfigurationFileError { ConfigurationFileError(description: "\(source): alerts.\(message)") }
        let known: Set<String> = ["events", "rejections_per_minute", "disconnect_seconds", "daily_summary", "telegram", "webhook"]
        guard let table = try ConfigurationFileError.table("alerts", of: text, source: source, known: known) else { return nil }
        var settings = AlertSettings()
        if let list = table["events"] {
            guard let items = list.array else { throw fail("events: expected a list such as [\"fill\", \"halt\"]") }
            var events = Set<Event>()
            for item in items {
                guard let name = item.string, let event = Event(rawValue: name) else {
                    throw fail("events: '\(item)' is not one of \(Event.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                events.insert(event)
            }
            settings.events = events
        }
        if let limit = table["rejections_per_minute"] {
            guard let count = limit.int, count > 0 else { throw fail("rejections_per_minute: expected a whole number > 0") }
            settings.rejectionsPerMinute = count
        }
        if let value = table["disconnect_seconds"] {
            guard let seconds = value.double ?? value.int.map(Double.init), seconds.isFinite, (1...86_400).contains(seconds) else {
                throw fail("disconnect_seconds: expected a number of seconds from 1 to 86400")
            }
            settings.disconnectSeconds = seconds
        }
        if let value = table["daily_summary"] {
            guard let text = value.string else { throw fail("daily_summary: expected text such as \"16:05 America/New_York\"") }
            do { settings.dailySummary = try TradingSchedule(parsing: "daily " + text) } catch {
                throw fail("daily_summary: '\(text)' is not HH:MM with an optional time zone, e.g. \"16:05 America/New_York\"")
            }
        }
        func secret(_ table: TOMLTable, _ key: String, default name: String) throws(ConfigurationFileError) -> String {
            let variable = table[key]?.string ?? name
            guard let value = environment[variable], !value.isEmpty else {
                throw fail("\(key): the environment variable \(variable) is not set")
            }
            return value
        }
        if let value = table["telegram"] {
            guard let telegram = value.table else { throw fail("telegram must be a table") }
            guard let chat = telegram["chat_id"]?.string ?? telegram["chat_id"]?.int.map(String.init), !chat.isEmpty else {
                throw fail("telegram.chat_id: expected the chat's id")
            }
            let base = telegram["base_url"]?.string ?? "https://api.telegram.org"
            guard base.hasPrefix("http://") || base.hasPrefix("https://") else { throw fail("telegram.base_url: expected an http(s) URL") }
            settings.telegram = Telegram(chatID: chat, token: try secret(telegram, "token_env", default: "PEREGRINE_TELEGRAM_TOKEN"),
                                         baseURL: base, commands: telegram["commands"]?.bool ?? true)
        }
        if let value = table["webhook"] {
            guard let webhook = value.table else { throw fail("webhook must be a table") }
            let url = try secret(webhook, "url_env", default: "PEREGRINE_WEBHOOK_URL")
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw fail("webhook: the URL must be http(s)") }
            settings.webhookURL = url
        }
        guard settings.telegram != nil || settings.webhookURL != nil else { throw fail("no channel: add [alerts.telegram] or [alerts.webhook]") }
        return settings
    }
}
