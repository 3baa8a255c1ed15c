"""The room server: the notebooks as light dashboard pages, for a room of people at once.

One web process (Tornado, as Jupyter and Voila use) sends each page as a single HTML document
(the notebook's text and outputs, its apps' controls as plain HTML, a few kB of script) and
passes each press to a worker process (one per 2 people, 1 to 8 per core) that holds the
person's own copy of the app (:mod:`nrrkit.dashboards.worker`).  There is no kernel per person and no JupyterLab front end
to load: a page costs its browser a small fraction of a Voila page, and the server a few
milliseconds; a press costs one redraw of one chart.
"""

from __future__ import annotations

import asyncio
import html
import json
import math
import multiprocessing
import os
import secrets
import signal
import socket
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

from ..errors import DataError
from . import worker as worker_module

__all__ = ["RoomServer", "serve", "notebook_names", "default_workers", "room_urls", "lan_addresses", "DEFAULT_PORT"]

DEFAULT_PORT = 8866
#: Largest request body a page sends (a press, or an answer typed in an exercise box).
MAX_BODY = 64 * 1024


def _asset(name: str) -> str:
    return resources.files("nrrkit.dashboards").joinpath("static", name).read_text(encoding="utf-8")


def notebook_names(folder: Path) -> list[str]:
    """The notebooks a room can open: ``*.ipynb`` in ``folder`` but the answers' notebook, by name."""
    return sorted(p.stem for p in folder.glob("*.ipynb") if p.stem != "solutions" and not p.name.startswith("."))


