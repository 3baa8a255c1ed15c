"""A workshop room: the dashboards served to many people at once, and an offline install kit.

Two routes (docs/guide/workshop.md):

- **One machine serves the room.**  :func:`voila_command` builds the Voila command that
  ``nrrkit room`` runs: the notebooks as dashboards with nrrkit's network-free template, and a
  pool of *preheated* kernels for the notebook of the moment.  A preheated kernel has already
  run its notebook when the page arrives, so thirty people opening the same page at once get
  pages that are ready, instead of thirty kernels starting and running the notebook together.
- **Laptops with no internet.**  :func:`kit` prepares a folder holding nrrkit's wheel, the wheels
  of everything the quick start installs (for the platforms and Python versions the instructor
  names), the notebooks and an install script that reads only that folder (``pip --no-index``).
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError

__all__ = ["PLATFORMS", "RoomPlan", "plan", "voila_command", "serve", "kernels", "kit", "install_command"]

#: Platform names an instructor types, and the wheel tags pip looks for on each.
PLATFORMS: dict[str, tuple[str, ...]] = {
    "linux": ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux1_x86_64",
              "linux_x86_64"),
    "linux-arm": ("manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64", "linux_aarch64"),
    "mac-intel": ("macosx_10_13_x86_64", "macosx_10_15_x86_64", "macosx_11_0_x86_64", "macosx_12_0_x86_64",
                  "macosx_13_0_x86_64", "macosx_10_9_x86_64", "macosx_10_13_universal2", "macosx_10_9_universal2"),
    "mac-arm": ("macosx_11_0_arm64", "macosx_12_0_arm64", "macosx_13_0_arm64", "macosx_14_0_arm64",
                "macosx_10_13_universal2", "macosx_10_9_universal2"),
    "windows": ("win_amd64",),
}

#: Memory one dashboard kernel holds once its notebook has run (measured: see docs/guide/workshop.md).
KERNEL_MB = 200
#: The room's notebook when the instructor names none: the first dashboard of the workshop.
DEFAULT_NOTEBOOK = "01-nrr-in-ten-minutes.ipynb"


@dataclass(frozen=True)
class RoomPlan:
    """How a room is served: ``pool`` preheated kernels of ``notebook`` (people plus spares)."""

    people: int
    notebook: str
    pool: int
    memory_mb: int

    def describe(self) -> str:
        return (f"room of {self.people}: {self.pool} kernels of {self.notebook} run ahead of time "
                f"({self.people} + {self.pool - self.people} spare), about {self.memory_mb / 1024:.1f} GB of memory; "
                "other notebooks start a kernel when opened")


def plan(people: int, notebook: str = DEFAULT_NOTEBOOK, *, spare: float = 0.1) -> RoomPlan:
    """The pool for a room of ``people``: one kernel each plus a tenth (at least 2) for reloads.

    >>> plan(30).pool
    33
    >>> plan(10).pool
    12
    """
    if not isinstance(people, int) or people < 1:
        raise DataError(f"--people must be a whole number of participants, 1 or more (got {people!r})")
    extra = max(2, math.ceil(round(people * spare, 9)))  # a tenth, rounded up (30 x 0.1 is 3.0000000000000004)
    pool = people + extra
    return RoomPlan(people, notebook, pool, pool * KERNEL_MB)


def share_dir(notebooks: Path) -> Path:
    """The folder holding nrrkit's Voila template and config (``share/jupyter``): beside the notebooks'
    folder (a clone, or a kit), else beside the package (an editable install)."""
    for base in (notebooks.resolve().parent, Path(__file__).resolve().parents[1]):
        candidate = base / "share" / "jupyter"
        if (candidate / "voila" / "templates" / "nrrkit").is_dir():
            return candidate
    raise DataError(f"{notebooks}: no share/jupyter folder beside it (nrrkit's Voila template); "
                    "run nrrkit room from a clone of nrrkit or from a room kit")


def voila_command(notebooks: str | os.PathLike = "notebooks", *, people: int | None = None,
                  notebook: str = DEFAULT_NOTEBOOK, port: int = 8866, ip: str = "0.0.0.0",
                  refill_after: float = 120.0, python: str | None = None) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment that serve ``notebooks`` as dashboards.

    With ``people`` the room's notebook gets a pool of preheated kernels sized by :func:`plan`;
    a kernel taken by a page is replaced ``refill_after`` seconds later, once the room has
    arrived.  Without ``people`` every page starts its own kernel (fine for a few people).

    >>> argv, env = voila_command("notebooks", people=30)
    >>> env["NRRKIT_ROOM_POOL"], env["NRRKIT_ROOM_NOTEBOOK"]
    ('33', '01-nrr-in-ten-minutes.ipynb')
    """
    folder = Path(notebooks)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder of notebooks; give the notebooks folder of a clone or a room kit")
    if not (folder / notebook).is_file():
        names = ", ".join(sorted(p.name for p in folder.glob("*.ipynb"))) or "none"
        raise DataError(f"{notebook}: not a notebook in {folder} (there: {names}); pass --notebook NAME")
    share = share_dir(folder)
    env = dict(os.environ, JUPYTER_PATH=str(share), JUPYTER_CONFIG_PATH=str(share / "config"))
    for key in ("NRRKIT_ROOM_POOL", "NRRKIT_ROOM_NOTEBOOK", "NRRKIT_ROOM_REFILL"):
        env.pop(key, None)
    if people is not None:
        room = plan(people, notebook)
        env["NRRKIT_ROOM_POOL"] = str(room.pool)
        env["NRRKIT_ROOM_NOTEBOOK"] = notebook
        env["NRRKIT_ROOM_REFILL"] = f"{float(refill_after):g}"
    argv = [python or sys.executable, "-m", "voila", str(folder), "--template=nrrkit", "--no-browser",
            f"--port={port}", f"--Voila.ip={ip}"]
    return argv, env


