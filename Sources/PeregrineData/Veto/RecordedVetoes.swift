import Foundation
import PeregrineCore
import PeregrineEngine
import Synchronization

/// Replays recorded veto answers in a backtest: each entry gets the answer recorded for its bar time,
/// symbol and side, so the run makes the decisions the recording run (live, or `peregrine veto
/// record`) made. An entry with no recorded answer is refused as `missing`.
public final class RecordedVetoes: EntryReviewer {
    private let answers: [String: VetoAnswer]
    private let counts = Mutex<[String: Int]>([:])

    public init(answers: [VetoAnswer]) {
        var table: [String: VetoAnswer] = [:]
        for answer in answers { table[answer.key] = answer }
        self.answers = table
    }

    /// Reads a file of JSON lines; a bad line is refused with its number.
    public convenience init(path: String) throws(ConfigurationFileError) {
        let text = try ConfigurationFileError.text(of: path)
        var answers: [VetoAnswer] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do {
                answers.append(try JSONDecoder().decode(VetoAnswer.self, from: Data(trimmed.utf8)))
            } catch {
                throw ConfigurationFileError(description: "\(path):\(number + 1): not a recorded veto answer (time, symbol, side, "
                                             + "quantity, verdict, allowed, reason)")
            }
        }
        self.init(answers: answers)
    }

    public func review(_ entry: EntryReview) -> ReviewVerdict? {
        let verdict: ReviewVerdict
        if let answer = answers[VetoAnswer.key(of: entry)] {
            verdict = ReviewVerdict(kind: answer.verdict, allowed: answer.allowed, reason: answer.reason)
        } else {
            verdict = ReviewVerdict(kind: .missing, allowed: false, reason: "no recorded answer for \(entry.side) \(entry.symbol) at \(entry.time.iso8601)")
        }
        counts.withLock { $0[verdict.kind.rawValue, default: 0] += 1 }
        return verdict
    }

    /// Reviews by verdict (allow, veto, timeout, ...), for the summary.
    public var verdictCounts: [String: Int] { counts.withLock { $0 } }
}
