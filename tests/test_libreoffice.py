"""Real clients: what kpu-xl writes, opened and saved by LibreOffice Calc (headless soffice).

Many KPU offices fill the templates in LibreOffice instead of Excel. These tests run a real
`soffice --headless` (throw-away profile, timeout per call) and check that:

1. the shipped templates, saved by LibreOffice, keep sheets, headers, dropdowns, input formats
   and the kind/version marker, and are still recognised;
2. the samples saved by LibreOffice (as they are, with typical mistakes, and with a formula
   typed by a user) validate and consolidate to the same findings and figures;
3. every formula kpu-xl writes carries a cached value equal to what LibreOffice computes;
4. the consolidated workbook prints on A4 with every sheet fitted to the page width.

soffice starts slowly, so each fixture converts all its files in one call and is shared by the
whole session. Without LibreOffice the tests are skipped, except under CI=true where they fail.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import statistics
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lo
import openpyxl
import pytest
from helpers import PK, RA_HUKUM, RA_RENDATIN, RA_SEMUA, Text, edit, header_col, identity_row, made_once, write

from kpu_xl.api import Consolidated, consolidate, template, validate
from kpu_xl.core import contract as C
from kpu_xl.kinds import KINDS, TEMPLATES_DIR
from kpu_xl.kinds import PK as KIND_PK
from kpu_xl.kinds import RA as KIND_RA
from kpu_xl.kinds import pk as pk_kind
from kpu_xl.kinds import ra as ra_kind
from kpu_xl.pipeline.read import read_document
from kpu_xl.report.xlsx import SHEETS_WITH_RENSTRA as SHEETS  # the samples hold a Renstra

SHIPPED = {code: kind.shipped for code, kind in KINDS.items()}

# Figures must agree to within 1e-9 (absolute; LibreOffice stores 15 significant digits) and
# one part in 10^12 (relative: a rupiah off on a pagu of Rp 19 billion is a difference).
TOL = 1e-9
REL = 1e-12
# Findings a template saved by LibreOffice must never produce: they mean it is no longer recognised.
NOT_RECOGNISED = {"templat-tidak-dikenal", "kolom-hilang", "berkas-tidak-terbaca"}


def _missing(message: str) -> None:
    """Skip, or fail under CI=true: CI must run these tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _require(*tools: str) -> None:
    """LibreOffice (soffice) and poppler tools (pdftotext, pdfinfo) must be installed."""
    missing = [t for t in tools if (lo.soffice() if t == "soffice" else shutil.which(t)) is None]
    if missing:
        _missing(f"{', '.join(missing)} not installed: apt-get install libreoffice-calc-nogui poppler-utils (.ci/run installs them)")


def _require_carlito() -> None:
    """Print sizes depend on the font: LibreOffice turns column widths into lengths with the
    metrics of the workbook's font (Calibri). Carlito has Calibri's metrics; without it a
    wider font is substituted and every sheet prints smaller than in Excel."""
    found = shutil.which("fc-list") and subprocess.run(["fc-list", "-q", "Carlito"], timeout=60).returncode == 0
    if not found:
        _missing("font Carlito not installed: apt-get install fonts-crosextra-carlito (.ci/run installs it)")


# --- fixtures: every conversion of the session happens here --------------------------------


@dataclass
class RoundTrip:
    """Folders of originals and of the same files opened and saved by LibreOffice, by group name."""

    original: dict[str, Path]
    saved: dict[str, Path]


def _with_mistakes(folder: Path) -> None:
    """The typical mistakes of the README's example, made the way a user makes them."""
    (folder / RA_RENDATIN).unlink()  # one division's RA left out: indikator-tanpa-rencana-aksi
    edit(folder / RA_HUKUM, ra_kind.TABLE.name, {"A4": "IK9.9", "C4": "Kegiatan tambahan", "D4": 1.0}, {"D4": "0%"})
    edit(folder / RA_SEMUA, ra_kind.TABLE.name, {"D5": 1.0}, {"D5": "0%"})  # 100% where the PK says 90%
    # Indonesian number conventions typed as text: an ambiguous "1.234" and a decimal comma
    edit(folder / PK, pk_kind.TABLE.name, {(9, C.H_TARGET): Text("1.234"), (9, C.H_TARGET_RENSTRA): Text("80,5")})


