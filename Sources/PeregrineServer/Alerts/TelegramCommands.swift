import Foundation
import PeregrineAlpaca
import PeregrineData
import Synchronization

/// Commands from the configured Telegram chat, read by long polling `getUpdates`: /status, /bots,
/// /positions, /pause NAME, /resume NAME, /flatten SYMBOL (which asks to confirm with /confirm
/// SYMBOL within a minute), /daily, and for actions a tool proposed (the MCP server): /pending,
/// /approve ID and /reject ID. A message from any other chat is ignored and logged. Actions
/// go through the control plane like the API's, audited as asked by "telegram chat ID".
public final class TelegramCommands: Sendable {
    let settings: AlertSettings.Telegram
    let api: ControlAPI
    let transport: any HTTPTransport
    let log: @Sendable (String) -> Void
    let pollSeconds: Int
    private let offset = Mutex<Int64>(0)
    private let pendingFlatten = Mutex<[String: Double]>([:])

    public init(settings: AlertSettings.Telegram, api: ControlAPI, transport: any HTTPTransport, pollSeconds: Int = 25,
                log: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.api = api
        self.transport = transport
        self.pollSeconds = pollSeconds
        self.log = log
    }

    /// Polls until cancelled; a failing poll waits and tries again.
    public func run() async {
        while !Task.isCancelled {
            do {
                try await pollOnce()
            } catch {
                log("telegram: polling failed (\(error)); trying again in 5 s")
                try? await Task.sleep(nanoseconds: 5_000_000_000)
            }
        }
    }

    /// One `getUpdates` call and the commands it brought; returns how many were obeyed.
    @discardableResult
    public func pollOnce() async throws -> Int {
        let next = offset.withLock { $0 }
        let url = "\(settings.baseURL)/bot\(settings.token)/getUpdates?timeout=\(pollSeconds)&offset=\(next)"
        let response = try await transport.send(HTTPRequestSpec(method: .get, url: url))
        guard response.status == 200, let body = try JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let updates = body["result"] as? [[String: Any]] else {
            throw ServerError("getUpdates answered HTTP \(response.status)")
        }
        var obeyed = 0
        for update in updates {
            if let id = (update["update_id"] as? NSNumber)?.int64Value, id < .max { offset.withLock { $0 = max($0, id + 1) } }
            guard let message = update["message"] as? [String: Any], let text = message["text"] as? String,
                  let chat = (message["chat"] as? [String: Any])?["id"] else { continue }
            let chatID = "\(chat)"
            guard chatID == settings.chatID else {
                log("telegram: ignored a command from chat \(chatID) (only \(settings.chatID) is obeyed): \(text.prefix(40))")
                continue
            }
            await reply(await answer(text, chat: chatID))
            obeyed += 1
        }
        return obeyed
    }

