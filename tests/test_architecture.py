"""The shape the code promises: kinds in one place, explicit phases, checks that declare what they
report, one reader for every workbook, and report tables defined once."""

from __future__ import annotations

import inspect
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import PK
from typer.testing import CliRunner

from kpu_xl import api
from kpu_xl.api import compute, consolidate
from kpu_xl.cli import app
from kpu_xl.core import findings as F
from kpu_xl.core.findings import CODES
from kpu_xl.kinds import KINDS
from kpu_xl.pipeline.bundle import group_documents
from kpu_xl.pipeline.checks import SET_CHECKS
from kpu_xl.pipeline.read import read_document
from kpu_xl.pipeline.resolve import resolve
from kpu_xl.report import tables

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kpu_xl"


def _read(folder: Path):
    return [read_document(p, str(p)) for p in sorted(folder.glob("*.xlsx"))]


def test_consolidate_figures_do_not_depend_on_validation(samples):
    # Freshly read documents, never validated: resolve, then compute. Before resolve was its own
    # phase, it ran as the first "check" and patched RA rows in place, so this gave no capaian.
    documents = _read(samples)
    (group,) = [g for g in group_documents(documents) if g.pk is not None]
    direct = compute(resolve(group), [])
    via_cli_path = consolidate([samples])
    assert direct.satker_capaian is not None
    assert round(direct.satker_capaian, 2) == round(via_cli_path.satker_capaian, 2) == 102.66
    assert [(r.indicator.kode, r.capaian.value) for r in direct.indicators] == [(r.indicator.kode, r.capaian.value) for r in via_cli_path.indicators]
    assert round(direct.serapan_total, 2) == 96.23


def test_resolve_returns_copies_and_never_patches_what_was_read(samples):
    documents = _read(samples)
    (group,) = [g for g in group_documents(documents) if g.pk is not None]
    resolved = resolve(group)
    as_read = [row for doc in group.ras for row in doc.data.rows]
    assert as_read and all(row.target_tahunan is None and row.realisasi_tw == [None] * 4 for row in as_read)
    copies = [row for doc in resolved.group.ras for row in doc.data.rows]
    ik81 = next(r for r in copies if r.kode_indikator == "IK8.1")
    assert ik81.target_tahunan.value == 90 and ik81.realisasi_tw[3].value == 100  # the seed: 90% target, 100% realised
    assert resolved.findings == []
    # a second resolve of the same group gives the same values (nothing was consumed)
    again = [row for doc in resolve(group).group.ras for row in doc.data.rows]
    assert [(r.target_tahunan, r.realisasi_tw) for r in again] == [(r.target_tahunan, r.realisasi_tw) for r in copies]


def _named_codes(source: str) -> set[str]:
    return {CODES_BY_NAME[name] for name in re.findall(r"\bF\.([A-Z][A-Z_]+)\b", source) if name in CODES_BY_NAME}


CODES_BY_NAME = {name: str(value) for name, value in vars(F).items() if isinstance(value, F.Code)}


@pytest.mark.parametrize("check", [*SET_CHECKS, *(c for k in KINDS.values() for c in k.file_checks)], ids=lambda c: c.name)
def test_every_check_declares_exactly_the_codes_its_body_names(check):
    # the body without its @check(...) decorator, which names the declared codes itself
    body = inspect.getsource(check.run)
    body = body[body.index("def ") :]
    assert _named_codes(body) <= {str(c) for c in check.emits}, f"{check.name} reports codes it does not declare"
    for code in check.emits:  # a declared code is named in its body, or in a helper the body calls (ra.over_pagu)
        assert str(code) in _named_codes(body) or code == F.ANGGARAN_MELEBIHI_PAGU, f"{check.name} declares {code} but never reports it"


def test_every_code_in_the_table_is_reported_somewhere():
    named: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "findings.py" and path.parent.name == "core":
            continue
        named |= _named_codes(path.read_text(encoding="utf-8"))
    assert set(CODES) == named, f"in the table but never reported: {set(CODES) - named}"


def test_finding_refuses_a_string_code():
    with pytest.raises(TypeError):
        F.finding("target-berbeda", "m", "f.xlsx")  # a typo would only show at run time
    assert F.finding(F.TARGET_BERBEDA, "m", "f.xlsx").code == "target-berbeda"


def test_each_kind_declares_its_sheets_and_is_found_by_its_marker(tmp_path):
    for code, kind in KINDS.items():
        path = tmp_path / kind.shipped
        kind.template.write(path)
        wb = openpyxl.load_workbook(path)
        assert [s for s in wb.sheetnames if s != "Daftar"] == list(kind.sheets)
        for table in kind.tables:
            assert [c.value for c in wb[table.name][1]][: len(table.columns)] == list(table.headers)
        doc = read_document(path)
        assert (doc.kind, doc.version, doc.readable) == (code, kind.version, True)
        assert type(doc.identity) is kind.identity_class


def _bomb_pk(samples: Path, out: Path) -> Path:
    """A PK of about 90 KB whose Perjanjian Kinerja sheet holds a 64 MiB XML comment."""
    with zipfile.ZipFile(samples / PK) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        target = "xl/worksheets/sheet3.xml"  # the third sheet: Perjanjian Kinerja
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == target:
                at = data.index(b"<sheetData>")
                data = data[:at] + b"<!--" + b"x" * (64 * 2**20) + b"-->" + data[at:]
            zout.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out


