"""The official MCP Python SDK as a client of `peregrine mcp`, over stdio and over streamable HTTP, in front
of a bot trading the local exchange (`peregrine trade --mode sim --serve`): it lists the tools, runs a
backtest, reads positions and bots from the running bot, finds a trading call refused without
--allow-trading, and with it finds the order waiting until a person confirms it through the API.

    python scripts/mcp/mcp_check.py .build/debug/peregrine [out-dir]
"""
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import httpx2
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import local_bot  # noqa: E402  (scripts/support)

TOKEN = "mcp-check-token-0123456789"


def api(port, method, path, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def text(result):
    return "".join(getattr(item, "text", "") for item in result.content)


def failed(result):
    return bool(getattr(result, "is_error", None) if hasattr(result, "is_error") else result.isError)


async def common_checks(session, label):
    await session.initialize()
    tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    for name in ("get_status", "get_positions", "list_decisions", "backtest", "sweep", "walk_forward", "monte_carlo",
                 "submit_order", "pause_bot", "get_recommendations"):
        assert name in tools, f"{label}: no tool {name}"
    schema = tools["backtest"].input_schema if hasattr(tools["backtest"], "input_schema") else tools["backtest"].inputSchema
    assert "data" in schema["required"] and schema["examples"], f"{label}: backtest's schema has no required data or example"

    result = await session.call_tool("backtest", {"data": "synthetic:bars=800,seed=5", "strategy": "sma-cross",
                                                  "params": {"fast": 5, "slow": 20}})
    assert not failed(result), f"{label}: backtest failed: {text(result)[:500]}"
    body = text(result)
    summary = json.loads(body[body.index("<<<DATA\n") + 8:body.index("\nDATA>>>")])
    assert summary["bars"] == 800 and summary["strategy"] == "sma-cross", summary
    report = body[body.index("Tearsheet: ") + 11:].split("\n")[0]
    assert os.path.getsize(report) > 1000, f"{label}: no tearsheet at {report}"

    positions = await session.call_tool("get_positions", {})
    assert not failed(positions) and "<<<DATA" in text(positions), f"{label}: {text(positions)[:300]}"
    bots = await session.call_tool("list_bots", {})
    listed = json.loads(text(bots).split("<<<DATA\n")[1].split("\nDATA>>>")[0])
    assert listed and listed[0]["state"] in ("running", "paused"), f"{label}: no running bot: {listed}"
    print(f"{label}: {len(tools)} tools; backtest sharpe {summary.get('sharpe')}, {summary.get('trade_count')} trades; "
          f"bot {listed[0]['name']} {listed[0]['state']}")
    return listed[0]["name"]


async def over_stdio(executable, api_port, exchange_port, workspace, env):
    params = StdioServerParameters(command=executable, args=["mcp", "--api", f"http://127.0.0.1:{api_port}", "--workspace", workspace,
                                                            "--market-data-url", f"http://127.0.0.1:{exchange_port}"], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            bot = await common_checks(session, "stdio")
            refused = await session.call_tool("submit_order", {"bot": bot, "symbol": "SYN", "side": "buy", "quantity": "1",
                                                               "reason": "check"})
            assert failed(refused) and "--allow-trading" in text(refused), f"stdio: not refused: {text(refused)}"
            assert not api(api_port, "GET", "/api/v1/pending"), "stdio: a refused call left a proposal"
            print("stdio: submit_order without --allow-trading refused, nothing proposed")
            quotes = await session.call_tool("latest_quotes", {"symbols": ["SYN"]})
            lines = text(quotes).split("<<<DATA\n")[1].split("\nDATA>>>")[0].splitlines()
            assert not failed(quotes) and lines[1].startswith("SYN,"), f"stdio: latest quotes: {text(quotes)[:300]}"
            print(f"stdio: the broker's latest quote and trade: {lines[1]}")


async def over_http(mcp_port, api_port):
    url = f"http://127.0.0.1:{mcp_port}/mcp"
    async with httpx2.AsyncClient() as anonymous:
        answer = await anonymous.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                                      headers={"Accept": "application/json, text/event-stream"})
        assert answer.status_code == 401, f"http: without a token: {answer.status_code}"
    client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=httpx2.Timeout(30, read=300))
    async with client:
        async with streamable_http_client(url, http_client=client) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                bot = await common_checks(session, "http")
                proposed = await session.call_tool("submit_order", {"bot": bot, "symbol": "SYN", "side": "buy", "quantity": "3",
                                                                    "reason": "check"})
                assert not failed(proposed) and "It has NOT happened" in text(proposed), f"http: {text(proposed)}"
    pending = api(api_port, "GET", "/api/v1/pending?state=pending")
    assert len(pending) == 1 and pending[0]["action"] == "submit_order", pending
    proposal = pending[0]["id"]
    time.sleep(2)
    audit = api(api_port, "GET", "/api/v1/audit")["items"]
    assert not any(row["stage"] in ("requested", "applied") for row in audit), f"acted before confirmation: {audit}"
    confirmed = api(api_port, "POST", f"/api/v1/pending/{proposal}/confirm", {"confirm": True, "by": "mcp-check"})
    assert confirmed["state"] == "confirmed" and confirmed["result"]["accepted"], confirmed
    for _ in range(100):
        audit = api(api_port, "GET", "/api/v1/audit")["items"]
        if any(row["action"] == "submit_order" and row["stage"] in ("applied", "refused") for row in audit):
            break
        time.sleep(0.2)
    stages = [f"{row['stage']} {row['actor']}" for row in reversed(audit) if row["action"] == "submit_order"]
    assert stages[0].startswith("proposed mcp:submit_order") and stages[1].startswith("confirmed mcp-check"), stages
    assert any(stage.startswith("applied") for stage in stages), f"the bot did not take the order: {stages}"
    decisions = api(api_port, "GET", "/api/v1/decisions?reason=operator_order")["items"]
    assert decisions and "buy 3 SYN at market" in decisions[0]["detail"], decisions
    print(f"http: submit_order proposed as {proposal}, waited, confirmed through the API, taken by the bot: "
          f"{decisions[0]['outcome']} ({decisions[0]['detail']})")


def main(executable, folder):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)
    executable = os.path.abspath(executable)
    processes, api_port, env, exchange_port = local_bot.start(executable, folder, TOKEN, speed="60x")
    mcp_port = local_bot.free_port()
    try:
        time.sleep(3)
        asyncio.run(over_stdio(executable, api_port, exchange_port, os.path.join(folder, "stdio-runs"), env))
        processes.append(subprocess.Popen([executable, "mcp", "--api", f"http://127.0.0.1:{api_port}", "--allow-trading",
                                           "--http", f"127.0.0.1:{mcp_port}", "--workspace", os.path.join(folder, "http-runs")],
                                          env=env, stdout=open(os.path.join(folder, "mcp-http.log"), "w"), stderr=subprocess.STDOUT))
        local_bot.wait_port(mcp_port)
        asyncio.run(over_http(mcp_port, api_port))
        print("the MCP Python SDK drives peregrine mcp over stdio and HTTP: all checks passed")
    finally:
        local_bot.stop(processes)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/peregrine",
         sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="mcp-check-"))
