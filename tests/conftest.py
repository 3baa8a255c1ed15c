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
