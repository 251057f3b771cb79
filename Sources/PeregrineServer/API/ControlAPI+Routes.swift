import Foundation

/// The endpoints of `/api/v1`, in the order the OpenAPI document lists them.
extension ControlAPI {
    static let listing: [APIRoute.QueryParameter] = [
        .init(name: "bot", description: "Only rows of this bot (a deployment's strategy name or a sleeve).", schema: Schema.string),
        .init(name: "run", description: "Only rows of this run id.", schema: ["type": "integer", "minimum": 1]),
        .init(name: "symbol", description: "Only this symbol.", schema: Schema.symbol),
        .init(name: "from", description: "Only rows at or after this time (ISO 8601; UTC without an offset).", schema: Schema.string),
        .init(name: "to", description: "Only rows at or before this time.", schema: Schema.string),
        .init(name: "limit", description: "Rows per page, 1 to 1000 (100 when absent).",
              schema: ["type": "integer", "minimum": 1, "maximum": 1000]),
        .init(name: "before", description: "Continue below this row id (a page's next_before).", schema: ["type": "integer", "minimum": 1]),
    ]

    static let routes: [APIRoute] = [
        APIRoute(method: "GET", path: "/api/v1/health", operationID: "health", summary: "Liveness, without a token.",
                 response: Schema.ref("Health"), isPublic: true) { api, _, _ in api.health() },
        APIRoute(method: "GET", path: "/api/v1/status", operationID: "status",
                 summary: "Mode, account, P&L today, breakers, connections, uptime.", response: Schema.ref("Status")) { api, _, _ in
            try await api.status()
        },
        APIRoute(method: "GET", path: "/api/v1/bots", operationID: "listBots",
                 summary: "Every bot: strategy, parameters, schedule, state, last decision.",
                 response: Schema.array(Schema.ref("Bot"))) { api, _, _ in .json(try await api.bots()) },
        APIRoute(method: "GET", path: "/api/v1/bots/{name}", operationID: "getBot", summary: "One bot.",
                 response: Schema.ref("Bot"), errors: [404]) { api, _, captures in try await api.bot(captures["name"] ?? "") },
        APIRoute(method: "POST", path: "/api/v1/bots/{name}/pause", operationID: "pauseBot",
                 summary: "Stop new entries from the bot's next bar; exits and protection still run.",
                 response: Schema.ref("ActionResult"), errors: [403, 404, 409]) { api, request, captures in
            try await api.act(.pause(bot: captures["name"] ?? ""), request)
        },
        APIRoute(method: "POST", path: "/api/v1/bots/{name}/resume", operationID: "resumeBot", summary: "Let a paused bot enter again.",
                 response: Schema.ref("ActionResult"), errors: [403, 404, 409]) { api, request, captures in
            try await api.act(.resume(bot: captures["name"] ?? ""), request)
        },
        APIRoute(method: "GET", path: "/api/v1/positions", operationID: "listPositions",
                 summary: "Open positions from the trading runs' fills, with average cost and, where known, unrealized P&L.",
                 query: listing.filter { $0.name == "bot" || $0.name == "symbol" }, response: Schema.array(Schema.ref("Position")),
                 errors: [400]) { api, request, _ in try await api.positions(request) },
        APIRoute(method: "POST", path: "/api/v1/positions/{symbol}/flatten", operationID: "flattenPosition",
                 summary: "Close every bot's position in one symbol at the next turn.", response: Schema.ref("ActionResult"),
                 errors: [400, 403, 404, 409]) { api, request, captures in
            let symbol = captures["symbol"] ?? ""
            try QueryParameters.checkSymbol(symbol)
            return try await api.act(.flatten(symbol: symbol), request)
        },
        APIRoute(method: "POST", path: "/api/v1/flatten", operationID: "flattenAll",
                 summary: "Close every position of every bot; needs {\"confirm\": true}.", body: Schema.ref("Confirm"),
                 response: Schema.ref("ActionResult"), errors: [400, 403, 409]) { api, request, _ in
            try api.confirmation(request)
            return try await api.act(.flattenAll, request)
        },
        APIRoute(method: "GET", path: "/api/v1/orders", operationID: "listOrders",
                 summary: "Orders, newest first; filter by bot, run, symbol, time and status (an intent state or the broker's status).",
                 query: listing + [.init(name: "status", description: "intended, sent, acknowledged, rejected, or a broker status (new, filled, canceled, ...).",
                                         schema: Schema.string)],
                 response: Schema.page(of: "Order"), errors: [400]) { api, request, _ in try api.orders(request) },
        APIRoute(method: "DELETE", path: "/api/v1/orders/{id}", operationID: "cancelOrder",
                 summary: "Cancel a working order by its client order id.", response: Schema.ref("ActionResult"),
                 errors: [400, 403, 404, 409]) { api, request, captures in
            try await api.act(.cancelOrder(clientOrderID: captures["id"] ?? ""), request)
        },
        APIRoute(method: "GET", path: "/api/v1/fills", operationID: "listFills", summary: "Fills, newest first.",
                 query: listing, response: Schema.page(of: "Fill"), errors: [400]) { api, request, _ in try api.fills(request) },
        APIRoute(method: "GET", path: "/api/v1/decisions", operationID: "listDecisions",
                 summary: "Decisions with their reasons (holds and refusals included), newest first.",
                 query: listing + [
                    .init(name: "action", description: "The signal's action: buy, sell, hold, ...", schema: Schema.string),
                    .init(name: "outcome", description: "What came of it: submitted, held, rejected, ...", schema: Schema.string),
                    .init(name: "reason", description: "The reason code (as in decisions.csv).", schema: Schema.string),
                 ],
                 response: Schema.page(of: "Decision"), errors: [400]) { api, request, _ in try api.decisions(request) },
        APIRoute(method: "GET", path: "/api/v1/bars", operationID: "bars",
                 summary: "Recent bars of one symbol as the bots saw them (or, from a store alone, its stored bars) with the fills among them.",
                 query: [.init(name: "symbol", description: "The symbol (required).", schema: Schema.symbol),
                         .init(name: "limit", description: "Bars, 1 to 500 (120 when absent).", schema: ["type": "integer", "minimum": 1, "maximum": 500])],
                 response: Schema.ref("Bars"), errors: [400]) { api, request, _ in try api.bars(request) },
        APIRoute(method: "GET", path: "/api/v1/equity", operationID: "equity",
                 summary: "Equity and cash over time as the trading runs recorded them, oldest first.",
                 query: listing.filter { ["bot", "run", "from", "to", "limit"].contains($0.name) },
                 response: Schema.array(Schema.ref("EquityPoint")), errors: [400]) { api, request, _ in try api.equity(request) },
        APIRoute(method: "GET", path: "/api/v1/risk", operationID: "risk",
                 summary: "Each bot's risk state (breakers, kill switch, losing streak) and its limits.",
                 response: Schema.array(Schema.ref("Risk"))) { api, _, _ in try await api.risk() },
        APIRoute(method: "POST", path: "/api/v1/risk/resume", operationID: "resumeRisk",
                 summary: "Clear halted breakers and the kill switch; needs {\"confirm\": true, \"by\": \"name\"}.",
                 body: Schema.ref("ConfirmResume"), response: Schema.ref("ActionResult"), errors: [400, 403, 409]) { api, request, _ in
            let by = try api.confirmation(request, needsName: true)
            return try await api.act(.resumeRisk, request, by: by)
        },
        APIRoute(method: "GET", path: "/api/v1/audit", operationID: "audit",
                 summary: "The audit trail of people's actions: asked (by whom), applied or refused by the bot, newest first.",
                 query: listing.filter { $0.name == "limit" || $0.name == "before" }, response: Schema.page(of: "AuditEntry"),
                 errors: [400]) { api, request, _ in try api.audit(request) },
        APIRoute(method: "GET", path: "/api/v1/pending", operationID: "listPending",
                 summary: "Actions a tool proposed (the MCP server), newest first: pending until a person confirms or rejects them, "
                    + "expired after 15 minutes.",
                 query: [.init(name: "state", description: "pending, confirmed, rejected or expired.", schema: Schema.oneOf(["pending", "confirmed", "rejected", "expired"]))],
                 response: Schema.array(Schema.ref("Pending")), errors: [400]) { api, request, _ in try api.pendingList(request) },
        APIRoute(method: "POST", path: "/api/v1/pending", operationID: "propose",
                 summary: "Propose an action for a person to confirm: nothing happens until POST pending/{id}/confirm.",
                 body: Schema.ref("Proposal"), response: Schema.ref("Pending"), errors: [400, 403, 404, 409]) { api, request, _ in
            try await api.propose(request)
        },
        APIRoute(method: "POST", path: "/api/v1/pending/{id}/confirm", operationID: "confirmPending",
                 summary: "A person confirms a proposal; needs {\"confirm\": true, \"by\": \"name\"}. The action is then taken as its own endpoint would.",
                 body: Schema.ref("ConfirmResume"), response: Schema.ref("Pending"), errors: [400, 403, 404, 409]) { api, request, captures in
            try await api.decide(captures["id"] ?? "", confirm: true, request)
        },
        APIRoute(method: "POST", path: "/api/v1/pending/{id}/reject", operationID: "rejectPending",
                 summary: "A person turns a proposal down; {\"by\": \"name\"} names them.",
                 body: Schema.ref("Reject"), response: Schema.ref("Pending"), errors: [400, 403, 404, 409]) { api, request, captures in
            try await api.decide(captures["id"] ?? "", confirm: false, request)
        },
        APIRoute(method: "GET", path: "/api/v1/validation", operationID: "validation",
                 summary: "Go/no-go per bot: the validation gate (trades, win rate, Sharpe, drawdown) on the latest stored backtest "
                    + "of its strategy, with its parameters when one was stored.",
                 response: Schema.array(Schema.ref("Validation"))) { api, _, _ in try await api.validation() },
        APIRoute(method: "GET", path: "/api/v1/parity", operationID: "parity",
                 summary: "A bot's fills against a backtest of its strategy (parameters, sizing, exits, risk limits) over exactly the "
                    + "bars its run handled: fills matched by time, symbol and side, their quantity and price differences, slippage "
                    + "in basis points, the fills only one side has, and the final positions and P&L both ways. A store served alone "
                    + "rebuilds the bot from the configuration its run kept (409 for a run that kept none).",
                 query: [.init(name: "bot", description: "The bot (required).", schema: Schema.string),
                         .init(name: "run", description: "One of its runs (default: its current run, else its latest with stored bars).",
                               schema: ["type": "integer", "minimum": 1])],
                 response: Schema.ref("Parity"), errors: [400, 404, 409]) { api, request, _ in try await api.parity(request) },
        APIRoute(method: "GET", path: "/api/v1/assistant", operationID: "assistant",
                 summary: "The trading assistant's recommendations from the store, each with the numbers behind it: limits or a veto "
                    + "refusing most entries, a backtest failing its validation gate, a threshold to adapt, fills drifting from the "
                    + "backtest's prices, a starved sleeve.",
                 response: Schema.array(Schema.ref("Recommendation"))) { api, _, _ in
            .json(try api.read("the assistant's inputs") { try TradingAssistant(store: api.store).recommendations() })
        },
        APIRoute(method: "GET", path: "/api/v1/runs", operationID: "listRuns", summary: "Stored runs: backtests, sweeps and trading runs.",
                 query: [.init(name: "kind", description: "backtest, sweep, sim, paper or live.", schema: Schema.string)],
                 response: Schema.array(Schema.ref("Run")), errors: [400]) { api, request, _ in try api.runs(request) },
        APIRoute(method: "GET", path: "/api/v1/runs/{id}", operationID: "getRun", summary: "One run with its stored summary.",
                 response: Schema.ref("RunDetail"), errors: [400, 404]) { api, _, captures in try api.run(captures["id"] ?? "") },
        APIRoute(method: "GET", path: "/api/v1/runs/{id}/report", operationID: "getRunReport",
                 summary: "The run's HTML tearsheet (stored by backtest --store).", response: nil, errors: [400, 404]) { api, _, captures in
            try api.report(captures["id"] ?? "")
        },
        APIRoute(method: "GET", path: "/api/v1/ws", operationID: "watch",
                 summary: "A WebSocket (send Upgrade: websocket; the token as a bearer header or ?token=): a snapshot, then every "
                    + "event as JSON {type, bot, time, data}: bar, decision, order, fill, equity, bot_state, risk, connection. A plain "
                    + "GET answers 400.",
                 query: [.init(name: "token", description: "The API token, for clients that cannot set headers (browsers).", schema: Schema.string)],
                 response: Schema.ref("Error"), errors: [400]) { api, _, _ in
            throw APIError(.badRequest, api.telemetry == nil ? "this server runs no bots, so there is nothing to watch"
                           : "this endpoint is a WebSocket: connect with Upgrade: websocket")
        },
        APIRoute(method: "GET", path: "/metrics", operationID: "metrics",
                 summary: "Prometheus metrics of the bots: equity, cash, open positions, gross exposure, fills, order updates by status, "
                    + "decisions by outcome and reason, bars, bot state, risk halts, turn duration, broker request latency, responses "
                    + "by status and 429s.",
                 response: nil, textType: "text/plain") { api, _, _ in
            APIResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                        body: Data((api.metrics?.exposition() ?? "").utf8))
        },
        APIRoute(method: "GET", path: "/openapi.json", operationID: "openapi", summary: "This document.",
                 response: ["type": "object"]) { _, _, _ in
            APIResponse(status: 200, contentType: "application/json", body: OpenAPIDocument.rendered)
        },
    ]
}
