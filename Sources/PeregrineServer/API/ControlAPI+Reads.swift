import Foundation
import PeregrineCore
import PeregrineLive
import PeregrineRisk
import PeregrineStorage

/// The read endpoints: what runs, what it holds, what it decided and why.
extension ControlAPI {
    struct Health: Encodable {
        var status = "ok"
        var version = ControlAPI.version
        var uptimeSeconds: Double
    }

    func health() -> APIResponse { .json(Health(uptimeSeconds: uptime)) }

    func status() async throws(APIError) -> APIResponse {
        let bots = try await self.bots()
        let risk = try riskStates()
        let account = try read("account snapshots") { try store.latestTradingSnapshot() }
        let latest = account?.latest
        let pnlToday = account.map { $0.latest.equity - $0.opening.equity }
        let view = StatusView(
            mode: plane.mode, readOnly: plane.readOnly, store: store.path, equity: latest?.equity.description, cash: latest?.cash.description,
            pnlToday: pnlToday?.description, asOf: latest?.time.iso8601, bots: bots.count,
            botsRunning: bots.filter { $0.state == "running" || $0.state == "paused" }.count,
            halted: risk.filter { $0.state.account.state == .halted || $0.state.killSwitchEngaged }.map(\.name),
            killSwitch: risk.contains { $0.state.killSwitchEngaged }, connections: await plane.connections(), uptimeSeconds: uptime)
        return .json(view)
    }

    func bots() async throws(APIError) -> [BotView] {
        if let live = await plane.bots() { return live }
        // A store alone: the latest trading run of each strategy is that bot's last deployment.
        let runs = try read("runs") { try store.runs().filter { $0.kind != "backtest" && $0.kind != "sweep" } }
        var latest: [String: RunSummary] = [:]
        for run in runs { latest[run.strategy] = run }
        var views: [BotView] = []
        for run in latest.values.sorted(by: { $0.strategy < $1.strategy }) {
            var query = RecordQuery()
            query.runID = run.id
            query.limit = 1
            let last = try read("decisions") { try store.decisions(matching: query).first }
            var symbolsQuery = RecordQuery()
            symbolsQuery.runID = run.id
            symbolsQuery.limit = 1000
            let symbols = Set(try read("orders") { try store.orders(matching: symbolsQuery).map(\.intent.symbol) })
            views.append(BotView(name: run.strategy, state: run.finalEquity == nil ? "unfinished" : "finished", strategy: run.strategy,
                                 parameters: run.parameters, mode: run.kind, symbols: symbols.sorted(), runId: run.id,
                                 started: run.started.iso8601, lastDecision: last.map(DecisionView.init)))
        }
        return views
    }

    func bot(_ name: String) async throws(APIError) -> APIResponse {
        guard let bot = try await bots().first(where: { $0.name == name }) else {
            throw APIError(.notFound, "no bot named '\(name.prefix(100))'")
        }
        return .json(bot)
    }

    func positions(_ request: APIRequest) async throws(APIError) -> APIResponse {
        let query = try QueryParameters(request, allowed: ["bot", "symbol"]).recordQuery()
        let books = try read("fills") { try positionCache.books(from: store) }
        let book = query.bot.map { books.byBot[$0] ?? PositionBook() } ?? books.all
        let marks = try read("bars") { try store.latestCloses() }
        return .json(book.views(marks: marks).filter { query.symbol == nil || $0.symbol == query.symbol })
    }

    func orders(_ request: APIRequest) throws(APIError) -> APIResponse {
        let parameters = try QueryParameters(request, allowed: Self.listing.map(\.name) + ["status"])
        var query = try parameters.recordQuery()
        query.status = try parameters.text("status")
        let rows = try read("orders") { try store.orders(matching: query) }
        return .json(Page(items: rows.map { OrderView(rowID: $0.rowID, updated: $0.updated, intent: $0.intent) }, limit: query.limit) { $0.id })
    }

    func fills(_ request: APIRequest) throws(APIError) -> APIResponse {
        let query = try QueryParameters(request, allowed: Self.listing.map(\.name)).recordQuery()
        let rows = try read("fills") { try store.fills(matching: query) }
        return .json(Page(items: rows.map { FillView(rowID: $0.rowID, runID: $0.runID, fill: $0.fill) }, limit: query.limit) { $0.id })
    }

    func decisions(_ request: APIRequest) throws(APIError) -> APIResponse {
        let parameters = try QueryParameters(request, allowed: Self.listing.map(\.name) + ["action", "outcome", "reason"])
        var query = try parameters.recordQuery()
        query.action = try parameters.text("action")
        query.outcome = try parameters.text("outcome")
        query.reason = try parameters.text("reason")
        let rows = try read("decisions") { try store.decisions(matching: query) }
        return .json(Page(items: rows.map(DecisionView.init), limit: query.limit) { $0.id })
    }

    func bars(_ request: APIRequest) throws(APIError) -> APIResponse {
        let parameters = try QueryParameters(request, allowed: ["symbol", "limit"])
        guard let symbol = try parameters.symbol() else { throw APIError(.badRequest, "give symbol=... (the bars of which symbol)") }
        let limit = Int(try parameters.integer("limit", in: 1...500) ?? 120)
        let live = market.recent(symbol, limit: limit)
        if !live.bars.isEmpty { return .json(BarsView(symbol: symbol, source: "bots", bars: live.bars, fills: live.fills)) }
        let stored = try read("bars") { try store.bars(symbol: symbol) }
        return .json(BarsView(symbol: symbol, source: "store", bars: Array(stored.suffix(limit)), fills: []))
    }

