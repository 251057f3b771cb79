import Foundation
import PeregrineStorage

/// The go/no-go panel: each bot's strategy judged by the validation gate on its stored backtest.
extension ControlAPI {
    func validation() async throws(APIError) -> APIResponse {
        let bots = try await bots()
        let backtests = try read("runs") { try store.runs().filter { $0.kind == "backtest" }.sorted { $0.id > $1.id } }
        var rows: [ValidationView] = []
        for bot in bots {
            let candidates = backtests.filter { $0.strategy == bot.strategy }
            let chosen = candidates.first { $0.parameters == bot.parameters } ?? candidates.first
            var verdict: StoredBacktestVerdict?
            if let chosen, let report = try read("reports", { try store.report(runID: chosen.id) }) {
                verdict = StoredBacktestVerdict(runID: chosen.id, summary: report.summary)
            }
            rows.append(ValidationView(bot: bot.name, strategy: bot.strategy,
                                       verdict: verdict.map { $0.passed ? "GO" : "NO-GO" } ?? "no backtest", backtest: verdict,
                                       sameParameters: verdict != nil && chosen?.parameters == bot.parameters))
        }
        return .json(rows)
    }
}
