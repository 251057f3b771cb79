import Foundation
import PeregrineCore
import PeregrineModels
import PeregrineStorage
import PeregrineStrategies

/// Reads a store and says, in plain words with the numbers behind each, what a person might change:
/// limits that refuse most entries, a veto that does, a strategy failing its validation gate, a
/// signaling-game threshold the realized trades argue for (as `peregrine adapt`), fills drifting from
/// the prices the backtest assumes, a sleeve the allocator starved. Rule-based and reproducible: the
/// same store gives the same advice.
public struct TradingAssistant: Sendable {
    let store: TradingStore
    /// At least this many entries before a refusal rate means anything.
    public var minimumEntries = 10
    /// A refusal reason taking more than this share of entries is reported.
    public var refusalShare = 0.5

    public init(store: TradingStore) {
        self.store = store
    }

    /// Every recommendation, trading runs first (newest first), then stored backtests.
    public func recommendations() throws -> [Recommendation] {
        let runs = try store.runs().sorted { $0.id > $1.id }
        var advice: [Recommendation] = []
        for run in runs where ["sim", "local", "paper", "live"].contains(run.kind) {
            let decisions = try store.decisions(runID: run.id)
            advice += refusals(run, decisions)
            advice += sleeves(run, decisions)
            advice += try drift(run)
            advice += try threshold(run)
        }
        for run in runs where run.kind == "backtest" { advice += try gate(run) }
        return advice
    }

    typealias DecisionRow = (time: Timestamp, symbol: String, outcome: String, reason: String, detail: String, strategy: String?)

    static let entryReasons: Set<String> = ["open_long", "open_short"]
    /// Refusals that come from a limit or a check (the gate's holds and the schedule are not refusals of an entry).
    static func isRefusal(_ row: DecisionRow) -> Bool {
        row.outcome == "rejected" && !["shorting_disabled", "warm_up", "off_schedule", "no_position"].contains(row.reason)
    }