def default_workers(people: int, cores: int | None = None) -> int:
    """Worker processes for a room: one per 2 people, at least one per core and at most 8 per core.

    A press waits behind the presses of the people on its own worker only, so when everybody
    presses at once, fewer people per worker means a shorter wait, and one slow press (a notebook
    opened for the first time takes its worker a few seconds) holds up one other person, not
    half the room.  On a machine busy with other programs (in the room benchmark, the browsers
    themselves), every process gets an equal share of the cores, so the room's many workers keep
    a fair share.  Each worker holds about 0.2 GB once it has run the room's notebook.

    >>> default_workers(30, cores=2), default_workers(10, cores=2), default_workers(200, cores=8)
    (15, 5, 64)
    """
    cores = cores or os.cpu_count() or 1
    return max(cores, min(8 * cores, math.ceil(people / 2)))


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses that other machines can reach (loopback left out), best first.

    The address of the route to other networks comes first (a UDP socket "connected" to a
    private address sends nothing, but the system picks the interface it would use), then the
    addresses the host name resolves to.  Empty on a machine with no network.
    """
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        for *_, sockaddr in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM):
            found.append(sockaddr[0])
    except OSError:
        pass
    out: list[str] = []
    for a in found:
        if a not in out and not a.startswith("127.") and a != "0.0.0.0":
            out.append(a)
    return out


def room_urls(ip: str, port: int, path: str = "", *, lan: list[str] | None = None,
              hostname: str | None = None) -> list[tuple[str, str]]:
    """The addresses to open a room served on ``ip``:``port`` at, each with who can use it.

    Bound to every interface (``0.0.0.0``, ``::`` or ``""``): this machine's network addresses
    (:func:`lan_addresses`) and its host name, for the room, then ``localhost`` for this machine.
    Bound to a loopback address: that address only, for this machine.  Bound to one address: it.

    >>> room_urls("0.0.0.0", 8866, "01-nrr", lan=["192.168.1.20"], hostname="trainer-laptop")
    ... # doctest: +NORMALIZE_WHITESPACE
    [('http://192.168.1.20:8866/01-nrr', 'the room'), ('http://trainer-laptop:8866/01-nrr', 'the room, by name'),
     ('http://localhost:8866/01-nrr', 'this machine')]
    >>> room_urls("127.0.0.1", 8866, "01-nrr")
    [('http://127.0.0.1:8866/01-nrr', 'this machine only')]
    """
    tail = f":{port}/{path}"
    if ip in ("0.0.0.0", "", "::"):
        lan = lan_addresses() if lan is None else lan
        hostname = socket.gethostname() if hostname is None else hostname
        urls = [(f"http://{a}{tail}", "the room") for a in lan]
        if hostname and hostname != "localhost":
            urls.append((f"http://{hostname}{tail}", "the room, by name"))
        return [*urls, (f"http://localhost{tail}", "this machine")]
    host = f"[{ip}]" if ":" in ip else ip
    local = ip.startswith("127.") or ip in ("::1", "localhost")
    return [(f"http://{host}{tail}", "this machine only" if local else "the room")]


def _name(text: str) -> str:
    name = text.strip("/")
    return name[: -len(".ipynb")] if name.endswith(".ipynb") else name


class RoomServer:
    """Workers, pages and the web application of a room.

    Parameters
    ----------
    folder : the notebooks' folder.
    people : the room's size; each worker keeps copies of the room notebook's apps ready for its
        share of the room, plus two.
    notebook : the room's notebook, built (and its pools filled) before the server says it is ready.
    workers : worker processes (default: :func:`default_workers`, one per 2 people, between 1 and 8
        per core).
    idle_timeout : seconds after which a page not heard from is forgotten (an open page says it is
        there once a minute, so only pages that vanished are forgotten).
    """

    def __init__(self, folder: str | os.PathLike = "notebooks", *, people: int = 30,
                 notebook: str = "01-nrr-in-ten-minutes", workers: int | None = None,
                 idle_timeout: float = 600.0) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise DataError(f"{self.folder}: no such folder of notebooks; give the notebooks folder of a clone "
                            "or a room kit")
        self.names = notebook_names(self.folder)
        self.room = _name(notebook)
        if self.room not in self.names:
            there = ", ".join(f"{n}.ipynb" for n in self.names) or "none"
            raise DataError(f"{notebook}: not a notebook in {self.folder} (there: {there}); pass --notebook NAME")
        if not isinstance(people, int) or people < 1:
            raise DataError(f"--people must be a whole number of participants, 1 or more (got {people!r})")
        self.people = people
        self.workers = max(1, int(workers)) if workers else default_workers(people)
        self.pool = math.ceil(people / self.workers) + 2
        self.idle_timeout = idle_timeout
        self._conns: list = []
        self._procs: list = []
        self._locks: list[asyncio.Lock] = []
        self._pages: dict[str, asyncio.Future] = {}
        self._assigned: dict[str, int] = {}  # page (session id) -> its worker, in turn as pages are sent
        self._turn = 0
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="nrrkit-room")
        self._css, self._js = _asset("room.css"), _asset("room.js")

    # -- workers -------------------------------------------------------------------------------
    def start_workers(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        for _ in range(self.workers):
            here, there = ctx.Pipe()
            proc = ctx.Process(target=worker_module.main, daemon=True,
                               args=(there, str(self.folder.resolve()), self.pool, self.room, self.idle_timeout))
            proc.start()
            self._conns.append(here)
            self._procs.append(proc)
            self._locks.append(asyncio.Lock())

    def stop_workers(self) -> None:
        for conn in self._conns:
            try:
                conn.send(None)
            except OSError:
                pass
        for proc in self._procs:
            proc.join(5)
            if proc.is_alive():  # busy past 5 s: SIGTERM, which a worker also ends on cleanly
                proc.terminate()
                proc.join(5)
            if proc.is_alive():
                proc.kill()
        self._executor.shutdown(wait=False)

    def worker_pids(self) -> list[int]:
        return [p.pid for p in self._procs]

    def assign(self) -> str:
        """A new page's session id, given to the workers in turn (an even share of the room each)."""
        sid = secrets.token_urlsafe(12)
        self._assigned[sid] = self._turn % self.workers
        self._turn += 1
        return sid

    def release(self, sid: str) -> None:
        self._assigned.pop(sid, None)

    def worker_of(self, sid: str) -> int:
        """The worker holding page ``sid`` (one the server did not send, by a hash of its id)."""
        found = self._assigned.get(sid)
        return found if found is not None else zlib.crc32(sid.encode()) % self.workers

    async def call(self, i: int, msg: dict) -> dict:
        def roundtrip():
            self._conns[i].send(msg)
            return self._conns[i].recv()

        async with self._locks[i]:
            return await asyncio.get_running_loop().run_in_executor(self._executor, roundtrip)

    async def page(self, name: str) -> dict:
        """The page of notebook ``name``, built by every worker (each holds its apps) the first time."""
        if name not in self._pages:
            future = self._pages[name] = asyncio.get_running_loop().create_future()
            fill = name == self.room
            replies = await asyncio.gather(*(self.call(i, {"op": "build", "page": name, "fill": fill})
                                             for i in range(self.workers)))
            bad = next((r for r in replies if "error" in r), None)
            if bad is not None:
                del self._pages[name]
                future.set_exception(DataError(bad["error"]))
                future.exception()  # retrieved: the caller below raises it
                raise DataError(bad["error"])
            for line in replies[0].get("errors", []):
                print(f"nrrkit room: {line}", file=sys.stderr)
            future.set_result(replies[0])
        return await asyncio.shield(self._pages[name])

    async def status(self) -> dict:
        replies = await asyncio.gather(*(self.call(i, {"op": "status"}) for i in range(self.workers)))
        return {"sessions": sum(r["sessions"] for r in replies), "ended": sum(r["ended"] for r in replies),
                "ready": sum(r["ready"] for r in replies), "workers": self.workers, "worker_pids": self.worker_pids(),
                "pages": sorted(set().union(*(r["pages"] for r in replies)))}

    # -- HTML ----------------------------------------------------------------------------------
    def render(self, title: str, body: str, sid: str = "", page: str = "") -> str:
        return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
                f"<title>{html.escape(title)}</title><style>{self._css}</style></head>"
                f"<body data-sid='{sid}' data-page='{html.escape(page, quote=True)}'>"
                f"<nav class='nk-nav'><a href='/'>nrrkit notebooks</a></nav><main>{body}</main>"
                f"<div id='nk-status' role='status'></div><script>{self._js}</script></body></html>")

    def index_html(self) -> str:
        import nbformat

        from .notebook import title_of

        items = []
        for name in self.names:
            title = title_of(nbformat.read(self.folder / f"{name}.ipynb", as_version=4)) or name
            here = " <span class='nk-here'>(the room's notebook)</span>" if name == self.room else ""
            items.append(f"<li><a href='/{html.escape(name)}'>{html.escape(title)}</a>{here}</li>")
        body = ("<h1>nrrkit notebooks</h1><p>Pick a notebook. Each page is yours: what you move changes only "
                f"your page.</p><ul class='nk-index'>{''.join(items)}</ul>")
        return self.render("nrrkit notebooks", body)

    # -- the web application ---------------------------------------------------------------------
    def app(self):
        import tornado.web

        server = self

        class Base(tornado.web.RequestHandler):
            def set_default_headers(self):
                self.set_header("Cache-Control", "no-store")

            def write_error(self, status_code, **kwargs):
                self.finish(server.render("nrrkit room", f"<h1>{status_code}</h1><p>{html.escape(self._reason)}</p>"))

        class Index(Base):
            def get(self):
                self.finish(server.index_html())

        class Notebook(Base):
            async def get(self, text):
                name = _name(text)
                if name not in server.names:
                    self.set_status(404)
                    self.finish(server.render("not found", f"<h1>No notebook {html.escape(name)!s}</h1>"
                                              "<p><a href='/'>The notebooks</a></p>"))
                    return
                try:
                    page = await server.page(name)
                except DataError as exc:
                    self.set_status(500)
                    self.finish(server.render("error", f"<p class='nk-error'>{html.escape(str(exc))}</p>"))
                    return
                self.finish(server.render(page["title"], page["body"], server.assign(), name))

        class Api(Base):
            def check_xsrf_cookie(self):  # the pages post JSON with no cookie; there is no login to protect
                return None

            async def post(self, op):
                if len(self.request.body) > MAX_BODY:
                    raise tornado.web.HTTPError(413)
                try:
                    msg = json.loads(self.request.body or b"{}")
                    sid = str(msg["sid"])
                except (ValueError, KeyError, TypeError):
                    self.set_status(400)
                    self.finish({"error": "not a request from a room page"})
                    return
                if op == "close":
                    await server.call(server.worker_of(sid), {"op": "close", "sid": sid})
                    server.release(sid)
                    self.finish({"closed": True})
                    return
                if msg.get("page") not in server.names:
                    self.set_status(404)
                    self.finish({"error": f"no notebook {msg.get('page')!r}"})
                    return
                await server.page(msg["page"])
                msg.update(op="act", sid=sid)
                self.finish(await server.call(server.worker_of(sid), msg))

        class Status(Base):
            async def get(self):
                self.finish(await server.status())

        class NoIcon(Base):  # browsers ask for one; answering "nothing" keeps the log and consoles quiet
            def get(self):
                self.set_status(204)
                self.finish()

        class Voila(Base):  # links handed out for the Voila route keep working
            def get(self, text):
                self.redirect("/" + _name(text))

        return tornado.web.Application([
            (r"/", Index),
            (r"/api/status", Status),
            (r"/api/(act|close)", Api),
            (r"/voila/render/(.+)", Voila),
            (r"/favicon.ico", NoIcon),
            (r"/([^/]+)", Notebook),
        ])  # not compressed: the answers to presses are mostly a PNG, which gzip cannot shrink

    async def run(self, port: int = DEFAULT_PORT, ip: str = "0.0.0.0", ready=None) -> None:
        """Start the workers, build the room's notebook, listen, and serve until cancelled."""
        began = time.monotonic()
        self.app().listen(port, address=ip)  # first: a port in use is said at once; early pages wait for the build
        print(f"nrrkit room: starting {self.workers} worker(s) and running {self.room} ...", file=sys.stderr,
              flush=True)
        self.start_workers()
        try:
            await self.page(self.room)
            if ready is not None:
                ready(time.monotonic() - began)
            await asyncio.Event().wait()
        finally:
            self.stop_workers()


