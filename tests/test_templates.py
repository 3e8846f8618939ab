"""The PK and RA templates: layout, dropdowns, protection, shipped copies, and `kpu-xl template`."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kpu_xl.api import _source_pk
from kpu_xl.cli import app
from kpu_xl.core import contract as C
from kpu_xl.kinds import KINDS, PK, RA, TEMPLATES_DIR, build_shipped
from kpu_xl.kinds import pk as pk_kind
from kpu_xl.kinds import ra as ra_kind
from kpu_xl.xlsx.template import INPUT_ROWS, LIST_SHEET, Formatted, TemplateError

SHIPPED = {code: kind.shipped for code, kind in KINDS.items()}
write_pk_template = pk_kind.write_template
write_ra_template = ra_kind.write_template


def read_pk_for_ra(path):
    """(identity label -> value, rows to prefill) of a filled PK, as template ra --dari reads it."""
    doc = _source_pk(Path(path), Path(path).with_name("ra-baru.xlsx"), None)
    rows = ra_kind.prefill_from_pk(doc)
    return {label: getattr(doc.identity, f.attr) for f in pk_kind.IDENTITAS.fields for label in [f.label]}, rows


LAST_INPUT_ROW = INPUT_ROWS + 1
TABLES = {PK: (pk_kind.TABLE, pk_kind.ANGGARAN), RA: (ra_kind.TABLE, ra_kind.ANGGARAN)}
IDENTITY = {PK: pk_kind.IDENTITAS, RA: ra_kind.IDENTITAS}
SHEETS = {PK: pk_kind.KIND.sheets, RA: ra_kind.KIND.sheets}
HUKUM, TEKNIS = C.DIVISI[0], C.DIVISI[1]


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return dict(zip(KINDS, build_shipped(folder)))


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def header_columns(ws) -> dict[str, str]:
    """Header text -> column letter, read from row 1."""
    return {cell.value: cell.column_letter for cell in ws[1] if cell.value is not None}


def column_width(ws, col: int) -> float | None:
    """Width of a 1-based column; openpyxl keys ranges of equal columns by their first letter."""
    for dim in ws.column_dimensions.values():
        if dim.min <= col <= dim.max:
            return dim.width
    return None


def identity_rows(ws) -> dict[str, int]:
    """Label in column A -> row."""
    return {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def validations(ws) -> dict[str, object]:
    """sqref text -> DataValidation."""
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def list_values(wb, formula: str) -> list[str]:
    """The values a list validation offers, resolved from its range on the list sheet."""
    m = re.fullmatch(r"(\w+)!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert m, formula
    sheet, col, first, col2, last = m.groups()
    assert col == col2
    return [wb[sheet][f"{col}{r}"].value for r in range(int(first), int(last) + 1)]


def fill_pk(template: Path, dest: Path, identity: dict[str, object], rows: list[dict[str, object]]) -> None:
    """Fill a PK template as a user would: values typed under the headers, then saved."""
    wb = load(template)
    info = wb[pk_kind.IDENTITAS.name]
    labels = identity_rows(info)
    for label, value in identity.items():
        info.cell(labels[label], 2).value = value
    ws = wb[pk_kind.TABLE.name]
    cols = header_columns(ws)
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            cell = ws[f"{cols[header]}{r}"]
            if isinstance(value, Formatted):
                cell.value, cell.number_format = value.value, value.number_format
            else:
                cell.value = value
    wb.save(dest)


def indicator(kode: str, nama: str, target: object, pelaksana: str) -> dict[str, object]:
    return {
        C.H_KODE_SASARAN: "S1",
        C.H_SASARAN: "Terwujudnya Pemilu serentak yang aman dan damai",
        C.H_KODE_INDIKATOR: kode,
        C.H_INDIKATOR: nama,
        C.H_JENIS: C.JENIS_PERSEN,
        C.H_POLARITAS: C.POLARITAS_POSITIF,
        C.H_CARA: C.CARA_POSISI_AKHIR,
        C.H_TARGET: target,
        C.H_PELAKSANA: pelaksana,
    }


SEED_ROWS = [
    indicator("IK1.1", "Persentase pelaksanaan Pemilu yang aman dan damai", "90%", HUKUM),
    indicator("IK2.1", "Persentase Calon Peserta Pemilu yang dapat difasilitasi", Formatted(1, "0%"), TEKNIS),
    indicator("IK1.2", "Persentase sengketa hukum yang dimenangkan", Formatted(0.9, "0%"), HUKUM),
    {**indicator("IK6.3", "Opini BPK atas Laporan Keuangan", "WTP", C.DIVISI[4]), C.H_JENIS: C.JENIS_OPINI},
]


@pytest.fixture
def filled_pk(built, tmp_path) -> Path:
    dest = tmp_path / "PK 2023.xlsx"
    identity = {"Satuan Kerja": "KPU Kabupaten Tanjung Jabung Timur", "Tahun": 2023, "Jenis Dokumen": "PK Perubahan"}
    fill_pk(built[PK], dest, identity, SEED_ROWS)
    return dest


runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


# --- workbook layout ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", [PK, RA])
def test_sheet_names_order_and_hidden_list_sheet(built, kind):
    wb = load(built[kind])
    assert wb.sheetnames == [*SHEETS[kind], LIST_SHEET]
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible"] * len(SHEETS[kind]) + ["hidden"]
    assert wb.active.title == C.SHEET_PETUNJUK


@pytest.mark.parametrize("kind", [PK, RA])
def test_headers_in_row_1_in_contract_order_with_input_messages(built, kind):
    wb = load(built[kind])
    for table in TABLES[kind]:
        ws = wb[table.name]
        assert [c.value for c in ws[1]] == list(table.headers)
        rules = validations(ws)
        for col, column in enumerate(table.columns, start=1):
            ref = f"{openpyxl.utils.get_column_letter(col)}1"
            dv = rules[ref]
            assert dv.type is None  # "any": a message only
            assert dv.promptTitle == column.header[:32]
            assert column.help in dv.prompt
            assert f"Contoh: {column.example}" in dv.prompt
            assert column_width(ws, col) == pytest.approx(column.width, abs=1)


@pytest.mark.parametrize("kind", [PK, RA])
def test_identitas_labels_values_and_marker(built, kind):
    ws = load(built[kind])[pk_kind.IDENTITAS.name]
    sheet = IDENTITY[kind]
    assert [ws.cell(r, 1).value for r in range(2, len(sheet.labels) + 2)] == list(sheet.labels)
    marker_row = len(sheet.labels) + 2
    assert ws.cell(marker_row, 1).value == C.MARKER_LABEL
    assert ws.cell(marker_row, 2).value == KINDS[kind].marker
    assert C.parse_marker(ws.cell(marker_row, 2).value, KINDS) == (kind, KINDS[kind].version)
    assert ws.cell(marker_row, 2).protection.locked
    for r in range(2, marker_row):
        assert ws.cell(r, 2).value is None
        assert ws.cell(r, 3).value, f"no hint for {ws.cell(r, 1).value}"
        assert not ws.cell(r, 2).protection.locked
        assert ws.cell(r, 2).fill.fgColor.rgb.endswith("FFF2CC")
    assert ws.protection.sheet and not ws.protection.password


def test_pk_identitas_rules(built):
    wb = load(built[PK])
    ws = wb[pk_kind.IDENTITAS.name]
    rows = identity_rows(ws)
    rules = validations(ws)
    tahun = rules[f"B{rows['Tahun']}"]
    assert (tahun.type, tahun.formula1, tahun.formula2) == ("whole", "2000", "2100")
    jenis = rules[f"B{rows['Jenis Dokumen']}"]
    assert jenis.type == "list" and list_values(wb, jenis.formula1) == list(C.JENIS_DOKUMEN)
    tanggal = f"B{rows['Tanggal']}"
    assert ws[tanggal].number_format == "dd/mm/yyyy"
    assert rules[tanggal].type is None  # text allowed too


def test_ra_identitas_divisi_dropdown(built):
    wb = load(built[RA])
    ws = wb[ra_kind.IDENTITAS.name]
    dv = validations(ws)[f"B{identity_rows(ws)['Divisi']}"]
    assert dv.type == "list" and list_values(wb, dv.formula1) == list(C.DIVISI)


def test_pk_dropdowns_cover_the_input_rows(built):
    assert LAST_INPUT_ROW >= 151
    wb = load(built[PK])
    ws = wb[pk_kind.TABLE.name]
    cols = header_columns(ws)
    rules = validations(ws)
    expected = {C.H_JENIS: C.JENIS_NILAI, C.H_POLARITAS: C.POLARITAS, C.H_CARA: C.CARA_MENGHITUNG, C.H_PELAKSANA: C.DIVISI}
    for header, options in expected.items():
        col = cols[header]
        dv = rules[f"{col}2:{col}{LAST_INPUT_ROW}"]
        assert dv.type == "list"
        assert dv.formula1.startswith(f"{LIST_SHEET}!")  # a range, never an inline "a,b,c" list
        assert list_values(wb, dv.formula1) == list(options)
        assert dv.errorStyle in (None, "stop")
    assert any("," in d for d in C.DIVISI)  # why: an inline list would split these names at the commas
    assert not [dv for dv in wb[pk_kind.ANGGARAN.name].data_validations.dataValidation if dv.type == "list"]


def test_blank_ra_pelaksana_allows_free_text_and_has_no_code_list(built):
    wb = load(built[RA])
    ws = wb[ra_kind.TABLE.name]
    cols = header_columns(ws)
    rules = validations(ws)
    pelaksana = rules[f"{cols[C.H_PELAKSANA]}2:{cols[C.H_PELAKSANA]}{LAST_INPUT_ROW}"]
    assert pelaksana.errorStyle == "information"
    assert list_values(wb, pelaksana.formula1) == list(C.DIVISI)
    code_col = cols[C.H_KODE_INDIKATOR]
    assert not [k for k, dv in rules.items() if k.startswith(f"{code_col}2") and dv.type == "list"]


@pytest.mark.parametrize("kind", [PK, RA])
def test_protection_without_password_users_can_still_work(built, kind):
    wb = load(built[kind])
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
    for table in TABLES[kind]:
        p = wb[table.name].protection
        # In OOXML, False means "not locked": the action stays allowed on the protected sheet.
        assert not (p.insertRows or p.sort or p.autoFilter or p.formatColumns or p.formatRows)
        assert p.insertColumns and p.deleteColumns


@pytest.mark.parametrize("kind", [PK, RA])
def test_input_rows_formats_and_locks(built, kind):
    wb = load(built[kind])
    for table in TABLES[kind]:
        ws = wb[table.name]
        cols = header_columns(ws)
        for header, col in cols.items():
            assert ws[f"{col}1"].protection.locked
            for r in (2, LAST_INPUT_ROW):
                cell = ws[f"{col}{r}"]
                assert not cell.protection.locked, cell.coordinate
                assert cell.fill.fgColor.rgb.endswith("FFF2CC"), cell.coordinate
                assert cell.alignment.wrap_text
            if header in (C.H_PAGU, *C.H_REALISASI_TW_RP):
                assert ws[f"{col}2"].number_format == "#,##0"
            elif header in (C.H_TARGET, C.H_TARGET_TAHUNAN, *C.H_TARGET_TW, *C.H_REALISASI_TW):
                assert ws[f"{col}2"].number_format == "General"
            elif header in (C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_PELAKSANA):
                assert ws[f"{col}2"].number_format == "@"
            assert ws[f"{col}{LAST_INPUT_ROW + 1}"].has_style is False


@pytest.mark.parametrize("kind", [PK, RA])
def test_freeze_panes_and_print_setup(built, kind):
    wb = load(built[kind])
    for table in TABLES[kind]:
        ws = wb[table.name]
        assert ws.freeze_panes == "A2"
        assert ws.print_title_rows == "$1:$1"
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(table.columns))}{LAST_INPUT_ROW}"
    for name in SHEETS[kind]:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out of the file
        assert int(ws.page_setup.fitToHeight) == 0
        assert "&P" in ws.oddFooter.right.text


@pytest.mark.parametrize("kind", [PK, RA])
def test_petunjuk_explains_columns_lists_and_validation(built, kind):
    ws = load(built[kind])[C.SHEET_PETUNJUK]
    texts = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    joined = "\n".join(texts)
    for table in TABLES[kind]:
        for column in table.columns:
            assert column.header in texts and column.help in texts
    for option in (*C.JENIS_NILAI, *C.POLARITAS, *C.CARA_MENGHITUNG):
        assert option in texts
    assert "kpu-xl validate" in joined
    assert "Persentase pelaksanaan Pemilu yang aman dan damai di Kabupaten Tanjung Jabung Timur" in texts
    assert "Divisi Hukum dan Pengawasan" in texts
    if kind == PK:
        assert "Terwujudnya Pemilu serentak yang aman dan damai disertai penyelesaian sengketa hukum yang baik" in texts
    else:
        assert "Pelaksanaan Tahapan Pemilu" in texts
    assert ws.protection.sheet and not ws.protection.password


def test_all_strings_stay_strings(tmp_path):
    path = tmp_path / "pk.xlsx"
    write_pk_template(path, satker='=HYPERLINK("http://x")', tahun=2024)
    ws = load(path)[pk_kind.IDENTITAS.name]
    assert ws["B2"].value == '=HYPERLINK("http://x")' and ws["B2"].data_type == "s"
    assert ws["B3"].value == 2024


# --- shipped copies -------------------------------------------------------------------------


def _content(path):
    """What a user and the reader see of a template, independent of xlsxwriter's byte layout."""
    wb = load(path)
    out = []
    for ws in wb.worksheets:
        cells = [(c.coordinate, c.value, c.data_type, c.number_format, c.protection.locked) for row in ws.iter_rows() for c in row if c.value is not None or not c.protection.locked]
        validations = sorted((str(v.sqref), v.type, v.formula1, v.prompt, v.errorStyle) for v in ws.data_validations.dataValidation)
        widths = sorted((k, round(d.width or 0, 2), d.hidden) for k, d in ws.column_dimensions.items())
        out.append((ws.title, ws.sheet_state, cells, validations, widths, ws.freeze_panes, ws.protection.sheet, sorted(map(str, ws.merged_cells.ranges))))
    return out


