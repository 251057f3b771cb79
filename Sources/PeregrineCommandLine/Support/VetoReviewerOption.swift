import Foundation
import PeregrineData
import PeregrineEngine
import PeregrineLive

/// The `[veto]` model of a trade or run configuration, set up once for all its bots (one budget).
enum VetoReviewerOption {
    static func reviewer(configuration path: String, log: @escaping @Sendable (String) -> Void) throws -> EntryReviewerHandle? {
        let settings: VetoSettings?
        do { settings = try VetoSettings.load(path: path) } catch { throw CLIFailure(error.description) }
        guard let settings else { return nil }
        do {
            let reviewer = try ModelVetoReviewer(settings: settings, log: log)
            let scope: String = settings.symbols.isEmpty ? "" : " of " + settings.symbols.sorted().joined(separator: ", ")
            let policy: String = settings.allowOnFailure ? "allow" : "refuse"
            let recording: String = settings.recordPath.map { "; answers recorded in \($0)" } ?? ""
            print("veto: \(settings.model) at \(settings.baseURL) reviews \(settings.reviews.rawValue)\(scope); timeout "
                  + "\(settings.timeoutSeconds) s, \(settings.maxCallsPerDay) calls a day; on failure \(policy)\(recording)")
            return EntryReviewerHandle(reviewer)
        } catch {
            throw CLIFailure("\(path): \(error)")
        }
    }
}
