import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import GRDB
@testable import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// Every case runs on SQLite and, when a server is at hand, on PostgreSQL (`StoreKind`).
@Suite struct TradingStoreTests {

    func intent(_ id: String, run: Int64) -> OrderIntent {
        OrderIntent(clientOrderID: id, runID: run, symbol: "AAPL", side: .buy, quantity: Quantity(10), type: .market,
                    body: #"{"symbol":"AAPL","qty":"10"}"#)
    }

    /// What the control plane's status and positions read many times a second: the last close of each
    /// symbol and the account's latest snapshot with the day's opening, across every trading run.
    @Test(arguments: StoreKind.available)
    func latestClosesAndTheLatestSnapshotAcrossRuns(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        #expect(try store.latestCloses().isEmpty && store.latestTradingSnapshot() == nil)
        for (symbol, closes) in [("MSFT", [40, 41]), ("AAPL", [100, 101, 102]), ("BRK.B", [300])] {
            try store.importBars(closes.enumerated().map { k, close in
                Bar(timestamp: Timestamp(seconds: Int64(k) * 60), open: Price(close), high: Price(close), low: Price(close), close: Price(close),
                    volume: Quantity(1))
            }, symbol: symbol)
        }
        #expect(try store.latestCloses() == ["AAPL": Price(102), "BRK.B": Price(300), "MSFT": Price(41)])
        let day = Int64(86_400)
        let first = try store.beginRun(kind: "sim", strategy: "a", parameters: "", started: Timestamp(seconds: 0), initialEquity: Money(100))
        let second = try store.beginRun(kind: "paper", strategy: "b", parameters: "", started: Timestamp(seconds: 0), initialEquity: Money(100))
        let backtest = try store.beginRun(kind: "backtest", strategy: "c", parameters: "", started: Timestamp(seconds: 0), initialEquity: Money(100))
        for (run, seconds, equity) in [(first, 5 * day - 10, 101), (second, 5 * day - 20, 102), (first, 5 * day + 30, 103),
                                       (second, 5 * day + 60, 104), (first, 5 * day + 50, 105), (backtest, 9 * day, 999)] {
            try store.recordSnapshot(runID: run, AccountSnapshot(time: Timestamp(seconds: seconds), cash: Money(equity), equity: Money(equity),
                                                                 positions: [:]))
        }
        // Latest: second's at +60 (the backtest never counts); opening: the last before midnight, first's at -10.
        let snapshot = try #require(try store.latestTradingSnapshot())
        #expect(snapshot.latest.equity == Money(104) && snapshot.opening.equity == Money(101))
    }

    @Test(arguments: StoreKind.available)
    func aStoreOpenedForReadingIsNeitherCreatedNorMigratedNorWritten(_ kind: StoreKind) throws {
        if kind == .sqlite {
            let missing = TestPaths.temporaryFolder() + "/absent.sqlite"
            #expect(throws: StoreError.self) { try TradingStore(readingOnly: missing) }
            #expect(!FileManager.default.fileExists(atPath: missing))
        }
        let store = try kind.freshStore()
        let run = try store.beginRun(kind: "sim", strategy: "x", parameters: "", started: Timestamp(seconds: 0), initialEquity: Money(1))
        let reader = try TradingStore(readingOnly: store.location)
        #expect(try reader.run(run)?.strategy == "x")
        #expect(throws: (any Error).self) { try reader.saveState("k", json: "{}", at: Timestamp(seconds: 1)) }
        #expect(try store.loadState("k") == nil)
        // A store one migration behind is refused with what to run, not silently read.
        let table = kind == .sqlite ? "grdb_migrations" : "peregrine_migrations"
        _ = try store.backend.write { db in try db.execute(sql: "DELETE FROM \(table) WHERE identifier = ?", arguments: ["v6: run reports"]) }
        #expect { try TradingStore(readingOnly: store.location) } throws: {
            ($0 as? StoreError)?.message.contains("peregrine db migrate --store \(store.path)") == true
        }
    }

