"""A workshop room on one machine: N people open the same dashboard at once, then all move a slider.

    .venv/bin/python benchmarks/bench_room.py --people 10 30            # nrrkit room: the light pages
    .venv/bin/python benchmarks/bench_room.py --people 10 30 --voila    # nrrkit room --voila: preheated kernels
    .venv/bin/python benchmarks/bench_room.py --people 30 --plain       # plain Voila: every page starts a kernel

The server is started as docs/guide/workshop.md says (``nrrkit room --people N``, with ``--voila``
``nrrkit room --voila --people N``, or the plain Voila command with ``--plain``) on 127.0.0.1.  The
script waits until the server is ready for the room (the light server says so; Voila says its
kernel pool is full: the instructor starts the server before the room arrives) and reports how
long that took.  Then N browser contexts of Debian's chromium (Playwright, nothing downloaded)
open notebook 01 at the same moment; a page has loaded when its app has drawn its figures.
Each page then scrolls to the calculator, as a reader must before moving its slider (measured
both ways on the light pages: when the 30 pages scroll at the moment of their first press, the
browsers drawing the newly shown part of the page crowd the server out, and that first press
takes about 4 s; the later presses are not affected).  A page is shown, and counted as loaded,
before its browser has laid out and drawn all of it, so the script then waits until the
browsers are done (under 0.15 of a core for a second) and reports how long that took;
``--at-once`` presses the moment the last page loaded instead.  Then every page presses the right arrow on the same slider ``--presses`` times, all pages
together, each press timed in the page from the key press to the moment the chart's image is
replaced.  Finally every page is left (its unload handler asks the server to end its kernel)
and the kernels (light server: the people's app copies) still held 20 s later are counted.

The browsers run on the same machine as the server, so they take CPU the server would have in a
real room, where each person's browser runs on their own laptop: the figures are pessimistic.
Prints one table row per N: page load median and p90, pages that never loaded, slider latency
median and p90, kernels and their memory at the peak, kernels left after the pages closed, and
the CPU time the server and its kernels spent per page loaded and per slider press (what one
machine pays for a room whose browsers run elsewhere).  A second table splits the CPU time of
the load (and of each press) between the browser's processes (renderers, the browser process,
the GPU process, the others), the server (Voila and its kernels) and Playwright's driver, read
from /proc; the last lines say how many arriving pages and slider presses one core of the server
alone serves a second.  The load average before each N is printed with it: on a shared machine,
compare figures measured at similar loads.

To measure Voila's stock (animated) loading screen against nrrkit's still one, move
share/jupyter/voila/templates/nrrkit/spinner.macro.html.j2 aside and run again: the template
then takes Voila's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_browser import WATCH  # noqa: E402 - the same in-page timer as the single-page benchmark

from nrrkit.room import kernels, plan, voila_command  # noqa: E402

NOTEBOOK = "01-nrr-in-ten-minutes.ipynb"
SLIDER = "expansion ($)"
# the light pages' chart, for the same in-page timer (it watches the image's src)
WATCH_PAGES = WATCH.replace("document.querySelector('.widget-image')", "document.querySelector('.nk-image')")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run"]



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Server:
    """The dashboards as the docs start them, with the server's log read on a thread.

    ``mode``: "pages" (``nrrkit room``), "voila" (``nrrkit room --voila``) or "plain" (Voila, no pool)."""

    def __init__(self, people: int, mode: str, workers: int | None = None):
        self.port, self.mode = free_port(), mode
        if mode == "pages":
            argv = [sys.executable, "-m", "nrrkit", "room", "--notebooks", str(ROOT / "notebooks"), "--people",
                    str(people), "--port", str(self.port), "--ip", "127.0.0.1"]
            argv += ["--workers", str(workers)] if workers else []
            env = None
        else:
            argv, env = voila_command(ROOT / "notebooks", people=people if mode == "voila" else None, port=self.port,
                                      ip="127.0.0.1")
            argv = argv + ["--Voila.log_level=INFO"]
        self.proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.log: list[str] = []
        self.pool_full = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(self.url + ("/" if mode == "pages" else "/voila/tree"), timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("the server did not start:\n" + "".join(self.log[-30:]))

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line)
            if ("Kernel pool of" in line and "is filled" in line) or "ready after" in line:
                self.pool_full.set()

    def page_url(self) -> str:
        return f"{self.url}/{NOTEBOOK[:-6]}" if self.mode == "pages" else f"{self.url}/voila/render/{NOTEBOOK}"

    def held(self) -> tuple[int, list[int]]:
        """What the server holds for people now: (count, the processes holding it).  Voila: its kernels;
        the light server: the pages it keeps a copy of the apps for, held by the server and its workers."""
        if self.mode != "pages":
            ks = kernels(self.proc.pid)
            return len(ks), ks
        with urllib.request.urlopen(self.url + "/api/status", timeout=30) as r:
            status = __import__("json").loads(r.read())
        return status["sessions"], [self.proc.pid, *status["worker_pids"]]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
            total += int(fields[11]) + int(fields[12])   # utime + stime, in clock ticks
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, float, bytes]]:
    """Every process: its parent, its CPU seconds so far and its command line."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            fields = Path(f"/proc/{d}/stat").read_text().rsplit(") ", 1)[1].split()
            out[int(d)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick,
                           Path(f"/proc/{d}/cmdline").read_bytes())
        except (OSError, IndexError, ValueError):
            continue
    return out


