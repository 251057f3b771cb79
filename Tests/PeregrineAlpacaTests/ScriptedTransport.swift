import Foundation
import PeregrineAlpaca

/// A transport that answers from a script and records every request, so tests can say exactly what
/// the network does (a 429, a timeout, an order that exists after all) and what the client sent.
actor ScriptedTransport: HTTPTransport {
    enum Step {
        case respond(HTTPResponseSpec)
        case fail(String)
    }

    private var script: [Step]
    private(set) var requests: [HTTPRequestSpec] = []
    /// Answers for GET …by_client_order_id, checked before the script: client order id → order JSON.
    private var known: [String: Data] = [:]

    init(_ script: [Step]) { self.script = script }

    func remember(clientOrderID: String, order: Data) { known[clientOrderID] = order }

    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        requests.append(request)
        if request.url.contains("by_client_order_id"), let id = request.url.split(separator: "=").last {
            if let order = known[String(id)] { return HTTPResponseSpec(status: 200, body: order) }
            return HTTPResponseSpec(status: 404, body: Data(#"{"code":40410000,"message":"order not found"}"#.utf8))
        }
        guard !script.isEmpty else { return HTTPResponseSpec(status: 500, body: Data("script exhausted".utf8)) }
        switch script.removeFirst() {
        case .respond(let response): return response
        case .fail(let reason): throw TransportFailure(reason)
        }
    }
}
