"""Renders a backtest tearsheet in headless Chromium and fails on a blank or broken page: the page must
fill a tall screenshot with many colours, including the strategy's equity line (blue), the drawdown (red)
and the monthly-returns heatmap (green and red cells).

    python scripts/reports/tearsheet_check.py .build/debug/peregrine [out-dir]
"""
import os
import shutil
import subprocess
import sys
import tempfile

from PIL import Image


def main(executable, folder):
    os.makedirs(folder, exist_ok=True)
    page = os.path.join(folder, "tearsheet.html")
    shot = os.path.join(folder, "tearsheet.png")
    run = subprocess.run([executable, "backtest", "--data", "synthetic:bars=20000,interval=1h,seed=3", "--param", "percent=0.95",
                          "--report", page], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    html = open(page, encoding="utf-8").read()
    assert "<script" not in html.lower(), "the tearsheet must not carry scripts"
    assert html.count("<svg") >= 6, "expected at least six charts"
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    assert browser, "headless Chromium is needed (apt-get install chromium)"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,2600",
                    f"--screenshot={shot}", "file://" + os.path.abspath(page)], capture_output=True, timeout=120, check=True)
    image = Image.open(shot).convert("RGB")
    width, height = image.size
    assert (width, height) == (1000, 2600), image.size
    pixels = list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())
    not_white = sum(1 for p in pixels if p != (255, 255, 255)) / len(pixels)
    colours = len(set(pixels))
    blue = sum(1 for r, g, b in pixels if r < 60 and 80 < g < 130 and b > 160)        # #1565c0, the equity line
    red = sum(1 for r, g, b in pixels if r > 180 and g < 80 and b < 80)               # drawdown line and losses
    green_cells = sum(1 for r, g, b in pixels if g == 255 and r < 230 and b < 230)    # monthly gains
    print(f"screenshot {width}x{height}: {not_white:.1%} not white, {colours} colours, "
          f"{blue} equity-blue, {red} red, {green_cells} green-cell pixels")
    assert not_white > 0.10, "the page is (nearly) blank"
    assert colours > 200, "too few colours for a page of charts"
    assert blue > 500 and red > 500 and green_cells > 2000, "a chart or the monthly table is missing"
    print("tearsheet renders: all checks passed")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/peregrine",
         sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="tearsheet-"))
