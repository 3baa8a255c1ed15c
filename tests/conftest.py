"""Test set-up: a non-interactive matplotlib backend and no leaked figures."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# tests/data/bad/make_files.py rebuilds the bad-input corpus when run by hand; importing it
# (as --doctest-modules would) must not rewrite tracked files.
collect_ignore_glob = ["data/*"]


@pytest.fixture()
def tiny_csv(tmp_path):
    """The tiny company of ``nrrkit.datasets`` as a CSV file."""
    import nrrkit as nk

    path = tmp_path / "tiny.csv"
    path.write_text(nk.datasets.TINY_CSV)
    return path


@pytest.fixture()
def run(capsys):
    """Run the CLI in-process: ``code, out, err = run("metrics", path)``."""
    from nrrkit.cli import main

    def _run(*argv):
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return _run
