import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PeregrineCore
import PeregrineData
import PeregrineEngine
import Synchronization

/// The `[veto]` model: asks an OpenAI-compatible chat-completions endpoint about each entry it
/// reviews and waits at most the timeout. The answer must be the JSON object asked for
/// (`{"decision": "allow" | "veto", "reason": ...}`); anything else, a timeout, an error or a spent
/// daily budget is a failure that `on_failure` turns into allow or refuse. Every answer can be
/// recorded for backtests to replay. The request runs on the HTTP client's event loop with a deadline,
/// so a model that hangs holds the bot for the timeout and no longer.
public final class ModelVetoReviewer: EntryReviewer {
    let settings: VetoSettings
    let log: @Sendable (String) -> Void
    private struct Day {
        var day: Int64 = .min
        var calls = 0
        var cost = 0.0
    }
    private let budget = Mutex(Day())
    private let counts = Mutex<[String: Int]>([:])
    private let recording = Mutex<FileHandle?>(nil)
    /// The process-wide client: it lives as long as the process, so no reviewer has to shut one down.
    private var client: HTTPClient { HTTPClient.shared }

    public init(settings: VetoSettings, log: @escaping @Sendable (String) -> Void) throws {
        self.settings = settings
        self.log = log
        if let path = settings.recordPath {
            if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
            guard let handle = FileHandle(forWritingAtPath: path) else { throw VetoError("veto.record: \(path) cannot be written") }
            handle.seekToEndOfFile()
            recording.withLock { $0 = handle }
        }
    }

    public func review(_ entry: EntryReview) -> ReviewVerdict? {
        guard reviews(entry) else { return nil }
        let verdict = ask(entry)
        counts.withLock { $0[verdict.kind.rawValue, default: 0] += 1 }
        if verdict.kind != .allow && verdict.kind != .veto {
            log("veto: \(verdict.kind.rawValue) for \(entry.side) \(entry.quantity) \(entry.symbol): \(verdict.reason)")
        }
        recording.withLock { handle in handle?.write(Data((VetoAnswer(entry, verdict).line + "\n").utf8)) }
        return verdict
    }

    /// Reviews by verdict (allow, veto, timeout, malformed, error, budget), for the summary.
    public var verdictCounts: [String: Int] { counts.withLock { $0 } }

    /// Whether `[veto]` covers this entry: its side, its symbol, its size.
    func reviews(_ entry: EntryReview) -> Bool {
        switch settings.reviews {
        case .long where entry.side != .buy, .short where entry.side != .sell: return false
        default: break
        }
        if !settings.symbols.isEmpty && !settings.symbols.contains(entry.symbol) { return false }
        return entry.quantity.doubleValue * entry.price.doubleValue >= settings.minNotional
    }

    func failure(_ kind: ReviewVerdict.Kind, _ what: String) -> ReviewVerdict {
        ReviewVerdict(kind: kind, allowed: settings.allowOnFailure, reason: what + (settings.allowOnFailure ? " (on_failure = allow)" : " (on_failure = refuse)"))
    }

