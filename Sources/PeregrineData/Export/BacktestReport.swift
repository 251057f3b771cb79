import PeregrineCore
import PeregrineEngine
import PeregrineModels
import PeregrineRisk

/// The files of a backtest: `summary.json`, `trades.csv`, `fills.csv`, `equity.csv`, `orders.csv`
/// and `decisions.csv`. Identical runs write identical bytes (timings aside, which only
/// `summary.json` holds, under `load_seconds` and `run_seconds`).
public struct BacktestReport {
    public var result: BacktestResult
    public var strategy: String
    public var parameters: [String: String]
    public var dataSources: [String]
    public var loadSeconds: Double
    public var runSeconds: Double
    /// Entries the veto reviewed, by verdict (allow, veto, timeout, malformed, error, budget, missing);
    /// nil when no veto ran.
    public var vetoCounts: [String: Int]?

    public init(result: BacktestResult, strategy: String, parameters: [String: String], dataSources: [String],
                loadSeconds: Double, runSeconds: Double) {
        self.result = result
        self.strategy = strategy
        self.parameters = parameters
        self.dataSources = dataSources
        self.loadSeconds = loadSeconds
        self.runSeconds = runSeconds
    }

    /// The one-bar 95% VaR and CVaR of the run's returns by the normal model and by 100,000 seeded
    /// Monte Carlo draws (seed 0), beside the historical `var_95` and `cvar_95`; empty with fewer than two returns.
    public func valueAtRiskByModel() -> [(method: ValueAtRiskMethod, estimate: ValueAtRisk.Estimate)] {
        var returns = result.equity.periodReturns(initial: result.metrics.initialEquity)
        guard returns.count >= 2 else { return [] }
        return [ValueAtRiskMethod.parametric, .monteCarlo(paths: 100_000, seed: 0)].map { ($0, $0.estimate(consuming: &returns, confidence: 0.95)) }
    }

    /// The summary, as `summary.json` holds it.
    public var summary: JSONObject {
        let m = result.metrics
        var json = JSONObject()
        json.set("strategy", strategy)
        var params = JSONObject()
        for key in parameters.keys.sorted() { params.set(key, parameters[key]!) }
        json.set("parameters", params)
        json.set("data", strings: dataSources)
        json.set("symbols", strings: result.instruments.map(\.symbol))
        json.set("bars", result.bars)
        json.set("trade_count", m.trades.roundTrips)
        json.set("open_trade_count", result.openTrips.count)
        json.set("fill_count", m.fillCount)
        if let vetoCounts {
            var veto = JSONObject()
            for key in vetoCounts.keys.sorted() { veto.set(key, vetoCounts[key]!) }
            json.set("veto", veto)
        }
        json.set("initial_cash", decimal: m.initialEquity.description)
        json.set("final_equity", decimal: m.finalEquity.description)
        json.set("cash", decimal: result.account.cash.description)
        json.set("commissions", decimal: result.account.commissionsPaid.description)
        json.set("realized_pnl", decimal: result.account.realizedPnL.description)
        json.set("total_return", m.returns.totalReturn)
        json.set("annual_return", m.returns.annualReturn)
        json.set("annual_volatility", m.returns.annualVolatility)
        json.set("sharpe", m.returns.sharpe)
        json.setSharpeSignificance(m.returns)
        json.set("sortino", m.returns.sortino)
        json.set("max_drawdown", m.returns.maxDrawdown)
        json.set("max_drawdown_periods", m.returns.maxDrawdownPeriods)
        json.set("max_drawdown_days", m.maxDrawdownDays)
        json.set("calmar", m.returns.calmar)
        json.set("var_95", m.returns.valueAtRisk95)
        json.set("cvar_95", m.returns.conditionalValueAtRisk95)
        for (method, estimate) in valueAtRiskByModel() {
            json.set("var_95_" + method.name, estimate.valueAtRisk)
            json.set("cvar_95_" + method.name, estimate.conditionalValueAtRisk)
        }
        json.set("win_rate", m.trades.winRate)
        json.set("profit_factor", m.trades.profitFactor)
        json.set("expectancy", m.trades.expectancy)
        json.set("average_win", m.trades.averageWin)
        json.set("average_loss", m.trades.averageLoss)
        json.set("average_bars_held", m.trades.averageBarsHeld)
        json.set("exposure", m.exposure)
        json.set("turnover", m.turnover)
        json.set("periods_per_year", result.periodsPerYear)
        json.set("corporate_action_cash", result.account.corporateActionCash.formatted(places: 2))
        json.set("corporate_actions", result.corporateActions.count)
        var stale = JSONObject()
        for (index, steps) in result.staleMarkSteps.enumerated() where steps > 0 { stale.set(result.instruments[index].symbol, steps) }
        json.set("stale_mark_steps", stale)
        var decisions = JSONObject()
        for key in result.decisionCounts.keys.sorted() { decisions.set(key, result.decisionCounts[key]!) }
        json.set("decisions", decisions)
        json.set("load_seconds", loadSeconds)
        json.set("run_seconds", runSeconds)
        return json
    }

