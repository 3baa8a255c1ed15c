"""The documentation site: it builds offline with warnings as errors, every public name and every
CLI command has a page, and in chromium no page of it shows a broken image, a link to a page or
anchor of the site that does not exist, or asks the network for anything.

The site is built once per test session into a temporary folder (about 15-30 s on two cores),
exactly as the contributing page says: ``python -m sphinx -W -b html docs OUT``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _need(module: str):
    try:
        return __import__(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed; the test extra installs the docs extra")
        pytest.skip(f"{module} not installed (pip install -e '.[docs]')")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    _need("sphinx")
    _need("myst_nb")
    out = tmp_path_factory.mktemp("site")
    r = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(ROOT / "docs"), str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-6000:]
    return out


def test_every_public_name_has_a_page(site):
    import nrrkit

    missing = [name for name in nrrkit.__all__ if not (site / "api" / "generated" / f"nrrkit.{name}.html").exists()]
    assert not missing, f"add these to docs/api/index.rst: {missing}"
    # the public functions and classes of the modules (plot, levers, scenarios, sql, pack, ...)
    for module in ("plot", "levers", "scenarios", "sql", "pack", "room", "apps", "datasets", "benchmarks", "sources"):
        mod = __import__(f"nrrkit.{module}", fromlist=["__all__"])
        absent = [n for n in mod.__all__ if callable(getattr(mod, n))
                  and not (site / "api" / "generated" / f"nrrkit.{module}.{n}.html").exists()]
        assert not absent, (module, absent)


def test_every_cli_command_has_its_page(site):
    from nrrkit.cliargs import parser

    sub = next(a for a in parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    index = (site / "cli.html").read_text()
    for command in sub.choices:
        page = site / "cli" / f"{command}.html"
        assert page.exists(), command
        text = " ".join(re.sub(r"<[^>]+>", "", page.read_text()).split())
        assert f"nrrkit {command} [-h]" in text, command  # its usage line, every flag after it
        assert f'href="cli/{command}.html"' in index, command
    # a flag of every reading command, with its help text, e.g. metrics --window
    metrics = " ".join(re.sub(r"<[^>]+>", "", (site / "cli" / "metrics.html").read_text()).split())
    assert "--window" in metrics and "months from base to end month" in metrics


def test_notebooks_render_from_stored_outputs_with_their_apps(site):
    """myst-nb executes nothing; each app a notebook stores is drawn from its widget state, chart included
    (the exercises' answer boxes are widgets too: snapshots, without a chart)."""
    for name, apps in {"01-nrr-in-ten-minutes": 1, "02-your-data": 1, "03-cohorts-and-segments": 2,
                       "04-levers": 1, "05-five-year-scenarios": 1}.items():
        page = (site / "notebooks" / f"{name}.html").read_text()
        assert page.count('class="nbw-image"') == apps, name
        assert page.count('class="nbw-snapshot"') >= apps, name
        assert "VBox(children" not in page, name


def _chromium() -> str:
    path = os.environ.get("NRRKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


PAGE_SCRIPT = """() => ({
  ids: Array.from(document.querySelectorAll('[id]'), e => e.id),
  links: Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href')),
  broken: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src').slice(0, 80)),
  images: document.images.length,
})"""


def test_site_has_no_broken_image_or_internal_link(site):
    """Crawl the site from its front page in chromium: every page reachable, every image drawn, every
    link inside the site to an existing page and anchor, no request beyond the site's own files."""
    _need("playwright")
    from playwright.sync_api import sync_playwright

    front = (site / "index.html").resolve()
    seen: dict[Path, dict] = {}
    queue, outside, links = [front], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--headless=new", "--no-sandbox"])
        page = browser.new_page()
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else outside.append(r.url))
        while queue:
            path = queue.pop()
            if path in seen:
                continue
            page.goto(path.as_uri(), wait_until="load")
            info = page.evaluate(PAGE_SCRIPT)
            seen[path] = info
            assert not info["broken"], (path.relative_to(site), info["broken"])
            for href in info["links"]:
                parsed = urlparse(href)
                if parsed.scheme or href.startswith(("mailto:", "//")):
                    continue  # a link out of the site (checked by nobody offline)
                target, fragment = urldefrag(href)
                target_path = (path.parent / unquote(target)).resolve() if target else path
                if target_path.is_dir():
                    target_path = target_path / "index.html"
                links.append((path, target_path, unquote(fragment)))
                if target_path.suffix == ".html" and target_path.exists() and target_path not in seen:
                    queue.append(target_path)
        browser.close()
    assert not outside, f"the site asked the network for: {outside[:5]}"
    bad = [(str(src.relative_to(site)), str(dst), frag) for src, dst, frag in links
           if not dst.exists() or (frag and dst.suffix == ".html" and frag not in seen[dst]["ids"])]
    assert not bad, bad[:10]
    # the crawl reached the guides, the API pages, the CLI reference and the notebooks
    names = {str(p.relative_to(site)) for p in seen}
    assert {"getting-started.html", "cli.html", "api/generated/nrrkit.read_mrr.html",
            "notebooks/04-levers.html", "definitions.html", "changelog.html", "benchmarks.html"} <= names
    assert sum(info["images"] for info in seen.values()) >= 10  # the screenshots, the diagram, the notebooks' charts
