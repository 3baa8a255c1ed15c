"""Callback latency of the what-if apps on the bundled sample (recompute + redraw).

    MPLBACKEND=Agg python benchmarks/bench_apps.py

Each app's controls are moved through 15 values each; the script reports the median
and the 90th percentile of ``app.last_seconds``: the whole callback, from the widget
change to the chart's PNG in the Image widget (nrrkit maths, KPI text, redraw and
PNG encoding).  Target: median at most 150 ms.  The browser's side (slider moved to
chart updated on screen) is measured by benchmarks/bench_browser.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform
import statistics

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402

import nrrkit as nk  # noqa: E402
from nrrkit import apps  # noqa: E402


def measure(app, moves) -> list[float]:
    """The callback's own time: it ends with the PNG in the app's Image widget."""
    times = []
    for widget, values in moves:
        for v in values:
            widget.value = v
            times.append((app.last_seconds, app.last_cpu_seconds))
    return times


def main() -> None:
    mrr = nk.datasets.load_sample()
    cases = []
    with contextlib.redirect_stdout(io.StringIO()):  # Output.clear_output prints escapes outside a kernel
        _run(mrr, cases)
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'app':<18} {'median ms':>10} {'p90 ms':>8} {'CPU median ms':>14} {'n':>4}")
    for name, t in cases:
        ms = sorted(x * 1000 for x, _ in t)
        cpu = sorted(c * 1000 for _, c in t)
        print(f"{name:<18} {statistics.median(ms):10.0f} {ms[int(0.9 * (len(ms) - 1))]:8.0f} "
              f"{statistics.median(cpu):14.0f} {len(ms):4d}")


def _run(mrr, cases) -> None:
    calc = apps.NRRCalculator()
    cases.append(("NRRCalculator", measure(calc, [(calc.expansion, np.linspace(0, 40_000, 15)),
                                                  (calc.churn, np.linspace(0, 20_000, 15))])))
    lev = apps.LeverExplorer()
    cases.append(("LeverExplorer", measure(lev, [(lev.churn, np.linspace(1, 40, 15)),
                                                 (lev.expansion, np.linspace(0, 50, 15))])))
    sc = apps.ScenarioExplorer()
    cases.append(("ScenarioExplorer", measure(sc, [(sc.nrr, np.linspace(80, 150, 15)),
                                                   (sc.new_rate, np.linspace(0, 60, 15))])))
    ret = apps.RetentionExplorer(mrr)
    cases.append(("RetentionExplorer", measure(ret, [(ret.window, [12, 3, 1] * 5),
                                                     (ret.method, list(nk.METHODS) * 3)])))
    seg = apps.SegmentExplorer(mrr)
    cases.append(("SegmentExplorer", measure(seg, [(seg.by, ["plan", "pricing", "channel", "segment"] * 4),
                                                   (seg.window, [3, 1, 12] * 5)])))
    coh = apps.CohortExplorer(mrr)
    cases.append(("CohortExplorer", measure(coh, [(coh.period, ["Q", "M", "Y"] * 5),
                                                  (coh.metric, ["logos", "revenue"] * 7 + ["logos"])])))


if __name__ == "__main__":
    main()
