import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
@testable import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// `db copy`: a store with rows in every table moves to another store with every row and id.
@Suite struct StoreCopyTests {
    /// A SQLite store with rows in every table: a backtest (orders, fills, decisions), a trading run
    /// with an intent, events, a fill, snapshots and the bars it handled, bars, state, a sweep, a report and an audit line.
    func filledSource() throws -> TradingStore {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/source.sqlite")
        var options = SyntheticMarket.Options()
        options.bars = 600
        options.interval = Timestamp.nanosPerDay
        let series = SyntheticMarket(options: options).generate()
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(), series: [series],
                                                          configuration: BacktestConfiguration())
        let backtest = try store.record(result, strategy: "sma-cross", parameters: "fast=10 slow=30", started: Timestamp(seconds: 0))
        try store.recordReport(runID: backtest, summary: #"{"fills":1}"#, html: "<html></html>")
        let run = try store.beginRun(kind: "sim", strategy: "sma-cross", parameters: "", started: Timestamp(seconds: 5), initialEquity: Money(1_000))
        try store.recordIntent(OrderIntent(clientOrderID: "pg-1", runID: run, symbol: "SYN", side: .buy, quantity: Quantity("1.5")!,
                                           type: .market, body: "{}"), at: Timestamp(seconds: 6))
        try store.advance("pg-1", to: .sent, at: Timestamp(seconds: 7))
        try store.recordFill(StoredFill(executionID: "e-1", clientOrderID: "pg-1", timestamp: Timestamp(seconds: 8), symbol: "SYN", side: .buy,
                                        quantity: Quantity("1.5")!, price: Price("101.25")!, commission: Money("0.01")!))
        try store.recordSnapshot(runID: run, AccountSnapshot(time: Timestamp(seconds: 9), cash: Money("848.11")!, equity: Money("1000.5")!,
                                                             positions: ["SYN": Quantity("1.5")!]))
        try store.importBars(Array(series.bars.prefix(50)), symbol: "SYN")
        try store.recordRunConfiguration(runID: run, bot: "trend", document: "[trade]\nstrategy = \"sma-cross\"\n")
        // Symbols whose order differs between byte order and a locale's (case, punctuation).
        try store.recordRunBars(runID: run, series.bars.prefix(5).enumerated().flatMap { item in
            ["SYN", "BTC/USD", "btc-usd", "BTCUSD"].map { RunBar(bot: "trend", symbol: $0, timeframe: "1Day", bar: item.element, warmUp: item.offset < 3) }
        })
        try store.saveState("risk/sma-cross", json: #"{"halted":false}"#, at: Timestamp(seconds: 10))
        try store.recordSweep(strategy: "sma-cross", description: "grid", bars: 600, initialEquity: Money(1_000), best: Money(1_100),
                              rows: [SweepRow(parameters: "fast=5 slow=20", trades: 3, fills: 6, finalEquity: Money(1_100), totalReturn: 0.1,
                                              sharpe: 1.5, sortino: .nan, maxDrawdown: -0.05, calmar: 2, profitFactor: .infinity)],
                              started: Timestamp(seconds: 11))
        try store.recordAudit(AuditEntry(id: 0, time: Timestamp(seconds: 12), actor: "alice", action: "pause", target: "sma-cross",
                                         stage: .requested, detail: ""))
        try store.replaceSweepShard(SweepShardStoreTests.record(0, rows: 4), rows: SweepShardStoreTests.rows(0))
        return store
    }

    @Test(arguments: StoreKind.available)
    func everyRowMovesWithItsIdAndTheSequencesMovePastThem(_ kind: StoreKind) throws {
        let source = try filledSource()
        let destination = try kind.freshStore()
        // Pages of 3 rows: every table (keys of one column and of two) is read in several pages.
        let reports = try StoreCopy.copy(from: source, to: destination, replace: false, batchRows: 7, pageRows: 3)
        let pagedOne = try StoreCopy.fingerprints(source, pageRows: 1).map { "\($0.table) \($0.rows) \($0.checksum)" }
        #expect(pagedOne == (try StoreCopy.fingerprints(source).map { "\($0.table) \($0.rows) \($0.checksum)" }))
        #expect(reports.map(\.table) == StoreTable.all.map(\.name))
        let differing = reports.filter { !$0.matches }
        #expect(differing.isEmpty, "\(differing)")
        #expect(reports.allSatisfy { $0.sourceRows > 0 }, "every table has rows: \(reports.map { ($0.table, $0.sourceRows) })")
        // Read back through the store's own API, not the copy's checksums.
        #expect(try destination.runs() == source.runs())
        #expect(try destination.fills() == source.fills())
        #expect(try destination.orders() == source.orders())
        #expect(try destination.events("pg-1").map(\.event) == ["intended", "sent"])
        for run in try source.runs() {
            #expect(try destination.decisions(runID: run.id).map(\.detail) == source.decisions(runID: run.id).map(\.detail))
            #expect(try destination.snapshots(runID: run.id).map(\.snapshot) == source.snapshots(runID: run.id).map(\.snapshot))
            #expect(try destination.runBars(runID: run.id) == source.runBars(runID: run.id))
        }
        #expect(try destination.runConfiguration(runID: 2)?.document == "[trade]\nstrategy = \"sma-cross\"\n")
        let copied = try destination.runBars(runID: 2)
        #expect(copied.map(\.warmUp) == [true, true, true, false, false].flatMap { Array(repeating: $0, count: 4) })
        #expect(copied.prefix(4).map(\.symbol) == ["BTC/USD", "BTCUSD", "SYN", "btc-usd"])
        #expect(try destination.bars(symbol: "SYN") == source.bars(symbol: "SYN"))
        #expect(try destination.loadState("risk/sma-cross") == #"{"halted":false}"#)
        #expect(try destination.audit().map(\.actor) == ["alice"])
        let sweep = try #require(try source.runs().first { $0.kind == "sweep" })
        let rows = try destination.sweepRows(runID: sweep.id)
        #expect(rows.count == 1 && rows[0].sharpe == 1.5 && rows[0].sortino.isNaN && rows[0].finalEquity == Money(1_100))
        // New rows get ids after the copied ones.
        let maxRun = try source.runs().map(\.id).max() ?? 0
        #expect(try destination.beginRun(kind: "sim", strategy: "x", parameters: "", started: Timestamp(seconds: 20),
                                         initialEquity: Money(1)) == maxRun + 1)
        // A destination with rows is refused, and --replace empties it first.
        #expect { try StoreCopy.copy(from: source, to: destination, replace: false) } throws: {
            "\($0)".contains("is not empty") && "\($0)".contains("--replace")
        }
        let again = try StoreCopy.copy(from: source, to: destination, replace: true)
        #expect(again.filter { !$0.matches }.isEmpty)
        #expect(try destination.runs() == source.runs())
    }

    /// The copy knows every table and column of the latest schema, so a new migration cannot leave a
    /// table behind unnoticed.
    @Test func theCopyKnowsEveryTableAndColumn() throws {
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/schema.sqlite")
        try StoreCopy.refuseUnknownTables(store)
        for table in StoreTable.all {
            let columns = try store.backend.read { db in
                try db.rows(sql: "SELECT name FROM pragma_table_info(?)", arguments: [table.name]).map { try $0["name"] as String }
            }
            #expect(Set(columns) == Set(table.columns.filter { $0 != "rowid" }), "\(table.name)")
        }
    }
}
