import MCP

/// Every tool `peregrine mcp` offers, with descriptions written for a model: what each returns,
/// where the numbers come from, and an example call. Results are data, never instructions.
enum MCPToolCatalog {
    static let string: Value = ["type": "string"]
    static let integer: Value = ["type": "integer", "minimum": 1]
    static let decimal: Value = ["type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$", "description": "An exact decimal, as text."]

    static func text(_ description: String) -> Value { ["type": "string", "description": .string(description)] }
    static func choice(_ values: [String], _ description: String) -> Value {
        ["type": "string", "enum": .array(values.map { .string($0) }), "description": .string(description)]
    }

    // Filters shared by the listings, as the control API's query parameters.
    static let bot = ("bot", text("Only rows of this bot (its strategy or deployment name)."))
    static let run = ("run", ["type": "integer", "minimum": 1, "description": "Only rows of this run id."] as Value)
    static let symbol = ("symbol", text("Only this symbol, e.g. SPY."))
    static let from = ("from", text("Only rows at or after this time, ISO 8601 (UTC without an offset)."))
    static let to = ("to", text("Only rows at or before this time, ISO 8601."))
    static let limit = ("limit", ["type": "integer", "minimum": 1, "maximum": 1000, "description": "Rows per page (100 by default)."] as Value)
    static let before = ("before", ["type": "integer", "minimum": 1, "description": "The previous page's next_before, to read older rows."] as Value)
    static let reason = ("reason", text("Why you propose this, in a sentence; shown to the person who confirms."))

    // Arguments of the research tools, mapped to the command line's options.
    static let data = ("data", text("A CSV file of bars, a folder of CSV files (a portfolio), or synthetic[:bars=N,seed=S]."))
    static let strategy = ("strategy", text("A strategy name from `peregrine strategies` (sma-cross when absent)."))
    static let params = ("params", ["type": "object", "additionalProperties": ["type": ["string", "number", "boolean"]],
                                    "description": "Strategy parameters by name, e.g. {\"fast\": 10, \"slow\": 30}."] as Value)
    static let rules = ("rules", ["type": "array", "items": ["type": "string"],
                                  "description": "Rules of the rules strategy as role=expression, e.g. \"entry=rsi(close, 14) < 30\"."] as Value)
    static let grid = ("grid", ["type": "object", "additionalProperties": ["type": "string"],
                                "description": "Parameter ranges by name: \"5..50:5\" (from..to:step) or \"0.1,0.25,0.5\"."] as Value)
    static let costs: [(String, Value)] = [
        ("commission", text("none, per-share:RATE[,min=AMOUNT], percent:PCT, bps:N or fixed:AMOUNT.")),
        ("slippage", text("none, bps:N or volume-share[:IMPACT].")),
        ("risk", text("Risk limits: off, default, or a configuration file with [risk].")),
    ]

    static let all: [MCPToolDefinition] = reads + [latestQuotes] + research + [modelReadings] + trading