def test_shipped_templates_are_current(built):
    # Compared by content, not bytes: a newer xlsxwriter may lay out the same workbook differently.
    for kind, name in SHIPPED.items():
        shipped = TEMPLATES_DIR / name
        assert shipped.is_file(), f"{shipped} hilang: jalankan python -m kpu_xl.xlsx.template"
        assert _content(shipped) == _content(built[kind]), f"{name} usang: jalankan python -m kpu_xl.xlsx.template"


def test_builds_are_byte_identical(built, tmp_path):
    again = build_shipped(tmp_path)
    assert [p.read_bytes() for p in again] == [built[kind].read_bytes() for kind in KINDS]


def test_write_is_atomic_and_overwrites_only_when_asked(tmp_path):
    path = tmp_path / "pk.xlsx"
    path.write_bytes(b"old")
    with pytest.raises(TemplateError, match="--timpa"):
        write_pk_template(path, tahun=2025)
    assert path.read_bytes() == b"old"
    write_pk_template(path, tahun=2025, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pk.xlsx"]
    assert load(path)[pk_kind.IDENTITAS.name]["B3"].value == 2025


# --- filling like a user ------------------------------------------------------------------------


def test_filled_pk_reads_back_under_the_right_headers(filled_pk):
    identity, indicators = read_pk_for_ra(filled_pk)
    assert identity["Satuan Kerja"] == "KPU Kabupaten Tanjung Jabung Timur"
    assert identity["Tahun"] == 2023
    assert identity["Jenis Dokumen"] == "PK Perubahan"
    assert [i[C.H_KODE_INDIKATOR] for i in indicators] == ["IK1.1", "IK2.1", "IK1.2", "IK6.3"]
    assert [i[C.H_INDIKATOR] for i in indicators] == [r[C.H_INDIKATOR] for r in SEED_ROWS]
    assert [i[C.H_TARGET_TAHUNAN] for i in indicators] == ["90%", Formatted(1, "0%"), Formatted(0.9, "0%"), "WTP"]
    assert [i[C.H_PELAKSANA] for i in indicators] == [HUKUM, TEKNIS, HUKUM, C.DIVISI[4]]
    # and every value sits in the column of its header
    ws = load(filled_pk)[pk_kind.TABLE.name]
    cols = header_columns(ws)
    for r, row in enumerate(SEED_ROWS, start=2):
        assert ws[f"{cols[C.H_JENIS]}{r}"].value == row[C.H_JENIS]
        assert ws[f"{cols[C.H_SASARAN]}{r}"].value == row[C.H_SASARAN]


def test_read_finds_columns_by_header_text_not_position(filled_pk, tmp_path):
    wb = load(filled_pk)
    ws = wb[pk_kind.TABLE.name]
    ws.protection.sheet = False
    ws.insert_rows(1, 2)  # a title above the headers
    ws["A1"] = "PERJANJIAN KINERJA TAHUN 2023"
    last = openpyxl.utils.get_column_letter(len(pk_kind.TABLE.columns))
    ws.move_range(f"A3:{last}20", cols=1)
    for cell in ws[3]:
        if isinstance(cell.value, str):
            cell.value = f"  {cell.value.upper()} "
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    _, indicators = read_pk_for_ra(moved)
    assert [i[C.H_KODE_INDIKATOR] for i in indicators] == ["IK1.1", "IK2.1", "IK1.2", "IK6.3"]


def test_prefill_beyond_input_rows_extends_rows_and_dropdowns(tmp_path):
    path = tmp_path / "ra.xlsx"
    rows = [{C.H_KODE_INDIKATOR: f"IK{n}", C.H_PELAKSANA: HUKUM} for n in range(INPUT_ROWS + 10)]
    write_ra_template(path, indicators=rows)
    wb = load(path)
    ws = wb[ra_kind.TABLE.name]
    last = INPUT_ROWS + 10 + 50 + 1
    assert ws[f"A{INPUT_ROWS + 11}"].value == f"IK{INPUT_ROWS + 9}"
    assert not ws[f"A{last}"].protection.locked and ws[f"A{last + 1}"].has_style is False
    dv = validations(ws)[f"A2:A{last}"]
    assert list_values(wb, dv.formula1) == [r[C.H_KODE_INDIKATOR] for r in rows]


# --- the CLI ---------------------------------------------------------------------------------------


def test_cli_template_pk_prefills_identity(tmp_path):
    out = tmp_path / "pk.xlsx"
    result = run("template", "pk", "-o", str(out), "--satker", "KPU Kabupaten Tanjung Jabung Timur", "--tahun", "2024")
    assert result.exit_code == 0, result.output
    ws = load(out)[pk_kind.IDENTITAS.name]
    rows = identity_rows(ws)
    assert ws.cell(rows["Satuan Kerja"], 2).value == "KPU Kabupaten Tanjung Jabung Timur"
    assert ws.cell(rows["Tahun"], 2).value == 2024


def test_cli_template_ra_from_pk_for_one_division(filled_pk, tmp_path):
    out = tmp_path / "ra-hukum.xlsx"
    result = run("template", "ra", "-o", str(out), "--dari", str(filled_pk), "--divisi", "  divisi HUKUM dan pengawasan ")
    assert result.exit_code == 0, result.output
    assert "2 indikator" in result.output
    wb = load(out)
    info = wb[ra_kind.IDENTITAS.name]
    rows = identity_rows(info)
    assert info.cell(rows["Satuan Kerja"], 2).value == "KPU Kabupaten Tanjung Jabung Timur"
    assert info.cell(rows["Tahun"], 2).value == 2023
    assert info.cell(rows["Divisi"], 2).value == HUKUM
    ws = wb[ra_kind.TABLE.name]
    cols = header_columns(ws)

    def column(header: str, n: int = 3) -> list[object]:
        return [ws[f"{cols[header]}{r}"].value for r in range(2, 2 + n)]

    assert column(C.H_KODE_INDIKATOR) == ["IK1.1", "IK1.2", None]
    assert column(C.H_INDIKATOR) == [SEED_ROWS[0][C.H_INDIKATOR], SEED_ROWS[2][C.H_INDIKATOR], None]
    assert column(C.H_TARGET_TAHUNAN) == ["90%", 0.9, None]
    assert ws[f"{cols[C.H_TARGET_TAHUNAN]}3"].number_format == "0%"  # typed 90% stays 90%
    assert column(C.H_PELAKSANA) == [HUKUM, HUKUM, None]
    assert column(C.H_KEGIATAN) == [None, None, None]
    code_col = cols[C.H_KODE_INDIKATOR]
    dv = validations(ws)[f"{code_col}2:{code_col}{LAST_INPUT_ROW}"]
    assert dv.type == "list" and dv.errorStyle == "warning"
    assert list_values(wb, dv.formula1) == ["IK1.1", "IK2.1", "IK1.2", "IK6.3"]


def test_cli_template_ra_from_pk_all_divisions(filled_pk, tmp_path):
    out = tmp_path / "ra.xlsx"
    result = run("template", "ra", "-o", str(out), "--dari", str(filled_pk))
    assert result.exit_code == 0, result.output
    wb = load(out)
    ws = wb[ra_kind.TABLE.name]
    assert [ws.cell(r, 1).value for r in range(2, 7)] == ["IK1.1", "IK2.1", "IK1.2", "IK6.3", None]
    info = wb[ra_kind.IDENTITAS.name]
    assert info.cell(identity_rows(info)["Divisi"], 2).value is None


def test_cli_template_ra_division_without_indicators_warns(filled_pk, tmp_path):
    out = tmp_path / "ra.xlsx"
    result = run("template", "ra", "-o", str(out), "--dari", str(filled_pk), "--divisi", C.SEMUA_DIVISI)
    assert result.exit_code == 0, result.output
    assert "0 indikator" in result.output and "Perhatian" in result.output
    assert load(out)[ra_kind.TABLE.name]["A2"].value is None


def assert_input_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "Traceback" not in result.output
    assert "Galat:" in result.output
    for fragment in fragments:
        assert fragment in result.output


def test_cli_dari_with_errors_says_how_to_check_that_pk_by_its_path(built, tmp_path):
    # The advice named the file alone ("kpu-xl validate PK 2023.xlsx"), which fails from any other folder.
    folder = tmp_path / "kantor pk"
    folder.mkdir()
    pk = folder / "PK 2023.xlsx"
    rows = [dict(SEED_ROWS[0]), *SEED_ROWS[1:]]
    rows[0]["Target"] = "sembilan puluh"  # an error: a target that is no number
    fill_pk(built[PK], pk, {"Satuan Kerja": "KPU Kabupaten Tanjung Jabung Timur", "Tahun": 2023, "Jenis Dokumen": "PK Perubahan"}, rows)
    result = run("template", "ra", "-o", str(tmp_path / "ra.xlsx"), "--dari", str(pk))
    assert result.exit_code == 0, result.output
    said = re.search(r"PK PK 2023\.xlsx berisi \d+ galat; periksa dengan: kpu-xl validate (.*)", result.output)
    assert said is not None, result.output
    assert said.group(1) == f'"{pk}"'  # whole and quoted: it has a space


def test_cli_dari_missing_file(tmp_path):
    result = run("template", "ra", "-o", str(tmp_path / "ra.xlsx"), "--dari", str(tmp_path / "tidak-ada.xlsx"))
    assert_input_error(result, "tidak ditemukan")
    assert not (tmp_path / "ra.xlsx").exists()


def test_cli_dari_not_an_excel_file(tmp_path):
    fake = tmp_path / "pk.xlsx"
    fake.write_text("bukan excel")
    result = run("template", "ra", "-o", str(tmp_path / "ra.xlsx"), "--dari", str(fake))
    assert_input_error(result, "tidak dapat dibuka")


def test_cli_dari_workbook_without_marker(tmp_path):
    other = tmp_path / "lain.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Sasaran"
    wb.save(other)
    result = run("template", "ra", "-o", str(tmp_path / "ra.xlsx"), "--dari", str(other))
    assert_input_error(result, "tidak dapat dibuka sebagai Perjanjian Kinerja kpu-xl", "Bukan buku kerja PK/RA kpu-xl", "lembar Identitas tidak ada")


def test_cli_dari_given_an_ra(built, tmp_path):
    result = run("template", "ra", "-o", str(tmp_path / "ra.xlsx"), "--dari", str(built[RA]))
    assert_input_error(result, "Rencana Aksi, bukan Perjanjian Kinerja")


def test_cli_dari_pk_without_needed_headers(filled_pk, tmp_path):
    wb = load(filled_pk)
    ws = wb[pk_kind.TABLE.name]
    ws[f"{header_columns(ws)[C.H_PELAKSANA]}1"] = "Penanggung"
    broken = tmp_path / "rusak.xlsx"
    wb.save(broken)
    result = run("template", "ra", "-o", str(tmp_path / "ra.xlsx"), "--dari", str(broken))
    assert_input_error(result, f'Kolom "{C.H_PELAKSANA}" tidak ditemukan')


def test_cli_unknown_division_lists_the_valid_ones(filled_pk, tmp_path):
    result = run("template", "ra", "-o", str(tmp_path / "ra.xlsx"), "--dari", str(filled_pk), "--divisi", "Divisi Hukum")
    assert_input_error(result, '"Divisi Hukum" tidak dikenal', *C.DIVISI)
    result = run("template", "ra", "-o", str(tmp_path / "ra.xlsx"), "--divisi", "Keuangan")
    assert_input_error(result, *C.DIVISI)


def test_cli_refuses_to_overwrite_the_source_pk(filled_pk):
    before = filled_pk.read_bytes()
    result = run("template", "ra", "-o", str(filled_pk), "--dari", str(filled_pk))
    assert_input_error(result, "sama dengan PK sumber")
    assert filled_pk.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--tahun", "1999"), "2000-2100"),
        (("-o", "pk.xls"), ".xlsx"),
        (("-o", "tidak/ada/pk.xlsx"), "folder tujuan"),
    ],
)
def test_cli_pk_bad_arguments(tmp_path, monkeypatch, args, fragment):
    monkeypatch.chdir(tmp_path)
    result = run("template", "pk", *(("-o", "pk.xlsx") if "-o" not in args else ()), *args)
    assert_input_error(result, fragment)


def test_library_error_type(tmp_path):
    with pytest.raises(TemplateError):
        read_pk_for_ra(tmp_path / "tidak-ada.xlsx")