    /// Writes every file into `directory` (which must exist).
    public func write(to directory: String) throws(DataError) {
        try TextFileWriter.write(summary.render() + "\n", to: directory + "/summary.json")
        try writeFills(directory + "/fills.csv")
        try writeTrades(directory + "/trades.csv")
        try writeEquity(directory + "/equity.csv")
        try writeOrders(directory + "/orders.csv")
        try writeDecisions(directory + "/decisions.csv")
    }

    private func symbol(_ id: InstrumentID) -> String { result.instruments[id.index].symbol }

    /// Stock fills and, when the run traded options, one row per filled option leg (the contract's
    /// OCC symbol, contracts, price per share, multiplier 100), in time order; at one time the option
    /// rows come first, as the run books them before the bar's stock fills.
    private func writeFills(_ path: String) throws(DataError) {
        let out = try TextFileWriter(path: path)
        try out.writeLine("timestamp,symbol,side,quantity,price,commission,client_order_id,multiplier")
        var options = optionFills()[...]
        for f in result.fills {
            while let next = options.first, next.timestamp <= f.timestamp {
                try out.writeLine(next.line)
                options = options.dropFirst()
            }
            try out.writeLine("\(f.timestamp.compactDescription),\(symbol(f.instrument)),\(f.side),\(f.quantity),"
                + "\(f.price),\(f.commission),\(f.clientOrderID),1")
        }
        for next in options { try out.writeLine(next.line) }
        try out.close()
    }

    /// The option legs the run filled, in fill order, as fills.csv lines.
    private func optionFills() -> [(timestamp: Timestamp, line: String)] {
        guard let book = result.options else { return [] }
        var rows: [(timestamp: Timestamp, line: String)] = []
        for order in book.orders where order.status == .filled {
            for leg in order.legs {
                guard let price = leg.fillPrice else { continue }
                rows.append((order.updatedAt, "\(order.updatedAt.compactDescription),\(leg.contract),\(leg.side),\(order.quantity * leg.ratio),"
                    + "\(price),0,\(CSVField.escape(order.clientOrderID)),\(OptionBook.multiplier)"))
            }
        }
        return rows.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
    }