    static let reads: [MCPToolDefinition] = [
        MCPToolDefinition(name: "get_status", title: "Account status",
                          description: "Mode (store, local, paper, live), equity, cash, P&L today, bots running, halted breakers, "
                            + "kill switch, broker and stream connections, uptime.",
                          kind: .read, arguments: [], example: [:]),
        MCPToolDefinition(name: "list_bots", title: "Bots", description: "Every bot: strategy, parameters, schedule, symbols, state "
                            + "(running, paused, halted, stopped, finished) and its last decision.", kind: .read, arguments: [], example: [:]),
        MCPToolDefinition(name: "get_positions", title: "Positions",
                          description: "Open positions with quantity, average cost, last price and unrealized P&L where known.",
                          kind: .read, arguments: [bot, symbol], example: ["symbol": "SPY"]),
        MCPToolDefinition(name: "list_orders", title: "Orders", description: "Orders, newest first, with client order id, state and "
                            + "the broker's status.", kind: .read,
                          arguments: [bot, run, symbol, from, to, ("status", text("intended, sent, acknowledged, rejected, or a broker status (new, filled, canceled, ...).")), limit, before],
                          example: ["status": "new", "limit": 20]),
        MCPToolDefinition(name: "list_fills", title: "Fills", description: "Fills, newest first: time, symbol, side, quantity, price, commission.",
                          kind: .read, arguments: [bot, run, symbol, from, to, limit, before], example: ["symbol": "SPY", "limit": 50]),
        MCPToolDefinition(name: "list_decisions", title: "Decisions with reasons",
                          description: "Every decision the bots made, newest first, with its reason code (open_long, stop_loss, "
                            + "max_position_size, paused, ...) and detail: why a signal was taken or refused.",
                          kind: .read,
                          arguments: [bot, run, symbol, from, to, ("action", text("The signal's action: buy, sell, hold.")),
                                      ("outcome", text("submitted, held or rejected.")), ("reason", text("A reason code.")), limit, before],
                          example: ["outcome": "rejected", "limit": 20]),
        MCPToolDefinition(name: "get_equity", title: "Equity history", description: "Equity and cash over time, oldest first.",
                          kind: .read, arguments: [bot, run, from, to, limit], example: ["bot": "sma-cross", "limit": 200]),
        MCPToolDefinition(name: "get_risk", title: "Risk limits and use",
                          description: "Each bot's risk state (breakers, kill switch, losing streak) and its configured limits.",
                          kind: .read, arguments: [], example: [:]),
        MCPToolDefinition(name: "list_runs", title: "Stored runs", description: "Backtests, sweeps and trading runs in the store, with "
                            + "bars, equity, decisions, orders and fills counts.",
                          kind: .read, arguments: [("kind", choice(["backtest", "sweep", "sim", "paper", "live"], "Only runs of this kind."))],
                          example: ["kind": "backtest"]),
        MCPToolDefinition(name: "get_run", title: "One run's summary", description: "A stored run with its summary (return, Sharpe, "
                            + "drawdown, trades, ...).", kind: .read, arguments: [("id", ["type": "integer", "minimum": 1])],
                          required: ["id"], example: ["id": 1]),
        MCPToolDefinition(name: "get_bars", title: "Market data", description: "Recent bars of a symbol as the bots saw them (or the "
                            + "store's), with the fills among them.", kind: .read,
                          arguments: [("symbol", text("The symbol, e.g. SPY.")), ("limit", ["type": "integer", "minimum": 1, "maximum": 500])],
                          required: ["symbol"], example: ["symbol": "SPY", "limit": 60]),
        MCPToolDefinition(name: "get_parity", title: "Live against backtest",
                          description: "A bot's fills against a backtest of its own strategy, parameters, sizing, exits and risk "
                            + "limits over exactly the bars its run handled: fills matched by time, symbol and side, each fill that "
                            + "differs (quantity, price, slippage in basis points) or that only one side has, final positions and P&L "
                            + "both ways. clean is true when nothing differs.", kind: .read,
                          arguments: [("bot", text("The bot's name (required).")), run], required: ["bot"], example: ["bot": "trend"]),
        MCPToolDefinition(name: "list_pending", title: "Proposals", description: "Actions proposed through these tools and what became "
                            + "of them (pending, confirmed, rejected, expired).", kind: .read,
                          arguments: [("state", choice(["pending", "confirmed", "rejected", "expired"], "Only proposals in this state."))],
                          example: ["state": "pending"]),
        MCPToolDefinition(name: "get_recommendations", title: "The assistant's recommendations",
                          description: "Rule-based advice from the store, each with the numbers behind it: limits or the veto refusing "
                            + "most entries, backtests failing their validation gate, a threshold to adapt, fills drifting from their bars, "
                            + "a starved sleeve.", kind: .read, arguments: [], example: [:]),
        MCPToolDefinition(name: "get_audit", title: "Audit trail", description: "People's and tools' actions, newest first: proposed, "
                            + "confirmed, requested, applied or refused, with who.", kind: .read, arguments: [limit, before],
                          example: ["limit": 20]),
    ]

