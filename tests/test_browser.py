"""The notebooks as a Voila dashboard, driven in Debian's chromium with Playwright.

Nothing is downloaded: Voila runs on 127.0.0.1 with nrrkit's template (no CDN links), and
Playwright drives /usr/bin/chromium through ``executable_path``.  Set
``NRRKIT_SCREENSHOTS=docs/screenshots`` to save the screenshots of the docs (docs/notebooks.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

import nrrkit as nk
from nrrkit import levers, plot, scenarios
from nrrkit.room import kernels

from .ports import free_port

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("0*.ipynb"))
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]


def _chromium() -> str:
    path = os.environ.get("NRRKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("chromium not installed (apt-get install chromium); browser tests skipped outside CI")
    return path


def start_voila(*extra: str):
    """Voila on a free local port with the repository's template and config (share/jupyter), as the
    docs' command runs it (docs/notebooks.md); returns (url, process)."""
    port = free_port()
    env = dict(os.environ, JUPYTER_PATH=str(ROOT / "share" / "jupyter"),
               JUPYTER_CONFIG_PATH=str(ROOT / "share" / "jupyter" / "config"))
    # the server's log goes to a file: a pipe nobody reads would fill up and stop the server mid-test
    log = tempfile.NamedTemporaryFile(prefix="voila-", suffix=".log", delete=False)
    proc = subprocess.Popen([sys.executable, "-m", "voila", str(ROOT / "notebooks"), "--template=nrrkit",
                             "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", "--show_tracebacks=True",
                             *extra], env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = log.name
    log.close()
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/voila/tree", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:  # pragma: no cover
        proc.kill()
        pytest.fail("voila did not start: " + server_log(proc)[-2000:])
    return url, proc


def server_log(proc) -> str:
    return Path(proc.log_path).read_text(errors="replace")


def stop_voila(proc) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    Path(proc.log_path).unlink(missing_ok=True)


@pytest.fixture(scope="module")
def voila_server():
    url, proc = start_voila()
    yield url, proc
    stop_voila(proc)


@pytest.fixture(scope="module")
def voila(voila_server):
    return voila_server[0]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = _chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS)
        yield b
        b.close()


