#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Places in the order path where a test may make the process die with SIGKILL, to prove that a
/// crash in the narrowest windows (intent stored but not sent, sent but not acknowledged, filled but
/// not recorded) loses and doubles nothing. Off unless named, e.g. in `PEREGRINE_CRASH_POINTS`.
public struct CrashPoints: Sendable, Equatable {
    public enum Point: String, Sendable, CaseIterable {
        /// The intent is durable and marked sent; the request has not left.
        case afterIntent = "after_intent"
        /// The broker accepted the order; the store has not heard.
        case afterSubmit = "after_submit"
        /// The broker reports a fill; the store has not recorded it.
        case beforeFillRecord = "before_fill_record"
    }

    private var probabilities: [Point: Double] = [:]

    public init() {}

    /// `after_intent`, `after_submit:0.5`, ... comma-separated; a bare name dies at the first pass.
    public init(parsing text: String) throws(TradingRuntimeError) {
        for item in text.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard let point = Point(rawValue: parts[0]) else {
                throw TradingRuntimeError("crash point '\(parts[0])': known points are "
                                          + Point.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let probability = parts.count == 2 ? Double(parts[1]) : 1, (0...1).contains(probability) else {
                throw TradingRuntimeError("crash point '\(item)': the probability must be between 0 and 1")
            }
            probabilities[point] = probability
        }
    }

    public var isEmpty: Bool { probabilities.isEmpty }

    /// Dies here, without cleanup, if this point is armed and the draw says so.
    func pass(_ point: Point) {
        guard let probability = probabilities[point], Double.random(in: 0..<1) < probability else { return }
        kill(getpid(), SIGKILL)
    }
}
