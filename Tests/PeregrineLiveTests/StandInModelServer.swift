import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A local stand-in for an OpenAI-compatible chat-completions server: each request's prompt goes to
/// `answer`, which returns the reply's HTTP status, the message content and a delay. Counts requests.
final class StandInModelServer: @unchecked Sendable {
    struct Reply {
        var status = 200
        var content: String
        var delaySeconds = 0.0
    }

    private let lock = NSLock()
    private var prompts: [String] = []
    private var port: Int?
    private var task: Task<Void, any Error>?
    let answer: @Sendable (String) -> Reply

    init(answer: @escaping @Sendable (String) -> Reply) {
        self.answer = answer
    }

    var requests: [String] { lock.withLock { prompts } }

    /// Starts on a free loopback port; returns the base URL (`http://127.0.0.1:PORT/v1`).
    func start() async throws -> String {
        let router = Router()
        router.post("/v1/chat/completions") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            let prompt = ((json?["messages"] as? [[String: Any]])?.last?["content"] as? String) ?? ""
            lock.withLock { prompts.append(prompt) }
            let reply = answer(prompt)
            if reply.delaySeconds > 0 { try await Task.sleep(nanoseconds: UInt64(reply.delaySeconds * 1e9)) }
            let payload: [String: Any] = ["choices": [["message": ["role": "assistant", "content": reply.content]]],
                                          "usage": ["prompt_tokens": 400, "completion_tokens": 20]]
            let data = try JSONSerialization.data(withJSONObject: payload)
            return Response(status: .init(code: reply.status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        var logger = Logger(label: "stand-in-model")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { [self] channel in lock.withLock { port = channel.localAddress?.port } }, logger: logger)
        task = Task { try await app.runService() }
        for _ in 0..<500 {
            if let port = lock.withLock({ port }) { return "http://127.0.0.1:\(port)/v1" }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw CancellationError()
    }

    func stop() { task?.cancel() }
}