def open_notebook(browser, voila, name):
    """A rendered dashboard page.  Rendering a notebook takes 3-15 s here; a page that is not shown
    after two minutes has stalled (the failure this suite guards against), so there is no retry."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    failed: list[str] = []
    sockets: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"{voila}/voila/render/{name}", timeout=120_000)
    try:
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
        # the page's front end is live once it has connected to its kernel: only then has it set
        # the handler that ends the kernel when the page is left (on a loaded machine the cells
        # can show a moment before that)
        for _ in range(1200):
            if any("/channels" in u for u in sockets):
                break
            page.wait_for_timeout(100)
        else:
            raise TimeoutError("the page never connected to its kernel")
    except Exception as exc:  # say what the page shows instead of only "timeout"
        raise AssertionError(f"{name} did not finish rendering ({exc}): {page.inner_text('body')[-1500:]}") from exc
    return page, failed


def leave(page) -> None:
    """Leave the page the way a reader does (the page's unload handler asks the server to end its kernel)."""
    page.goto("about:blank")
    page.close()


def open_app(browser, voila, name):
    """A notebook whose app has drawn its KPIs."""
    page, _ = open_notebook(browser, voila, name)
    page.wait_for_selector(".nrrkit-kpi")
    return page


def kpi(page, name):
    return page.locator(f".nrrkit-kpi[data-name='{name}']").first


def readout(page, label):
    slider = page.locator(".widget-slider", has=page.locator(f"label:text-is('{label}')")).first
    return slider, slider.locator(".widget-readout").inner_text()


def nudge(page, label, presses):
    """Press the right arrow on a slider ``presses`` times; returns its readout."""
    slider, _ = readout(page, label)
    slider.locator(".noUi-handle").focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    return readout(page, label)[1]


def expect_kpi(page, name, text):
    """Wait until the KPI called ``name`` shows ``text`` (the value nrrkit computes)."""
    page.wait_for_function("([sel, want]) => document.querySelector(sel).innerText === want",
                           arg=[f".nrrkit-kpi[data-name='{name}']", text], timeout=20_000)


def shoot(page, name):
    folder = os.environ.get("NRRKIT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def _check_page(page, failed, name):
    text = page.inner_text("#rendered_cells")
    assert "Traceback" not in text and "Error" not in re.sub(r"DataError|errors?\b", "", text), name
    assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, name
    assert not failed, f"{name}: requests failed (nothing may come from the network): {failed}"


def test_every_notebook_three_times_in_a_row(browser, voila_server):
    """Every notebook renders on each of three consecutive visits (pages used to stall for good at
    their first app), and no kernel outlives the pages once they are left."""
    url, proc = voila_server
    for visit in range(1, 4):
        for name in NOTEBOOKS:
            page, failed = open_notebook(browser, url, name)
            _check_page(page, failed, name)
            leave(page)
            for _ in range(60):   # the unload handler's shutdown request is asynchronous
                if not kernels(proc.pid):
                    break
                time.sleep(0.5)
            assert kernels(proc.pid) == [], (f"{name}, visit {visit}: its kernel outlived the page; the "
                                             f"server's log ends: {server_log(proc)[-1500:]}")


def test_an_abandoned_kernel_is_culled(browser):
    """A page that disappears without saying goodbye (a crashed tab, a laptop put to sleep) leaves
    its kernel idle and unconnected; the server culls it after the cull time (4 s here, 600 s in
    the shipped config)."""
    url, proc = start_voila("--MappingKernelManager.cull_idle_timeout=4", "--MappingKernelManager.cull_interval=1")
    try:
        page, _ = open_notebook(browser, url, "01-nrr-in-ten-minutes.ipynb")
        assert len(kernels(proc.pid)) == 1
        page.close()   # no unload handler runs: nothing asks for the kernel's end
        for _ in range(120):
            if not kernels(proc.pid):
                break
            time.sleep(0.5)
        assert kernels(proc.pid) == []
    finally:
        stop_voila(proc)


def test_the_loading_page_is_still(browser):
    """While a page loads, it says so in still text: Voila's stock spinner and its sliding
    gradients repainted every waiting page at every frame, which in a room of 30 on 2 cores took
    about as much CPU as loading the pages (docs/guide/workshop.md).  The page is held on its
    loading screen by refusing it Voila's script; on that screen no animation may run."""
    url, proc = start_voila()
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.route("**/voila/static/voila.js", lambda r: r.abort())
        page.goto(f"{url}/voila/render/00-index.ipynb", timeout=120_000)
        page.wait_for_selector("#loading_text", state="visible")
        # Voila replaces "Loading <title>..." with its progress as the notebook runs
        assert re.fullmatch(r"Loading .+\.\.\.|Executing \d+ of \d+", page.inner_text("#loading_text"))
        assert page.evaluate("document.getAnimations().length") == 0
        assert page.locator("#rendered_cells").is_hidden()
        page.close()
    finally:
        stop_voila(proc)   # the page never connected to its kernel: the server's end ends it


def test_calculator_slider_in_01(browser, voila):
    page = open_app(browser, voila, "01-nrr-in-ten-minutes.ipynb")
    assert kpi(page, "NRR").inner_text() == "107.0%"
    expansion = float(nudge(page, "expansion ($)", 10).replace(",", ""))
    assert expansion != 15_000
    expected = nk.nrr(100_000, expansion, 3_000, 5_000)
    expect_kpi(page, "NRR", f"{expected * 100:.1f}%")
    assert kpi(page, "end MRR").inner_text() == f"${100_000 + expansion - 8_000:,.0f}"
    shoot(page, "01-calculator.png")
    leave(page)


def test_lever_sliders_in_04(browser, voila):
    page = open_app(browser, voila, "04-levers.ipynb")
    expansion = float(nudge(page, "expansion a year (%)", 6)) / 100
    churn = float(readout(page, "churn a year (%)")[1]) / 100
    contraction = float(readout(page, "contraction a year (%)")[1]) / 100
    expected = levers.nrr_from_levers(churn=churn, contraction=contraction, expansion=expansion)
    expect_kpi(page, "NRR", f"{expected * 100:.1f}%")
    assert expansion != 0.15
    # a readout takes what it shows, with or without the % sign
    slider, _ = readout(page, "expansion a year (%)")
    box = slider.locator(".widget-readout")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("20%")
    page.keyboard.press("Enter")
    expected = levers.nrr_from_levers(churn=churn, contraction=contraction, expansion=0.20)
    expect_kpi(page, "NRR", f"{expected * 100:.1f}%")
    shoot(page, "04-levers.png")
    leave(page)


def test_scenario_slider_in_05(browser, voila):
    page = open_app(browser, voila, "05-five-year-scenarios.ipynb")
    nrr = float(nudge(page, "NRR (%)", 5)) / 100
    assert nrr != 1.25
    end = scenarios.project_arr(10e6, nrr=nrr, new_rate=0.2).end_arr.iloc[-1]
    expect_kpi(page, "ARR after 5 years", plot.money(end))
    shoot(page, "05-scenarios.png")
    leave(page)


@pytest.mark.parametrize("hostile", [False, True])
def test_pack_summary_page_fetches_nothing(browser, tmp_path, hostile):
    """summary.html of a pack opens from disk with every chart drawn and not one request beyond itself;
    with customer ids and segments that are HTML and formulas, the page still shows them as text."""
    from nrrkit import export

    from .test_export import SEG_B, _hand_company

    mrr = _hand_company() if hostile else nk.datasets.load_sample()
    res = export.pack(mrr, tmp_path / "pack", by="segment", n_boot=200 if hostile else 2000)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests, failed, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = (tmp_path / "pack" / export.SUMMARY).as_uri()
    page.goto(url)
    page.wait_for_load_state("load")
    widths = page.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
    assert len(widths) == len(export.CHARTS) and min(widths) > 0
    assert [u for u in requests if u != url and not u.startswith("data:")] == [] and failed == [] and errors == []
    nrr = page.locator(".kpi[data-name='nrr'] .v").inner_text()
    assert nrr == f"{res.nrr * 100:.1f}%"
    if hostile:
        assert page.locator("script").count() == 0
        assert SEG_B.strip() in page.locator("body").inner_text()
    elif os.environ.get("NRRKIT_SCREENSHOTS"):
        page.screenshot(path=str(Path(os.environ["NRRKIT_SCREENSHOTS"]) / "pack-summary.png"))
    page.close()
