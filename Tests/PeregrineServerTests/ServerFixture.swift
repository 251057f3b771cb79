import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineRisk
import PeregrineLive
@testable import PeregrineServer
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport

/// A store holding a backtest (with its summary and tearsheet) and a simulated trading run with
/// hand-made fills, snapshots and a halted risk state, and an API over it.
struct ServerFixture {
    static let token = "test-token-0123456789abcdef"
    let store: TradingStore
    let api: ControlAPI
    let backtest: BacktestResult
    let backtestRun: Int64
    let tradingRun: Int64
    let logged: LogLines

    final class LogLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    init(plane: any ControlPlane = StoreOnlyPlane(), now: (@Sendable () -> Double)? = nil) throws {
        let path = TestPaths.temporaryFolder() + "/peregrine.sqlite"
        let writer = try TradingStore(path: path)
        var options = SyntheticMarket.Options()
        options.bars = 1_500
        options.interval = Timestamp.nanosPerDay
        let series = SyntheticMarket(options: options).generate()
        backtest = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(), series: [series],
                                                        configuration: BacktestConfiguration())
        backtestRun = try writer.record(backtest, strategy: "sma-cross", parameters: "", started: Timestamp(seconds: 0))
        try writer.recordReport(runID: backtestRun, summary: #"{"final_equity": 1000123.456789, "bars": 1500}"#, html: "<html>tearsheet</html>")

        // A trading run of "momentum": buy 10 @ 100, buy 10 @ 110, sell 5 @ 120 in AAPL; sell 2 @ 50 in MSFT (short).
        tradingRun = try writer.beginRun(kind: "sim", strategy: "momentum", parameters: "lookback=20", started: Timestamp(seconds: 1_000),
                                         initialEquity: Money(100_000))
        let fills: [(String, String, OrderSide, Int, Int)] = [("c1", "AAPL", .buy, 10, 100), ("c2", "AAPL", .buy, 10, 110),
                                                              ("c3", "AAPL", .sell, 5, 120), ("c4", "MSFT", .sell, 2, 50)]
        for (n, (id, symbol, side, quantity, price)) in fills.enumerated() {
            let time = Timestamp(seconds: 2_000 + Int64(n) * 86_400)
            try writer.recordIntent(OrderIntent(clientOrderID: id, runID: tradingRun, symbol: symbol, side: side, quantity: Quantity(quantity),
                                                type: .market, body: "{}"), at: time)
            try writer.advance(id, to: .acknowledged, brokerOrderID: "b-\(id)", status: "filled", at: time)
            try writer.recordFill(StoredFill(executionID: "e-\(id)", clientOrderID: id, timestamp: time, symbol: symbol, side: side,
                                             quantity: Quantity(quantity), price: Price(price), commission: Money(1)))
            try writer.appendDecisions(runID: tradingRun, [(Decision(timestamp: time, instrument: InstrumentID(0), action: side == .buy ? .buy : .sell,
                                                                     outcome: .submitted, reason: side == .buy ? .openLong : .closeLong,
                                                                     detail: "n=\(n)", side: side, quantity: Quantity(quantity)),
                                                            symbol, id, "momentum")])
            try writer.recordSnapshot(runID: tradingRun, AccountSnapshot(time: time, cash: Money(100_000 - n * 1_000),
                                                                         equity: Money(100_000 + n * 10), positions: [:]))
        }
        try writer.importBars([Bar(timestamp: Timestamp(seconds: 400_000), open: Price(118), high: Price(121), low: Price(117),
                                   close: Price(120), volume: Quantity(900)),
                               Bar(timestamp: Timestamp(seconds: 500_000), open: Price(125), high: Price(131), low: Price(124),
                                   close: Price(130), volume: Quantity(1_000))], symbol: "AAPL")
        var risk = RiskState()
        risk.account.move(to: .halted, at: Timestamp(seconds: 3_000), reason: "daily loss 2.1% > 2%")
        risk.consecutiveLosses = 3
        try writer.saveState(TradingRuntime.riskStateKey("momentum"), json: String(decoding: try JSONEncoder().encode(risk), as: UTF8.self),
                             at: Timestamp(seconds: 3_000))
        store = try TradingStore(readingOnly: path)
        let logged = LogLines()
        self.logged = logged
        api = ControlAPI(store: store, plane: plane,
                         requestGuard: RequestGuard(token: Self.token, log: { logged.append($0) }, now: now), log: { logged.append($0) })
    }

    func get(_ target: String, token: String? = ServerFixture.token, client: String = "10.0.0.1") async -> APIResponse {
        await api.handle(APIRequest(method: "GET", target: target, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:], client: client))
    }

    func send(_ method: String, _ target: String, body: String = "", headers: [String: String] = [:]) async -> APIResponse {
        await api.handle(APIRequest(method: method, target: target,
                                    headers: ["Authorization": "Bearer \(Self.token)", "Host": "127.0.0.1:8080"].merging(headers) { $1 },
                                    body: Data(body.utf8), client: "10.0.0.1"))
    }

    static func json(_ response: APIResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])
    }
}
