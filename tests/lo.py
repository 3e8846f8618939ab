"""Driving headless LibreOffice (soffice) from the tests: conversions with a throw-away profile.

Every call gets its own user profile under the caller's folder, so tests never touch (or depend
on) a real LibreOffice profile, and can run in parallel. soffice accepts many input files in one
call; since it takes a few seconds to start, callers convert everything they need at once.

Used by tests/test_libreoffice.py and docs/render.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

TIMEOUT = 180  # seconds for one soffice call
XLSX = "xlsx:Calc MS Excel 2007 XML"
PDF = "pdf:calc_pdf_Export"

# Profile settings, written to user/registrymodifications.xcu before LibreOffice first starts.
_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}</oor:items>
"""
_ITEM = '<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
# Recalculate every formula when an .xlsx is loaded (0 = always, 1 = never, 2 = ask);
# LibreOffice's default trusts the cached values written by the file's producer.
_RECALC = ("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "0")


class LibreOfficeError(RuntimeError):
    """soffice failed, timed out or did not write an expected output."""


def soffice() -> str | None:
    """Path of the soffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    files: Sequence[Path],
    outdir: Path,
    target: str,
    profile: Path,
    recalc: bool = False,
    locale: str | None = None,
    timeout: float = TIMEOUT,
) -> list[Path]:
    """Convert files with one soffice call; returns the outputs in input order.

    target: XLSX or PDF (an soffice --convert-to argument). profile: a folder for the
    throw-away user profile (created). recalc: force recalculation of every formula on load.
    locale: the locale that formats numbers and dates (e.g. "id-ID": 19.651.888.000 and 96,23);
    LibreOffice's default follows the system. Input names must have distinct stems (outputs
    are named after them).
    """
    exe = soffice()
    if exe is None:
        raise LibreOfficeError("soffice not found")
    files = [Path(f).resolve() for f in files]
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        raise ValueError(f"input stems must be distinct: {stems}")
    outdir.mkdir(parents=True, exist_ok=True)
    settings = [_RECALC] if recalc else []
    if locale:
        settings.append(("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", locale))
    if settings:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        items = "".join(_ITEM.format(path=p, name=n, value=v) for p, n, v in settings)
        (profile / "user" / "registrymodifications.xcu").write_text(_XCU.format(items=items), encoding="utf-8")
    suffix = "." + target.split(":", 1)[0]
    outputs = [outdir / (stem + suffix) for stem in stems]
    for out in outputs:
        out.unlink(missing_ok=True)
    command = [
        exe,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    # soffice forks soffice.bin: run it in its own process group so that a timeout kills both.
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise LibreOfficeError(f"soffice took longer than {timeout} s: {' '.join(command)}") from None
    missing = [o.name for o in outputs if not o.is_file() or o.stat().st_size == 0]
    if proc.returncode != 0 or missing:
        raise LibreOfficeError(f"soffice exit {proc.returncode}, missing {missing}\nstdout: {stdout}\nstderr: {stderr}")
    return outputs
