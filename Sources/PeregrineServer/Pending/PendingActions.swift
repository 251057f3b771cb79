import Foundation
import PeregrineCore
import PeregrineData
import PeregrineStorage
import Synchronization

/// The actions waiting for a person: proposed, then confirmed (and handed to the control plane) or
/// turned down, or expired. Each step is written to the audit trail before it takes effect, so the
/// trail shows the tool, its arguments, and who confirmed.
public final class PendingActions: Sendable {
    /// How long a proposal waits for a person before it lapses.
    public let lifetimeSeconds: Int64
    private let book = Mutex<(next: Int, actions: [PendingAction])>((1, []))
    /// The most proposals kept (pending and decided); the oldest decided ones go first.
    static let capacity = 500

    public init(lifetimeSeconds: Int64 = 900) {
        self.lifetimeSeconds = lifetimeSeconds
    }

    /// Records a proposal; it is in the audit trail (stage `proposed`) before this returns.
    func propose(_ action: ControlAction, by proposer: String, reason: String, store: TradingStore, now: Timestamp) throws(APIError) -> PendingAction {
        let pending = book.withLock { book -> PendingAction? in
            expire(&book.actions, now: now)
            guard book.actions.filter({ $0.state == .pending }).count < 50 else { return nil }
            let id = "p\(book.next)"
            book.next += 1
            let item = PendingAction(id: id, action: action, proposedBy: proposer, reason: reason, created: now,
                                     expires: Timestamp(nanoseconds: now.nanoseconds + lifetimeSeconds * 1_000_000_000))
            book.actions.append(item)
            if book.actions.count > Self.capacity, let oldest = book.actions.firstIndex(where: { $0.state != .pending }) {
                book.actions.remove(at: oldest)
            }
            return item
        }
        guard let pending else { throw APIError(.conflict, "50 proposals already wait for a person; confirm or reject some first") }
        try audit(pending, stage: .proposed, actor: proposer, detail: "\(pending.id): waits for a person to confirm; reason: \(reason)", store: store)
        return pending
    }

    public func list(now: Timestamp) -> [PendingAction] {
        book.withLock { book in
            expire(&book.actions, now: now)
            return book.actions.reversed()
        }
    }

    /// Marks the proposal decided (confirmed or rejected) when it still waits; the answer is the
    /// proposal as it was, or an error saying why it can no longer be decided.
    func decide(_ id: String, _ state: PendingAction.State, by person: String, now: Timestamp) throws(APIError) -> PendingAction {
        let outcome: Result<PendingAction, APIError> = book.withLock { book in
            expire(&book.actions, now: now)
            guard let index = book.actions.firstIndex(where: { $0.id == id }) else {
                return .failure(APIError(.notFound, "no proposal \(id.prefix(40))"))
            }
            guard book.actions[index].state == .pending else {
                return .failure(APIError(.conflict, "proposal \(id) is already \(book.actions[index].state.rawValue)"))
            }
            book.actions[index].state = state
            book.actions[index].decidedBy = person
            return .success(book.actions[index])
        }
        return try outcome.get()
    }

    func record(_ result: ActionResult, for id: String) {
        book.withLock { book in
            if let index = book.actions.firstIndex(where: { $0.id == id }) { book.actions[index].result = result }
        }
    }

    func audit(_ pending: PendingAction, stage: AuditEntry.Stage, actor: String, detail: String, store: TradingStore) throws(APIError) {
        do {
            try store.recordAudit(AuditEntry(time: WallClock.now(), actor: actor, action: pending.action.name,
                                             target: pending.action.target, stage: stage, detail: detail))
        } catch {
            throw APIError(.internalError, "the audit trail could not be written, so nothing was done: \(error)")
        }
    }

    private func expire(_ actions: inout [PendingAction], now: Timestamp) {
        for index in actions.indices where actions[index].state == .pending && actions[index].expires < now {
            actions[index].state = .expired
        }
    }
}
