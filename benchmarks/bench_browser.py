"""Slider moved to chart updated, in the browser: the dashboards under Voila, driven in Debian's
chromium with Playwright (nothing downloaded).

    .venv/bin/python benchmarks/bench_browser.py

For each app, a slider's handle gets 20 right-arrow presses, one at a time; each time the
script measures, in the page, the time from the key press to the moment the chart's image is
replaced (the Image widget's ``src`` changes: kernel callback, the PNG over the websocket and
the browser's swap).  Prints the median and 90th percentile per app.  Target: median at most
150 ms.
"""

from __future__ import annotations

import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-dev-shm-usage"]
CASES = [("01-nrr-in-ten-minutes.ipynb", "expansion ($)"), ("04-levers.ipynb", "expansion a year (%)"),
         ("05-five-year-scenarios.ipynb", "NRR (%)")]
WATCH = """() => {
  window.__dt = null;
  const img = document.querySelector('.widget-image');
  const obs = new MutationObserver(() => { obs.disconnect(); window.__dt = performance.now() - window.__t0; });
  obs.observe(img, {attributes: true, attributeFilter: ['src']});
  document.addEventListener('keydown', () => { window.__t0 = performance.now(); }, {capture: true, once: true});
}"""


def main(presses: int = 20) -> None:
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, JUPYTER_PATH=str(ROOT / "share" / "jupyter"),
               JUPYTER_CONFIG_PATH=str(ROOT / "share" / "jupyter" / "config"))
    proc = subprocess.Popen([sys.executable, "-m", "voila", str(ROOT / "notebooks"), "--template=nrrkit",
                             "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/voila/tree", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            for name, label in CASES:
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                page.goto(f"{url}/voila/render/{name}", timeout=120_000)
                page.wait_for_selector(".widget-image", timeout=120_000)
                slider = page.locator(".widget-slider", has=page.locator(f"label:text-is('{label}')")).first
                handle = slider.locator(".noUi-handle")
                handle.focus()
                times = []
                for _ in range(presses):
                    page.evaluate(WATCH)
                    page.keyboard.press("ArrowRight")
                    page.wait_for_function("() => window.__dt !== null", timeout=30_000)
                    times.append(page.evaluate("window.__dt"))
                    page.wait_for_timeout(100)
                rows.append((name, times))
                page.goto("about:blank")
                page.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"{'page':<32} {'median ms':>10} {'p90 ms':>8} {'n':>4}")
    for name, t in rows:
        ms = sorted(t)
        print(f"{name:<32} {statistics.median(ms):10.0f} {ms[int(0.9 * (len(ms) - 1))]:8.0f} {len(ms):4d}")


if __name__ == "__main__":
    main()
