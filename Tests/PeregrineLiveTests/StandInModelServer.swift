import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A local stand-in for an OpenAI-compatible chat-completions server: each request's prompt goes to
/// `answer`, which returns the reply's HTTP status, the message content and a delay. Counts requests.
///
/// Written on plain SwiftNIO so it answers on its own event-loop thread: a server whose handlers
/// run on Swift's cooperative pool waits behind whatever CPU-bound tests the suite runs beside it
/// (two threads on a two-core machine), long enough to turn a prompt answer into a timeout.
final class StandInModelServer: @unchecked Sendable {
    struct Reply {
        var status = 200
        var content: String
        var delaySeconds = 0.0
    }

    private let lock = NSLock()
    private var prompts: [String] = []
    private var channel: (any Channel)?
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let answer: @Sendable (String) -> Reply

    init(answer: @escaping @Sendable (String) -> Reply) {
        self.answer = answer
    }

    var requests: [String] { lock.withLock { prompts } }

    /// Starts on a free loopback port; returns the base URL (`http://127.0.0.1:PORT/v1`).
    func start() async throws -> String {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(server: self))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        lock.withLock { self.channel = channel }
        guard let port = channel.localAddress?.port else { throw CancellationError() }
        return "http://127.0.0.1:\(port)/v1"
    }

    func stop() {
        let channel = lock.withLock { self.channel }
        channel?.close(promise: nil)
        group.shutdownGracefully { _ in }
    }

    /// The prompt of a chat-completions body: the last message's content.
    func record(_ body: Data) -> Reply {
        let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        let prompt = ((json?["messages"] as? [[String: Any]])?.last?["content"] as? String) ?? ""
        lock.withLock { prompts.append(prompt) }
        return answer(prompt)
    }

    /// Collects one request's body, then answers after the reply's delay, on the channel's loop.
    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let server: StandInModelServer
        var body = Data()
        var keepAlive = true

        init(server: StandInModelServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                body = Data()
                keepAlive = head.isKeepAlive
            case .body(var buffer):
                body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            case .end:
                let reply = server.record(body)
                let payload: [String: Any] = ["choices": [["message": ["role": "assistant", "content": reply.content]]],
                                              "usage": ["prompt_tokens": 400, "completion_tokens": 20]]
                let data = (try? JSONSerialization.data(withJSONObject: payload)) ?? Data()
                let loop = context.eventLoop
                let bound = NIOLoopBound((self, context), eventLoop: loop)
                loop.scheduleTask(in: .nanoseconds(Int64(reply.delaySeconds * 1e9))) {
                    let (handler, context) = bound.value
                    handler.respond(context: context, status: reply.status, data: data)
                }
            }
        }

        func respond(context: ChannelHandlerContext, status: Int, data: Data) {
            var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(data.count))])
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: data)))), promise: nil)
            let keepAlive = keepAlive, channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        }
    }
}