def test_template_ra_dari_reads_the_pk_through_the_safe_reader(samples, tmp_path):
    # The old --dari reader (openpyxl, no limits) took 96 s and 268 MB on this file; the safe
    # reader refuses it from the zip directory, before decompressing anything.
    bomb = _bomb_pk(samples, tmp_path / "pk-bom.xlsx")
    assert bomb.stat().st_size < 200_000
    out = tmp_path / "ra.xlsx"
    result = CliRunner().invoke(app, ["template", "ra", "-o", str(out), "--dari", str(bomb)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "pk-bom.xlsx tidak dapat dibuka sebagai Perjanjian Kinerja kpu-xl" in result.output
    assert "kemungkinan bom zip" in result.output and "200:1" in result.output
    assert not out.exists()
    # and validate says the same about the same file, with its code
    report = CliRunner().invoke(app, ["validate", str(bomb), "--format", "json"])
    assert '"code": "berkas-tidak-terbaca"' in report.output and "kemungkinan bom zip" in report.output


def test_the_workbook_and_the_frames_render_the_same_tables(samples, tmp_path):
    result = consolidate([samples])
    from helpers import write

    wb = openpyxl.load_workbook(write(result, tmp_path / "k.xlsx"))
    frames = api.frames(result)
    assert list(frames) == list(tables.TABLES)
    for name, build in tables.TABLES.items():
        table = build(result)
        headers = [c.value for c in wb[name][1]][: len(table.columns)]
        assert headers == [c.header for c in table.columns] == list(frames[name].columns), name
        assert len(frames[name]) == len(table.rows)
    # the figures agree too: capaian of IK6.1 (75 / 78) in both renderings
    pengukuran = frames[tables.SHEET_PENGUKURAN]
    capaian = pengukuran.loc[pengukuran["Kode Indikator"] == "IK6.1", "Capaian (%)"].item()
    row = next(r for r in wb[tables.SHEET_PENGUKURAN].iter_rows(min_row=2, values_only=True) if r[3] == "IK6.1")
    assert round(capaian, 6) == round(row[8], 6) == round(75 / 78 * 100, 6)


# --- the front door: what may import what ------------------------------------------------------------

# What the front ends (cli.py, web/) may use of the library: its front door, the registries, the
# presentation helpers (sentences, table definitions, JSON), the error and finding types, the
# templates' vocabulary, and the pool machinery the page shares with the library.
FRONT_END_MAY_IMPORT = {
    "kpu_xl",
    "kpu_xl.api",
    "kpu_xl.kinds",
    "kpu_xl.kinds.base",
    "kpu_xl.report.formats",
    "kpu_xl.report.narrative",
    "kpu_xl.report.tables",
    "kpu_xl.report.jsontext",
    "kpu_xl.core.errors",
    "kpu_xl.core.findings",
    "kpu_xl.core.contract",
    "kpu_xl.pipeline.workers",
}


def _imports(path: Path) -> set[str]:
    """The kpu_xl modules a file imports (relative imports resolved), at any depth of the file."""
    import ast

    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package if node.level == 1 else ""
            target = ".".join(x for x in (base, node.module or "") if x)
            names = [f"{target}.{a.name}" for a in node.names]  # `from .report import tables`: the module report.tables
            out |= {n for n in names if (PACKAGE.parent / (n.replace(".", "/") + ".py")).exists() or (PACKAGE.parent / n.replace(".", "/")).is_dir()} or {target}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
    return {m for m in out if m == "kpu_xl" or m.startswith("kpu_xl.")}


def test_the_front_ends_use_only_the_front_door_and_presentation_helpers():
    for path in [PACKAGE / "cli.py", *sorted((PACKAGE / "web").glob("*.py"))]:
        outside = {m for m in _imports(path) if not m.startswith("kpu_xl.web") and m != "kpu_xl.cli"} - FRONT_END_MAY_IMPORT
        assert not outside, f"{path.name} reaches past the front door: {sorted(outside)}"


@pytest.mark.parametrize(("layer", "must_not_import"), [("xlsx", "kpu_xl.kinds"), ("compute", "kpu_xl.report"), ("kinds", "kpu_xl.pipeline"), ("core", "kpu_xl.")])
def test_the_layers_import_downwards_only(layer, must_not_import):
    for path in sorted((PACKAGE / layer).glob("*.py")):
        bad = {m for m in _imports(path) if m.startswith(must_not_import) and not m.startswith(f"kpu_xl.{layer}")}
        assert not bad, f"{layer}/{path.name} imports {sorted(bad)}"


def test_a_kinds_code_is_spelled_only_in_its_module():
    import ast

    for code, kind in KINDS.items():
        home = PACKAGE / "kinds" / f"{kind.slug}.py"
        for path in PACKAGE.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            exported = {id(n) for a in ast.walk(tree) if isinstance(a, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in a.targets) for n in ast.walk(a.value)}
            spelled = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value == code and id(n) not in exported]
            assert path == home or not spelled, f"{code} spelled in {path.relative_to(ROOT)} line {spelled}"


def test_the_front_ends_choose_no_format_by_suffix():
    # the registry (report/formats.py) says which format a name or suffix is
    for path in [PACKAGE / "cli.py", *sorted((PACKAGE / "web").glob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"suffix(\.lower\(\))?\s*[!=]=|==\s*\"\.(xlsx|docx|json)\"", text), path.name


def test_every_output_format_is_registered_once_and_loads():
    from kpu_xl.report import formats

    assert sorted(formats.FORMATS) == ["anotasi", "json", "konsolidasi", "laporan", "rekap"]
    assert len({f.renderer for f in formats.FORMATS.values()}) == len(formats.FORMATS)
    for fmt in formats.FORMATS.values():
        assert callable(fmt.load())
