"""Test helpers: the sample builder, file names, editing a workbook as a user would (openpyxl),
and running kpu-xl in-process with a crash check."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from kpu_xl.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "tanjabtim-2023"


def _load_builder():
    spec = importlib.util.spec_from_file_location("samples_build", ROOT / "samples" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()

PK = "pk-2023-perubahan.xlsx"
RA_HUKUM = "ra-hukum-dan-pengawasan.xlsx"
RA_TEKNIS = "ra-teknis-penyelenggara-pemilu.xlsx"
RA_SOSDIK = "ra-sosdiklih-parmas-humas.xlsx"
RA_RENDATIN = "ra-perencanaan-data-informasi.xlsx"
RA_KURT = "ra-keuangan-umum-logistik.xlsx"
RA_SEMUA = "ra-semua-divisi.xlsx"


def header_col(ws, header: str) -> int:
    for cell in ws[1]:
        if cell.value is not None and str(cell.value).strip().casefold() == header.casefold():
            return cell.column
    raise KeyError(header)


class Text(str):
    """A value to store as text even when it looks like a formula (a user's leading apostrophe)."""


def edit(path: Path, sheet: str, changes: dict, number_format: dict | None = None) -> None:
    """Open, change cells, save: what a user does in a spreadsheet program.

    changes: {"J2": value} or {(row, "Header"): value}.
    """
    wb = load_workbook(path)
    ws = wb[sheet]
    for where, value in changes.items():
        cell = ws[where] if isinstance(where, str) else ws.cell(where[0], header_col(ws, where[1]))
        cell.value = value
        if isinstance(value, Text):
            cell.data_type = "s"
        if number_format and where in number_format:
            cell.number_format = number_format[where]
    wb.save(path)


def identity_row(ws, label: str) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == label:
            return r
    raise KeyError(label)


def run(*args: object):
    """kpu-xl in-process; never a traceback (an exception other than the exit is a crash)."""
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kpu-xl crashed: {result.exception!r}\n{result.output}") from result.exception
    assert "Traceback" not in result.output
    return result


def run_json(*args: object) -> tuple[int, dict]:
    result = run("validate", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def write(result, path, **options) -> Path:
    """The consolidated workbook of a result, written as `kpu-xl consolidate` writes it."""
    from kpu_xl import api

    return api.render(result, path, "konsolidasi", **options).path


def made_once(tmp_path_factory, name: str, make) -> Path:
    """A folder made by make(folder) once for the whole test run, whichever xdist worker asks first;
    the others wait for it and use it. For fixtures that start LibreOffice or build a corpus: made in
    each worker they cost as much again. Without xdist, a folder of this run like any other."""
    import fcntl

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this run
    folder, done = root / f"once-{name}", root / f"once-{name}.done"
    with open(root / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait here while the first makes it
        if not done.exists():
            if folder.exists():  # a worker that failed while making it: start again
                import shutil

                shutil.rmtree(folder)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder
