/// The named schemas of the API's bodies (`#/components/schemas`), one per view type. A test encodes
/// each view and checks it against its schema, and schemathesis checks the running server's answers.
enum APISchemas {
    static let all: [(String, JSONValue)] = [
        ("Error", Schema.object(required: [("code", Schema.string), ("message", Schema.string)],
                                description: "A refused request: a stable code and a message that says what was wrong.")),
        ("Health", Schema.object(required: [("status", Schema.oneOf(["ok"])), ("version", Schema.string),
                                            ("uptime_seconds", Schema.number)])),
        ("Connection", Schema.object(required: [("name", Schema.string), ("state", Schema.string)], optional: [("since", Schema.time)])),
        ("Status", Schema.object(
            required: [("mode", Schema.oneOf(["store", "local", "paper", "live"])), ("read_only", Schema.boolean), ("store", Schema.string),
                       ("bots", Schema.integer), ("bots_running", Schema.integer), ("halted", Schema.array(Schema.string)),
                       ("kill_switch", Schema.boolean), ("connections", Schema.array(Schema.ref("Connection"))),
                       ("uptime_seconds", Schema.number)],
            optional: [("equity", Schema.decimal), ("cash", Schema.decimal), ("pnl_today", Schema.decimal), ("as_of", Schema.time)])),
        ("Decision", Schema.object(
            required: [("id", Schema.integer), ("run_id", Schema.integer), ("time", Schema.time), ("symbol", Schema.string),
                       ("outcome", Schema.string), ("reason", Schema.string), ("detail", Schema.string), ("quantity", Schema.decimal)],
            optional: [("bot", Schema.string), ("action", Schema.string), ("side", Schema.oneOf(["buy", "sell"])),
                       ("client_order_id", Schema.string)])),
        ("Bot", Schema.object(
            required: [("name", Schema.string),
                       ("state", Schema.oneOf(["running", "paused", "halted", "stopped", "finished", "unfinished"])),
                       ("strategy", Schema.string), ("parameters", Schema.string), ("mode", Schema.string),
                       ("symbols", Schema.array(Schema.string))],
            optional: [("timeframe", Schema.string), ("schedule", Schema.string), ("run_id", Schema.integer), ("started", Schema.time),
                       ("error", Schema.string), ("last_decision", Schema.ref("Decision"))])),
        ("Order", Schema.object(
            required: [("id", Schema.integer), ("run_id", Schema.integer), ("client_order_id", Schema.string), ("symbol", Schema.string),
                       ("side", Schema.oneOf(["buy", "sell"])), ("quantity", Schema.decimal), ("type", Schema.string),
                       ("state", Schema.oneOf(["intended", "sent", "acknowledged", "rejected"])), ("updated", Schema.time)],
            optional: [("broker_order_id", Schema.string), ("status", Schema.string), ("stop_price", Schema.decimal),
                       ("limit_price", Schema.decimal)])),
        ("Fill", Schema.object(
            required: [("id", Schema.integer), ("run_id", Schema.integer), ("execution_id", Schema.string), ("client_order_id", Schema.string),
                       ("time", Schema.time), ("symbol", Schema.string), ("side", Schema.oneOf(["buy", "sell"])),
                       ("quantity", Schema.decimal), ("price", Schema.decimal), ("commission", Schema.decimal), ("multiplier", Schema.integer)])),
        ("Position", Schema.object(
            required: [("symbol", Schema.string), ("quantity", Schema.decimal), ("average_cost", Schema.decimal),
                       ("bots", Schema.array(Schema.string))],
            optional: [("last_price", Schema.decimal), ("market_value", Schema.decimal), ("unrealized_pnl", Schema.decimal)])),
        ("EquityPoint", Schema.object(
            required: [("time", Schema.time), ("run_id", Schema.integer), ("bot", Schema.string), ("equity", Schema.decimal),
                       ("cash", Schema.decimal)])),
        ("Risk", Schema.object(
            required: [("name", Schema.string), ("account", Schema.string), ("kill_switch", Schema.boolean),
                       ("breakers", Schema.array(Schema.object(required: [("name", Schema.string), ("state", Schema.string)]))),
                       ("losing_streak", Schema.integer), ("limits", Schema.map(Schema.string))],
            optional: [("last_transition", Schema.string), ("equity_peak", Schema.number)])),
        ("Bars", Schema.object(
            required: [("symbol", Schema.string), ("source", Schema.oneOf(["bots", "store"])),
                       ("bars", Schema.array(Schema.object(required: [("time", Schema.time), ("open", Schema.decimal), ("high", Schema.decimal),
                                                                      ("low", Schema.decimal), ("close", Schema.decimal), ("volume", Schema.decimal)]))),
                       ("fills", Schema.array(Schema.object(required: [("time", Schema.time), ("side", Schema.oneOf(["buy", "sell"])),
                                                                      ("price", Schema.decimal), ("quantity", Schema.decimal)])))])),
        ("Run", Schema.object(
            required: [("id", Schema.integer), ("kind", Schema.string), ("strategy", Schema.string), ("parameters", Schema.string),
                       ("started", Schema.time), ("bars", Schema.integer), ("initial_equity", Schema.decimal),
                       ("decisions", Schema.integer), ("orders", Schema.integer), ("fills", Schema.integer), ("has_report", Schema.boolean)],
            optional: [("final_equity", Schema.decimal)])),
        ("RunDetail", Schema.object(
            required: [("run", Schema.ref("Run"))],
            optional: [("summary", ["type": "object", "description": "The run's summary.json as its command wrote it."])])),
        ("AuditEntry", Schema.object(
            required: [("id", Schema.integer), ("time", Schema.time), ("actor", Schema.string), ("action", Schema.string),
                       ("target", Schema.string), ("stage", Schema.oneOf(["requested", "applied", "refused", "proposed", "confirmed", "rejected"])), ("detail", Schema.string)])),
        ("ActionResult", Schema.object(
            required: [("action", Schema.string), ("target", Schema.string), ("accepted", Schema.boolean), ("detail", Schema.string),
                       ("requested_by", Schema.string)])),
        ("Confirm", Schema.object(required: [("confirm", Schema.boolean)], optional: [("by", Schema.string)],
                                  description: "Confirms an action that cannot be undone; `by` names who asked.")),
        ("ConfirmResume", Schema.object(required: [("confirm", Schema.boolean), ("by", ["type": "string", "minLength": 1, "maxLength": 100,
                                                                                      "pattern": "\\S"])],
                                        description: "Confirms resuming trading after a halt, with the name of the person who decides.")),
            ("Proposal", Schema.object(
            required: [("action", Schema.oneOf(["pause", "resume", "flatten", "flatten_all", "cancel_order", "submit_order", "risk_resume"])),
                       ("requested_by", ["type": "string", "minLength": 1, "maxLength": 100, "pattern": "\\S"])],
            optional: [("bot", Schema.string), ("symbol", Schema.symbol), ("side", Schema.oneOf(["buy", "sell"])),
                       ("quantity", Schema.decimal), ("limit_price", Schema.decimal), ("client_order_id", Schema.string),
                       ("reason", Schema.string)],
            description: "An action for a person to confirm. pause/resume and submit_order need bot; flatten and submit_order "
                + "need symbol; submit_order needs side and quantity (limit_price for a limit order); cancel_order needs client_order_id.")),
        ("Pending", Schema.object(
            required: [("id", Schema.string), ("action", Schema.string), ("target", Schema.string),
                       ("state", Schema.oneOf(["pending", "confirmed", "rejected", "expired"])), ("proposed_by", Schema.string),
                       ("reason", Schema.string), ("created", Schema.time), ("expires", Schema.time)],
            optional: [("decided_by", Schema.string), ("result", Schema.ref("ActionResult"))])),
        ("Recommendation", Schema.object(
            required: [("rule", Schema.oneOf(["limits_refuse_entries", "veto_refuses_entries", "validation_gate", "adapt_threshold",
                                              "fill_drift", "starved_sleeve"])),
                       ("subject", Schema.string), ("run_id", Schema.integer), ("text", Schema.string), ("evidence", Schema.map(Schema.string))],
            description: "One piece of advice with the figures it rests on.")),
        ("Validation", Schema.object(
            required: [("bot", Schema.string), ("strategy", Schema.string), ("verdict", Schema.oneOf(["GO", "NO-GO", "no backtest"])),
                       ("same_parameters", Schema.boolean)],
            optional: [("backtest", Schema.object(
                required: [("run_id", Schema.integer), ("passed", Schema.boolean), ("failures", Schema.array(Schema.string)),
                           ("trades", Schema.integer), ("win_rate", Schema.number), ("sharpe", Schema.number), ("max_drawdown", Schema.number)]))])),
        ("Parity", Schema.object(
            required: [("bot", Schema.string), ("run_id", Schema.integer), ("strategy", Schema.string), ("parameters", Schema.string),
                       ("bars", Schema.integer), ("warm_up_bars", Schema.integer), ("clean", Schema.boolean), ("live_fills", Schema.integer),
                       ("pending_live_fills", Schema.integer), ("backtest_fills", Schema.integer), ("matched", Schema.integer), ("live_pnl", Schema.decimal),
                       ("backtest_pnl", Schema.decimal), ("pnl_difference", Schema.decimal),
                       ("positions", Schema.array(Schema.object(required: [("symbol", Schema.string), ("live", Schema.decimal),
                                                                          ("backtest", Schema.decimal)]))),
                       ("differences", Schema.array(Schema.object(
                           required: [("kind", Schema.oneOf(["differs", "live_only", "backtest_only"])), ("time", Schema.time),
                                      ("symbol", Schema.string), ("side", Schema.oneOf(["buy", "sell"]))],
                           optional: [("live_quantity", Schema.decimal), ("live_price", Schema.decimal), ("backtest_quantity", Schema.decimal),
                                      ("backtest_price", Schema.decimal), ("quantity_difference", Schema.decimal),
                                      ("price_difference", Schema.decimal), ("slippage_bps", Schema.number)])))],
            optional: [("from", Schema.time), ("to", Schema.time), ("mean_slippage_bps", Schema.number), ("max_slippage_bps", Schema.number)],
            description: "A bot's fills against its backtest on the same bars; differences name each fill that is not the same both ways "
                + "(live less backtest; slippage positive when the bot's price was worse).")),
        ("Reject", Schema.object(required: [], optional: [("by", Schema.string)], description: "Turns a proposal down; by names who.")),
    ]
}
