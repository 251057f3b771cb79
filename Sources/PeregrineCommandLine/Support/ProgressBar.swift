import Foundation
import Synchronization

/// A one-line progress bar on standard error for long runs on a terminal, redrawn at most every
/// tenth of a second; safe to update from worker threads.
final class ProgressBar: Sendable {
    let total: Int
    private let state = Mutex<(shown: Int, at: Double)>((0, 0))

    init(total: Int) { self.total = total }

    func show(_ done: Int) {
        let now = Date().timeIntervalSince1970
        let draw = state.withLock { state -> Bool in
            guard done > state.shown, now - state.at >= 0.1 || done >= total else { return false }
            state = (done, now)
            return true
        }
        guard draw else { return }
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : width
        let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] \(done)/\(total)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}
