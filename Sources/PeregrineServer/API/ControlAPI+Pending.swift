import Foundation
import PeregrineData
import PeregrineLive

/// Proposals: actions a tool (the MCP server) puts forward and a person confirms or turns down.
/// Confirming hands the action to the control plane exactly as the direct endpoint would.
extension ControlAPI {
    /// The body of `POST /api/v1/pending`.
    struct Proposal: Decodable {
        var action: String
        var bot: String?
        var symbol: String?
        var side: String?
        var quantity: String?
        var limitPrice: String?
        var clientOrderId: String?
        var requestedBy: String
        var reason: String?
    }

    struct Decision: Decodable {
        var confirm: Bool?
        var by: String?
    }

    static let proposable = ["pause", "resume", "flatten", "flatten_all", "cancel_order", "submit_order", "risk_resume"]

    /// The action a proposal names, with each field it needs checked.
    func action(of proposal: Proposal) throws(APIError) -> ControlAction {
        func field(_ value: String?, _ name: String) throws(APIError) -> String {
            guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw APIError(.badRequest, "action \(proposal.action) needs '\(name)'")
            }
            guard value.count <= 100 else { throw APIError(.badRequest, "'\(name)' is longer than 100 characters") }
            return value
        }
        switch proposal.action {
        case "pause": return .pause(bot: try field(proposal.bot, "bot"))
        case "resume": return .resume(bot: try field(proposal.bot, "bot"))
        case "flatten":
            let symbol = try field(proposal.symbol, "symbol")
            try QueryParameters.checkSymbol(symbol)
            return .flatten(symbol: symbol)
        case "flatten_all": return .flattenAll
        case "cancel_order": return .cancelOrder(clientOrderID: try field(proposal.clientOrderId, "client_order_id"))
        case "risk_resume": return .resumeRisk
        case "submit_order":
            let bot = try field(proposal.bot, "bot")
            do {
                let order = try OperatorOrder.parse(symbol: try field(proposal.symbol, "symbol"), side: try field(proposal.side, "side"),
                                                    quantity: try field(proposal.quantity, "quantity"), limitPrice: proposal.limitPrice)
                return .submitOrder(bot: bot, order: order)
            } catch let error as OperatorOrderError {
                throw APIError(.badRequest, error.description)
            } catch let error as APIError {
                throw error
            } catch {
                throw APIError(.badRequest, "\(error)")
            }
        default:
            throw APIError(.badRequest, "action '\(proposal.action.prefix(40))' is not one of " + Self.proposable.joined(separator: ", "))
        }
    }

    func propose(_ request: APIRequest) async throws(APIError) -> APIResponse {
        guard !plane.readOnly else {
            throw APIError(.readOnly, "this server reads a store and runs no bots; proposals need a running bot (peregrine trade --serve)")
        }
        guard let proposal = try body(Proposal.self, of: request, required: true) else { throw APIError(.badRequest, "this action needs a JSON body") }
        let who = proposal.requestedBy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(who.count) else { throw APIError(.badRequest, "'requested_by' must name the proposer in 1 to 100 characters") }
        let reason = String((proposal.reason ?? "").prefix(500))
        let action = try action(of: proposal)
        let pending = try pendingActions.propose(action, by: "\(who) via \(request.client)", reason: reason, store: store, now: WallClock.now())
        log("api [\(request.requestID)]: \(pending.id) proposed by \(who) via \(request.client): \(action.name) \(action.target); waits for a person")
        telemetry?.publish(.proposal(id: pending.id, action: action.name, target: action.target, state: pending.state.rawValue))
        return .json(PendingView(pending))
    }

    func pendingList(_ request: APIRequest) throws(APIError) -> APIResponse {
        let state = try QueryParameters(request, allowed: ["state"]).text("state")
        if let state, PendingAction.State(rawValue: state) == nil {
            throw APIError(.badRequest, "state '\(state.prefix(40))' is not one of pending, confirmed, rejected, expired")
        }
        return .json(pendingActions.list(now: WallClock.now()).filter { state == nil || $0.state.rawValue == state }.map(PendingView.init))
    }

    /// A person confirms (needs `{"confirm": true, "by": name}`) or turns down (`{"by": name}`) a proposal.
    func decide(_ id: String, confirm: Bool, _ request: APIRequest) async throws(APIError) -> APIResponse {
        let by: String
        if confirm {
            guard let name = try confirmation(request, needsName: true) else { throw APIError(.badRequest, "say who confirms") }
            by = name
        } else {
            let body = try body(Decision.self, of: request, required: false)
            by = body?.by?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100).description ?? ""
        }
        let person = by.isEmpty ? request.client : "\(by) via \(request.client)"
        let decided = try pendingActions.decide(id, confirm ? .confirmed : .rejected, by: person, now: WallClock.now())
        try pendingActions.audit(decided, stage: confirm ? .confirmed : .rejected, actor: person,
                                 detail: "\(decided.id), proposed by \(decided.proposedBy)", store: store)
        log("api [\(request.requestID)]: \(decided.id) \(confirm ? "confirmed" : "rejected") by \(person)")
        telemetry?.publish(.proposal(id: decided.id, action: decided.action.name, target: decided.action.target,
                                     state: confirm ? "confirmed" : "rejected"))
        var view = PendingView(decided)
        if confirm {
            let result = try await plane.perform(decided.action, requestedBy: "\(person), confirming \(decided.proposedBy)")
            pendingActions.record(result, for: decided.id)
            view.result = result
        }
        return .json(view)
    }
}