def serve(notebooks: str | os.PathLike = "notebooks", *, people: int = 30, notebook: str = "01-nrr-in-ten-minutes",
          port: int = DEFAULT_PORT, ip: str = "0.0.0.0", workers: int | None = None) -> int:
    """Serve ``notebooks`` to a room until Ctrl-C (``nrrkit room``)."""
    server = RoomServer(notebooks, people=people, notebook=notebook, workers=workers)

    def ready(seconds: float) -> None:
        print(f"room of {people}: {server.workers} worker(s), {server.room} ready after {seconds:.1f} s "
              f"({server.pool} copies of its apps per worker)", file=sys.stderr)
        urls = room_urls(ip, port, server.room)
        width = max(len(url) for url, _ in urls)
        for url, who in urls:
            print(f"  {url:<{width}}  ({who})", file=sys.stderr)
        if ip in ("0.0.0.0", "", "::") and not any(who.startswith("the room") for _, who in urls):
            print("  (no network address found: connect this machine to the room's network)", file=sys.stderr)
        if all(who == "this machine only" for _, who in urls):
            print("  (only this machine can open it: --ip 0.0.0.0 lets the room in)", file=sys.stderr)
        print("Ctrl-C stops the room", file=sys.stderr, flush=True)

    # a service manager's stop (SIGTERM, often to every process of the room) or a closed terminal (SIGHUP):
    # end as Ctrl-C does, the workers too
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    try:
        asyncio.run(server.run(port, ip, ready))
    except KeyboardInterrupt:
        try:
            print("nrrkit room: stopped", file=sys.stderr)
        except OSError:  # the terminal was closed (SIGHUP): nobody to tell
            pass
        return 0
    except OSError as exc:
        raise DataError(f"port {port} on {ip}: {exc.strerror or exc}; pass another --port, or stop what uses it") \
            from None
    return 0


def _interrupt(*_) -> None:
    raise KeyboardInterrupt