    @Test(arguments: StoreKind.available)
    func opensWithTheSchemaMigrated(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        #expect(try store.journalMode() == (kind == .sqlite ? "wal" : "postgresql"))
        #expect(store.migrationsAppliedOnOpen.count == 10)
        #expect(try store.appliedMigrations() == ["v1: runs, decisions, orders, fills, bars, state", "v2: sweep results", "v3: account snapshots",
                                                       "v4: the strategy behind each decision",
                                                       "v5: quantities and volumes as exact decimal text", "v6: run reports",
                                                       "v7: audit trail of people's actions", "v8: sweep shards",
                                                       "v9: the bars each trading run handled", "v10: option fills' multiplier"])
        // Reopening the same store applies nothing twice.
        let again = try TradingStore(location: store.location)
        #expect(try again.appliedMigrations().count == 10)
        #expect(again.migrationsAppliedOnOpen.isEmpty)
    }

    /// A store written before quantities were text (integer nano-units) opens with every value the
    /// same; volumes and quantities past 64 bits then round-trip exactly.
    @Test func integerQuantitiesMigrateToTextAndLargeOnesRoundTrip() throws {
        let path = TestPaths.temporaryFolder() + "/old.sqlite"
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: "v4: the strategy behind each decision")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO run (kind, strategy, parameters, started_ns, initial_equity) VALUES ('sim', 's', '', 0, '100')")
            try db.execute(sql: """
                INSERT INTO order_intent (client_order_id, run_id, symbol, side, quantity_units, type, body, state, created_ns, updated_ns)
                VALUES ('a', 1, 'BTC', 'buy', 1500000001, 'market', '{}', 'acknowledged', 0, 0)
                """)
            try db.execute(sql: """
                INSERT INTO fill (execution_id, client_order_id, time_ns, symbol, side, quantity_units, price_units, commission)
                VALUES ('e1', 'a', 5, 'BTC', 'buy', 9223372036854775807, 7, '0')
                """)
            try db.execute(sql: """
                INSERT INTO bar (symbol, time_ns, open_units, high_units, low_units, close_units, volume_units)
                VALUES ('BTC', 0, 1, 1, 1, 1, 5)
                """)
        }
        try queue.close()
        let store = try TradingStore(path: path)
        #expect(try store.intents(in: [.acknowledged]).map(\.quantity) == [Quantity("1.500000001")!])
        #expect(try store.fills().map(\.quantity) == [Quantity("9223372036.854775807")!])
        #expect(try store.bars(symbol: "BTC").map(\.volume) == [Quantity("0.000000005")!])
        let large = Bar(timestamp: Timestamp(nanoseconds: 86_400_000_000_000), open: Price(1), high: Price(2), low: Price(1), close: Price(2),
                        volume: Quantity("123456789012345678901.123456789")!)
        #expect(try store.importBars([large], symbol: "BTC") == 1)
        #expect(try store.bars(symbol: "BTC").last == large)
    }

    @Test(arguments: StoreKind.available)
    func anIntentIsDurableBeforeSendingAndItsClientOrderIDCannotBeReused(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        let run = try store.beginRun(kind: "sim", strategy: "sma-cross", parameters: "", started: Timestamp(seconds: 0),
                                     initialEquity: Money(100_000))
        try store.recordIntent(intent("pg-1", run: run), at: Timestamp(seconds: 1))
        // A second process opening the file (as after a crash) sees the intent, not yet sent.
        let reopened = try TradingStore(location: store.location)
        #expect(try reopened.intents(in: [.intended, .sent]).map(\.clientOrderID) == ["pg-1"])
        #expect {
            try reopened.recordIntent(intent("pg-1", run: run), at: Timestamp(seconds: 2))
        } throws: { ($0 as? StoreError)?.kind == .duplicateClientOrderID }

        try reopened.advance("pg-1", to: .sent, at: Timestamp(seconds: 3))
        try reopened.advance("pg-1", to: .acknowledged, brokerOrderID: "b-9", status: "new", at: Timestamp(seconds: 4))
        #expect(try reopened.intent("pg-1")?.brokerOrderID == "b-9")
        #expect(try reopened.intents(in: [.intended, .sent]).isEmpty)
        // A late "sent" cannot move an acknowledged order backwards.
        #expect {
            try reopened.advance("pg-1", to: .sent, at: Timestamp(seconds: 5))
        } throws: { ($0 as? StoreError)?.kind == .invalidTransition }
        #expect(try reopened.events("pg-1").map(\.event) == ["intended", "sent", "acknowledged"])
        #expect { try reopened.advance("nope", to: .sent, at: Timestamp(seconds: 6)) } throws: {
            ($0 as? StoreError)?.kind == .unknownClientOrderID
        }
    }

    /// An option leg's fill (v10): its contract, contracts and price per share come back with
    /// multiplier 100, a stock fill's with 1; paged reads carry it too. 2 contracts at 1.37 a share
    /// move 2 x 1.37 x 100 = 274.
    @Test(arguments: StoreKind.available)
    func optionFillsKeepTheirMultiplier(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        let run = try store.beginRun(kind: "sim", strategy: "x", parameters: "", started: Timestamp(seconds: 0),
                                     initialEquity: Money(1_000))
        try store.recordIntent(intent("pg-1", run: run), at: Timestamp(seconds: 1))
        let option = StoredFill(executionID: "e1:leg1", clientOrderID: "pg-1", timestamp: Timestamp(seconds: 2), symbol: "AAPL240119C00190000",
                                side: .sell, quantity: Quantity(2), price: Price("1.37")!, multiplier: 100)
        let stock = StoredFill(executionID: "e2", clientOrderID: "pg-1", timestamp: Timestamp(seconds: 3), symbol: "AAPL",
                               side: .buy, quantity: Quantity(200), price: Price("190")!)
        #expect(try store.recordFill(option) && store.recordFill(stock))
        #expect(try store.fills(runID: run) == [option, stock])
        let paged = try store.fills(matching: RecordQuery())
        #expect(paged.map(\.fill.multiplier) == [1, 100])
        #expect(option.price * Quantity(2 * option.multiplier) == Money(274))
        #expect(try store.netPositions() == ["AAPL240119C00190000": Quantity(-2), "AAPL": Quantity(200)])
    }

    @Test(arguments: StoreKind.available)
    func aReplayedFillIsRecordedOnceAndPositionsFollowTheFills(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        let run = try store.beginRun(kind: "sim", strategy: "x", parameters: "", started: Timestamp(seconds: 0),
                                     initialEquity: Money(1_000))
        try store.recordIntent(intent("pg-1", run: run), at: Timestamp(seconds: 1))
        let first = StoredFill(executionID: "e1", clientOrderID: "pg-1", timestamp: Timestamp(seconds: 2), symbol: "AAPL",
                               side: .buy, quantity: Quantity("6.5")!, price: Price("150.123456789")!, commission: Money("0.01")!)
        let second = StoredFill(executionID: "e2", clientOrderID: "pg-1", timestamp: Timestamp(seconds: 3), symbol: "AAPL",
                                side: .buy, quantity: Quantity("3.5")!, price: Price("150.2")!)
        #expect(try store.recordFill(first))
        #expect(try store.recordFill(second))
        #expect(try store.recordFill(first) == false)
        let fills = try store.fills(runID: run)
        #expect(fills == [first, second])
        #expect(try store.netPositions() == ["AAPL": Quantity(10)])
    }

    @Test(arguments: StoreKind.available)
    func barsRoundTripExactlyAndAConflictingReimportIsRefused(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        var options = SyntheticMarket.Options()
        options.bars = 500
        let series = SyntheticMarket(options: options).generate()
        #expect(try store.importBars(series.bars, symbol: "SYN") == 500)
        #expect(try store.importBars(series.bars, symbol: "SYN") == 0)
        #expect(try store.bars(symbol: "SYN") == series.bars)
        let window = try store.bars(symbol: "SYN", from: series.bars[100].timestamp, to: series.bars[200].timestamp)
        #expect(window == Array(series.bars[100..<200]))
        var altered = series.bars[7]
        altered.close = Price(units: altered.close.units + 1)
        altered.high = max(altered.high, altered.close)
        #expect(throws: StoreError.self) { try store.importBars([altered], symbol: "SYN") }
        #expect(try store.bars(symbol: "SYN")[7] == series.bars[7])
        #expect(try store.barCounts().map(\.bars) == [500])
    }

    @Test(arguments: StoreKind.available)
    func aBacktestIsStoredWithEveryDecisionOrderAndFill(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        var options = SyntheticMarket.Options()
        options.bars = 2_000
        options.interval = Timestamp.nanosPerDay
        let series = SyntheticMarket(options: options).generate()
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(), series: [series],
                                                  configuration: BacktestConfiguration())
        let run = try store.record(result, strategy: "sma-cross", parameters: "fast=10 slow=30", started: Timestamp(seconds: 0))
        let summary = try #require(try store.runs().first)
        #expect(summary.id == run && summary.bars == result.bars)
        #expect(summary.decisions == result.decisions.count && summary.orders == result.orders.count)
        #expect(summary.fills == result.fills.count && summary.fills > 10)
        #expect(summary.finalEquity == result.finalEquity)
        let stored = try store.fills(runID: run)
        #expect(stored.map(\.price) == result.fills.map(\.price))
        #expect(stored.map(\.quantity) == result.fills.map(\.quantity))
        #expect(try store.decisions(runID: run).map(\.reason) == result.decisions.map(\.reason.code))
        // Storing the same result again is a second run, not a clash of client order ids.
        let second = try store.record(result, strategy: "sma-cross", parameters: "fast=10 slow=30", started: Timestamp(seconds: 1))
        let runCount = try store.runs().count
        #expect(second != run && runCount == 2)
    }

    /// A turn's decisions and snapshot go in together or not at all: with snapshots refused (a trigger),
    /// the turn's decisions are not stored either.
    @Test(arguments: StoreKind.available)
    func aTurnIsStoredWholeOrNotAtAll(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        var options = SyntheticMarket.Options()
        options.bars = 300
        options.interval = Timestamp.nanosPerDay
        let series = SyntheticMarket(options: options).generate()
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(), series: [series],
                                                          configuration: BacktestConfiguration())
        let records: [DecisionRecord] = result.decisions.map { (decision: $0, symbol: "SYN", clientOrderID: nil, strategy: "sma-cross") }
        #expect(records.count >= 5)
        let run = try store.beginRun(kind: "sim", strategy: "sma-cross", parameters: "", started: Timestamp(seconds: 1), initialEquity: Money(1_000))
        let snapshot = AccountSnapshot(time: Timestamp(seconds: 2), cash: Money(900), equity: Money("1000.25")!, positions: ["SYN": Quantity(1)])
        try store.recordTurn(runID: run, decisions: Array(records.prefix(3)), snapshot: snapshot)
        #expect(try store.decisions(runID: run).count == 3 && store.snapshots(runID: run).count == 1)
        switch kind {
        case .sqlite:
            _ = try store.backend.write { db in
                try db.execute(sql: "CREATE TRIGGER refuse_snapshot BEFORE INSERT ON account_snapshot BEGIN SELECT RAISE(ABORT, 'refused'); END")
            }
        case .postgres:
            _ = try store.backend.write { db in
                try db.execute(sql: "CREATE FUNCTION refuse_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$")
                try db.execute(sql: "CREATE TRIGGER refuse_snapshot BEFORE INSERT ON account_snapshot FOR EACH ROW EXECUTE FUNCTION refuse_snapshot()")
            }
        }
        #expect(throws: (any Error).self) { try store.recordTurn(runID: run, decisions: Array(records[3..<5]), snapshot: snapshot) }
        #expect(try store.decisions(runID: run).count == 3 && store.snapshots(runID: run).count == 1)
    }

    @Test(arguments: StoreKind.available)
    func stateSurvivesReopening(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        try store.saveState("bandit/sma", json: #"{"alpha":[1,2]}"#, at: Timestamp(seconds: 1))
        try store.saveState("bandit/sma", json: #"{"alpha":[3,2]}"#, at: Timestamp(seconds: 2))
        #expect(try TradingStore(location: store.location).loadState("bandit/sma") == #"{"alpha":[3,2]}"#)
        #expect(try store.loadState("missing") == nil)
        try store.saveState("risk/sma", json: "{}", at: Timestamp(seconds: 3))
        try store.saveState("bandit/rsi", json: "{}", at: Timestamp(seconds: 3))
        #expect(try store.stateKeys(prefix: "bandit/") == ["bandit/rsi", "bandit/sma"])
    }

    /// A sweep's rows come back as stored; undefined figures (no trades: no Sharpe) as NaN.
    @Test(arguments: StoreKind.available)
    func sweepRowsRoundTrip(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        let rows = [SweepRow(parameters: "fast=5 slow=20", trades: 12, fills: 25, finalEquity: Money("1000123.456")!, totalReturn: 0.000123,
                             sharpe: 1.25, sortino: 2.5, maxDrawdown: -0.01, calmar: 3, profitFactor: 1.7),
                    SweepRow(parameters: "fast=9 slow=10", trades: 0, fills: 0, finalEquity: Money(1_000_000), totalReturn: 0,
                             sharpe: .nan, sortino: .nan, maxDrawdown: 0, calmar: .nan, profitFactor: .infinity)]
        let run = try store.recordSweep(strategy: "sma-cross", description: "grid", bars: 500, initialEquity: Money(1_000_000),
                                        best: rows[0].finalEquity, rows: rows, started: Timestamp(seconds: 9))
        let back = try store.sweepRows(runID: run)
        #expect(back.count == 2 && back[0] == rows[0])
        #expect(back[1].sharpe.isNaN && back[1].profitFactor.isNaN && back[1].trades == 0 && back[1].finalEquity == Money(1_000_000))
        #expect(try store.runs().first { $0.id == run }?.kind == "sweep")
    }

    /// The bars a trading run handled come back as stored: warm-up flagged, in time then symbol order,
    /// prices and a volume past 64 bits exact, a repeated bar kept once, and the turn's bars written with its
    /// decisions and snapshot.
    @Test(arguments: StoreKind.available)
    func runBarsRoundTripWithTheirTurn(_ kind: StoreKind) throws {
        let store = try kind.freshStore()
        let run = try store.beginRun(kind: "sim", strategy: "sma-cross", parameters: "fast=3", started: Timestamp(seconds: 0),
                                     initialEquity: Money(1_000))
        let other = try store.beginRun(kind: "sim", strategy: "sma-cross", parameters: "", started: Timestamp(seconds: 1), initialEquity: Money(1))
        func bar(_ seconds: Int64, _ close: String, volume: String = "1500") -> Bar {
            Bar(timestamp: Timestamp(seconds: seconds), open: Price("100.5")!, high: Price("101.25")!, low: Price("99.75")!,
                close: Price(close)!, volume: Quantity(volume)!)
        }
        let warmUp = [RunBar(bot: "trend", symbol: "BBB", timeframe: "1Min", bar: bar(60, "100.1"), warmUp: true),
                      RunBar(bot: "trend", symbol: "AAA", timeframe: "1Min", bar: bar(60, "100.2"), warmUp: true)]
        try store.recordRunBars(runID: run, warmUp)
        try store.recordRunBars(runID: other, [RunBar(bot: "other", symbol: "AAA", timeframe: "1Day", bar: bar(60, "7"), warmUp: false)])
        let traded = RunBar(bot: "trend", symbol: "AAA", timeframe: "1Min", bar: bar(120, "100.987654321", volume: "12345678901234567890.5"),
                            warmUp: false)
        try store.recordTurn(runID: run, decisions: [], snapshot: AccountSnapshot(time: Timestamp(seconds: 120), cash: Money(1_000),
                                                                                 equity: Money(1_000), positions: [:]),
                             bars: [traded, warmUp[1]])
        let stored = try store.runBars(runID: run)
        #expect(stored == [warmUp[1], warmUp[0], traded])
        #expect(stored[2].bar.volume.description == "12345678901234567890.5" && stored[2].bar.close.description == "100.987654321")
        #expect(try store.snapshots(runID: run).count == 1)
        #expect(try store.latestRunWithBars(bot: "trend") == run && store.latestRunWithBars(bot: "nobody") == nil)
        #expect(try store.runBars(runID: other).map(\.timeframe) == ["1Day"])
        // The bot's configuration document, kept once per run.
        try store.recordRunConfiguration(runID: run, bot: "trend", document: "[trade]\nstrategy = \"sma-cross\"")
        try store.recordRunConfiguration(runID: run, bot: "trend", document: "ignored")
        #expect(try store.runConfiguration(runID: run)?.document == "[trade]\nstrategy = \"sma-cross\"")
        #expect(try store.runConfiguration(runID: other) == nil)
    }
}