def _with_formula(folder: Path) -> None:
    """A realisasi typed as a formula and saved by a program that does not compute (openpyxl)."""
    edit(folder / RA_HUKUM, ra_kind.TABLE.name, {(2, C.H_REALISASI_TW[0]): "=0.1+0.15"})  # the sample has 25%


ROUNDTRIP_GROUPS = ("templates", "prefilled", "samples", "mistakes", "formula")


@pytest.fixture(scope="session")
def roundtrip(built_samples, tmp_path_factory) -> RoundTrip:
    """Templates and sample folders, each file opened and saved as .xlsx by LibreOffice (one call, once per test run)."""
    _require("soffice")
    base = made_once(tmp_path_factory, "lo-roundtrip", lambda base: _make_roundtrip(built_samples, base))
    return RoundTrip({g: base / g for g in ROUNDTRIP_GROUPS}, {g: base / "saved" / g for g in ROUNDTRIP_GROUPS})


def _make_roundtrip(built_samples: Path, base: Path) -> None:
    original = {"templates": base / "templates", "prefilled": base / "prefilled"}
    original["templates"].mkdir()
    for name in SHIPPED.values():
        shutil.copy(TEMPLATES_DIR / name, original["templates"] / name)
    original["prefilled"].mkdir()
    template("ra", original["prefilled"] / "ra-hukum.xlsx", dari=built_samples / PK, divisi=C.DIVISI[0])
    for group, change in (("samples", None), ("mistakes", _with_mistakes), ("formula", _with_formula)):
        original[group] = base / group
        shutil.copytree(built_samples, original[group])
        if change:
            change(original[group])
    # one soffice call for everything: stage under unique names, then sort back into folders
    stage = base / "stage"
    stage.mkdir()
    staged: dict[str, tuple[str, str]] = {}
    for group, folder in original.items():
        for path in sorted(folder.glob("*.xlsx")):
            stem = f"{group}--{path.stem}"
            shutil.copy(path, stage / f"{stem}.xlsx")
            staged[stem] = (group, path.name)
    outputs = lo.convert(sorted(stage.glob("*.xlsx")), base / "converted", lo.XLSX, base / "profile")
    saved = {group: base / "saved" / group for group in original}
    for out in outputs:
        group, name = staged[out.stem]
        saved[group].mkdir(parents=True, exist_ok=True)
        out.rename(saved[group] / name)


def _consolidated_book(folder: Path, out: Path) -> Path:
    return write(consolidate([folder], allow_errors=True), out)  # pagu 0: the budget's errors are marked


def _tamper_cached_values(src: Path, dst: Path) -> int:
    """Copy src with every cached formula result replaced by 12345; returns how many."""
    count = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text, n = re.subn(r'(<c r="[A-Z]+\d+"[^>]*?)(?: t="str")?(>\s*<f>[^<]*</f>)\s*<v>[^<]*</v>', r"\1\2<v>12345</v>", data.decode())
                count += n
                data = text.encode()
            zout.writestr(item, data)
    return count


@dataclass
class Recalculated:
    books: dict[str, tuple[Path, Path]]  # name -> (written by kpu-xl, saved by LibreOffice after a full recalculation)
    control: tuple[Path, Path]  # a copy with wrong cached values, and LibreOffice's save of it


@pytest.fixture(scope="session")
def recalculated(built_samples, tmp_path_factory) -> Recalculated:
    """Every workbook kpu-xl writes that may hold formulas, saved by LibreOffice with recalculation forced (once per test run)."""
    _require("soffice")
    base = made_once(tmp_path_factory, "lo-recalc", lambda base: _make_recalculated(built_samples, base))
    index = json.loads((base / "index.json").read_text(encoding="utf-8"))
    books = {name: (Path(written), Path(saved)) for name, (written, saved) in index["books"].items()}
    return Recalculated(books, tuple(map(Path, index["control"])))