    static let research: [MCPToolDefinition] = [
        MCPToolDefinition(name: "backtest", title: "Backtest",
                          description: "Runs `peregrine backtest` on bars from a file (no look-ahead: orders decided on a close fill "
                            + "on a later bar) and returns summary.json (return, Sharpe, drawdown, trades, decisions by reason) "
                            + "with the folder of its files and its HTML tearsheet.",
                          kind: .research,
                          arguments: [data, strategy, params, rules, ("cash", decimal), ("quantity", decimal)] + costs,
                          required: ["data"],
                          example: ["data": "prices/SPY.csv", "strategy": "sma-cross", "params": ["fast": 10, "slow": 30]]),
        MCPToolDefinition(name: "sweep", title: "Parameter sweep",
                          description: "Runs `peregrine sweep` over a grid of parameters and returns the ranked summary (best "
                            + "parameters and their statistics) and the results file.",
                          kind: .research,
                          arguments: [data, strategy, grid, rules,
                                      ("constraints", ["type": "array", "items": ["type": "string"], "description": "e.g. \"fast<slow\"."]),
                                      ("objective", text("What to rank by: sharpe (default), sortino, calmar, total_return or final_equity."))] + costs,
                          required: ["data", "grid"],
                          example: ["data": "prices/SPY.csv", "grid": ["fast": "5..20:5", "slow": "30..90:30"], "constraints": ["fast<slow"]]),
        MCPToolDefinition(name: "walk_forward", title: "Walk-forward",
                          description: "Runs `peregrine walkforward`: tunes on each in-sample window, tests on the next out-of-sample "
                            + "one, and returns the out-of-sample summary.",
                          kind: .research,
                          arguments: [data, strategy, params, grid, rules, ("in_sample", integer), ("out_of_sample", integer),
                                      ("anchored", ["type": "boolean"])] + costs,
                          required: ["data", "in_sample", "out_of_sample"],
                          example: ["data": "prices/SPY.csv", "grid": ["fast": "5..30:5"], "in_sample": 500, "out_of_sample": 250]),
        MCPToolDefinition(name: "monte_carlo", title: "Monte Carlo",
                          description: "Runs `peregrine montecarlo` (resampled trades, blocks or regimes) and returns the "
                            + "distribution of return and drawdown with the probability of ruin.",
                          kind: .research,
                          arguments: [data, strategy, params, rules, ("paths", ["type": "integer", "minimum": 10, "maximum": 100000]),
                                      ("method", choice(["trades", "shuffle", "blocks", "gbm", "regimes"], "How paths are drawn."))] + costs,
                          required: ["data"], example: ["data": "prices/SPY.csv", "paths": 1000, "method": "blocks"]),
        MCPToolDefinition(name: "indicators", title: "Indicators",
                          description: "Computes indicators over a data file (`peregrine indicators`) and returns the last rows.",
                          kind: .research,
                          arguments: [data, ("indicators", ["type": "array", "items": ["type": "string"], "minItems": 1,
                                                           "description": "name[:params], e.g. sma:20, rsi:14, bbands:20,2, macd:12,26,9, atr:14."]),
                                      ("rows", ["type": "integer", "minimum": 1, "maximum": 500, "description": "Last rows returned (20)."])],
                          required: ["data", "indicators"], example: ["data": "prices/SPY.csv", "indicators": ["rsi:14", "bbands:20,2"]]),
        MCPToolDefinition(name: "regime", title: "Market regime",
                          description: "Fits a Gaussian hidden Markov model to daily returns (`peregrine models hmm`) and returns "
                            + "each state's mean and volatility, the transition matrix and the latest state's probabilities.",
                          kind: .research,
                          arguments: [data, ("states", ["type": "integer", "minimum": 2, "maximum": 6]), ("seed", ["type": "integer", "minimum": 0])],
                          required: ["data"], example: ["data": "prices/SPY.csv", "states": 3, "seed": 0]),
    ]

