/// A run's decisions in the order they were made, and their counts by outcome and reason. The
/// counts are kept even when the decisions themselves are not (sweeps and tuning skip the list).
final class DecisionLog {
    /// Whether `decisions` keeps every decision, or only the counts are wanted.
    let keepsDecisions: Bool
    @exclusivity(unchecked) private(set) var decisions: [Decision] = []
    /// A short list scanned linearly: a run meets a handful of reasons, and comparing two packed
    /// ones (two integers) is far cheaper than hashing on every decision.
    @exclusivity(unchecked) private var tally: [(outcome: Decision.Outcome, reason: DecisionReason.Packed, count: Int)] = []

    init(keepsDecisions: Bool) { self.keepsDecisions = keepsDecisions }

    /// Takes the decision over (`consuming`): it is moved into the list, not copied.
    func record(_ decision: consuming Decision) {
        let reason = decision.packedReason
        if let index = tally.firstIndex(where: { $0.outcome == decision.outcome && $0.reason == reason }) {
            tally[index].count += 1
        } else {
            tally.append((decision.outcome, reason, 1))
        }
        if keepsDecisions { decisions.append(decision) }
    }

    /// Room for `count` decisions (when they are kept), so the list does not grow during a run.
    func reserve(_ count: Int) {
        if keepsDecisions { decisions.reserveCapacity(count) }
    }

    /// Counts keyed `outcome:code`, such as `rejected:shorting_disabled`.
    var counts: [String: Int] {
        Dictionary(tally.map { ("\($0.outcome.rawValue):\(DecisionReason($0.reason).code)", $0.count) }, uniquingKeysWith: +)
    }

    /// Forgets the `count` oldest decisions kept (a live bot's, once stored); the counts stay.
    func forgetOldest(_ count: Int) {
        decisions.removeFirst(min(max(count, 0), decisions.count))
    }
}