    func equity(_ request: APIRequest) throws(APIError) -> APIResponse {
        let query = try QueryParameters(request, allowed: ["bot", "run", "from", "to", "limit"]).recordQuery()
        let runs = try read("runs") { try store.runNames() }
        let trading = Set(runs.filter { $0.value.kind != "backtest" && $0.value.kind != "sweep" && (query.bot == nil || $0.value.strategy == query.bot) }
            .map(\.key))
        var points = try read("account snapshots") { try store.snapshots(runID: query.runID) }.filter { item in
            trading.contains(item.runID) && query.from.map { item.snapshot.time >= $0 } ?? true && query.to.map { item.snapshot.time <= $0 } ?? true
        }
        // The latest `limit` points when no range bounds the series from below.
        if request.query["limit"] != nil || query.from == nil { points = Array(points.suffix(query.limit)) }
        return .json(points.map {
            EquityPoint(time: $0.snapshot.time.iso8601, runId: $0.runID, bot: runs[$0.runID]?.strategy ?? "?", equity: $0.snapshot.equity.description,
                        cash: $0.snapshot.cash.description)
        })
    }

    /// Saved risk states by owner (a bot, a sleeve, or a portfolio's account).
    func riskStates() throws(APIError) -> [(name: String, state: RiskState)] {
        let prefix = TradingRuntime.riskStateKey("")
        let keys = try read("risk state") { try store.stateKeys(prefix: prefix) }
        var states: [(name: String, state: RiskState)] = []
        for key in keys {
            guard let json = try read("risk state", { try store.loadState(key) }) else { continue }
            do {
                states.append((String(key.dropFirst(prefix.count)), try JSONDecoder().decode(RiskState.self, from: Data(json.utf8))))
            } catch {
                throw APIError(.internalError, "the saved risk state \(key) cannot be read: \(error)")
            }
        }
        return states
    }

    func risk() async throws(APIError) -> APIResponse {
        var views: [RiskView] = []
        for (name, state) in try riskStates() {
            let last = state.account.transitions.last.map {
                "\(Timestamp(nanoseconds: $0.time).iso8601) \($0.from.rawValue) -> \($0.to.rawValue): \($0.reason)"
            }
            views.append(RiskView(name: name, account: state.account.state.rawValue, killSwitch: state.killSwitchEngaged,
                                  breakers: state.strategies.sorted { $0.key < $1.key }.map { .init(name: $0.key, state: $0.value.state.rawValue) },
                                  lastTransition: last, equityPeak: state.equityPeak, losingStreak: state.consecutiveLosses,
                                  limits: await plane.limits(of: name)))
        }
        return .json(views)
    }

    func audit(_ request: APIRequest) throws(APIError) -> APIResponse {
        let query = try QueryParameters(request, allowed: ["limit", "before"]).recordQuery()
        let rows = try read("audit trail") { try store.audit(limit: query.limit, before: query.before) }
        return .json(Page(items: rows.map(AuditView.init), limit: query.limit) { $0.id })
    }

    func runs(_ request: APIRequest) throws(APIError) -> APIResponse {
        let kind = try QueryParameters(request, allowed: ["kind"]).text("kind")
        let kinds = ["backtest", "sweep", "sim", "paper", "live"]
        if let kind, !kinds.contains(kind) {
            throw APIError(.badRequest, "kind '\(kind.prefix(40))' is not one of \(kinds.joined(separator: ", "))")
        }
        let runs = try read("runs") { try store.runs() }.filter { kind == nil || $0.kind == kind }
        let reported = try read("reports") { try store.reportedRuns() }
        return .json(runs.map { RunView($0, hasReport: reported.contains($0.id)) })
    }

    func runID(_ text: String) throws(APIError) -> Int64 {
        guard let id = Int64(text), id > 0 else { throw APIError(.badRequest, "run id must be a positive whole number, got '\(text.prefix(40))'") }
        return id
    }

    func run(_ text: String) throws(APIError) -> APIResponse {
        let id = try runID(text)
        guard let run = try read("runs", { try store.run(id) }) else { throw APIError(.notFound, "no run \(id) in the store") }
        let report = try read("report") { try store.report(runID: id) }
        // The summary goes out as its command wrote it: exact decimals stay exact, no re-encoding.
        var response = APIResponse.json(RunView(run, hasReport: report?.html != nil))
        let runJSON = String(decoding: response.body, as: UTF8.self)
        response.body = Data(("{\"run\":" + runJSON + (report.map { ",\"summary\":" + $0.summary } ?? "") + "}").utf8)
        return response
    }

    func report(_ text: String) throws(APIError) -> APIResponse {
        let id = try runID(text)
        guard try read("runs", { try store.run(id) }) != nil else { throw APIError(.notFound, "no run \(id) in the store") }
        guard let html = try read("report", { try store.report(runID: id)?.html }) else {
            throw APIError(.notFound, "run \(id) has no stored tearsheet (backtest --store keeps one)")
        }
        return .html(html)
    }
}