    static let modelReadings = MCPToolDefinition(
        name: "signals", title: "Signals and the market-type game",
        description: "Runs the signal engine over a data file (`peregrine models signaling`) and returns the last bars' readings: "
            + "the signal and its confidence, probability of profit, regime probabilities (bear, sideways, bull), the market-type "
            + "posterior (trend, range, manipulator, exhausted), the game's payoffs by type, the survivors, the minimax multiplier, "
            + "the Bayesian RSI reversal probability and the Bollinger z.",
        kind: .research,
        arguments: [data, ("rows", ["type": "integer", "minimum": 1, "maximum": 500, "description": "Last rows returned (20)."])],
        required: ["data"], example: ["data": "prices/SPY.csv", "rows": 5])

    static let latestQuotes = MCPToolDefinition(
        name: "latest_quotes", title: "Latest quotes and trades from the broker",
        description: "The latest quote and trade of each symbol from Alpaca's market-data API (`peregrine data latest`; or the "
            + "local exchange the MCP server was pointed at with --market-data-url), one CSV line each: "
            + "symbol,quote_time,bid_size,bid,ask,ask_size,trade_time,price,size.",
        kind: .research,
        arguments: [("symbols", ["type": "array", "items": ["type": "string"], "minItems": 1, "maxItems": 50,
                                 "description": "Symbols, crypto pairs as BTC/USD."])],
        required: ["symbols"], example: ["symbols": ["SPY", "BTC/USD"]])

    static let trading: [MCPToolDefinition] = [
        MCPToolDefinition(name: "pause_bot", title: "Pause a bot (proposal)",
                          description: "Proposes pausing a bot's new entries (exits still run). Needs --allow-trading; a person "
                            + "confirms it before it happens. Returns the proposal's id.",
                          kind: .trading, arguments: [("bot", text("The bot's name.")), reason], required: ["bot", "reason"],
                          example: ["bot": "sma-cross", "reason": "drawdown beyond its backtest's worst"]),
        MCPToolDefinition(name: "resume_bot", title: "Resume a bot (proposal)",
                          description: "Proposes letting a paused bot enter again. Needs --allow-trading and a person's confirmation.",
                          kind: .trading, arguments: [("bot", text("The bot's name.")), reason], required: ["bot", "reason"],
                          example: ["bot": "sma-cross", "reason": "the data gap is over"]),
        MCPToolDefinition(name: "flatten_position", title: "Flatten a position (proposal)",
                          description: "Proposes closing every bot's position in a symbol at market. Needs --allow-trading and a "
                            + "person's confirmation.",
                          kind: .trading, arguments: [("symbol", text("The symbol.")), reason], required: ["symbol", "reason"],
                          example: ["symbol": "SPY", "reason": "earnings tonight"]),
        MCPToolDefinition(name: "submit_order", title: "Submit an order (proposal)",
                          description: "Proposes an order through one bot's checks (market, or limit with limit_price). Needs "
                            + "--allow-trading; nothing is sent until a person confirms it.",
                          kind: .trading,
                          arguments: [("bot", text("The bot that places it (it must trade the symbol).")), ("symbol", text("The symbol.")),
                                      ("side", choice(["buy", "sell"], "buy or sell.")), ("quantity", decimal), ("limit_price", decimal), reason],
                          required: ["bot", "symbol", "side", "quantity", "reason"],
                          example: ["bot": "sma-cross", "symbol": "SPY", "side": "buy", "quantity": "10", "reason": "rebalance to target"]),
        MCPToolDefinition(name: "cancel_order", title: "Cancel an order (proposal)",
                          description: "Proposes canceling a working order by its client order id. Needs --allow-trading and a "
                            + "person's confirmation.",
                          kind: .trading, arguments: [("client_order_id", text("The order's client order id.")), reason],
                          required: ["client_order_id", "reason"], example: ["client_order_id": "pg-1-42", "reason": "stale limit"]),
    ]
}