def _kind(cmdline: bytes) -> str:
    """Which part of the browser a process is (chromium rewrites its children's command lines,
    so the words are split on spaces as well as NULs)."""
    words = cmdline.replace(b"\0", b" ").split()
    for word in words:
        if word.startswith(b"--type="):
            kind = word[7:].decode()
            return {"gpu-process": "gpu"}.get(kind, kind if kind == "renderer" else "other")
    if words and b"chromium" in words[0]:
        return "browser"
    return "driver"   # Playwright's node driver: the benchmark's own, no part of a room


class CpuMeter:
    """CPU seconds by process kind: this script's descendants (the browser's processes and
    Playwright's driver) and the server (Voila and its kernels), sampled twice a second so that a
    process that exits between two marks keeps what it spent."""

    def __init__(self, server_pid: int):
        self.server_pid, self.me = server_pid, os.getpid()
        self.last: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.sample()
        threading.Thread(target=self._run, daemon=True).start()

    def sample(self) -> None:
        table = _proc_table()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in table.items():
            children.setdefault(ppid, []).append(pid)

        def tree(root: int) -> list[int]:
            out, i = [root], 0
            while i < len(out):
                out += children.get(out[i], [])
                i += 1
            return out

        server = tree(self.server_pid)
        mine = [p for p in tree(self.me) if p != self.me and p not in set(server)]
        with self._lock:
            for pid in server:
                if pid in table:
                    self.last[pid] = ("server", table[pid][1])
            for pid in mine:
                self.last[pid] = (_kind(table[pid][2]), table[pid][1])

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def mark(self) -> dict[int, tuple[str, float]]:
        self.sample()
        with self._lock:
            return dict(self.last)

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        """CPU seconds by kind between two marks."""
        out: dict[str, float] = {}
        for pid, (kind, cpu) in after.items():
            out[kind] = out.get(kind, 0.0) + cpu - (before[pid][1] if pid in before else 0.0)
        return out

    def stop(self) -> None:
        self._stop.set()


def settle(pid: int, quiet: float = 3.0) -> None:
    """Wait until the server and its kernels have finished running and rendering the pool's notebooks
    (no CPU for ``quiet`` seconds)."""
    last, since = -1.0, time.perf_counter()
    while time.perf_counter() - since < quiet:
        now = cpu_seconds([pid, *kernels(pid)])
        if now - last > 0.05:
            last, since = now, time.perf_counter()
        time.sleep(0.5)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def one_person(browser, server: Server, start: asyncio.Event, presses: int, go_slide: asyncio.Event,
                     ready: list, loads: list, lat: list, fails: list, firsts: list) -> object:
    ctx = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await ctx.new_page()
    await start.wait()
    t0 = time.perf_counter()
    try:
        await page.goto(server.page_url(), timeout=600_000)
        await page.wait_for_selector(".nrrkit-kpi", timeout=600_000)
        if server.mode == "pages":  # and the whole page is read, its script running (the KPI comes mid-page)
            await page.wait_for_selector("body[data-ready='1']", state="attached", timeout=600_000)
        loads.append(time.perf_counter() - t0)
        if server.mode == "pages":
            handle, watch = page.locator(f"[aria-label='{SLIDER}']"), WATCH_PAGES
        else:
            slider = page.locator(".widget-slider", has=page.locator(f"label:text-is('{SLIDER}')")).first
            handle, watch = slider.locator(".noUi-handle"), WATCH
        # the reader scrolls down to the calculator, as anyone must before moving its slider: the
        # browser draws that part of the page now, not inside the first press's timing
        await handle.scroll_into_view_if_needed(timeout=600_000)
    except Exception as exc:  # a page that never loaded
        fails.append(f"load: {type(exc).__name__}")
        ready.append(None)
        await go_slide.wait()
        return ctx, page
    ready.append(page)
    await go_slide.wait()
    for _ in range(presses):
        await page.evaluate(watch)
        await handle.focus()
        await page.keyboard.press("ArrowRight")
        try:
            # checked every 100 ms, not every frame: the in-page timer does the timing, and 30 pages
            # polling every frame spent more CPU than the pages themselves (0.13 s a press)
            await page.wait_for_function("() => window.__dt !== null", polling=100, timeout=30_000)
            lat.append(await page.evaluate("window.__dt"))
            firsts.append(lat[-1]) if _ == 0 else None
        except Exception:
            fails.append("slider: no new image within 30 s")
    return ctx, page