def _make_recalculated(built_samples: Path, base: Path) -> None:
    books = {"konsolidasi": _consolidated_book(built_samples, base / "konsolidasi.xlsx")}
    # a variant whose totals take the other branch of the Serapan formula (pagu 0: empty text)
    zero = base / "pagu-nol"
    shutil.copytree(built_samples, zero)
    pk = openpyxl.load_workbook(zero / PK)
    ws = pk[pk_kind.ANGGARAN.name]
    pagu = header_col(ws, C.H_PAGU)
    for r in range(2, ws.max_row + 1):
        if isinstance(ws.cell(r, pagu).value, (int, float)):
            ws.cell(r, pagu).value = 0
    pk.save(zero / PK)
    books["konsolidasi-pagu-nol"] = _consolidated_book(zero, base / "konsolidasi-pagu-nol.xlsx")
    for kind, name in SHIPPED.items():
        books[f"templat-{kind}"] = Path(shutil.copy(TEMPLATES_DIR / name, base / name))
    control = base / "kendali.xlsx"
    assert _tamper_cached_values(books["konsolidasi"], control) == 7
    inputs = [*books.values(), control]
    outputs = lo.convert(inputs, base / "saved", lo.XLSX, base / "profile", recalc=True)
    saved = dict(zip([*books, "kendali"], outputs))
    index = {"books": {name: [str(path), str(saved[name])] for name, path in books.items()}, "control": [str(control), str(saved["kendali"])]}
    (base / "index.json").write_text(json.dumps(index), encoding="utf-8")


@dataclass
class Printed:
    book: Path
    pdf: Path
    pages: list[str]  # text of each page (pdftotext -layout)
    sizes: list[tuple[float, float]]  # width, height of each page in points
    word_heights: list[list[float]]  # height of each word's box on each page, in points


@pytest.fixture(scope="session")
def printed(built_samples, tmp_path_factory) -> Printed:
    """The consolidated sample exported to PDF by LibreOffice (once per test run), with the text of each page."""
    _require("soffice", "pdftotext", "pdfinfo")
    base = made_once(tmp_path_factory, "lo-pdf", lambda base: _make_printed(built_samples, base))
    book, pdf = base / "konsolidasi.xlsx", base / "pdf" / "konsolidasi.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "1000", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    heights = [[float(y2) - float(y1) for y1, y2 in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', page)] for page in bbox.split("<page ")[1:]]
    return Printed(book, pdf, pages, sizes, heights)


def _make_printed(built_samples: Path, base: Path) -> None:
    shutil.copytree(built_samples, base / "samples" / "tanjabtim-2023")
    cwd = os.getcwd()
    os.chdir(base)  # the inputs named as in the README (the Sumber column holds their paths): a layout that does not depend on where tests run
    try:
        book = _consolidated_book(Path("samples/tanjabtim-2023"), base / "konsolidasi.xlsx")
    finally:
        os.chdir(cwd)
    lo.convert([book], base / "pdf", lo.PDF, base / "profile")


# --- 1. templates saved by LibreOffice --------------------------------------------------------


def _validations(ws) -> list[tuple]:
    """Data validations with LibreOffice's spelled-out defaults normalised away."""
    out = []
    for dv in ws.data_validations.dataValidation:
        typed = dv.type not in (None, "any")
        out.append(
            (
                str(dv.sqref),
                dv.type or "any",
                dv.formula1 if typed else None,
                dv.formula2 if typed and dv.type != "list" else None,
                (dv.operator or "between") if typed and dv.type != "list" else None,
                dv.errorStyle or "stop",
                dv.promptTitle,
                dv.prompt,
                dv.errorTitle,
                dv.error,
                bool(dv.showDropDown),
                bool(dv.allow_blank),
            )
        )
    return sorted(out, key=repr)


def _cells(ws) -> dict[str, tuple]:
    """Every non-empty or unlocked cell: value, number format, locked."""
    return {c.coordinate: (c.value, c.number_format, c.protection.locked) for row in ws.iter_rows() for c in row if c.value is not None or not c.protection.locked}


TEMPLATE_GROUPS = [("templates", name) for name in SHIPPED.values()] + [("prefilled", "ra-hukum.xlsx")]