    /// Stock round trips, then the option contracts' (quantities in contracts, prices per share,
    /// multiplier 100; `bars_held` empty, `return` on the premium paid or received).
    private func writeTrades(_ path: String) throws(DataError) {
        let out = try TextFileWriter(path: path)
        try out.writeLine("symbol,direction,status,entry_time,exit_time,quantity,entry_price,exit_price,pnl,commission,"
            + "return,bars_held,multiplier")
        for (trip, status) in result.roundTrips.map({ ($0, "closed") }) + result.openTrips.map({ ($0, "open") }) {
            // An open trip is the whole open position: its P&L adds the position's exact unrealized P&L.
            let i = trip.instrument.index
            let pnl = status == "open"
                ? trip.netPnL + result.account.positions[i].unrealizedPnL(at: result.finalMarks[i])
                : trip.netPnL
            try out.writeLine([
                symbol(trip.instrument), trip.direction.rawValue, status, trip.entryTime.compactDescription,
                trip.exitTime?.compactDescription ?? "", trip.entryQuantity.description,
                trip.averageEntryPrice.description, trip.averageExitPrice?.description ?? "",
                pnl.formatted(places: 6), trip.commission.formatted(places: 6),
                String(trip.returnOnEntry), trip.barsHeld.map(String.init) ?? "", "1",
            ].joined(separator: ","))
        }
        for trip in result.options.map(OptionRoundTrip.trips) ?? [] {
            let premium = trip.entryNotional.doubleValue
            try out.writeLine([
                trip.contract.description, trip.direction.rawValue, Self.status(trip),
                trip.entryTime.compactDescription, trip.exitTime?.compactDescription ?? "", String(trip.entryContracts),
                trip.averageEntryPrice.description, trip.averageExitPrice?.description ?? "",
                trip.realizedPnL.formatted(places: 6), Money.zero.formatted(places: 6),
                String(premium > 0 ? trip.realizedPnL.doubleValue / premium : 0), "", String(OptionBook.multiplier),
            ].joined(separator: ","))
        }
        try out.close()
    }

    /// An option trip's status: open, closed (by a trade), or expired, exercised or assigned.
    static func status(_ trip: OptionRoundTrip) -> String {
        switch trip.exit {
        case nil: return "open"
        case .trade?: return "closed"
        case .expiry?: return "expired"
        case .exercise?: return "exercised"
        case .assignment?: return "assigned"
        }
    }

    private func writeEquity(_ path: String) throws(DataError) {
        let out = try TextFileWriter(path: path)
        try out.writeLine("timestamp,equity")
        for point in result.equity {
            try out.writeLine("\(point.timestamp.compactDescription),\(point.equity.formatted(places: 6))")
        }
        try out.close()
    }

    private func writeOrders(_ path: String) throws(DataError) {
        let out = try TextFileWriter(path: path)
        try out.writeLine("client_order_id,symbol,side,type,time_in_force,quantity,limit_price,stop_price,order_class,"
            + "leg,status,filled_quantity,average_fill_price,submitted_at,updated_at,reason")
        for o in result.orders {
            try out.writeLine([
                o.clientOrderID, symbol(o.instrument), o.side.rawValue, o.type.rawValue, o.timeInForce.rawValue,
                o.quantity.description, o.limitPrice?.description ?? "", o.stopPrice?.description ?? "",
                o.orderClass.rawValue, o.legRole.rawValue, o.status.rawValue, o.filledQuantity.description,
                o.averageFillPrice?.description ?? "", o.submittedAt.compactDescription, o.updatedAt.compactDescription,
                CSVField.escape(o.reason ?? ""),
            ].joined(separator: ","))
        }
        try out.close()
    }

    /// Every decision (holds and rejections included) with its reason, as `decisions.csv` holds it.
    public func writeDecisions(_ path: String) throws(DataError) {
        let out = try TextFileWriter(path: path)
        try out.writeLine(DecisionCSV.header)
        for d in result.decisions {
            try out.writeLine(DecisionCSV.line(d, symbol: symbol(d.instrument),
                                               clientOrderID: d.orderID.map { result.orders[$0.value].clientOrderID }, strategy: strategy))
        }
        try out.close()
    }
}

/// Quoting for free-text CSV fields.
/// One CSV field: quoted (inner quotes doubled) when it must be, or always.
public enum CSVField {
    public static func escape(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") || text.contains("\n") else { return text }
        return quoted(text)
    }

    public static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
