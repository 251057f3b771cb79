import GRDB

/// The versioned schema of a deployment's SQLite file. Migrations only ever append: a file written by
/// an older Peregrine opens in a newer one and is brought forward in one transaction.
///
/// Prices are stored as integer units (1e-9); quantities, volumes and money as exact decimal text
/// (quantities are 128 bits wide, SQLite's integers 64); times as integer nanoseconds since the Unix
/// epoch (UTC). Nothing is rounded on the way in or out.
enum StoreSchema {
    /// The tables of sweeps cut over machines (v8), in SQL that SQLite and PostgreSQL read alike:
    /// BIGINT and DOUBLE PRECISION, no WITHOUT ROWID.
    static let sweepShardTables: [String] = [
        """
        -- One row per finished shard of a sweep cut over machines, written in the same transaction
        -- as its combinations: a shard without a row here is missing (not run, or killed).
        CREATE TABLE sweep_shard (
            sweep_id TEXT NOT NULL,
            shard BIGINT NOT NULL,               -- counted from 0
            shard_count BIGINT NOT NULL,
            fingerprint TEXT NOT NULL,           -- hash of options, bars and shard count
            settings TEXT NOT NULL,              -- JSON: what collect needs to rank and summarize
            combinations BIGINT NOT NULL,
            run_seconds DOUBLE PRECISION NOT NULL,
            finished_ns BIGINT NOT NULL,
            chosen_position BIGINT,              -- the shard's own best, with its full moments
            chosen_moments TEXT,
            PRIMARY KEY (sweep_id, shard)
        )
        """,
        """
        -- One row per combination, at its position in the one-machine sweep's order. Figures are
        -- exact text (Swift's round-trip form, nan and inf kept), money exact decimal text.
        CREATE TABLE sweep_shard_row (
            sweep_id TEXT NOT NULL,
            position BIGINT NOT NULL,
            shard BIGINT NOT NULL,
            parameters TEXT NOT NULL,            -- JSON object: name -> value as text
            trade_count BIGINT NOT NULL,
            open_trade_count BIGINT NOT NULL,
            fill_count BIGINT NOT NULL,
            final_equity TEXT NOT NULL,
            total_return TEXT NOT NULL,
            sharpe TEXT NOT NULL,
            sortino TEXT NOT NULL,
            max_drawdown TEXT NOT NULL,
            calmar TEXT NOT NULL,
            profit_factor TEXT NOT NULL,
            block_moments TEXT NOT NULL,
            failure TEXT,
            PRIMARY KEY (sweep_id, position)
        )
        """,
        """
        CREATE INDEX sweep_shard_row_by_shard ON sweep_shard_row(sweep_id, shard)
        """,
    ]

    /// Shares per unit of a fill (v10): 1 for stock, 100 for an option contract, whose fill rows hold
    /// contracts at a price per share. SQL that SQLite and PostgreSQL read alike.
    static let fillMultiplier = ["ALTER TABLE fill ADD COLUMN multiplier BIGINT NOT NULL DEFAULT 1"]

