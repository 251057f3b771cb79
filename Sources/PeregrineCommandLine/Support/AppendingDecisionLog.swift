import Foundation
import PeregrineData
import PeregrineEngine
import PeregrineLive
import PeregrineStorage

/// The trading runtime's CSV decision log: appended and flushed after every turn, so what was
/// decided before a crash is on disk; a header only when the file starts empty.
final class AppendingDecisionLog: DecisionSink {
    private let handle: FileHandle
    let path: String

    init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw CLIFailure("\(path): cannot open the decision log") }
        self.handle = handle
        if try handle.seekToEnd() == 0 { try handle.write(contentsOf: Data((DecisionCSV.header + "\n").utf8)) }
    }

    deinit { try? handle.close() }

    func record(_ items: [DecisionRecord]) throws {
        let text = items.map {
            DecisionCSV.line($0.decision, symbol: $0.symbol, clientOrderID: $0.clientOrderID, strategy: $0.strategy ?? "") + "\n"
        }.joined()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
    }
}
