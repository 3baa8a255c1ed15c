"""Recalculate a workbook in LibreOffice (Debian's libreoffice-calc-nogui), headless.

Used by the pack tests to check every formula independently of nrrkit: the cached
value of each formula is first overwritten with 0 (``poison``), LibreOffice opens the
file with "recalculate on load: always" and saves it again, and the values it
computed are compared with the ones nrrkit stored.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

_ALWAYS_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""
_CACHED = re.compile(r"(<f>[^<]*</f>)<v>[^<]*</v>")


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed; .ci/run installs libreoffice-calc-nogui with apt-get")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-calc-nogui); recalculation tests skipped")
    return path


def poison(src: Path, dst: Path) -> int:
    """Copy an .xlsx with every formula's cached value replaced by 0; returns how many were replaced."""
    count = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and item.filename.endswith(".xml"):
                text, n = _CACHED.subn(r"\1<v>0</v>", data.decode("utf-8"))
                data, count = text.encode("utf-8"), count + n
            zout.writestr(item, data)
    return count


def recalculate(src: Path, workdir: Path) -> Path:
    """LibreOffice's recalculated copy of ``src`` (an .xlsx), written under ``workdir``."""
    profile = workdir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_ALWAYS_RECALC)
    out = workdir / "recalculated"
    out.mkdir(exist_ok=True)
    proc = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    result = out / src.name
    if proc.returncode != 0 or not result.exists():
        raise AssertionError(f"LibreOffice failed ({proc.returncode}): {proc.stdout} {proc.stderr}")
    return result


def to_pdf(src: Path, workdir: Path) -> Path:
    """LibreOffice's print of ``src`` (an .xlsx) as PDF, with the page setup the workbook asks for."""
    profile = workdir / "lo-profile-pdf"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    out = workdir / "printed"
    out.mkdir(exist_ok=True)
    proc = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    result = out / (src.stem + ".pdf")
    if proc.returncode != 0 or not result.exists():
        raise AssertionError(f"LibreOffice failed ({proc.returncode}): {proc.stdout} {proc.stderr}")
    return result


def pdf_pages(path: Path) -> int:
    """The number of pages of a PDF (its /Type /Page objects; /Pages is the tree, not a page)."""
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))