def serve(notebooks: str | os.PathLike = "notebooks", **kwargs) -> int:
    """Run Voila as :func:`voila_command` says, until it is stopped (Ctrl-C)."""
    import importlib.util

    if importlib.util.find_spec("voila") is None:
        raise DataError("nrrkit room needs Voila, which is not installed here: pip install -e '.[lab]' "
                        "(the quick start's install) brings it")
    argv, env = voila_command(notebooks, **kwargs)
    people = kwargs.get("people")
    if people is not None:
        print(plan(people, kwargs.get("notebook", DEFAULT_NOTEBOOK)).describe(), file=sys.stderr)
    from .dashboards.server import room_urls

    for url, who in room_urls(kwargs.get("ip", "0.0.0.0"), kwargs.get("port", 8866)):
        print(f"  {url}  ({who})", file=sys.stderr)
    print("Ctrl-C stops the room", file=sys.stderr)
    try:
        return subprocess.call(argv, env=env)
    except KeyboardInterrupt:
        return 0


def kernels(server_pid: int) -> list[int]:
    """Process ids of the live kernels a Voila server started (its ipykernel children; Linux /proc).

    What a room's server holds: the preheated pool plus one kernel per open page; after the
    pages close and the cull has run, the pool alone.  Empty where there is no /proc.
    """
    out = []
    proc = Path("/proc")
    for d in (os.listdir(proc) if proc.is_dir() else []):
        if not d.isdigit():
            continue
        try:
            stat = (proc / d / "stat").read_text().rsplit(") ", 1)[1].split()
            if int(stat[1]) == server_pid and stat[0] != "Z" and b"ipykernel" in (proc / d / "cmdline").read_bytes():
                out.append(int(d))
        except OSError:  # the process ended while it was read
            continue
    return out


def install_command(python: str = "python3", extras: str = "lab") -> str:
    """The one command that installs a kit on a laptop, run inside the kit's folder.

    >>> install_command()
    'python3 -m venv .venv && .venv/bin/pip install --no-index --find-links wheels "nrrkit[lab]"'
    """
    what = f"nrrkit[{extras}]" if extras else "nrrkit"
    return f'{python} -m venv .venv && .venv/bin/pip install --no-index --find-links wheels "{what}"'


def _pip_download(requirements: list[str], dest: Path, *, platform: str | None, python_version: str | None,
                  python: str) -> None:
    cmd = [python, "-m", "pip", "download", "--quiet", "--dest", str(dest), "--prefer-binary"]
    if platform is not None:
        cmd += ["--only-binary=:all:"]
        for tag in PLATFORMS[platform]:
            cmd += ["--platform", tag]
        cmd += ["--python-version", python_version or f"{sys.version_info.major}.{sys.version_info.minor}"]
    cmd += requirements
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["pip download failed"])[-1]
        where = f" for {platform}" if platform else ""
        raise DataError(f"wheels{where} could not be fetched: {last}")


def kit(out: str | os.PathLike, *, platforms: list[str] | None = None, pythons: list[str] | None = None,
        extras: str = "lab", source: str | os.PathLike | None = None, python: str | None = None) -> Path:
    """Prepare an offline install kit in ``out``: wheels, notebooks, the sample data and an install script.

    Parameters
    ----------
    platforms : names from :data:`PLATFORMS`; default: this machine's own platform only.
    pythons : Python versions of the laptops (``"3.11"``, ``"3.12"``); default: this interpreter's.
    extras : the extra of nrrkit the laptops get (``"lab"``: JupyterLab and the notebooks, as the quick start).
    source : the nrrkit clone to build the wheel from (default: the one this module lives in).
    """
    python = python or sys.executable
    root = Path(source) if source is not None else Path(__file__).resolve().parents[1]
    if not (root / "pyproject.toml").is_file():
        raise DataError(f"{root}: not a clone of nrrkit (no pyproject.toml); pass the clone's folder")
    unknown = [p for p in platforms or [] if p not in PLATFORMS]
    if unknown:
        raise DataError(f"unknown platform {unknown[0]!r}; choose from {', '.join(PLATFORMS)}")
    out = Path(out)
    wheels = out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    built = subprocess.run([python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(root)],
                           capture_output=True, text=True)
    if built.returncode != 0:
        raise DataError(f"nrrkit's wheel could not be built: {(built.stderr.strip().splitlines() or ['?'])[-1]}")
    wheel = max(wheels.glob("nrrkit-*.whl"), key=lambda p: p.stat().st_mtime)
    requirement = [f"{wheel}[{extras}]" if extras else str(wheel)]
    if not platforms:
        _pip_download(requirement, wheels, platform=None, python_version=None, python=python)
    else:
        for name in platforms:
            for version in pythons or [None]:
                _pip_download(requirement, wheels, platform=name, python_version=version, python=python)
    for folder in ("notebooks", "data", "share"):
        if (root / folder).is_dir():
            skip = [".ipynb_checkpoints", "__pycache__", "*.py[co]"] + (["src"] if folder == "notebooks" else [])
            # notebooks/src holds the lessons' sources and the tool that builds them: not for a learner
            shutil.copytree(root / folder, out / folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*skip))
    script = out / "install.sh"
    script.write_text("#!/bin/sh\n# Installs nrrkit from the wheels in this folder; needs no network.\n"
                      'cd "$(dirname "$0")" && ' + install_command(extras=extras) + "\n"
                      'echo "installed; start with: .venv/bin/jupyter lab notebooks/00-index.ipynb '
                      '(as root: add --allow-root)"\n')
    script.chmod(0o755)
    (out / "install.bat").write_text(
        "@echo off\r\nrem Installs nrrkit from the wheels in this folder; needs no network.\r\n"
        'cd /d "%~dp0"\r\npy -m venv .venv && .venv\\Scripts\\pip install --no-index --find-links wheels '
        f'"{f"nrrkit[{extras}]" if extras else "nrrkit"}"\r\n')
    return out