async def browsers_idle(meter: CpuMeter, quiet: float = 0.15, limit: float = 60.0) -> float:
    """Wait until the browsers have finished drawing the pages: under ``quiet`` of a core for a
    second.  A page is shown (and counted as loaded) before the browser has laid out and drawn all
    of it; on the shared cores, that remaining work would otherwise land in the first press."""
    began = time.perf_counter()
    last = meter.mark()
    while time.perf_counter() - began < limit:
        await asyncio.sleep(1.0)
        now = meter.mark()
        spent = CpuMeter.spent(last, now)
        if sum(v for k, v in spent.items() if k in ("renderer", "browser", "gpu", "other")) < quiet:
            break
        last = now
    return time.perf_counter() - began


async def room(server: Server, people: int, presses: int, read: float = 0.0, settle: bool = True) -> dict:
    from playwright.async_api import async_playwright

    chromium = os.environ.get("NRRKIT_CHROMIUM") or "/usr/bin/chromium"
    loads: list[float] = []
    lat: list[float] = []
    firsts: list[float] = []
    fails: list[str] = []
    ready: list = []
    peak = {"kernels": 0, "mb": 0.0}
    stop_sampling = threading.Event()

    def sample() -> None:
        while not stop_sampling.is_set():
            count, pids = server.held()
            if count >= peak["kernels"]:
                peak["kernels"] = count
                peak["mb"] = max(peak["mb"], rss_mb(pids))
            time.sleep(1)

    threading.Thread(target=sample, daemon=True).start()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=ARGS)
        start, go_slide = asyncio.Event(), asyncio.Event()
        tasks = [asyncio.create_task(one_person(browser, server, start, presses, go_slide, ready, loads, lat, fails, firsts))
                 for _ in range(people)]
        await asyncio.sleep(2)   # every context open before the room "arrives"
        meter = CpuMeter(server.proc.pid)
        before = set(kernels(server.proc.pid))   # the pool (room mode) or nothing (plain, light pages)
        c0, t0 = meter.mark(), time.perf_counter()
        start.set()
        while len(ready) < people:
            await asyncio.sleep(0.2)
        all_loaded = time.perf_counter() - t0
        drawn = await browsers_idle(meter) if settle else 0.0
        await asyncio.sleep(read)   # --read: everybody reads the page before pressing
        c1 = meter.mark()
        go_slide.set()
        done = await asyncio.gather(*tasks)
        c2 = meter.mark()
        meter.stop()
        for ctx, page in done:   # leave as a reader does: the unload handler ends the kernel
            try:
                await page.goto("about:blank")
            except Exception:
                pass
            await ctx.close()
        await browser.close()
    stop_sampling.set()
    time.sleep(20)
    if server.mode == "pages":
        left = server.held()[0]
    alive = set(kernels(server.proc.pid))
    # pages took N of the pool's kernels; any of them still alive was not ended with its page
    # (kernels started after the arrival are refills of the pool, and plain mode has no pool)
    pool_left = len(alive & before) - max(len(before) - people, 0)
    return dict(all_loaded=all_loaded, drawn=drawn, loads=loads, lat=lat, firsts=firsts, fails=fails, peak=peak,
                left=left if server.mode == "pages" else pool_left if before else len(alive),
                cpu_load={k: v / people for k, v in CpuMeter.spent(c0, c1).items()},
                cpu_slide={k: v / max(len(lat), 1) for k, v in CpuMeter.spent(c1, c2).items()})


