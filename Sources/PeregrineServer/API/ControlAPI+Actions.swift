import Foundation

/// The action endpoints: each is handed to the control plane for the bots' next turn, and logged
/// with who asked (the client's address, and the name a confirmation carries).
extension ControlAPI {
    struct Confirmation: Decodable {
        var confirm: Bool
        var by: String?
    }

    /// Checks `{"confirm": true}` (and a `by` name when needed); returns the name given, if any.
    @discardableResult
    func confirmation(_ request: APIRequest, needsName: Bool = false) throws(APIError) -> String? {
        guard let body = try body(Confirmation.self, of: request, required: false), body.confirm else {
            throw APIError(.confirmationRequired, "this action cannot be undone: send {\"confirm\": true"
                           + (needsName ? ", \"by\": \"your name\"}" : "}"))
        }
        let name = body.by?.trimmingCharacters(in: .whitespacesAndNewlines)
        if needsName, name?.isEmpty ?? true {
            throw APIError(.badRequest, "say who resumes: {\"confirm\": true, \"by\": \"your name\"}")
        }
        if let name, name.count > 100 { throw APIError(.badRequest, "'by' is longer than 100 characters") }
        return name
    }

    func act(_ action: ControlAction, _ request: APIRequest, by name: String? = nil) async throws(APIError) -> APIResponse {
        let who = name.map { "\($0) via \(request.client)" } ?? request.client
        log("api [\(request.requestID)]: \(action.name) \(action.target) asked by \(who)")
        return .json(try await plane.perform(action, requestedBy: who))
    }
}
