"""nrrkit's room server (``nrrkit room``): the notebooks as light pages, each person's own apps.

The server runs as a user starts it (``python -m nrrkit room``, one worker here) on a free local
port; the tests speak to it as its pages do (GET a page, POST a press to /api/act) and read the
figures it sends back.  The widget-to-HTML layer is tested on its own below, and the pages in
Debian's chromium at the end.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import ipywidgets as w
import pytest

from nrrkit import apps
from nrrkit.cli import main
from nrrkit.dashboards import controls
from nrrkit.dashboards.server import lan_addresses, room_urls
from nrrkit.dashboards.worker import Session, Worker
from nrrkit.exercises import Exercises

from .ports import free_port

ROOT = Path(__file__).resolve().parents[1]
ROOM = "01-nrr-in-ten-minutes"


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "nrrkit", "room", "--notebooks", str(ROOT / "notebooks"),
                             "--people", "2", "--workers", "1", "--port", str(port), "--ip", "127.0.0.1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in proc.stdout:  # the server says when the room's notebook is ready, then where to open it
        lines.append(line)
        if line.strip() == "Ctrl-C stops the room":
            break
    else:  # pragma: no cover
        pytest.fail("the room server did not start: " + "".join(lines)[-2000:])
    # the rest of its output is read as it comes: a pipe nobody reads fills up and stops the server
    later: list[str] = []
    reader = threading.Thread(target=lambda: later.extend(proc.stdout), daemon=True)
    reader.start()
    yield f"http://127.0.0.1:{port}", lines
    proc.terminate()  # SIGTERM, as a service manager stops it: the room ends as Ctrl-C ends it
    proc.wait(timeout=60)
    reader.join(timeout=10)
    rest = "".join(later)
    assert proc.returncode == 0 and rest.strip().splitlines()[-1] == "nrrkit room: stopped", rest[-2000:]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _post(url: str, body) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _sid(page_html: str) -> str:
    return re.search(r"data-sid='([^']+)'", page_html).group(1)


def _kpis(changes: dict) -> dict[str, str]:
    text = "".join(s["value"] for s in changes.values() if isinstance(s.get("value"), str))
    return dict(re.findall(r"data-name='([^']+)'[^>]*>([^<]+)<", text))


def _press(url, sid, slot, path, value=None, action="set", page=ROOM, seq=0):
    status, reply = _post(url + "/api/act", {"sid": sid, "page": page, "slot": slot, "path": path,
                                             "action": action, "value": value, "seq": seq})
    assert status == 200, reply
    return reply


def test_index_lists_the_notebooks_and_not_the_answers(server):
    url, lines = server
    ready = next(i for i, line in enumerate(lines) if "ready after" in line)
    assert lines[ready].startswith("room of 2: 1 worker(s), 01-nrr-in-ten-minutes ready after")
    # bound to 127.0.0.1: that address, said to reach only this machine, and it serves the room's notebook
    assert [line.strip() for line in lines[ready + 1:]] == [
        f"{url}/01-nrr-in-ten-minutes  (this machine only)",
        "(only this machine can open it: --ip 0.0.0.0 lets the room in)", "Ctrl-C stops the room"]
    assert _get(f"{url}/01-nrr-in-ten-minutes")[0] == 200
    status, page = _get(url + "/")
    assert status == 200
    links = re.findall(r"<a href='/([^']+)'>", page)
    assert links == ["00-index", "01-nrr-in-ten-minutes", "02-your-data", "03-cohorts-and-segments", "04-levers",
                     "05-five-year-scenarios"]
    assert "01 - NRR in ten minutes</a> <span class='nk-here'>(the room's notebook)" in page


def test_page_holds_the_notebooks_text_outputs_and_apps_but_no_code(server):
    url, _ = server
    status, page = _get(f"{url}/{ROOM}")
    assert status == 200 and "<title>01 - NRR in ten minutes</title>" in page
    # printed by the notebook's cells, computed by nrrkit when the server ran the notebook:
    assert "NRR 107.0%" in page                       # (100,000 + 15,000 - 3,000 - 5,000) / 100,000
    assert "loyal base  NRR 110%  GRR 95%" in page    # (100 + 15 - 3 - 2) / 100 and (100 - 3 - 2) / 100
    assert "import nrrkit" not in page and "ex.check" not in page
    # each exercise is its question (the notebook's text) and one box under it: no printed line in
    # between, and the box does not ask the question again; nothing says to edit or run a cell
    assert "type your answer" not in page and "choose your answer" not in page
    assert page.count("Your answer:") == 4  # q1 to q4
    assert page.count("What is its NRR?") == 1 and page.count("what is its GRR?") == 1
    assert "run the cell" not in page and "in place of" not in page and "replace the ..." not in page
    # the calculator and the four exercises are live slots, the calculator drawn with its figures
    assert re.findall(r"data-slot='(\d+)'", page) == ["0", "1", "2", "3", "4"]
    assert "nk-static" not in page
    assert re.search(r"data-name='NRR'[^>]*>107.0%<", page) and re.search(r"data-name='GRR'[^>]*>92.0%<", page)
    assert "src='data:image/png;base64,iVBOR" in page
    # one request: the script and styles are in the page, nothing is fetched from elsewhere
    assert "<script src" not in page and "<link" not in page and "http" not in page.split("<main>")[0]


def test_a_press_changes_only_that_persons_app(server):
    url, _ = server
    a, b = _sid(_get(f"{url}/{ROOM}")[1]), _sid(_get(f"{url}/{ROOM}")[1])
    assert a != b
    reply = _press(url, a, 0, "0.0.1", 20000)  # expansion 20,000
    # NRR (100,000 + 20,000 - 3,000 - 5,000) / 100,000 = 112.0%; GRR unchanged (100,000 - 8,000) / 100,000
    assert _kpis(reply["changes"]) == {"NRR": "112.0%", "GRR": "92.0%", "end MRR": "$112,000"}
    assert reply["changes"]["0.0.1"]["readout"] == "20,000"
    assert reply["changes"]["0.4"]["src"].startswith("data:image/png;base64,")  # the chart was redrawn
    assert "Good" in reply["changes"]["0.2"]["value"]  # 112% is 105% to under 115%
    # the other person still has expansion 15,000: contraction 4,000 gives (100 + 15 - 4 - 5) / 100 = 106.0%
    other = _press(url, b, 0, "0.0.2", 4000)
    assert _kpis(other["changes"]) == {"NRR": "106.0%", "GRR": "91.0%", "end MRR": "$106,000"}


def test_values_are_read_and_bounded_as_the_widgets_do(server):
    url, _ = server
    sid = _sid(_get(f"{url}/{ROOM}")[1])
    # the readout box accepts "25,000" (and "$"); expansion 25,000: (100 + 25 - 3 - 5) / 100 = 117.0%
    assert _kpis(_press(url, sid, 0, "0.0.1", "$25,000")["changes"])["NRR"] == "117.0%"
    # past the slider's end (twice start MRR, 200,000) it stops there: (100 + 200 - 3 - 5) / 100 = 292.0%
    top = _press(url, sid, 0, "0.0.1", 1e9)["changes"]
    assert top["0.0.1"]["value"] == 200_000 and _kpis(top)["NRR"] == "292.0%"
    # not a number: nothing changes, and the page gets the slider's value back to show
    same = _press(url, sid, 0, "0.0.1", "lots")["changes"]
    assert list(same) == ["0.0.1"] and same["0.0.1"]["value"] == 200_000
    # start MRR 50,000 rescales the sliders: expansion up to 100,000 (it held 200,000, which it keeps)
    rescaled = _press(url, sid, 0, "0.0.0", 50000)["changes"]
    assert rescaled["0.0.2"]["max"] == 50_000 and _kpis(rescaled)["NRR"] == "484.0%"  # (50 + 200 - 3 - 5) / 50


def test_exercises_check_each_persons_answers(server):
    url, _ = server
    sid = _sid(_get(f"{url}/{ROOM}")[1])
    # q1: start 200,000, expansion 30,000, contraction 10,000, churn 14,000: 206,000 / 200,000 = 103%
    _press(url, sid, 1, "1.1.0", "103%")
    assert _press(url, sid, 1, "1.1.1", action="click")["changes"]["1.2"]["value"] == "q1: right."
    _press(url, sid, 2, "2.1.0", "0.9")  # q2 GRR is (200,000 - 24,000) / 200,000 = 88%, not 90%
    first = _press(url, sid, 2, "2.1.1", action="click")["changes"]["2.2"]["value"]
    second = _press(url, sid, 2, "2.1.1", action="click")["changes"]["2.2"]["value"]
    assert first == "q2: not yet. Check your working and try again."
    # the hint a page gives points at the page (in JupyterLab it names nk.grr's arithmetic only)
    assert second == ("q2: not yet. Hint: GRR leaves expansion out: (start - contraction - churn) / start; the "
                      "calculator above shows it too.")
    # another person's first miss is their first: no hint yet
    other = _sid(_get(f"{url}/{ROOM}")[1])
    _press(url, other, 2, "2.1.0", "0.9")
    assert _press(url, other, 2, "2.1.1", action="click")["changes"]["2.2"]["value"].endswith("try again.")
    # q4, a choice: the sample's logo retention (87.0%) is below its GRR (91.4%), so the leavers paid less: a
    _press(url, sid, 4, "4.1.0", 0)
    assert _press(url, sid, 4, "4.1.1", action="click")["changes"]["4.2"]["value"] == "q4: right."


def test_closing_a_page_frees_its_copy(server):
    url, _ = server
    before = json.loads(_get(url + "/api/status")[1])
    sid = _sid(_get(f"{url}/{ROOM}")[1])
    _press(url, sid, 0, "0.0.3", 6000)
    during = json.loads(_get(url + "/api/status")[1])
    assert during["sessions"] == before["sessions"] + 1
    assert _post(url + "/api/close", {"sid": sid}) == (200, {"closed": True})
    after = json.loads(_get(url + "/api/status")[1])
    assert after["sessions"] == before["sessions"] and after["ended"] == before["ended"] + 1


def test_a_forgotten_page_is_told_and_resynced(server):
    url, _ = server
    # a page that pressed before (seq 7) but that the server does not know: it gets every control's state
    reply = _press(url, "forgotten-page", 0, "0.0.3", 6000, seq=7)
    assert reply["restarted"] is True
    assert {"0", "0.0", "0.0.0", "0.0.1", "0.1", "0.4"} <= set(reply["changes"])
    assert _kpis(reply["changes"])["NRR"] == "106.0%"  # (100 + 15 - 3 - 6) / 100


def test_bad_requests_get_one_line(server):
    url, _ = server
    assert _post(url + "/api/act", b"not json") == (400, {"error": "not a request from a room page"})
    assert _post(url + "/api/act", {"sid": "x", "page": "99-nope"})[0] == 404
    status, reply = _post(url + "/api/act", {"sid": "x", "page": ROOM, "slot": 0, "path": "0.9.9", "action": "set"})
    assert status == 200 and reply == {"error": "no control '0.9.9' on this page"}
    assert _post(url + "/api/act", {"sid": "x", "page": ROOM, "slot": "first"}) == (
        200, {"error": "not a press from a room page (it needs slot, path and action)"})
    assert _get(url + "/99-nope")[0] == 404
    # a link handed out for the Voila route lands on the same notebook
    status, page = _get(url + "/voila/render/01-nrr-in-ten-minutes.ipynb")
    assert status == 200 and "<title>01 - NRR in ten minutes</title>" in page


def test_every_notebook_runs_on_the_server(server):
    url, _ = server
    expected = {"00-index": 2, "01-nrr-in-ten-minutes": 5, "02-your-data": 4, "03-cohorts-and-segments": 5,
                "04-levers": 4, "05-five-year-scenarios": 4}
    for name, slots in expected.items():
        status, page = _get(f"{url}/{name}")
        assert status == 200, name
        assert "class='nk-error'" not in page and "Traceback" not in page, name
        assert len(re.findall(r"data-slot='\d+'", page)) == slots, name
        assert "nk-static" not in page and "nk-unsupported" not in page, name
        assert "run the cell" not in page and "in place of" not in page, name  # no words about code
    # notebook 04's lever app: the churn slider, then its KPIs, drawn from the person's own copy
    sid = _sid(_get(f"{url}/04-levers")[1])
    reply = _press(url, sid, 0, "0.0.1", 5, page="04-levers")
    assert "NRR" in _kpis(reply["changes"])


# -- the widget layer on its own --------------------------------------------------------------------

def test_controls_read_values_as_the_widgets_front_end_does():
    s = w.FloatSlider(value=10, min=0, max=50, step=0.5, readout_format=",.1f", description="churn (%)")
    controls.apply(s, "set", "12.5%")
    assert s.value == 12.5 and controls.state(s)["readout"] == "12.5"
    controls.apply(s, "set", -4)  # below the range: the slider stops at its end
    assert s.value == 0
    controls.apply(s, "set", "nan")  # not a number: unchanged
    assert s.value == 0
    i = w.IntSlider(value=5, min=1, max=10)
    controls.apply(i, "set", "7.6")
    assert i.value == 8
    d = w.Dropdown(options=[("12 months", 12), ("3 months", 3)], value=12)
    controls.apply(d, "set", "1")
    assert d.value == 3 and controls.state(d)["labels"] == ["12 months", "3 months"]
    with pytest.raises(controls.ControlError, match="no choice 5"):
        controls.apply(d, "set", 5)
    with pytest.raises(controls.ControlError, match="only a button"):
        controls.apply(d, "click")


def test_controls_draw_every_state_and_hide_what_is_hidden():
    box = w.VBox([w.HTML("<b>hi</b>"), w.ToggleButtons(options=["a", "b"], value="b"),
                  w.RadioButtons(options=["x", "y"], value=None), w.Button(description="Check", button_style="primary")])
    box.children[0].layout.display = "none"
    page = controls.tree_html(box, "3")
    assert "data-w='3.0' style='display:none'><b>hi</b>" in page
    assert "<button type='button' data-i='1' class='nk-toggle on'>b</button>" in page
    assert "checked" not in page.split("nk-radios")[1].split("</div>")[0]  # nothing chosen yet
    assert "class='nk-button nk-primary' data-kind='button' data-w='3.3'>Check</button>" in page
    # a widget type the room pages cannot draw is a note in its place, and the page around it still works
    assert "(a ColorPicker is not shown on room pages: open the notebook in JupyterLab to use it)" in (
        controls.tree_html(w.VBox([w.ColorPicker(), w.HTML("still here")]), "0"))


def test_app_and_exercise_copies_are_independent():
    calc = apps.NRRCalculator(start=100_000, expansion=15_000, contraction=3_000, churn=5_000)
    copy = calc.widget.nrrkit_copy()
    assert copy is not calc.widget and copy.children[1].value == calc.kpi.value  # same figures: 107.0%
    copy.children[0].children[1].value = 20_000
    assert calc.values["nrr"] == pytest.approx(1.07) and "112.0%" in copy.children[1].value
    ex = Exercises("01")
    mine = ex.widget("q2")
    theirs = mine.nrrkit_copy()
    for box in (mine, mine, theirs):
        box.children[1].children[0].value = "0.9"
        box.children[1].children[1].click()
    assert mine.children[2].value.startswith("q2: not yet. Hint:")
    assert theirs.children[2].value == "q2: not yet. Check your working and try again."


def test_idle_pages_are_forgotten_after_the_timeout():
    now = [1000.0]
    worker = Worker(ROOT / "notebooks", idle_timeout=600, clock=lambda: now[0])
    worker.sessions = {"a": Session(ROOM, 1000.0), "b": Session(ROOM, 1500.0)}
    now[0] = 1601.0  # a: 601 s unheard; b: 101 s
    assert worker.expire() == 1 and list(worker.sessions) == ["b"]
    assert worker.status()["ended"] == 1


def test_room_errors_are_one_line(capsys):
    assert main(["room", "--notebooks", str(ROOT / "notebooks"), "--workers", "0"]) == 2
    assert main(["room", "--notebooks", str(ROOT / "notebooks"), "--people", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["nrrkit: error: --workers must be 1 or more (got 0)",
                   "nrrkit: error: --people must be a whole number of participants, 1 or more (got 0)"]


def test_a_port_in_use_is_one_line():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "nrrkit", "room", "--notebooks", str(ROOT / "notebooks"),
                               "--people", "1", "--workers", "1", "--port", str(port), "--ip", "127.0.0.1"],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"nrrkit: error: port {port} on 127.0.0.1: Address already in use; pass another --port, or stop what uses it")


def test_the_ready_line_names_addresses_people_can_open():
    # every interface: the machine's network addresses and its name for the room, localhost for itself
    assert room_urls("0.0.0.0", 8866, "01-nrr-in-ten-minutes", lan=["192.168.1.20", "10.0.0.5"],
                     hostname="trainer") == [
        ("http://192.168.1.20:8866/01-nrr-in-ten-minutes", "the room"),
        ("http://10.0.0.5:8866/01-nrr-in-ten-minutes", "the room"),
        ("http://trainer:8866/01-nrr-in-ten-minutes", "the room, by name"),
        ("http://localhost:8866/01-nrr-in-ten-minutes", "this machine")]
    # no network: localhost only (the server then says to connect the machine)
    assert room_urls("0.0.0.0", 9000, "", lan=[], hostname="localhost") == [("http://localhost:9000/", "this machine")]
    # one address: that one; loopback is for this machine only; IPv6 in brackets
    assert room_urls("192.168.1.20", 8866) == [("http://192.168.1.20:8866/", "the room")]
    assert room_urls("127.0.0.1", 8866) == [("http://127.0.0.1:8866/", "this machine only")]
    assert room_urls("::1", 8866) == [("http://[::1]:8866/", "this machine only")]
    # this machine's own addresses: IPv4, none of them loopback
    for address in lan_addresses():
        assert socket.inet_aton(address) and not address.startswith("127.")


def test_sigterm_to_the_whole_room_ends_it_without_a_warning():
    """A service manager (systemd, docker stop) sends SIGTERM to every process of the room at once.
    A worker used to die outright: tqdm's lock (a semaphore, made when a notebook reads its data)
    was never released, and multiprocessing's resource tracker warned of a leaked semaphore."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "nrrkit", "room", "--notebooks", str(ROOT / "notebooks"),
                             "--people", "2", "--workers", "2", "--port", str(port), "--ip", "127.0.0.1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.strip() == "Ctrl-C stops the room":
            break
    os.killpg(proc.pid, signal.SIGTERM)  # the server, its workers and the resource tracker
    rest = proc.communicate(timeout=60)[0]  # to the end of the output: the tracker writes there too
    assert proc.returncode == 0
    assert rest.strip().splitlines() == ["nrrkit room: stopped"], rest[-2000:]