@pytest.mark.parametrize("group, name", TEMPLATE_GROUPS)
def test_template_keeps_sheets_cells_and_protection(roundtrip, group, name):
    before = openpyxl.load_workbook(roundtrip.original[group] / name)
    after = openpyxl.load_workbook(roundtrip.saved[group] / name)
    assert after.sheetnames == before.sheetnames
    for ws in before:
        saved = after[ws.title]
        assert saved.sheet_state == ws.sheet_state, ws.title  # the Daftar lists stay hidden
        assert saved.protection.sheet == ws.protection.sheet, ws.title
        # values (headers, labels, guide text, prefilled rows), input formats and unlocked input cells
        assert _cells(saved) == _cells(ws), ws.title
        assert saved.auto_filter.ref == ws.auto_filter.ref, ws.title
        if ws.page_setup.orientation:  # printed sheets: A4, orientation, fit to width, repeated header
            setup = lambda w: (w.page_setup.orientation, int(w.page_setup.paperSize), w.sheet_properties.pageSetUpPr.fitToPage, w.print_title_rows)  # noqa: E731
            assert setup(saved) == setup(ws), ws.title


@pytest.mark.parametrize("group, name", TEMPLATE_GROUPS)
def test_template_keeps_dropdowns_and_prompts(roundtrip, group, name):
    before = openpyxl.load_workbook(roundtrip.original[group] / name)
    after = openpyxl.load_workbook(roundtrip.saved[group] / name)
    lists = 0
    for ws in before:
        assert _validations(after[ws.title]) == _validations(ws), ws.title
        lists += sum(1 for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert lists >= 2  # the comparison covered real dropdowns (Jenis Nilai, Divisi, ...)


@pytest.mark.parametrize("group, name", TEMPLATE_GROUPS)
def test_template_is_still_recognised(roundtrip, group, name):
    before = read_document(roundtrip.original[group] / name)
    after = read_document(roundtrip.saved[group] / name)
    kind = next((code for code, k in KINDS.items() if k.shipped == name), KIND_RA)  # the prefilled RA: RA
    assert (after.kind, after.version, after.readable) == (kind, KINDS[kind].version, True)
    identitas = KINDS[kind].identity
    ws = openpyxl.load_workbook(roundtrip.saved[group] / name)[identitas.name]
    assert ws.cell(identity_row(ws, C.MARKER_LABEL), 2).value == KINDS[kind].marker
    codes = {f.code for f in after.findings}
    assert not codes & NOT_RECOGNISED, [f.message for f in after.findings]
    assert [(f.code, f.sheet, f.cell) for f in after.findings] == [(f.code, f.sheet, f.cell) for f in before.findings]
    # the RA prefilled from the sample PK keeps its two indicators of Divisi Hukum dan Pengawasan
    ra_rows = lambda d: d.data.rows if d.kind == KIND_RA else []  # noqa: E731
    assert [r.kode_indikator for r in ra_rows(after)] == [r.kode_indikator for r in ra_rows(before)]
    assert len(ra_rows(after)) == (2 if group == "prefilled" else 0)


# --- 2. filled workbooks saved by LibreOffice --------------------------------------------------


def _findings(report, folder: Path) -> list[tuple]:
    root = str(folder)
    return [(f.file.replace(root, "<dir>"), f.sheet, f.cell, f.severity, f.code, f.message.replace(root, "<dir>")) for f in report.findings]


def _close(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=REL, abs_tol=TOL)
    return a == b


def _value(v):
    """A Number as its float, a Grade as its code, anything else as is."""
    return getattr(v, "value", getattr(v, "code", v))


def _figures(result: Consolidated, folder: Path) -> dict:
    root = str(folder)
    return {
        "identity": {k: v for k, v in vars(result.identity).items()},
        "indicators": [
            (
                r.indicator.kode,
                _value(r.indicator.target),
                _value(r.indicator.target_renstra),
                _value(r.indicator.realisasi_lalu),
                _value(r.realisasi),
                [_value(v) for v in r.realisasi_tw],
                r.capaian.value,
                r.capaian.reason,
                r.kategori,
                r.status,
                r.cumulative_capaian,
                [str(s).replace(root, "<dir>") for s in r.sumber],
            )
            for r in result.indicators
        ],
        "sasaran": [(s.kode, s.nama, s.capaian, s.kategori) for s in result.sasaran],
        "satker": (result.satker_capaian, result.satker_kategori, dict(result.kategori_counts)),
        "programs": [(p.program.kode, p.program.pagu, p.realisasi_tw, p.realisasi, p.serapan, p.capaian_kinerja, p.efisiensi) for p in result.programs],
        "budget": (result.pagu_total, result.realisasi_total, result.serapan_total, result.efisiensi_total),
        "ra_rows": sorted((e.row.kode_indikator, e.row.kegiatan, _value(e.row.target_tahunan), e.known) for e in result.ra_entries),
    }


def _assert_same(a, b, path="") -> None:
    """Deep comparison; floats within TOL."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _assert_same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_same(x, y, f"{path}[{i}]")
    else:
        assert _close(a, b), f"{path}: {a!r} != {b!r}"


@pytest.mark.parametrize("group", ["samples", "mistakes"])
def test_saved_workbooks_give_the_same_findings(roundtrip, group):
    before = validate([roundtrip.original[group]])
    after = validate([roundtrip.saved[group]])
    assert _findings(after, roundtrip.saved[group]) == _findings(before, roundtrip.original[group])
    assert (after.errors, after.warnings) == (before.errors, before.warnings)
    if group == "mistakes":  # the comparison covered real findings, each at its cell
        codes = {f.code for f in before.findings}
        assert {"indikator-tidak-dikenal", "target-berbeda", "indikator-tanpa-rencana-aksi", "nilai-ambigu"} <= codes


@pytest.mark.parametrize("group", ["samples", "mistakes"])
def test_saved_workbooks_consolidate_to_the_same_figures(roundtrip, group):
    before = consolidate([roundtrip.original[group]], allow_errors=True)  # the mistakes are marked, as before
    after = consolidate([roundtrip.saved[group]], allow_errors=True)
    _assert_same(_figures(after, roundtrip.saved[group]), _figures(before, roundtrip.original[group]))
    if group == "samples":  # the seed's figures (DOMAIN.md), read from LibreOffice's files
        assert round(after.serapan_total, 2) == 96.23
        assert after.pagu_total == 19_651_888_000 and after.realisasi_total == 18_911_211_426
        assert {r.indicator.kode: round(r.capaian.value) for r in after.indicators}["IK6.1"] == 96


def test_libreoffice_computes_a_formula_left_without_value(roundtrip):
    # formula-tanpa-nilai advises to open and save the file in Excel/LibreOffice: that must work
    before = validate([roundtrip.original["formula"]])
    assert [(f.code, f.cell) for f in before.findings] == [("formula-tanpa-nilai", "I2")]
    after = validate([roundtrip.saved["formula"]])
    assert after.findings == []
    fixed = consolidate([roundtrip.saved["formula"]])
    clean = consolidate([roundtrip.original["samples"]])
    _assert_same(_figures(fixed, roundtrip.saved["formula"]), _figures(clean, roundtrip.original["samples"]))
    ik11 = next(r for r in fixed.indicators if r.indicator.kode == "IK1.1")
    assert ik11.realisasi_tw[0].value == pytest.approx(25)


# --- 3. cached formula values equal LibreOffice's recalculation --------------------------------


def _formula_cells(path: Path) -> dict[tuple[str, str], str]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"}


def _cached(path: Path, cells) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path, data_only=True)
    return {(s, ref): wb[s][ref].value for s, ref in cells}


def _blank(v) -> object:
    return None if v == "" else v


def test_recalculation_is_really_forced(recalculated):
    # the control copy carries wrong cached values; LibreOffice must replace them
    control, saved = recalculated.control
    cells = _formula_cells(control)
    assert set(_cached(control, cells).values()) == {12345}
    original = _cached(recalculated.books["konsolidasi"][0], cells)
    recomputed = _cached(saved, cells)
    assert all(_close(recomputed[k], original[k]) for k in cells), recomputed


@pytest.mark.parametrize("name", ["konsolidasi", "konsolidasi-pagu-nol", f"templat-{KIND_PK}", f"templat-{KIND_RA}"])
def test_cached_formula_values_match_libreoffice(recalculated, name):
    written, saved = recalculated.books[name]
    cells = _formula_cells(written)
    assert _formula_cells(saved).keys() == cells.keys()  # formulas stay formulas
    mine, theirs = _cached(written, cells), _cached(saved, cells)
    for key in cells:
        assert _close(_blank(theirs[key]), _blank(mine[key])), f"{key} {cells[key]}: kpu-xl {mine[key]!r}, LibreOffice {theirs[key]!r}"
    if name.startswith("konsolidasi"):
        assert len(cells) == 7  # the Anggaran total row: five sums and Serapan
        serapan = next(k for k, f in cells.items() if f.startswith("=IF("))
        assert (mine[serapan] in (None, "")) == (name == "konsolidasi-pagu-nol")


# --- 4. printing ------------------------------------------------------------------------------------


def _sheet_of(page: str) -> str:
    """The sheet a page belongs to: the centred page header kpu-xl prints is the sheet name."""
    first = next(line for line in page.splitlines() if line.strip())
    return first.strip()


def _has_words(page: str, text: str) -> bool:
    return all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", page) for w in text.split())


def test_pdf_has_every_sheet_on_a4_in_few_pages(printed):
    assert 12 <= len(printed.pages) <= 24
    assert len(printed.sizes) == len(printed.pages)
    sheets = [_sheet_of(p) for p in printed.pages]
    assert list(dict.fromkeys(sheets)) == list(SHEETS)  # every sheet printed, in order
    satker = openpyxl.load_workbook(printed.book)["Ringkasan"]["B4"].value
    for sheet, page, (w, h) in zip(sheets, printed.pages, printed.sizes):
        assert satker in page and re.search(r"Halaman \d+ dari \d+", page), sheet  # the footer
        portrait = sheet == "Lampiran PK"
        assert (round(w), round(h)) == ((595, 842) if portrait else (842, 595)), sheet  # A4


def test_every_printed_page_of_a_table_has_its_whole_header_row(printed):
    # Fitted to the page width, every page of a table sheet shows the repeated header row from
    # the first column to the last; without fit-to-width the right-hand columns spill onto pages
    # of their own, which lack the first header, and the others lack the last one.
    wb = openpyxl.load_workbook(printed.book)
    sheets = [_sheet_of(p) for p in printed.pages]
    checked = 0
    for name in SHEETS:
        if name in ("Ringkasan", "Lampiran PK"):
            continue
        headers = [c.value for c in wb[name][1] if c.value]
        pages = [p for s, p in zip(sheets, printed.pages) if s == name]
        assert pages, name
        for page in pages:
            assert _has_words(page, headers[0]) and _has_words(page, headers[-1]), f"{name}: {headers[0]!r}/{headers[-1]!r}"
            checked += 1
    assert checked >= 7
    # the main table stays on one page: 13 indicators at a readable scale
    assert sheets.count("Pengukuran Kinerja") <= 2


def test_tables_print_at_a_readable_size(printed):
    _require_carlito()
    # Fit-to-width shrinks a wide sheet; too many or too wide columns make the text tiny. The first
    # Ringkasan page prints at 100% (10-point text): compare each table's median word height to it.
    sheets = [_sheet_of(p) for p in printed.pages]
    base = statistics.median(printed.word_heights[sheets.index("Ringkasan")])
    scale: dict[str, float] = {}
    for sheet, heights in zip(sheets, printed.word_heights):
        scale[sheet] = min(scale.get(sheet, 1.0), statistics.median(heights) / base)
    assert scale["Pengukuran Kinerja"] >= 0.75, scale  # about 8-point text on A4 landscape
    assert min(scale.values()) >= 0.65, scale


def test_lampiran_prints_targets_as_percent(printed):
    # the samples store 90% as 0.9 in a percent-formatted cell, as Excel does for a typed "90%"
    page = next(p for p in printed.pages if _sheet_of(p) == "Lampiran PK")
    rows = [line for line in page.splitlines() if "Persentase pelaksanaan Pemilu yang aman" in line]
    assert rows and re.search(r"(?<![\d,.])90%", rows[0]), rows
    assert not re.search(r"(?<![\d,.])0[,.]9(?![\d%])", page)
