"""A worker of the room server: the notebooks run once, and every person's own copy of each app.

The server starts several worker processes (:func:`nrrkit.dashboards.server.default_workers`).
A person's page is served by one worker for its whole life (given in turn when the page is
sent), which holds that person's copies of the page's slots.  Copies are made ahead of time, a pool per slot, so the first press of a slider costs what
any other press costs; the pool is refilled while the worker has nothing else to do.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from . import controls
from .notebook import Page, run_notebook

__all__ = ["Worker", "main"]


@dataclass
class Session:
    """One open page: the person's copies of its slots, and when it was last heard from."""

    page: str
    seen: float
    roots: dict[int, object] = field(default_factory=dict)


class Worker:
    """Pages, pools and sessions of one worker; :meth:`handle` answers the server's requests.

    Parameters
    ----------
    folder : the notebooks' folder.
    pool : copies of each slot of the room's notebook kept ready (other notebooks keep 2).
    room : the room's notebook (its name without ``.ipynb``).
    idle_timeout : seconds after which a page not heard from is forgotten (an open page says it
        is there once a minute).
    """

    def __init__(self, folder: str | Path, *, pool: int = 2, room: str = "", idle_timeout: float = 600.0,
                 clock=time.monotonic) -> None:
        self.folder = Path(folder)
        self.pool_size = pool
        self.room = room
        self.idle_timeout = idle_timeout
        self.clock = clock
        self.pages: dict[str, Page] = {}
        self.pools: dict[tuple[str, int], deque] = {}
        self.sessions: dict[str, Session] = {}
        self.sessions_ended = 0

    # -- pages ---------------------------------------------------------------------------------
    def build(self, name: str) -> Page:
        if name not in self.pages:
            path = self.folder / f"{name}.ipynb"
            if not path.is_file():
                raise controls.ControlError(f"no notebook {name!r}")
            page = run_notebook(path)
            self.pages[name] = page
            for slot in page.slots:
                if slot.live:
                    self.pools[(name, slot.number)] = deque()
        return self.pages[name]

    def target(self, name: str) -> int:
        """How many copies of each slot of notebook ``name`` are kept ready."""
        return self.pool_size if name == self.room else 2

    def _take(self, name: str, number: int):
        page = self.build(name)
        slot = page.slots[number] if 0 <= number < len(page.slots) else None
        if slot is None:
            raise controls.ControlError(f"no slot {number} on {name}")
        if not slot.live:
            raise controls.ControlError("this part of the page is shown only; it does not change on the room server")
        pool = self.pools[(name, number)]
        return pool.popleft() if pool else slot.copy()

    def refill(self) -> bool:
        """Make one missing copy of a slot; False when every pool is full."""
        for (name, number), pool in self.pools.items():
            if len(pool) < self.target(name):
                pool.append(self.pages[name].slots[number].copy())
                return True
        return False

    def fill(self) -> None:
        while self.refill():
            pass

    # -- sessions ------------------------------------------------------------------------------
    def act(self, sid: str, page: str, slot: int, path: str, action: str, value=None, seq: int = 0) -> dict:
        """Apply one press to the person's copy and return what changed on their page."""
        now = self.clock()
        session = self.sessions.get(sid)
        restarted = False
        if session is None or session.page != page:
            self.build(page)
            restarted = seq > 0 and session is None  # the page spoke before, and was forgotten meanwhile
            session = self.sessions[sid] = Session(page, now)
        session.seen = now
        if action == "touch":
            return {"changes": {}}
        prefix = str(slot)
        if not path.split(".")[0] == prefix:
            raise controls.ControlError(f"control {path!r} is not in slot {slot}")
        root = session.roots.get(slot)
        if root is None:
            root = session.roots[slot] = self._take(page, slot)
        widget = controls.find(root, prefix, path)
        before = {} if restarted else controls.states(root, prefix)
        controls.apply(widget, action, value)
        return {"changes": controls.changes(before, controls.states(root, prefix), always=path),
                "restarted": restarted}

    def close(self, sid: str) -> dict:
        if self.sessions.pop(sid, None) is not None:
            self.sessions_ended += 1
        return {"closed": True}

    def expire(self) -> int:
        """Forget pages not heard from for ``idle_timeout`` seconds; how many were forgotten."""
        now = self.clock()
        old = [sid for sid, s in self.sessions.items() if now - s.seen > self.idle_timeout]
        for sid in old:
            del self.sessions[sid]
        self.sessions_ended += len(old)
        return len(old)

    def status(self) -> dict:
        return {"sessions": len(self.sessions), "ended": self.sessions_ended, "pages": sorted(self.pages),
                "ready": sum(len(p) for p in self.pools.values())}

    def handle(self, msg: dict) -> dict:
        op = msg.get("op")
        if op == "build":
            page = self.build(msg["page"])
            if msg.get("fill"):
                self.fill()
            return {"title": page.title, "body": page.body, "errors": page.errors}
        if op == "act":
            try:
                slot, path, action = int(msg["slot"]), str(msg["path"]), str(msg["action"])
                seq = int(msg.get("seq") or 0)
            except (KeyError, TypeError, ValueError):
                raise controls.ControlError("not a press from a room page (it needs slot, path and action)") from None
            return self.act(msg["sid"], msg["page"], slot, path, action, msg.get("value"), seq)
        if op == "close":
            return self.close(msg["sid"])
        if op == "status":
            return self.status()
        raise controls.ControlError(f"unknown request {op!r}")


def main(conn, folder: str, pool: int, room: str, idle_timeout: float,
         refill_quiet: float = 3.0) -> None:  # pragma: no cover - a process
    """A worker process: answer the server's requests; between them refill pools and forget idle pages.

    A copy taken from a pool is replaced only once no request has come for ``refill_quiet``
    seconds: making copies while a room presses its sliders would delay every press.
    """
    import signal

    import matplotlib

    from ..exercises import Exercises

    Exercises.on_page = True  # exercise boxes speak of the box and the Check button, not of cells and code

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole room; the server ends its workers
    stopping = []

    def stop(*_):  # SIGTERM (a service manager stops every process of the room) or SIGHUP (terminal closed)
        stopping.append(True)
        raise SystemExit(0)  # through Python's exit, so multiprocessing's finalizers release what they hold

    # Without this a SIGTERM ends the process outright: the semaphore tqdm's lock holds (made when a
    # notebook reads data) is never unregistered, and multiprocessing's resource tracker warns at exit
    # that it "leaked".
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    matplotlib.use("Agg")
    worker = Worker(folder, pool=pool, room=room, idle_timeout=idle_timeout)
    last_expiry = last_request = time.monotonic()
    while not stopping:  # a stop while a notebook ran is caught by its cell: end here
        missing = any(len(p) < worker.target(n) for (n, _), p in worker.pools.items())
        if conn.poll(0.05 if missing else 5.0):
            try:
                msg = conn.recv()
            except EOFError:
                return
            if msg is None:
                return
            last_request = time.monotonic()
            try:
                reply = worker.handle(msg)
            except controls.ControlError as exc:
                reply = {"error": str(exc)}
            except Exception as exc:  # noqa: BLE001 - one person's bad press must not end the room
                traceback.print_exc(file=sys.stderr)
                reply = {"error": f"the server could not do that ({type(exc).__name__}); tell the instructor"}
            conn.send(reply)
        elif time.monotonic() - last_request > refill_quiet:
            worker.refill()
        if time.monotonic() - last_expiry > 30:
            worker.expire()
            last_expiry = time.monotonic()