def print_cpu(rows: list) -> None:
    """Where the CPU went while the room loaded, per page: the browser's processes (in a room, each
    person's own laptop) against the server's (Voila and its kernels: what the room's machine pays)."""
    print("\nCPU seconds per page while the pages loaded (per slider press in brackets), from /proc:")
    print("| people | load average before | browser: renderer | browser process | GPU process | other browser "
          "processes | browser, all | server (Voila + kernels) | Playwright driver (the benchmark's own) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, load, r in rows:
        a, b = r["cpu_load"], r["cpu_slide"]
        browser = ("renderer", "browser", "gpu", "other")
        cells = [f"{a.get(k, 0):.2f} ({b.get(k, 0):.2f})" for k in browser]
        whole = f"{sum(a.get(k, 0) for k in browser):.2f} ({sum(b.get(k, 0) for k in browser):.2f})"
        print(f"| {n} | {load:.2f} | {' | '.join(cells)} | {whole} | {a.get('server', 0):.2f} "
              f"({b.get('server', 0):.2f}) | {a.get('driver', 0):.2f} ({b.get('driver', 0):.2f}) |")
    for n, _, r in rows:
        page, press = r["cpu_load"].get("server", 0), r["cpu_slide"].get("server", 0)
        if page > 0 and press > 0:
            print(f"room of {n}, the server alone (browsers elsewhere): a core serves about {1 / page:.0f} "
                  f"arriving pages a second and {1 / press:.0f} slider presses a second")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, nargs="+", default=[10, 30])
    ap.add_argument("--presses", type=int, default=5)
    ap.add_argument("--workers", type=int, default=None, help="light pages: nrrkit room --workers N")
    ap.add_argument("--at-once", action="store_true",
                    help="press the moment the last page loaded, without waiting for the browsers to finish drawing")
    ap.add_argument("--read", type=float, default=0.0, metavar="SECONDS",
                    help="wait this long after the last page loaded before everybody presses (default 0: at once)")
    ap.add_argument("--voila", action="store_true", help="nrrkit room --voila: Voila with preheated kernels")
    ap.add_argument("--plain", action="store_true", help="plain Voila, no pool: every page starts its own kernel")
    args = ap.parse_args()
    mode = "plain" if args.plain else "voila" if args.voila else "pages"
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GB, "
          f"load average {os.getloadavg()[0]:.2f}; mode: "
          f"{ {'plain': 'plain Voila', 'voila': 'nrrkit room --voila', 'pages': 'nrrkit room (light pages)'}[mode]}")
    print("| people | pool ready after | every page loaded after | page load median / p90 | pages that never loaded "
          "| slider to image median / p90 | slider presses that failed | "
          + ("people with their own app copies at peak, server memory | copies held 20 s after the pages closed" if mode == "pages" else
             "kernels at peak | page kernels left 20 s after the pages closed")
          + " | server CPU a page / a press |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    cpu_rows = []
    for n in args.people:
        load_before = os.getloadavg()[0]
        t0 = time.perf_counter()
        server = Server(n, mode, args.workers)
        try:
            if mode != "plain":
                if not server.pool_full.wait(timeout=900):
                    raise SystemExit("the server was not ready in 15 minutes:\n" + "".join(server.log[-20:]))
                settle(server.proc.pid)   # Voila says "filled" when the kernels start; they then run the notebook
                warm = (f"{time.perf_counter() - t0:.0f} s ({plan(n).pool} kernels)" if mode == "voila" else
                        f"{time.perf_counter() - t0:.0f} s")
            else:
                warm = "no pool"
            r = asyncio.run(room(server, n, args.presses, args.read, not args.at_once))
            load_fail = sum(f.startswith("load") for f in r["fails"])
            slide_fail = len(r["fails"]) - load_fail
            left = r["left"]
            if not r["loads"] or not r["lat"]:
                raise SystemExit(f"room of {n}: no page loaded or no press was timed: {r['fails'][:5]}")
            print(f"| {n} | {warm} | {r['all_loaded']:.1f} s | {statistics.median(r['loads']):.1f} / "
                  f"{pct(r['loads'], 0.9):.1f} s | {load_fail} | {statistics.median(r['lat']):.0f} / "
                  f"{pct(r['lat'], 0.9):.0f} ms | {slide_fail} | {r['peak']['kernels']}, "
                  f"{r['peak']['mb'] / 1024:.1f} GB | {left} | "
                  f"{r['cpu_load'].get('server', 0):.2f} / {r['cpu_slide'].get('server', 0):.2f} s |", flush=True)
            cpu_rows.append((n, load_before, r))
            later = [x for x in r["lat"]]
            for x in r["firsts"]:
                later.remove(x)
            if r["firsts"] and later:
                print(f"  room of {n}: first press median / p90 {statistics.median(r['firsts']):.0f} / "
                      f"{pct(r['firsts'], 0.9):.0f} ms; later presses {statistics.median(later):.0f} / "
                      f"{pct(later, 0.9):.0f} ms; the browsers finished drawing the pages {r['drawn']:.1f} s "
                      "after the last one loaded" + (f", then everybody read for {args.read:g} s" if args.read else "")
                      + (" (not waited for: --at-once)" if args.at_once else ""), flush=True)
        finally:
            server.stop()
    print_cpu(cpu_rows)
    errors = [m for m in re.findall(r"\[E [^\n]*", "".join(server.log))][:5]
    if errors:
        print("server errors:", *errors, sep="\n  ")


if __name__ == "__main__":
    main()