# -- in a browser ---------------------------------------------------------------------------------

def test_the_page_in_a_browser(server):
    chromium = os.environ.get("NRRKIT_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    url, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless=new", "--no-sandbox",
                                                                     "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page()
        page.goto(f"{url}/{ROOM}")
        page.wait_for_selector("body[data-ready='1']")
        before = page.locator(".nk-image").get_attribute("src")
        page.locator("[aria-label='expansion ($)']").focus()
        for _ in range(3):  # three steps of 100: expansion 15,300
            page.keyboard.press("ArrowRight")
        page.wait_for_function("s => document.querySelector('.nk-image').src !== s", arg=before)
        page.wait_for_function("() => document.querySelector(\"[data-name='NRR']\").textContent === '107.3%'")
        assert page.locator("[aria-label='expansion ($) value']").input_value() == "15,300"
        answer = page.locator("[data-slot='1'] input[type=text]")
        answer.fill("103%")
        answer.press("Enter")  # Enter checks, as the Check button does
        page.wait_for_function("() => document.querySelector(\"[data-w='1.2']\").textContent === 'q1: right.'")
        # printed lines wrap at the page's width: nothing scrolls sideways, on a laptop or a narrow window
        for width in (1280, 700):
            page.set_viewport_size({"width": width, "height": 900})
            for name in ("04-levers", "05-five-year-scenarios", "00-index"):
                page.goto(f"{url}/{name}")
                page.wait_for_selector("body[data-ready='1']")
                wide = page.evaluate("() => [...document.querySelectorAll('pre.nk-out')]"
                                     ".filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.textContent)")
                assert wide == [], (name, width, wide[:1])
                assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (name, width)
        browser.close()
