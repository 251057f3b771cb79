"""Renders the dashboard in headless Chromium over a bot trading the local exchange, at desktop width and
at 390 px (a phone), and fails on a blank page, a script error, an API error shown on the page, or a
missing chart or table (the parity panel's row included). Screenshots are written beside the log for review.

    python scripts/server/dashboard_check.py .build/debug/peregrine [out-dir]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import local_bot  # noqa: E402  (scripts/support)

TOKEN = "dashboard-check-token-0123"


def main(executable, folder):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)
    processes, api_port, _, _ = local_bot.start(executable, folder, TOKEN, speed="240x",
                                                extra_toml='[exits]\nstop_loss = "0.4%"\nresting = true\n')
    try:
        time.sleep(12)  # some bars (about four a second), decisions and fills
        # A proposal (as the MCP server makes them) waits in its panel with confirm and reject buttons.
        proposal = urllib.request.Request(f"http://127.0.0.1:{api_port}/api/v1/pending", method="POST",
                                          data=json.dumps({"action": "pause", "bot": "sma-cross", "requested_by": "mcp:pause_bot",
                                                           "reason": "dashboard check"}).encode(),
                                          headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        urllib.request.urlopen(proposal, timeout=30).read()
        browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        assert browser, "headless Chromium is needed (apt-get install chromium)"
        url = f"http://127.0.0.1:{api_port}/#token={TOKEN}"
        common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=6000",
                  "--enable-logging=stderr", "--v=0"]
        dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=120)
        page = dom.stdout
        console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
        assert not any("Uncaught" in line or "Error" in line for line in console), "script errors: " + "\n".join(console)
        assert 'id="error" style="display: none;"' in page or 'style="display: none;" id="error"' in page, \
            "the page shows an error: " + page[page.find('id="error"'):][:300]
        assert "<polyline" in page, "no equity chart"
        bots = page[page.find('id="bots"'):page.find('id="positions"')]
        assert "sma-cross" in bots and "badge running" in bots and ">pause<" in bots, "no running bot with its pause button: " + bots[:600]
        charts = page[page.find('id="charts"'):page.find('id="bots"')]
        assert charts.count('class="candle"') >= 20 and 'data-symbol="SYN"' in charts, "no candlestick chart: " + charts[:300]
        assert charts.count('class="band"') == 2, "no Bollinger bands on the chart"
        validation = page[page.find('id="validation"'):page.find('id="assistant"')]
        assert "sma-cross" in validation and "no backtest" in validation, "no go/no-go row: " + validation[:300]
        # The parity panel compares the bot's fills with its backtest on the bars it handled (a row with the
        # run and the counts, not a refusal).
        parity = page[page.find('id="parity"'):page.find('id="assistant"')]
        assert "sma-cross" in parity and "not compared" not in parity and (">same<" in parity or ">differs<" in parity), \
            "no parity row: " + parity[:600]
        proposals = page[page.find('id="proposals"'):page.find('id="bots"')]
        assert "mcp:pause_bot" in proposals and ">confirm<" in proposals and ">reject<" in proposals, "no proposal panel: " + proposals[:400]
        decisions = page[page.find('id="decisions"'):]
        assert decisions.count("<tr>") >= 5, "no decisions listed"
        for name, size in (("desktop", "1280,1000"), ("phone", "390,1400")):
            shot = os.path.join(folder, f"dashboard-{name}.png")
            subprocess.run(common + [f"--window-size={size}", f"--screenshot={shot}", url], capture_output=True, timeout=120, check=True)
            image = Image.open(shot).convert("RGB")
            pixels = list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())
            plain = (245, 246, 248)
            filled = sum(1 for p in pixels if p != plain and p != (255, 255, 255)) / len(pixels)
            blue = sum(1 for r, g, b in pixels if r < 60 and 80 < g < 130 and b > 160)
            width = image.size[0]
            print(f"{name} {image.size[0]}x{image.size[1]}: {filled:.1%} drawn, {blue} equity-line pixels")
            assert width == int(size.split(",")[0]), image.size
            assert filled > 0.03, f"the {name} page is (nearly) blank"
            assert blue > 100, f"the {name} page has no equity line"
        print(f"dashboard renders over a running bot: all checks passed (screenshots in {folder})")
    finally:
        local_bot.stop(processes)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/peregrine",
         sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="dashboard-"))