    /// What the bot says back to a command.
    func answer(_ text: String, chat: String) async -> String {
        let words = text.split(separator: " ").map(String.init)
        let who = "telegram chat \(chat)"
        switch words.first?.split(separator: "@").first.map(String.init) {
        case "/status", "/daily":
            return await Self.summary(api)
        case "/bots":
            let bots = await read("/api/v1/bots") as? [[String: Any]] ?? []
            return bots.isEmpty ? "no bots" : bots.map { "\($0["name"] ?? "?"): \($0["state"] ?? "?")" }.joined(separator: "\n")
        case "/positions":
            let positions = await read("/api/v1/positions") as? [[String: Any]] ?? []
            return positions.isEmpty ? "flat" : positions.map { "\($0["symbol"] ?? "?") \($0["quantity"] ?? "?") @ \($0["average_cost"] ?? "?")" }
                .joined(separator: "\n")
        case "/pause" where words.count == 2, "/resume" where words.count == 2:
            let action: ControlAction = words[0].hasPrefix("/pause") ? .pause(bot: words[1]) : .resume(bot: words[1])
            return await perform(action, who)
        case "/flatten" where words.count == 2:
            pendingFlatten.withLock { $0[words[1]] = Date().timeIntervalSince1970 }
            return "Close the whole \(words[1]) position at market? Send /confirm \(words[1]) within 60 s."
        case "/confirm" where words.count == 2:
            let asked = pendingFlatten.withLock { $0.removeValue(forKey: words[1]) }
            guard let asked, Date().timeIntervalSince1970 - asked < 60 else { return "nothing to confirm for \(words[1]); send /flatten \(words[1]) first" }
            return await perform(.flatten(symbol: words[1]), who)
        case "/pending":
            let waiting = (await read("/api/v1/pending?state=pending") as? [[String: Any]]) ?? []
            return waiting.isEmpty ? "nothing waits for you" : waiting.map(Self.describeProposal).joined(separator: "\n")
        case "/approve" where words.count == 2, "/reject" where words.count == 2:
            let approve = words[0].hasPrefix("/approve")
            let fields: [String: Any] = approve ? ["confirm": true, "by": who] : ["by": who]
            let body = try? JSONSerialization.data(withJSONObject: fields)
            let path = "/api/v1/pending/\(words[1].addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")/\(approve ? "confirm" : "reject")"
            let response = await api.handle(APIRequest(method: "POST", target: path, body: body ?? Data(), client: "telegram", trusted: true))
            let answer = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
            guard response.status == 200 else { return "refused: " + (answer["message"] as? String ?? "HTTP \(response.status)") }
            log("telegram: \(words[1]) \(approve ? "confirmed" : "rejected") by \(who)")
            let result = ((answer["result"] as? [String: Any])?["detail"] as? String).map { ": " + $0 } ?? ""
            return "\(words[1]) \(approve ? "confirmed" : "rejected")\(result)"
        default:
            return "commands: /status, /bots, /positions, /pause NAME, /resume NAME, /flatten SYMBOL, /daily, /pending, /approve ID, /reject ID"
        }
    }

    /// Mode, equity, P&L today, bots running and halted: the /status reply and the daily summary.
    public static func summary(_ api: ControlAPI) async -> String {
        let response = await api.handle(APIRequest(method: "GET", target: "/api/v1/status", client: "alerts", trusted: true))
        guard let status = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else { return "status unavailable" }
        let halted = (status["halted"] as? [String]) ?? []
        return "mode \(status["mode"] ?? "-"), equity \(status["equity"] ?? "-"), P&L today \(status["pnl_today"] ?? "-"), "
            + "bots \(status["bots_running"] ?? 0)/\(status["bots"] ?? 0) running"
            + (halted.isEmpty ? "" : ", HALTED: " + halted.joined(separator: ", "))
    }

    /// One waiting proposal as a line of the /pending reply.
    static func describeProposal(_ item: [String: Any]) -> String {
        let id = item["id"] as? String ?? "?"
        let action = item["action"] as? String ?? "?", target = item["target"] as? String ?? "?"
        let from = item["proposed_by"] as? String ?? "?", reason = item["reason"] as? String ?? ""
        return "\(id): \(action) \(target) (from \(from); reason: \(reason)) - /approve \(id) or /reject \(id)"
    }

    private func perform(_ action: ControlAction, _ who: String) async -> String {
        do {
            let result = try await api.plane.perform(action, requestedBy: who)
            log("telegram: \(action.name) \(action.target) asked by \(who)")
            return "\(result.action) \(result.target): \(result.detail)"
        } catch {
            return "refused: \(error.message)"
        }
    }

    private func read(_ path: String) async -> Any? {
        let response = await api.handle(APIRequest(method: "GET", target: path, client: "telegram", trusted: true))
        return try? JSONSerialization.jsonObject(with: response.body)
    }

    private func reply(_ text: String) async {
        let request = AlertChannel.telegram(baseURL: settings.baseURL, token: settings.token, chatID: settings.chatID).request(text)
        do { _ = try await transport.send(request) } catch { log("telegram: a reply could not be sent (\(error))") }
    }
}