    /// The bars each trading run handled and the configuration its bot started with (v9), warm-up history included, so its fills can be compared
    /// with a backtest over exactly those bars (the parity check). SQL that SQLite and PostgreSQL read alike.
    static let runBarTables: [String] = [
        """
        CREATE TABLE run_bar (
            run_id BIGINT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            bot TEXT NOT NULL,                   -- the bot's name (its strategy when it has none)
            symbol TEXT NOT NULL,
            timeframe TEXT NOT NULL,             -- as configured: 1Min, 15Min, 1Day ...
            time_ns BIGINT NOT NULL,
            open_units BIGINT NOT NULL,
            high_units BIGINT NOT NULL,
            low_units BIGINT NOT NULL,
            close_units BIGINT NOT NULL,
            volume TEXT NOT NULL,
            warm_up BIGINT NOT NULL,             -- 1: history fed before trading, 0: a bar the run traded on
            PRIMARY KEY (run_id, symbol, time_ns)
        )
        """,
        """
        -- The configuration a trading run's bot was started with (its [trade] table), so the bot can be
        -- rebuilt from the store alone to replay those bars.
        CREATE TABLE run_configuration (
            run_id BIGINT PRIMARY KEY REFERENCES run(id) ON DELETE CASCADE,
            bot TEXT NOT NULL,
            document TEXT NOT NULL
        )
        """,
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs, decisions, orders, fills, bars, state") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,              -- backtest, sim, paper, live
                    strategy TEXT NOT NULL,
                    parameters TEXT NOT NULL,
                    started_ns INTEGER NOT NULL,
                    bars INTEGER NOT NULL DEFAULT 0,
                    initial_equity TEXT NOT NULL,
                    final_equity TEXT
                );
                CREATE TABLE decision (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    time_ns INTEGER NOT NULL,
                    symbol TEXT NOT NULL,
                    action TEXT,
                    outcome TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    side TEXT,
                    quantity_units INTEGER NOT NULL,
                    order_client_id TEXT
                );
                CREATE INDEX decision_by_run ON decision(run_id, time_ns);
                -- One row per client order id, written BEFORE the order leaves the process.
                CREATE TABLE order_intent (
                    client_order_id TEXT PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL,
                    quantity_units INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    body TEXT NOT NULL,              -- the exact request as it will be sent
                    state TEXT NOT NULL,             -- intended, sent, acknowledged, rejected
                    broker_order_id TEXT,
                    status TEXT,
                    created_ns INTEGER NOT NULL,
                    updated_ns INTEGER NOT NULL
                );
                CREATE INDEX order_intent_by_state ON order_intent(state);
                CREATE TABLE order_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    client_order_id TEXT NOT NULL REFERENCES order_intent(client_order_id),
                    time_ns INTEGER NOT NULL,
                    event TEXT NOT NULL,
                    detail TEXT NOT NULL
                );
                CREATE TABLE fill (
                    execution_id TEXT PRIMARY KEY,   -- the broker's id: replaying a fill twice is a no-op
                    client_order_id TEXT NOT NULL REFERENCES order_intent(client_order_id),
                    time_ns INTEGER NOT NULL,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL,
                    quantity_units INTEGER NOT NULL,
                    price_units INTEGER NOT NULL,
                    commission TEXT NOT NULL
                );
                CREATE INDEX fill_by_order ON fill(client_order_id);
                CREATE TABLE bar (
                    symbol TEXT NOT NULL,
                    time_ns INTEGER NOT NULL,
                    open_units INTEGER NOT NULL,
                    high_units INTEGER NOT NULL,
                    low_units INTEGER NOT NULL,
                    close_units INTEGER NOT NULL,
                    volume_units INTEGER NOT NULL,
                    PRIMARY KEY (symbol, time_ns)
                ) WITHOUT ROWID;
                -- Risk limits' running state, bandit posteriors and other resumable state, as JSON.
                CREATE TABLE state (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_ns INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: sweep results") { db in
            try db.execute(sql: """
                -- One row per parameter combination of a sweep run (run.kind = 'sweep').
                CREATE TABLE sweep_result (
                    run_id INTEGER NOT NULL REFERENCES run(id),
                    parameters TEXT NOT NULL,
                    trade_count INTEGER NOT NULL,
                    fill_count INTEGER NOT NULL,
                    final_equity TEXT NOT NULL,
                    total_return REAL,
                    sharpe REAL,
                    sortino REAL,
                    max_drawdown REAL,
                    calmar REAL,
                    profit_factor REAL,
                    PRIMARY KEY (run_id, parameters)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3: account snapshots") { db in
            try db.execute(sql: """
                -- The account as the trading runtime saw it: at start, after each turn with new bars, at shutdown.
                CREATE TABLE account_snapshot (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    time_ns INTEGER NOT NULL,
                    cash TEXT NOT NULL,
                    equity TEXT NOT NULL,
                    positions TEXT NOT NULL          -- JSON: symbol -> quantity (exact decimal text)
                );
                CREATE INDEX account_snapshot_by_run ON account_snapshot(run_id, time_ns);
                """)
        }
        migrator.registerMigration("v4: the strategy behind each decision") { db in
            // The deployment's strategy, or the portfolio sleeve that decided (null in older runs).
            try db.execute(sql: "ALTER TABLE decision ADD COLUMN strategy TEXT")
        }
        migrator.registerMigration("v5: quantities and volumes as exact decimal text") { db in
            // SQLite integers stop at 64 bits; quantities are 128 (an index's volume passes 9.2 * 10^18
            // nano-units). Each column is rewritten as text with its value unchanged.
            for (table, old, new) in [("decision", "quantity_units", "quantity"), ("order_intent", "quantity_units", "quantity"),
                                      ("fill", "quantity_units", "quantity"), ("bar", "volume_units", "volume")] {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(new) TEXT NOT NULL DEFAULT '0'")
                try db.execute(sql: "UPDATE \(table) SET \(new) = \(StoredQuantity.unitsToText(old))")
                try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN \(old)")
            }
        }
        migrator.registerMigration("v6: run reports") { db in
            try db.execute(sql: """
                -- What a run's own command wrote about it: its summary (JSON) and its HTML tearsheet, so a
                -- stored run can be read and opened later without running it again.
                CREATE TABLE run_report (
                    run_id INTEGER PRIMARY KEY REFERENCES run(id) ON DELETE CASCADE,
                    summary TEXT NOT NULL,
                    html TEXT
                );
                """)
        }
        migrator.registerMigration("v7: audit trail of people's actions") { db in
            try db.execute(sql: """
                -- Every action a person asked of the bots (pause, resume, flatten, cancel, risk resume): when it
                -- was asked and by whom, and when the bot carried it out.
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time_ns INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    stage TEXT NOT NULL,             -- requested, applied, refused
                    detail TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v8: sweep shards") { db in
            for statement in Self.sweepShardTables { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v9: the bars each trading run handled") { db in
            for statement in Self.runBarTables { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v10: option fills' multiplier") { db in
            for statement in Self.fillMultiplier { try db.execute(sql: statement) }
        }
        return migrator
    }
}