    /// Entries tried (submitted as an entry, or refused by a limit), and the refusals by reason.
    func refusals(_ run: RunSummary, _ decisions: [DecisionRow]) -> [Recommendation] {
        let submitted = decisions.filter { $0.outcome == "submitted" && Self.entryReasons.contains($0.reason) }.count
        let refused = decisions.filter(Self.isRefusal)
        let tried = submitted + refused.count
        guard tried >= minimumEntries else { return [] }
        var byReason: [String: Int] = [:]
        for row in refused { byReason[row.reason, default: 0] += 1 }
        var advice: [Recommendation] = []
        for (reason, count) in byReason.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) })
        where Double(count) / Double(tried) > refusalShare {
            let share = Double(count) / Double(tried)
            let evidence = ["entries_tried": String(tried), "entries_sent": String(submitted), "refused_by_\(reason)": String(count),
                            "share": Self.percent(share)]
            if reason == "vetoed" || reason == "veto_unavailable" {
                let what = reason == "vetoed" ? "the veto model refused" : "the veto model failed on (and on_failure refused)"
                advice.append(Recommendation(rule: "veto_refuses_entries", subject: run.strategy, runId: run.id,
                                             text: "In run \(run.id), \(what) \(count) of \(tried) entries (\(Self.percent(share))). Compare the "
                                                + "run with `backtest --veto-answers` against one without to see what the veto costs or saves, "
                                                + "and review its prompt, timeout or on_failure.", evidence: evidence))
            } else {
                advice.append(Recommendation(rule: "limits_refuse_entries", subject: run.strategy, runId: run.id,
                                             text: "In run \(run.id) of \(run.strategy), the \(reason) check refused \(count) of \(tried) entries "
                                                + "(\(Self.percent(share))): the strategy mostly signals trades its limits forbid. Loosen that limit "
                                                + "(peregrine risk show lists them) or size entries so they fit it.", evidence: evidence))
            }
        }
        return advice
    }

    /// In a portfolio run, a sleeve that sent almost none of the entries while the others traded.
    func sleeves(_ run: RunSummary, _ decisions: [DecisionRow]) -> [Recommendation] {
        var sent: [String: Int] = [:], refused: [String: Int] = [:]
        for row in decisions {
            guard let sleeve = row.strategy else { continue }
            sent[sleeve, default: 0] += row.outcome == "submitted" && Self.entryReasons.contains(row.reason) ? 1 : 0
            refused[sleeve, default: 0] += Self.isRefusal(row) ? 1 : 0
        }
        guard sent.count >= 2 else { return [] }
        let total = sent.values.reduce(0, +)
        guard total >= minimumEntries else { return [] }
        return sent.keys.sorted().compactMap { sleeve in
            let share = Double(sent[sleeve]!) / Double(total)
            guard share < 0.1 / Double(sent.count) * 2 else { return nil }
            return Recommendation(rule: "starved_sleeve", subject: sleeve, runId: run.id,
                                  text: "In run \(run.id), sleeve \(sleeve) sent \(sent[sleeve]!) of \(total) entries (\(Self.percent(share))) and had "
                                    + "\(refused[sleeve]!) refused: the allocator gives it too little capital to act on its signals. Give it a floor "
                                    + "([trade.portfolio] floor) or drop it.",
                                  evidence: ["entries_sent": String(sent[sleeve]!), "entries_sent_all_sleeves": String(total),
                                             "refused": String(refused[sleeve]!), "share": Self.percent(share)])
        }
    }

    /// Fills against the open of the bar they filled in (what a backtest with next-open fills assumes),
    /// where the store holds those bars: the average slippage, signed so that positive is worse.
    func drift(_ run: RunSummary) throws -> [Recommendation] {
        let fills = try store.fills(runID: run.id)
        var costs: [Double] = []
        for (symbol, group) in Dictionary(grouping: fills, by: \.symbol) {
            guard let first = group.map(\.timestamp).min(), let last = group.map(\.timestamp).max() else { continue }
            let bars = try store.bars(symbol: symbol, from: Timestamp(nanoseconds: first.nanoseconds - 86_400_000_000_000),
                                      to: Timestamp(nanoseconds: last.nanoseconds + 1))
            guard !bars.isEmpty else { continue }
            for fill in group {
                // The bar the fill belongs to: the last one starting at or before it.
                guard let bar = bars.last(where: { $0.timestamp <= fill.timestamp }), bar.open > .zero else { continue }
                let move = (fill.price.doubleValue - bar.open.doubleValue) / bar.open.doubleValue
                costs.append((fill.side == .buy ? move : -move) * 10_000)
            }
        }
        guard costs.count >= minimumEntries else { return [] }
        let mean = costs.reduce(0, +) / Double(costs.count)
        guard mean.isFinite, abs(mean) >= 5 else { return [] }
        return [Recommendation(rule: "fill_drift", subject: run.strategy, runId: run.id,
                               text: "In run \(run.id), \(costs.count) fills were on average \(String(format: "%.1f", abs(mean))) bps "
                                + (mean > 0 ? "worse" : "better") + " than the open of their bar, the price a next-open backtest assumes. "
                                + (mean > 0 ? "Research with --slippage bps:\(String(format: "%.0f", mean.rounded(.up))) so backtests expect it." : "The backtest is conservative here."),
                               evidence: ["fills": String(costs.count), "mean_slippage_bps": String(format: "%.2f", mean)])]
    }

    /// For a signaling-game run, the threshold its realized trades argue for, as `peregrine adapt` computes it.
    func threshold(_ run: RunSummary) throws -> [Recommendation] {
        guard run.strategy == "signaling-game" else { return [] }
        let current = run.parameters.split(separator: ",").compactMap { pair -> Double? in
            let parts = pair.split(separator: "=")
            return parts.count == 2 && parts[0].trimmingCharacters(in: .whitespaces) == "min_prob_up" ? Double(parts[1]) : nil
        }.first ?? 0.55
        let fills = try store.fills(runID: run.id).map {
            SignalThresholdAdaptation.Execution(clientOrderID: $0.clientOrderID, symbol: $0.symbol, side: $0.side, quantity: $0.quantity,
                                                price: $0.price, commission: $0.commission)
        }
        guard !fills.isEmpty else { return [] }
        let outcome = SignalThresholdAdaptation.recommend(fills: fills, decisions: try store.orderDecisions(runID: run.id), current: current,
                                                          takeProfit: 0.04, stopLoss: 0.02, calibration: ThresholdCalibration())
        guard abs(outcome.threshold - current) > 1e-9 else { return [] }
        return [Recommendation(rule: "adapt_threshold", subject: run.strategy, runId: run.id,
                               text: "Run \(run.id)'s trades argue for min_prob_up \(outcome.threshold) instead of \(current): \(outcome.reason) "
                                + "(peregrine adapt --store ... --run \(run.id) shows the table).",
                               evidence: ["current": String(current), "recommended": String(outcome.threshold),
                                          "closed_trades": String(SignalThresholdAdaptation.closedTrades(fills).count),
                                          "break_even_win_rate": String(format: "%.4f", outcome.breakEven)])]
    }

    /// A stored backtest whose summary fails the validation gate (trades, win rate, Sharpe, drawdown).
    func gate(_ run: RunSummary) throws -> [Recommendation] {
        guard let report = try store.report(runID: run.id), let verdict = StoredBacktestVerdict(runID: run.id, summary: report.summary),
              !verdict.passed else { return [] }
        let name = run.strategy + (run.parameters.isEmpty ? "" : " " + run.parameters)
        return [Recommendation(rule: "validation_gate", subject: name, runId: run.id,
                               text: "Backtest \(run.id) of \(name) fails its validation gate (\(verdict.failures.joined(separator: "; "))): "
                                + "do not trade it with real money on this evidence.",
                               evidence: ["trades": String(verdict.trades), "win_rate": String(format: "%.4f", verdict.winRate),
                                          "sharpe": String(format: "%.4f", verdict.sharpe), "max_drawdown": String(format: "%.4f", verdict.maxDrawdown)])]
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