    func ask(_ entry: EntryReview) -> ReviewVerdict {
        let day = entry.time.nanoseconds.floorDivided(by: Timestamp.nanosPerDay)
        let spent: String? = budget.withLock { state in
            if state.day != day { state = Day(day: day) }
            if state.calls >= settings.maxCallsPerDay { return "the day's \(settings.maxCallsPerDay) calls are spent" }
            if state.cost >= settings.maxCostPerDay { return "the day's cost budget of \(settings.maxCostPerDay) is spent" }
            state.calls += 1
            return nil
        }
        if let spent { return failure(.budget, spent) }
        var headers = ["Content-Type": "application/json"]
        if let key = settings.key { headers["Authorization"] = "Bearer \(key)" }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: settings.baseURL + "/chat/completions", method: .POST,
                                             headers: HTTPHeaders(headers.map { ($0.key, $0.value) }), body: .data(body(for: entry)))
        } catch {
            return failure(.error, "base_url is not a URL")
        }
        // Waits on this thread (the bot's turn) while the event loop does the request, at most the timeout.
        let deadline = NIODeadline.now() + .nanoseconds(Int64(settings.timeoutSeconds * 1e9))
        let response: HTTPClient.Response
        do {
            response = try client.execute(request: request, deadline: deadline).wait()
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return failure(.timeout, "no answer within \(settings.timeoutSeconds) s")
        } catch {
            return failure(.error, "the endpoint failed: \(error)")
        }
        guard response.status.code == 200, let buffer = response.body else {
            return failure(.error, "the endpoint answered HTTP \(response.status.code)")
        }
        return verdict(from: Data(buffer.readableBytesView))
    }

    /// The chat-completions request: the rendered prompt, temperature 0, and the answer's JSON schema.
    func body(for entry: EntryReview) -> Data {
        let schema: [String: Any] = [
            "type": "object", "additionalProperties": false, "required": ["decision", "reason"],
            "properties": ["decision": ["type": "string", "enum": ["allow", "veto"]], "reason": ["type": "string"]],
        ]
        let body: [String: Any] = [
            "model": settings.model, "temperature": 0,
            "messages": [["role": "system", "content": "You review trading entries and answer with one JSON object only."],
                         ["role": "user", "content": Self.render(settings.prompt, entry)]],
            "response_format": ["type": "json_schema", "json_schema": ["name": "veto", "strict": true, "schema": schema]],
        ]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    /// The verdict in an answer, or `malformed` for anything but `{"decision": "allow"|"veto", "reason": "..."}`.
    func verdict(from data: Data) -> ReviewVerdict {
        guard let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let message = ((answer["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String else {
            return failure(.malformed, "the answer has no choices[0].message.content")
        }
        if let usage = answer["usage"] as? [String: Any] {
            let prompt = (usage["prompt_tokens"] as? NSNumber)?.doubleValue ?? 0
            let completion = (usage["completion_tokens"] as? NSNumber)?.doubleValue ?? 0
            let cost = (prompt * settings.promptCostPer1k + completion * settings.completionCostPer1k) / 1000
            if cost.isFinite && cost > 0 { budget.withLock { $0.cost += cost } }
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(message.trimmingCharacters(in: .whitespacesAndNewlines).utf8)) as? [String: Any],
              Set(object.keys) == ["decision", "reason"], let decision = object["decision"] as? String, decision == "allow" || decision == "veto",
              let reason = object["reason"] as? String, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            return failure(.malformed, "the model did not answer {\"decision\": \"allow\"|\"veto\", \"reason\": ...}: \(message.prefix(120))")
        }
        let said = String(reason.prefix(300))
        return decision == "allow" ? ReviewVerdict(kind: .allow, allowed: true, reason: said) : ReviewVerdict(kind: .veto, allowed: false, reason: said)
    }

    /// The prompt with the entry's values in place of `{symbol}`, `{side}`, ...
    static func render(_ template: String, _ entry: EntryReview) -> String {
        let bars = entry.recentBars.map { "\($0.timestamp.iso8601), \($0.open), \($0.high), \($0.low), \($0.close), \($0.volume)" }
            .joined(separator: "\n")
        let values: [String: String] = [
            "symbol": entry.symbol, "side": entry.side.rawValue, "quantity": entry.quantity.description, "price": entry.price.description,
            "time": entry.time.iso8601, "action": entry.action ?? "order", "reason": entry.reason, "note": entry.note.isEmpty ? "-" : entry.note,
            "position": entry.position.description, "cash": entry.cash.description, "equity": entry.equity.description,
            "open_positions": String(entry.openPositions), "bars": bars, "risk": entry.riskUse,
        ]
        var text = template
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}

/// The `[veto]` model could not be set up.
public struct VetoError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
