import Foundation

/// The dashboard at `/`: one page and one script, no third-party code or font, that reads the API
/// with the token from the address's fragment (`/#token=...`, never sent to the server) and stays live
/// over the WebSocket. It reads well at 390 px wide.
enum DashboardPage {
    static let headers = [
        "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data:; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
    ]

    static var pages: [String: APIResponse] {
        [
            "/": APIResponse(status: 200, contentType: "text/html; charset=utf-8", body: Data(html.utf8), headers: headers),
            "/dashboard.js": APIResponse(status: 200, contentType: "text/javascript; charset=utf-8", body: Data(script.utf8), headers: headers),
        ]
    }

    static let html = #"""
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Peregrine</title>
    <style>
    body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; background: #f5f6f8; color: #1d2330; }
    header { background: #1d2330; color: #fff; padding: 10px 16px; display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: baseline; }
    header h1 { font-size: 18px; margin: 0 12px 0 0; }
    .figure { font-size: 13px; } .figure b { font-size: 16px; display: block; }
    main { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 12px; padding: 12px; }
    section { background: #fff; border-radius: 6px; padding: 10px 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); overflow-x: auto; }
    section h2 { font-size: 14px; margin: 0 0 8px; color: #44506a; text-transform: uppercase; letter-spacing: .04em; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; }
    th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eceef2; white-space: nowrap; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .pos { color: #1b7f3b; } .neg { color: #c62828; }
    .badge { display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 12px; background: #e3e7ee; }
    .badge.running { background: #d7f0de; } .badge.paused { background: #fff0c2; } .badge.halted, .badge.stopped { background: #ffd6d6; }
    button { font-size: 12px; padding: 3px 8px; margin-right: 4px; border: 1px solid #b8c0cc; border-radius: 4px; background: #fff; cursor: pointer; }
    button.danger { border-color: #c62828; color: #c62828; }
    #feed { max-height: 320px; overflow-y: auto; }
    #error { display: none; background: #ffd6d6; padding: 8px 16px; }
    svg { width: 100%; height: 180px; display: block; }
    .wide { grid-column: 1 / -1; }
    </style></head>
    <body>
    <header><h1>Peregrine</h1>
      <span class="figure">mode<b id="mode">-</b></span>
      <span class="figure">equity<b id="equity">-</b></span>
      <span class="figure">cash<b id="cash">-</b></span>
      <span class="figure">P&amp;L today<b id="pnl">-</b></span>
      <span class="figure">risk<b id="risk">-</b></span>
      <span class="figure">connections<b id="connections">-</b></span>
      <span class="figure">live<b id="live">connecting</b></span>
    </header>
    <div id="error"></div>
    <main>
      <section class="wide"><h2>Equity and drawdown</h2><svg id="equity-chart" viewBox="0 0 800 180" preserveAspectRatio="none"></svg></section>
      <section class="wide"><h2>Live bars, SMA 20, Bollinger bands (20, 2), fills and resting stops</h2><div id="charts"><p id="charts-empty">waiting for bars from the bots</p></div></section>
      <section class="wide" id="proposals-panel"><h2>Proposals waiting for you</h2><table id="proposals"><thead><tr><th>id</th><th>action</th><th>target</th><th>from</th><th>reason</th><th>expires</th><th></th></tr></thead><tbody></tbody></table></section>
      <section><h2>Bots</h2><table id="bots"><thead><tr><th>bot</th><th>state</th><th>strategy</th><th>symbols</th><th></th></tr></thead><tbody></tbody></table></section>
      <section><h2>Positions</h2><table id="positions"><thead><tr><th>symbol</th><th>qty</th><th>avg cost</th><th>last</th><th>unrealized</th><th></th></tr></thead><tbody></tbody></table></section>
      <section><h2>Orders</h2><table id="orders"><thead><tr><th>time</th><th>symbol</th><th>side</th><th>qty</th><th>state</th><th>status</th></tr></thead><tbody></tbody></table></section>
      <section><h2>Risk</h2><table id="riskstates"><thead><tr><th>owner</th><th>account</th><th>kill switch</th><th>losing streak</th><th>last change</th></tr></thead><tbody></tbody></table></section>
      <section><h2>Go / no-go</h2><table id="validation"><thead><tr><th>bot</th><th>verdict</th><th>backtest</th><th>why</th></tr></thead><tbody></tbody></table></section>
      <section class="wide" id="parity-panel"><h2>Parity: each bot's fills against its backtest on the same bars</h2><table id="parity"><thead><tr><th>bot</th><th>run</th><th>verdict</th><th>fills live / backtest / matched</th><th>slippage bps (mean, worst)</th><th>P&amp;L live / backtest</th><th>fills that differ</th></tr></thead><tbody></tbody></table></section>
      <section class="wide" id="assistant-panel"><h2>Assistant</h2><ul id="assistant"></ul></section>
      <section class="wide"><h2>Decisions, with their reasons</h2><div id="feed"><table id="decisions"><thead><tr><th>time</th><th>bot</th><th>symbol</th><th>action</th><th>outcome</th><th>reason</th><th>detail</th></tr></thead><tbody></tbody></table></div></section>
    </main>
    <script src="/dashboard.js"></script>
    </body></html>
    """#

    static let script = #"""
    "use strict";
    // The token comes from the address's fragment (never sent to the server) and stays in this tab.
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get("token")) { sessionStorage.setItem("peregrine-token", fragment.get("token")); history.replaceState(null, "", location.pathname); }
    const token = sessionStorage.getItem("peregrine-token") || "";
    const $ = (id) => document.getElementById(id);

    function showError(text) { const e = $("error"); e.textContent = text; e.style.display = text ? "block" : "none"; }
    async function api(path, options) {
      const response = await fetch(path, Object.assign({ headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" } }, options || {}));
      const body = await response.json().catch(() => ({}));
      if (!response.ok) { throw new Error(body.message || ("HTTP " + response.status)); }
      return body;
    }
    function cell(row, text, className) { const td = row.insertCell(); td.textContent = text === undefined || text === null ? "" : String(text); if (className) td.className = className; return td; }
    function signed(text) { return Number(text) < 0 ? "num neg" : "num pos"; }
    function short(time) { return (time || "").replace("T", " ").replace(/(\.\d+)?Z$/, ""); }
    function fill(table, rows, render) { const body = $(table).tBodies[0]; body.innerHTML = ""; rows.forEach((item) => render(body.insertRow(), item)); }

    async function act(path, method, body, question) {
      if (question && !confirm(question)) return;
      try { await api(path, { method: method, body: body ? JSON.stringify(body) : undefined }); await refresh(); } catch (e) { showError(e.message); }
    }

    function drawEquity(points) {
      const svg = $("equity-chart");
      if (points.length < 2) { svg.innerHTML = '<text x="10" y="90" font-size="14" fill="#888">no equity recorded yet</text>'; return; }
      const values = points.map((p) => Number(p.equity));
      let peak = -Infinity; const drawdown = values.map((v) => { peak = Math.max(peak, v); return peak > 0 ? (v - peak) / peak : 0; });
      const low = Math.min(...values), high = Math.max(...values), span = high - low || 1, deepest = Math.min(...drawdown) || -1;
      const x = (i) => (i / (values.length - 1)) * 800;
      const line = values.map((v, i) => x(i).toFixed(1) + "," + (120 - ((v - low) / span) * 110).toFixed(1)).join(" ");
      const under = drawdown.map((d, i) => x(i).toFixed(1) + "," + (130 + (d / deepest) * 45).toFixed(1)).join(" ");
      svg.innerHTML = '<polyline fill="none" stroke="#1565c0" stroke-width="2" points="' + line + '"/>'
        + '<polyline fill="none" stroke="#c62828" stroke-width="1.5" points="' + under + '"/>'
        + '<text x="4" y="14" font-size="12" fill="#1565c0">' + high.toFixed(2) + '</text>'
        + '<text x="4" y="118" font-size="12" fill="#1565c0">' + low.toFixed(2) + '</text>'
        + '<text x="4" y="176" font-size="12" fill="#c62828">max drawdown ' + (deepest * 100).toFixed(2) + '%</text>';
    }

    async function refresh() {
      try {
        const [status, bots, positions, orders, decisions, equity, risk, proposals, advice] = await Promise.all([
          api("/api/v1/status"), api("/api/v1/bots"), api("/api/v1/positions"), api("/api/v1/orders?limit=20"),
          api("/api/v1/decisions?limit=50"), api("/api/v1/equity?limit=1000"), api("/api/v1/risk"), api("/api/v1/pending?state=pending"),
          api("/api/v1/assistant")]);
        const validation = await api("/api/v1/validation");
        fill("validation", validation, (row, v) => {
          cell(row, v.bot); cell(row, v.verdict, v.verdict === "GO" ? "num pos" : (v.verdict === "NO-GO" ? "num neg" : ""));
          cell(row, v.backtest ? "run " + v.backtest.run_id + (v.same_parameters ? "" : " (other parameters)") + ": " + v.backtest.trades + " trades, Sharpe "
            + v.backtest.sharpe.toFixed(2) + ", max DD " + (v.backtest.max_drawdown * 100).toFixed(1) + "%" : "store a backtest: peregrine backtest --store");
          cell(row, v.backtest ? v.backtest.failures.join("; ") : "");
        });
        await refreshParity(bots);
        // The assistant's advice, each with its numbers.
        $("assistant-panel").style.display = advice.length ? "" : "none";
        const list = $("assistant"); list.innerHTML = "";
        advice.forEach((a) => {
          const item = document.createElement("li"); item.textContent = a.text + " [" + Object.keys(a.evidence).sort().map((k) => k + " " + a.evidence[k]).join(", ") + "]";
          list.appendChild(item);
        });
        showError("");
        $("mode").textContent = status.mode + (status.read_only ? " (read-only)" : "");
        $("equity").textContent = status.equity || "-";
        $("cash").textContent = status.cash || "-";
        $("pnl").textContent = status.pnl_today || "-";
        $("pnl").className = status.pnl_today ? signed(status.pnl_today) : "";
        $("risk").textContent = status.kill_switch ? "KILL SWITCH" : (status.halted.length ? "halted: " + status.halted.join(", ") : "active");
        $("connections").textContent = status.connections.map((c) => c.state).join(", ") || "-";
        fill("bots", bots, (row, bot) => {
          cell(row, bot.name); const state = cell(row, ""); const badge = document.createElement("span");
          badge.className = "badge " + bot.state; badge.textContent = bot.state + (bot.error ? ": " + bot.error : ""); state.appendChild(badge);
          cell(row, bot.strategy + (bot.parameters ? " " + bot.parameters : "")); cell(row, bot.symbols.join(", "));
          const actions = cell(row, "");
          if (!status.read_only && (bot.state === "running" || bot.state === "halted")) {
            const pause = document.createElement("button"); pause.textContent = "pause";
            pause.onclick = () => act("/api/v1/bots/" + encodeURIComponent(bot.name) + "/pause", "POST"); actions.appendChild(pause);
          }
          if (!status.read_only && bot.state === "paused") {
            const resume = document.createElement("button"); resume.textContent = "resume";
            resume.onclick = () => act("/api/v1/bots/" + encodeURIComponent(bot.name) + "/resume", "POST"); actions.appendChild(resume);
          }
        });
        fill("positions", positions, (row, p) => {
          cell(row, p.symbol); cell(row, p.quantity, "num"); cell(row, Number(p.average_cost).toFixed(4), "num");
          cell(row, p.last_price || "", "num"); cell(row, p.unrealized_pnl || "", p.unrealized_pnl ? signed(p.unrealized_pnl) : "num");
          const actions = cell(row, "");
          if (!status.read_only) {
            const flatten = document.createElement("button"); flatten.textContent = "flatten"; flatten.className = "danger";
            flatten.onclick = () => act("/api/v1/positions/" + encodeURIComponent(p.symbol) + "/flatten", "POST", null,
              "Close the whole " + p.symbol + " position at market?");
            actions.appendChild(flatten);
          }
        });
        // What a tool (the MCP server) proposed: nothing happens until a person confirms it here.
        $("proposals-panel").style.display = proposals.length ? "" : "none";
        fill("proposals", proposals, (row, p) => {
          cell(row, p.id); cell(row, p.action); cell(row, p.target); cell(row, p.proposed_by); cell(row, p.reason); cell(row, short(p.expires));
          const actions = cell(row, "");
          const yes = document.createElement("button"); yes.textContent = "confirm"; yes.className = "danger";
          yes.onclick = () => { const by = prompt("Confirm " + p.action + " " + p.target + "? Your name:"); if (by) act("/api/v1/pending/" + encodeURIComponent(p.id) + "/confirm", "POST", { confirm: true, by: by }); };
          const no = document.createElement("button"); no.textContent = "reject";
          no.onclick = () => act("/api/v1/pending/" + encodeURIComponent(p.id) + "/reject", "POST", { by: "dashboard" });
          actions.appendChild(yes); actions.appendChild(no);
        });
        fill("orders", orders.items, (row, o) => { cell(row, short(o.updated)); cell(row, o.symbol); cell(row, o.side); cell(row, o.quantity, "num"); cell(row, o.state); cell(row, o.status); });
        fill("decisions", decisions.items, (row, d) => { cell(row, short(d.time)); cell(row, d.bot); cell(row, d.symbol); cell(row, d.action); cell(row, d.outcome); cell(row, d.reason); cell(row, d.detail); });
        fill("riskstates", risk, (row, r) => { cell(row, r.name); cell(row, r.account); cell(row, r.kill_switch ? "engaged" : "off"); cell(row, r.losing_streak, "num"); cell(row, r.last_transition || ""); });
        drawEquity(equity);
        // Working stop orders (resting protection) are drawn on their symbol's chart.
        const working = ["new", "accepted", "held", "partially_filled", "pending_new"];
        for (const key of Object.keys(stops)) delete stops[key];
        orders.items.filter((o) => o.stop_price && (working.includes(o.status) || (!o.status && o.state !== "rejected")))
          .forEach((o) => { (stops[o.symbol] = stops[o.symbol] || []).push(Number(o.stop_price)); });
        await loadBars([...new Set(bots.flatMap((b) => b.symbols).concat(positions.map((p) => p.symbol)))]);
        drawCandles();
      } catch (e) { showError(e.message === "HTTP 401" || /token/.test(e.message) ? "Open this page as /#token=YOUR_TOKEN (" + e.message + ")" : e.message); }
    }

    // Parity re-runs each bot's backtest on the server, so it is asked at most every 30 seconds; a bot
    // it cannot compare says why in its own row.
    let parityAsked = 0;
    async function refreshParity(bots) {
      $("parity-panel").style.display = bots.length ? "" : "none";
      if (Date.now() - parityAsked < 30000) return;
      parityAsked = Date.now();
      const rows = await Promise.all(bots.map((bot) => api("/api/v1/parity?bot=" + encodeURIComponent(bot.name)).catch((e) => ({ bot: bot.name, failure: e.message }))));
      fill("parity", rows, (row, p) => {
        cell(row, p.bot);
        if (p.failure) { cell(row, ""); cell(row, "not compared"); const why = cell(row, p.failure); why.colSpan = 4; return; }
        cell(row, p.run_id, "num"); cell(row, p.clean ? "same" : "differs", p.clean ? "num pos" : "num neg");
        cell(row, p.live_fills + " / " + p.backtest_fills + " / " + p.matched, "num");
        cell(row, p.mean_slippage_bps === undefined ? "-" : p.mean_slippage_bps.toFixed(2) + ", " + p.max_slippage_bps.toFixed(2), "num");
        cell(row, p.live_pnl + " / " + p.backtest_pnl, signed(p.pnl_difference));
        cell(row, p.differences.slice(0, 5).map((d) => short(d.time) + " " + d.symbol + " " + d.side + " " + d.kind.replace("_", " ")
          + (d.kind === "differs" ? ": " + d.live_quantity + " @ " + d.live_price + " vs " + d.backtest_quantity + " @ " + d.backtest_price
             + " (" + d.slippage_bps.toFixed(2) + " bps)" : "")).join("; ") + (p.differences.length > 5 ? "; and " + (p.differences.length - 5) + " more" : ""));
      });
    }

    // Candles per symbol: the bots' recent bars and fills (GET /api/v1/bars), with an SMA 20 drawn over them.
    const candles = {}, fills = {}, stops = {};
    async function loadBars(symbols) {
      for (const symbol of symbols) {
        const answer = await api("/api/v1/bars?limit=120&symbol=" + encodeURIComponent(symbol));
        candles[symbol] = answer.bars.map((b) => ({ t: b.time, o: Number(b.open), h: Number(b.high), l: Number(b.low), c: Number(b.close) }));
        fills[symbol] = answer.fills.map((f) => ({ t: f.time, side: f.side, price: Number(f.price) }));
      }
    }
    function drawCandles() {
      const box = $("charts");
      const symbols = Object.keys(candles).filter((s) => candles[s].length).sort();
      if (!symbols.length) return;
      box.innerHTML = "";
      for (const symbol of symbols) {
        const list = candles[symbol], width = 800, height = 200, step = width / 120;
        const low = Math.min(...list.map((b) => b.l)), high = Math.max(...list.map((b) => b.h)), span = high - low || 1;
        const y = (p) => (8 + (1 - (p - low) / span) * (height - 24)).toFixed(1);
        let svg = '<svg viewBox="0 0 800 200" preserveAspectRatio="none" data-symbol="' + symbol + '">';
        list.forEach((b, i) => {
          const x = i * step + step / 2, up = b.c >= b.o, colour = up ? "#1b7f3b" : "#c62828";
          svg += '<line x1="' + x.toFixed(1) + '" x2="' + x.toFixed(1) + '" y1="' + y(b.h) + '" y2="' + y(b.l) + '" stroke="' + colour + '"/>';
          const top = y(Math.max(b.o, b.c)), bottom = y(Math.min(b.o, b.c));
          svg += '<rect class="candle" x="' + (x - step * 0.35).toFixed(1) + '" y="' + top + '" width="' + (step * 0.7).toFixed(1)
            + '" height="' + Math.max(1, bottom - top).toFixed(1) + '" fill="' + colour + '"/>';
        });
        const sma = list.map((b, i) => i < 19 ? null : list.slice(i - 19, i + 1).reduce((s, x) => s + x.c, 0) / 20);
        const points = sma.map((v, i) => v === null ? null : (i * step + step / 2).toFixed(1) + "," + y(v)).filter((p) => p !== null);
        if (points.length > 1) svg += '<polyline fill="none" stroke="#6a1b9a" stroke-width="1.5" points="' + points.join(" ") + '"/>';
        // Bollinger bands: the SMA 20 plus and minus two population standard deviations of the closes.
        const band = (sign) => list.map((b, i) => {
          if (i < 19) return null;
          const window = list.slice(i - 19, i + 1).map((x) => x.c), mean = sma[i];
          const sd = Math.sqrt(window.reduce((s, x) => s + (x - mean) * (x - mean), 0) / 20);
          return (i * step + step / 2).toFixed(1) + "," + y(mean + sign * 2 * sd);
        }).filter((p) => p !== null);
        for (const sign of [1, -1]) {
          const line = band(sign);
          if (line.length > 1) svg += '<polyline class="band" fill="none" stroke="#90a4ae" stroke-dasharray="3 2" stroke-width="1" points="' + line.join(" ") + '"/>';
        }
        for (const level of (stops[symbol] || [])) {
          if (level < low || level > high) continue;
          svg += '<line class="stop" x1="0" x2="800" y1="' + y(level) + '" y2="' + y(level) + '" stroke="#c62828" stroke-dasharray="6 4"/>'
            + '<text x="720" y="' + (Number(y(level)) - 3).toFixed(1) + '" font-size="11" fill="#c62828">stop ' + level + '</text>';
        }
        const first = list[0].t;
        for (const f of (fills[symbol] || []).filter((f) => f.t >= first)) {
          const i = list.findIndex((b) => b.t >= f.t);
          if (i < 0) continue;
          const x = i * step + step / 2, py = Number(y(f.price)), buy = f.side === "buy";
          svg += '<path class="fill-marker" d="M' + x.toFixed(1) + ' ' + (buy ? py + 2 : py - 2) + ' l-5 ' + (buy ? 9 : -9) + ' l10 0 z" fill="'
            + (buy ? "#1565c0" : "#ef6c00") + '"/>';
        }
        svg += '<text x="4" y="14" font-size="12" fill="#44506a">' + symbol + ' ' + list[list.length - 1].c + '</text></svg>';
        box.insertAdjacentHTML("beforeend", svg);
      }
    }

    // Live: any event refreshes the views, at most twice a second.
    let pending = false;
    function soon() { if (pending) return; pending = true; setTimeout(() => { pending = false; refresh(); }, 500); }
    function watch() {
      const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/v1/ws?token=" + encodeURIComponent(token));
      socket.onopen = () => { $("live").textContent = "connected"; };
      socket.onmessage = () => soon();
      socket.onclose = () => { $("live").textContent = "reconnecting"; setTimeout(watch, 3000); };
    }
    refresh();
    fetch("/api/v1/status", { headers: { "Authorization": "Bearer " + token } }).then((r) => r.json()).then((s) => { if (!s.read_only) watch(); else $("live").textContent = "store (read-only)"; }).catch(() => {});
    """#
}
