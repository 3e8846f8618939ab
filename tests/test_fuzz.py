"""Fuzzing: arbitrary values typed into the data cells of the real PK and RA workbooks.

Whatever a user types (text, formula-like text, unicode, numbers of any size, dates,
booleans, blanks, texts up to Excel's 32,767 characters), kpu-xl answers with findings:
`validate`, `consolidate`, writing the consolidated workbook and `kpu-xl validate
--annotate` never raise, and every Rencana Aksi row is accounted for: it is among the
consolidated RA entries, or a finding names its row.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import tempfile
from pathlib import Path

from helpers import PK, RA_HUKUM, RA_SEMUA, write
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from kpu_xl.api import ConsolidateError, consolidate, validate
from kpu_xl.cli import app
from kpu_xl.core.cells import split_ref

FILES = (PK, RA_HUKUM, RA_SEMUA)  # a PK and two RAs: enough for every set check, fast to copy
# (file, sheet, last column, last row) of the data areas the fuzzer types into (row 1 holds the headers)
AREAS = (
    (PK, "Perjanjian Kinerja", 14, 16),
    (PK, "Anggaran", 3, 5),
    (RA_HUKUM, "Rencana Aksi", 14, 6),
    (RA_HUKUM, "Realisasi Anggaran", 7, 4),
    (RA_SEMUA, "Rencana Aksi", 14, 8),
)
RA_SHEET = "Rencana Aksi"

TYPED = st.sampled_from(
    [
        "90%",
        "90 %",
        "0,9",
        "1.234",
        "T8%",
        "9O%",
        "1009",
        "-",
        "n/a",
        "±90",
        "Rp 2.028.429.000,-",
        "19.651.888.000",
        "BB",
        "WTP",
        "tmp",
        "IK1.1",
        "IK6.2",
        "ik1.1 ",
        "S1",
        "Persen",
        "Predikat SAKIP",
        "Negatif",
        "Kumulatif",
        "Rata-rata",
        "Divisi Hukum dan Pengawasan",
        "Semua Divisi",
        "WA",
        "DH",
        "",
        " ",
        "\t",
        '=HYPERLINK("http://contoh.invalid","klik")',
        "=cmd|' /C calc'!A0",
        "+1+2",
        "@SUM(A1)",
        "=1/0",
        "=A1",
        "http://contoh.invalid/x",
        "#REF!",
        "#DIV/0!",
        "#N/A",
        "Ω≈ç√∫ 漢字 🙂",
        "\u202eRTL",
        "a\u0300\u0301",
    ]
)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
LONG = st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "ä", "漢", " ", "9"]), st.integers(200, 32_767))
NUMBER = st.one_of(
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 0.0, -0.0, 1e308, -1e308, 5e-324, 1e-9, 0.9, 0.25, 100, 78, 2_028_429_000]),
)
DATE = st.one_of(
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
)
VALUE = st.one_of(st.none(), TYPED, TEXT, LONG, NUMBER, DATE, st.booleans())


@st.composite
def edits(draw) -> list[tuple[str, str, int, int, object]]:
    out = []
    for _ in range(draw(st.integers(1, 12))):
        file, sheet, cols, rows = draw(st.sampled_from(AREAS))
        out.append((file, sheet, draw(st.integers(2, rows)), draw(st.integers(1, cols)), draw(VALUE)))
    return out


def _apply(folder: Path, changes: list) -> None:
    by_file: dict[str, list] = {}
    for change in changes:
        by_file.setdefault(change[0], []).append(change[1:])
    for name, items in by_file.items():
        wb = load_workbook(folder / name)
        for sheet, row, col, value in items:
            wb[sheet].cell(row, col).value = value
        wb.save(folder / name)


def _ra_rows(path: Path) -> set[int]:
    """The RA data rows as the user sees them (openpyxl): any value in a header column below row 1."""
    ws = load_workbook(path)[RA_SHEET]
    return {cell.row for row in ws.iter_rows(min_row=2, max_col=ws.max_column) for cell in row if cell.value is not None and not (isinstance(cell.value, str) and cell.value == "")}


# Bounded: 15 fixed examples (derandomize: the same in CI every run), no shrinking (a
# failure prints its unshrunk example at once instead of searching for minutes).
# KPU_XL_FUZZ_EXAMPLES=500 runs that many new random examples instead (a longer hunt).
LONG_RUN = int(os.environ.get("KPU_XL_FUZZ_EXAMPLES", "0") or 0)


@settings(
    max_examples=LONG_RUN or 15,
    deadline=None,
    derandomize=not LONG_RUN,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(changes=edits())
def test_any_typed_values(built_samples, changes):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "masuk"
        folder.mkdir()
        for name in FILES:
            shutil.copy(built_samples / name, folder / name)
        _apply(folder, changes)
        inputs = {p: p.read_bytes() for p in folder.iterdir()}

        report = validate([folder])
        assert len(report.files) == 3 and all(f["readable"] for f in report.files)
        for f in report.findings:
            assert f.message and f.code and (f.cell is None or split_ref(f.cell) != (0, 0)), f

        try:
            result = consolidate([folder], allow_errors=True)
        except ConsolidateError as exc:  # a clear refusal, never a crash
            raise AssertionError(f"one PK and its RAs must consolidate: {exc}") from None
        for r in result.indicators:
            assert r.capaian.value is None or math.isfinite(r.capaian.value), r
        write(result, Path(tmp) / "k.xlsx")

        # every RA row accounted for
        entries = {(e.document.display_name, e.row.row) for e in result.ra_entries}
        named = {(f.file, split_ref(f.cell)[0]) for f in result.findings if f.sheet == RA_SHEET and f.cell}
        for name in (RA_HUKUM, RA_SEMUA):
            file = str(folder / name)
            missing = {r for r in _ra_rows(folder / name) if (file, r) not in entries and (file, r) not in named}
            assert not missing, (name, sorted(missing))

        # the command, with annotated copies, never crashes either, and never touches the inputs
        cli = CliRunner().invoke(app, ["validate", str(folder), "--format", "json", "--annotate", str(Path(tmp) / "anotasi")])
        assert cli.exception is None or isinstance(cli.exception, SystemExit), repr(cli.exception)
        assert cli.exit_code in (0, 1), cli.stderr
        assert len(json.loads(cli.stdout)["findings"]) == len(report.findings)
        assert {p: p.read_bytes() for p in folder.iterdir()} == inputs
