"""The workshop room: the room's Voila command and pool, and the offline install kit.

The kit test builds a kit for this machine (nrrkit's wheel and every wheel the quick start
installs, fetched by pip from the package index or its cache), then installs it into a fresh
virtual environment with ``--no-index``: nothing but the kit's folder is read, as on a laptop
with no internet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nrrkit import room
from nrrkit.cli import main
from nrrkit.errors import DataError

ROOT = Path(__file__).resolve().parents[1]


def test_pool_is_the_room_plus_a_tenth_for_reloads():
    # 30 people: 30 + ceil(3.0) = 33 kernels; 10 people: 10 + max(2, ceil(1.0)) = 12
    assert (room.plan(30).pool, room.plan(10).pool, room.plan(1).pool, room.plan(45).pool) == (33, 12, 3, 50)
    # memory at 200 MB a kernel: 33 x 200 = 6,600 MB
    assert room.plan(30).memory_mb == 6_600
    assert "33 kernels of 01-nrr-in-ten-minutes.ipynb" in room.plan(30).describe()


def test_room_command_serves_the_notebooks_with_the_pool():
    argv, env = room.voila_command(ROOT / "notebooks", people=30, notebook="04-levers.ipynb", port=9000)
    assert argv[1:4] == ["-m", "voila", str(ROOT / "notebooks")]
    assert "--template=nrrkit" in argv and "--port=9000" in argv and "--Voila.ip=0.0.0.0" in argv
    assert env["NRRKIT_ROOM_POOL"] == "33" and env["NRRKIT_ROOM_NOTEBOOK"] == "04-levers.ipynb"
    assert env["NRRKIT_ROOM_REFILL"] == "120"
    assert Path(env["JUPYTER_PATH"]) == ROOT / "share" / "jupyter"
    _argv, plain = room.voila_command(ROOT / "notebooks")
    assert "NRRKIT_ROOM_POOL" not in plain


def _config(env: dict) -> dict:
    """The Voila config file as Voila loads it, with the room's environment."""
    from traitlets.config import Config

    c = Config()
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        exec((ROOT / "share/jupyter/config/voila.py").read_text(), {"get_config": lambda: c})
    finally:
        os.environ.clear()
        os.environ.update(old)
    return c


def test_config_preheats_only_the_rooms_notebook():
    _argv, env = room.voila_command(ROOT / "notebooks", people=10)
    c = _config(env)
    assert c.VoilaConfiguration.preheat_kernel is True
    assert c.VoilaKernelManager.kernel_pools_config == {"default": {"pool_size": 0},
                                                         "01-nrr-in-ten-minutes.ipynb": {"pool_size": 12}}
    # Voila refuses preheated kernels together with a prelaunch hook
    assert c.VoilaKernelManager.fill_delay == 120.0
    assert "prelaunch_hook" not in c.VoilaConfiguration
    _argv, plain = room.voila_command(ROOT / "notebooks")
    c = _config(plain)
    assert "preheat_kernel" not in c.VoilaConfiguration and callable(c.VoilaConfiguration.prelaunch_hook)
    assert c.MappingKernelManager.cull_idle_timeout == 600


def test_pages_load_the_widget_extensions_and_not_the_editors():
    """Voila puts the front end of every installed JupyterLab extension into every page; the config
    leaves out the two an nrrkit dashboard does not use (jupytext's, for the notebook editor, and
    pygments', which colours code a dashboard hides).  Checked with Voila's own page config code."""
    import logging

    pytest.importorskip("voila")
    from voila.configuration import VoilaConfiguration
    from voila.utils import get_page_config

    _argv, env = room.voila_command(ROOT / "notebooks", people=10)
    for config in (_config(env), _config(room.voila_command(ROOT / "notebooks")[1])):   # room and plain
        assert config.VoilaConfiguration.extension_denylist == ["jupyterlab-jupytext", "jupyterlab_pygments"]
        page = get_page_config("/", {}, logging.getLogger("test"), VoilaConfiguration(config=config))
        names = {e["name"] for e in page["federated_extensions"]}
        # the widgets need both managers: Voila's, and JupyterLab's, which registers the controls
        assert {"@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"} <= names
        assert not names & {"jupyterlab-jupytext", "jupyterlab_pygments", "@voila-dashboards/jupyterlab-preview"}


def test_room_errors_are_one_line(capsys, tmp_path):
    assert main(["room", "--notebooks", str(tmp_path / "missing")]) == 2
    assert main(["room", "--notebooks", str(ROOT / "notebooks"), "--notebook", "99-nope.ipynb"]) == 2
    assert main(["room-kit", "-o", str(tmp_path / "kit"), "--platform", "amiga"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("nrrkit: error: ") for line in err)
    assert "missing: no such folder of notebooks" in err[0]
    assert "99-nope.ipynb: not a notebook in" in err[1] and "01-nrr-in-ten-minutes.ipynb" in err[1]
    assert "unknown platform 'amiga'; choose from linux, linux-arm, mac-intel, mac-arm, windows" in err[2]
    with pytest.raises(DataError, match="1 or more"):
        room.plan(0)


def test_kit_installs_with_no_network(tmp_path):
    """The kit for this machine installs nrrkit[lab] from its own folder alone (pip --no-index)."""
    kit = room.kit(tmp_path / "kit")
    names = {p.name.split("-")[0].lower() for p in (kit / "wheels").glob("*.whl")}
    assert {"nrrkit", "pandas", "jupyterlab", "ipywidgets", "voila", "papermill"} <= names  # the lab extra
    assert "pytest" not in names  # ... and not the test extra
    assert (kit / "notebooks" / "00-index.ipynb").is_file() and (kit / "share" / "jupyter").is_dir()
    assert not (kit / "notebooks" / "src").exists()  # the lessons' sources and their build tool stay behind
    assert "(as root: add --allow-root)" in (kit / "install.sh").read_text()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHONPATH"))}
    env["PIP_NO_INDEX"] = "1"   # belt and braces: the script says --no-index itself
    done = subprocess.run(["sh", str(kit / "install.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    python = kit / ".venv" / "bin" / "python"
    out = subprocess.run([str(python), "-c", "import nrrkit as nk, jupyterlab, ipywidgets; "
                          "print(round(nk.retention(nk.datasets.load_sample()).nrr.iloc[-1], 6))"],
                         env=env, capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    import nrrkit as nk

    assert float(out.stdout) == round(nk.retention(nk.datasets.load_sample()).nrr.iloc[-1], 6)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="kernels() reads /proc (Linux)")
def test_kernels_are_the_servers_live_ipykernel_children():
    # this test process plays the server: one child whose command line names ipykernel, one that
    # does not; only the first is a kernel, and once it has ended (and been reaped) none is left
    kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "ipykernel_launcher"])
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert room.kernels(os.getpid()) == [kernel.pid]
    finally:
        for p in (kernel, other):
            p.kill()
            p.wait()
    assert room.kernels(os.getpid()) == []
