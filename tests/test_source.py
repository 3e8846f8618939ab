"""kpu_xl.xlsx.source: the safe streaming .xlsx reader.

Workbooks are built in tmp_path: with openpyxl/xlsxwriter for what real
producers write, and by hand (zipfile + XML text) for exact XML shapes,
broken files and attacks.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from kpu_xl.core.values import CellError, is_date_format, parse_percent
from kpu_xl.xlsx.source import BUILTIN_FORMATS, Limits, RawCell, SheetData, SourceError, open_xlsx

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# --- builders ----------------------------------------------------------------------------


def _content_types() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        "</Types>"
    )


def _root_rels(target: str = "xl/workbook.xml") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="{target}"/>'
        "</Relationships>"
    )


def sheet_xml(rows: str, before: str = "", after: str = "", prefix: str = "") -> str:
    """A worksheet part around raw <row> XML. With prefix="x", every element is x:-prefixed."""
    if prefix:
        body = f'<{prefix}:worksheet xmlns:{prefix}="{MAIN_NS}">{before}<{prefix}:sheetData>{rows}</{prefix}:sheetData>{after}</{prefix}:worksheet>'
        return '<?xml version="1.0" encoding="UTF-8"?>' + body
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">{before}<sheetData>{rows}</sheetData>{after}</worksheet>'


def make_xlsx(
    path: Path,
    sheets: dict[str, str] | None = None,
    shared: str | None = None,
    styles: str | None = None,
    states: dict[str, str] | None = None,
    absolute_targets: bool = False,
    workbook: str | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A minimal workbook written by hand: sheet name -> worksheet XML."""
    sheets = sheets or {"Data": sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>')}
    states = states or {}
    entries, rels = [], []
    for i, name in enumerate(sheets, start=1):
        state = f' state="{states[name]}"' if name in states else ""
        entries.append(f'<sheet name="{name}" sheetId="{i}"{state} r:id="rId{i}"/>')
        target = f"/xl/worksheets/sheet{i}.xml" if absolute_targets else f"worksheets/sheet{i}.xml"
        rels.append(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="{target}"/>')
    n = len(sheets)
    if shared is not None:
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
    if styles is not None:
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{REL_NS}/styles" Target="styles.xml"/>')
    workbook = workbook or (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{"".join(entries)}</sheets></workbook>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _content_types())
        zf.writestr("_rels/.rels", _root_rels())
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{"".join(rels)}</Relationships>',
        )
        for i, xml in enumerate(sheets.values(), start=1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        if shared is not None:
            zf.writestr("xl/sharedStrings.xml", shared)
        if styles is not None:
            zf.writestr("xl/styles.xml", styles)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def sst(*items: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="{len(items)}">{"".join(items)}</sst>'


def styles_xml(num_fmts: dict[int, str], xf_fmt_ids: list[int]) -> str:
    fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{code}"/>' for i, code in num_fmts.items())
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for i in xf_fmt_ids)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN_NS}">'
        f'<numFmts count="{len(num_fmts)}">{fmts}</numFmts>'
        # cellStyleXfs must not be mistaken for cellXfs
        '<cellStyleXfs count="1"><xf numFmtId="10" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xf_fmt_ids)}">{xfs}</cellXfs>'
        # differential formats carry numFmt elements that are not the numFmts table
        '<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="0.000%"/></dxf></dxfs></styleSheet>'
    )


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes | str]) -> Path:
    """Copy a zip, replacing (or adding) some members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in replace:
                zout.writestr(info.filename, zin.read(info))
        for name, data in replace.items():
            zout.writestr(name, data)
    return dst


def read_one(path: Path, name: str | None = None, limits: Limits = Limits()) -> SheetData:
    with open_xlsx(path, limits) as src:
        info = src.sheet(name) if name else src.sheets[0]
        assert info is not None
        return src.read_sheet(info)


def grid(data: SheetData) -> dict[str, RawCell]:
    return {c.ref: c for row in data.rows for c in row}


def refused(path: Path, limits: Limits = Limits(), read: bool = False) -> SourceError:
    """The SourceError raised when opening (and, with read=True, reading every sheet)."""
    with pytest.raises(SourceError) as info:
        with open_xlsx(path, limits) as src:
            if read:
                for sheet in src.sheets:
                    src.read_sheet(sheet)
    assert info.value.code == "berkas-tidak-terbaca"
    assert info.value.message.startswith("Berkas tidak dapat dibaca")
    return info.value


# --- values from real producers -------------------------------------------------------------


@pytest.fixture
def openpyxl_book(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PK"
    ws["A1"] = "Indikator Kinerja"
    ws["B1"] = 90
    ws["C1"] = 96.25
    ws["D1"] = True
    ws["E1"] = "#N/A"  # openpyxl stores an error value (t="e")
    ws["A2"] = 0.9
    ws["A2"].number_format = "0%"
    ws["B2"] = dt.datetime(2025, 3, 31)
    ws["B2"].number_format = "dd/mm/yyyy"
    ws["C2"] = 19651888000
    ws["C2"].number_format = '"Rp "#,##0'
    ws["D2"] = "=B1*2"  # openpyxl writes no cached value
    ws["A3"] = "Indikator Kinerja"  # the same text again: one shared string
    ws["A5"] = "baris tersembunyi"
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["F"].hidden = True
    ws["F1"] = "kolom tersembunyi"
    ws.merge_cells("A7:C7")
    ws["A7"] = "Gabungan"
    hidden = wb.create_sheet("Rahasia")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "x"
    very = wb.create_sheet("Sistem")
    very.sheet_state = "veryHidden"
    very["A1"] = "y"
    path = tmp_path / "openpyxl.xlsx"
    wb.save(path)
    return path


def test_openpyxl_values_types_and_formats(openpyxl_book: Path) -> None:
    cells = grid(read_one(openpyxl_book, "PK"))
    assert cells["A1"].value == "Indikator Kinerja" and cells["A3"].value == "Indikator Kinerja"
    assert cells["B1"].value == 90 and type(cells["B1"].value) is int
    assert cells["C1"].value == 96.25 and type(cells["C1"].value) is float
    assert cells["D1"].value is True
    assert cells["E1"].value == CellError("#N/A")
    assert cells["A2"].value == 0.9 and cells["A2"].number_format == "0%"
    assert parse_percent(cells["A2"].value, cells["A2"].number_format).value == 90
    assert cells["B2"].number_format == "dd/mm/yyyy" and is_date_format(cells["B2"].number_format)
    assert cells["B2"].value == 45747  # the date serial of 2025-03-31, as stored
    assert cells["C2"].value == 19651888000 and cells["C2"].number_format == '"Rp "#,##0'
    assert cells["A1"].number_format == "General"


def test_formula_without_cached_value_is_kept_as_formula(openpyxl_book: Path) -> None:
    cell = grid(read_one(openpyxl_book, "PK"))["D2"]
    assert cell.value is None
    assert cell.formula == "B1*2"


def test_sheet_states_and_lookup(openpyxl_book: Path) -> None:
    with open_xlsx(openpyxl_book) as src:
        states = {s.name: s.state for s in src.sheets}
        assert states == {"PK": "visible", "Rahasia": "hidden", "Sistem": "veryHidden"}
        assert src.sheet("PK") is src.sheets[0]
        assert src.sheet("  pk ") is src.sheets[0]
        assert src.sheet("rahasia").name == "Rahasia"
        assert src.sheet("Tidak Ada") is None
        assert src.sheets[0].part == "xl/worksheets/sheet1.xml"
        assert src.has_macros is False


def test_hidden_rows_cols_and_merges(openpyxl_book: Path) -> None:
    data = read_one(openpyxl_book, "PK")
    assert 5 in data.hidden_rows and 1 not in data.hidden_rows
    assert data.hidden_cols == {6}
    assert data.merged == [(7, 1, 7, 3)]
    assert data.truncated is False and data.cut_texts == []


def test_xlsxwriter_cached_formula_bool_date(tmp_path: Path) -> None:
    path = tmp_path / "xw.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("RA")
    ws.write_formula("A1", "=SUM(B1:B2)", None, 42)
    ws.write_formula("A2", '="ya"', None, "ya")
    ws.write_boolean("B1", False)
    ws.write_datetime("C1", dt.datetime(2025, 1, 5), wb.add_format({"num_format": "d mmmm yyyy"}))
    ws.write_number("D1", 0.75, wb.add_format({"num_format": "0.00%"}))
    ws.write_string("E1", "Rencana Aksi")
    wb.close()
    cells = grid(read_one(path))
    assert (cells["A1"].value, cells["A1"].formula) == (42, "SUM(B1:B2)")
    assert (cells["A2"].value, cells["A2"].formula) == ("ya", '"ya"')
    assert cells["B1"].value is False  # a real value, not an empty cell
    assert cells["C1"].number_format == "d mmmm yyyy" and cells["C1"].value == 45662
    assert cells["D1"].number_format == "0.00%"
    assert cells["E1"].value == "Rencana Aksi"
    assert [c.col for c in next(iter(read_one(path).rows))] == [1, 2, 3, 4, 5]


# --- values from hand-written XML -------------------------------------------------------------


def test_cell_types_by_hand(tmp_path: Path) -> None:
    rows = (
        '<row r="1">'
        '<c r="A1" t="s"><v>0</v></c>'  # rich text shared string with phonetic run
        '<c r="B1" t="inlineStr"><is><t>inline</t></is></c>'
        '<c r="C1" t="inlineStr"><is><r><t>ka</t></r><r><rPr><b/></rPr><t>ya</t></r><rPh sb="0" eb="1"><t>PHON</t></rPh></is></c>'
        '<c r="D1" t="str"><f>A1&amp;"!"</f><v>hasil</v></c>'
        '<c r="E1" t="e"><v>#DIV/0!</v></c>'
        '<c r="F1" t="b"><v>1</v></c>'
        '<c r="G1" t="d"><v>2025-06-30T00:00:00</v></c>'
        '<c r="H1"><v>-7</v></c>'
        '<c r="I1" t="n"><v>1.5E-3</v></c>'
        '<c r="J1" s="1"><v>0.9</v></c>'
        '<c r="K1" s="2"><v>45000</v></c>'
        '<c r="L1" s="3"><v>1234.5</v></c>'
        '<c r="M1" t="s"><v>1</v></c>'
        '<c r="N1" s="1"/>'  # styled but empty: skipped
        '<c r="O1"><v></v></c>'  # empty value: skipped
        '<c r="P1" s="4"><v>3</v></c>'  # style index out of range
        "</row>"
        '<row r="2"><c r="A2"><f>SUM(A1:A1)</f><v>10</v></c></row>'
        '<row r="3"><c r="A3"><f t="shared" ref="A3:A4" si="0">B3*2</f><v>4</v></c></row>'
        '<row r="4"><c r="A4"><f t="shared" si="0"/><v>6</v></c></row>'
        '<row r="5"><c r="A5" s="1"/></row>'  # a row with no data: skipped
    )
    shared = sst(
        '<si><r><t>Sasaran </t></r><r><rPr><i/></rPr><t>Strategis</t></r><rPh sb="0" eb="1"><t>X</t></rPh></si>',
        "<si><t>baris_x000D_\nbaru</t></si>",
    )
    styles = styles_xml({164: "#,##0.00 &quot;Rp&quot;"}, [0, 9, 14, 164])
    path = make_xlsx(tmp_path / "hand.xlsx", {"Data": sheet_xml(rows)}, shared=shared, styles=styles)
    data = read_one(path)
    cells = grid(data)
    assert cells["A1"].value == "Sasaran Strategis"
    assert cells["B1"].value == "inline" and cells["B1"].formula is None
    assert cells["C1"].value == "kaya"
    assert (cells["D1"].value, cells["D1"].formula) == ("hasil", 'A1&"!"')
    assert cells["E1"].value == CellError("#DIV/0!")
    assert cells["F1"].value is True
    assert cells["G1"].value == dt.datetime(2025, 6, 30)
    assert cells["H1"].value == -7 and type(cells["H1"].value) is int
    assert cells["I1"].value == pytest.approx(0.0015)
    assert (cells["J1"].value, cells["J1"].number_format) == (0.9, "0%")
    assert cells["K1"].number_format == "mm-dd-yy"
    assert cells["L1"].number_format == '#,##0.00 "Rp"'
    assert cells["M1"].value == "baris\r\nbaru"  # _x000D_ is OOXML's escape for a carriage return
    assert "N1" not in cells and "O1" not in cells
    assert cells["P1"].number_format == "General"
    assert (cells["A2"].value, cells["A2"].formula) == (10, "SUM(A1:A1)")
    assert cells["A3"].formula == "B3*2"
    assert (cells["A4"].value, cells["A4"].formula) == (6, "")  # shared-formula dependent: still a formula
    assert [r[0].row for r in data.rows] == [1, 2, 3, 4]
    assert all([c.col for c in r] == sorted(c.col for c in r) for r in data.rows)


def test_missing_r_attributes_count_positions(tmp_path: Path) -> None:
    rows = (
        '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row>'
        "<row><c><v>2</v></c></row>"
        '<row r="10"><c><v>10</v></c></row>'
        "<row><c/><c><v>11</v></c></row>"
    )
    cells = grid(read_one(make_xlsx(tmp_path / "nor.xlsx", {"S": sheet_xml(rows)})))
    assert {ref: c.value for ref, c in cells.items()} == {"A1": "a", "B1": 1, "E1": 5, "F1": 6, "A2": 2, "A10": 10, "B11": 11}


def test_prefixed_namespace_and_absolute_targets(tmp_path: Path) -> None:
    rows = '<x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>awalan</x:t></x:is></x:c><x:c r="C2"><x:v>3</x:v></x:c></x:row>'
    after = '<x:mergeCells count="1"><x:mergeCell ref="B2:C3"/></x:mergeCells>'
    path = make_xlsx(tmp_path / "px.xlsx", {"P": sheet_xml(rows, after=after, prefix="x")}, absolute_targets=True)
    data = read_one(path)
    assert {c.ref: c.value for c in data.rows[0]} == {"B2": "awalan", "C2": 3}
    assert data.merged == [(2, 2, 3, 3)]


def test_hidden_cols_ranges_and_hidden_rows_by_hand(tmp_path: Path) -> None:
    before = '<cols><col min="2" max="3" hidden="1" width="0"/><col min="5" max="5" width="9"/><col min="190" max="16384" hidden="true"/></cols>'
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="2" hidden="1"><c r="A2"><v>2</v></c></row><row r="3" hidden="0"/>'
    after = '<mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="D4"/></mergeCells>'
    data = read_one(make_xlsx(tmp_path / "h.xlsx", {"H": sheet_xml(rows, before, after)}))
    assert data.hidden_rows == {2}
    # bounded by max_cells_per_row (200): columns past it are never read anyway
    assert data.hidden_cols == {2, 3, *range(190, 201)}
    assert data.merged == [(1, 1, 1, 2), (4, 4, 4, 4)]


def test_long_text_is_cut_and_reported(tmp_path: Path) -> None:
    long = "a" * 40_000
    rows = f'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>{long}</t></is></c><c r="C1" t="s"><v>1</v></c></row>'
    path = make_xlsx(tmp_path / "long.xlsx", {"L": sheet_xml(rows)}, shared=sst(f"<si><t>{long}</t></si>", "<si><t>pendek</t></si>"))
    data = read_one(path)
    cells = grid(data)
    assert len(cells["A1"].value) == 32_767 and len(cells["B1"].value) == 32_767
    assert cells["C1"].value == "pendek"
    assert data.cut_texts == ["A1", "B1"]
    small = read_one(path, limits=Limits(max_text_chars=5))
    assert grid(small)["C1"].value == "pende" and small.cut_texts == ["A1", "B1", "C1"]


def test_control_characters_are_left_alone(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>a\tb_x0007_c</t></is></c></row>'
    assert grid(read_one(make_xlsx(tmp_path / "cc.xlsx", {"C": sheet_xml(rows)})))["A1"].value == "a\tb\x07c"


def test_macros_are_noticed_not_run(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "m.xlsm", extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not parsed"})
    with open_xlsx(path) as src:
        assert src.has_macros is True
        assert src.read_sheet(src.sheets[0]).rows[0][0].value == "x"


# --- limits on rows and columns ------------------------------------------------------------------


def test_huge_dimension_with_three_rows_is_fast(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in (1, 2, 3))
    xml = sheet_xml(rows, before='<dimension ref="A1:XFD1048576"/>')
    path = make_xlsx(tmp_path / "dim.xlsx", {"D": xml})
    start = time.perf_counter()
    data = read_one(path)
    assert time.perf_counter() - start < 0.5
    assert [r[0].value for r in data.rows] == [1, 2, 3] and data.truncated is False


def _many_rows(path: Path, n: int, cols: int = 3) -> Path:
    rows = "".join(f'<row r="{r}">' + "".join(f"<c><v>{r}</v></c>" for _ in range(cols)) + "</row>" for r in range(1, n + 1))
    return make_xlsx(path, {"Big": sheet_xml(rows, after='<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>')})


def test_many_rows_truncated_at_max_rows(tmp_path: Path) -> None:
    path = _many_rows(tmp_path / "big.xlsx", 100_000)
    start = time.perf_counter()
    data = read_one(path, limits=Limits(max_rows=1000))
    elapsed = time.perf_counter() - start
    assert len(data.rows) == 1000 and data.rows[-1][0].row == 1000
    assert data.truncated is True
    assert elapsed < 1.0, elapsed  # stops early, never parses the other 99,000 rows
    with open_xlsx(path, Limits(max_rows=1000)) as src:
        assert sum(1 for _ in src.rows(src.sheets[0])) == 1000


def test_exactly_max_rows_is_not_truncated(tmp_path: Path) -> None:
    data = read_one(_many_rows(tmp_path / "exact.xlsx", 50), limits=Limits(max_rows=50))
    assert len(data.rows) == 50 and data.truncated is False
    assert data.merged == [(1, 1, 1, 2)]  # read after </sheetData>


def test_empty_junk_rows_do_not_count(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}" s="3" customFormat="1"><c r="A{r}" s="3"/></row>' for r in range(1, 5000))
    rows += '<row r="5000"><c r="A5000"><v>1</v></c></row>'
    data = read_one(make_xlsx(tmp_path / "junk.xlsx", {"J": sheet_xml(rows)}), limits=Limits(max_rows=2000))
    assert [r[0].ref for r in data.rows] == ["A5000"] and data.truncated is False


def test_a_million_empty_rows_stop_quickly(tmp_path: Path) -> None:
    # Styled but empty rows keep nothing, yet each costs a parser callback:
    # the scan gives up after 4 * max_rows row elements.
    rows = "".join(f'<row r="{r}" s="3" customFormat="1"><c r="A{r}" s="3"/></row>' for r in range(1, 1_000_001))
    path = make_xlsx(tmp_path / "junk.xlsx", {"J": sheet_xml(rows + '<row r="1000001"><c><v>1</v></c></row>')})
    del rows
    start = time.perf_counter()
    data = read_one(path)
    assert time.perf_counter() - start < 2.0
    assert data.rows == [] and data.truncated is True


def test_empty_cells_are_budgeted_too(tmp_path: Path) -> None:
    row = '<c s="1"/>' * 5000  # so repetitive that it compresses ~450:1
    rows = "".join(f'<row r="{r}">{row}</row>' for r in range(1, 201)) + '<row r="201"><c><v>1</v></c></row>'
    data = read_one(make_xlsx(tmp_path / "lebar.xlsx", {"J": sheet_xml(rows)}), limits=Limits(max_rows=100, max_cells_per_row=50, max_ratio=10_000))
    assert data.rows == [] and data.truncated is True  # 100 * 50 cell elements scanned, then stop


def test_columns_beyond_limit_are_ignored(tmp_path: Path) -> None:
    rows = '<row r="1">' + "".join(f"<c><v>{c}</v></c>" for c in range(1, 301)) + "</row>"
    rows += '<row r="2"><c r="A2"><v>1</v></c><c r="KN2" t="inlineStr"><is><t>' + "x" * 40_000 + "</t></is></c></row>"
    data = read_one(make_xlsx(tmp_path / "wide.xlsx", {"W": sheet_xml(rows)}))
    assert len(data.rows[0]) == 200 and data.rows[0][-1].col == 200
    assert [c.ref for c in data.rows[1]] == ["A2"]
    assert data.truncated is True
    assert data.cut_texts == []  # an ignored cell is not reported as cut


def test_empty_cells_past_the_column_limit_do_not_truncate(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="ZZ1" s="1"/></row>'
    data = read_one(make_xlsx(tmp_path / "styled.xlsx", {"W": sheet_xml(rows)}))
    assert data.truncated is False


def test_defined_names_after_sheets_are_not_needed(tmp_path: Path) -> None:
    names = "".join(f'<definedName name="n{i}">#REF!</definedName>' for i in range(50_000))
    workbook = f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets><definedNames>{names}</definedNames></workbook>'
    with open_xlsx(make_xlsx(tmp_path / "names.xlsx", workbook=workbook)) as src:
        assert [s.name for s in src.sheets] == ["Data"]


def test_rows_streams_and_can_stop_early(tmp_path: Path) -> None:
    path = _many_rows(tmp_path / "s.xlsx", 3000)
    with open_xlsx(path) as src:
        it = src.rows(src.sheets[0])
        first = next(it)
        assert [c.ref for c in first] == ["A1", "B1", "C1"]
        it.close()  # closes the member stream
        assert len(src.read_sheet(src.sheets[0]).rows) == 3000


def test_150_row_sheet_is_fast(tmp_path: Path) -> None:
    path = tmp_path / "150.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("PK")
    pct = wb.add_format({"num_format": "0%"})
    for r in range(150):
        for c in range(12):
            if c % 3 == 0:
                ws.write_string(r, c, f"Indikator {r}-{c}")
            else:
                ws.write_number(r, c, 0.9, pct if c % 3 == 2 else None)
    wb.close()
    best = min(_timed(lambda: read_one(path)) for _ in range(5))
    assert best < 0.1, best  # measured ~5 ms; generous for slow CI machines
    assert len(read_one(path).rows) == 150


def _timed(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# --- sniffing ------------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(b"")
    assert "berkas kosong (0 byte)" in refused(path).message


def test_csv_renamed(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_text("Kode;Indikator;Target\nIK.1;Persentase;90%\n", encoding="utf-8")
    assert "berkas teks/CSV, bukan .xlsx" in refused(path).message


def test_csv_in_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes("Kode,Uraian\n1,Pengadaan barang\xe9\n".encode("cp1252"))
    assert "teks/CSV" in refused(path).message


def test_html_renamed(tmp_path: Path) -> None:
    path = tmp_path / "laporan.xlsx"
    path.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    assert "HTML" in refused(path).message


def test_pdf_renamed(tmp_path: Path) -> None:
    path = tmp_path / "pk.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert "berkas PDF, bukan buku kerja" in refused(path).message


def test_unknown_binary(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(bytes(range(256)) * 4)
    assert "format berkas tidak dikenal" in refused(path).message


def test_truncated_zip(openpyxl_book: Path, tmp_path: Path) -> None:
    data = openpyxl_book.read_bytes()
    path = tmp_path / "potong.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "berkas rusak atau terpotong" in refused(path).message


def _ole(*stream_names: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in ("Root Entry", *stream_names))
    return header + b"\xff" * 2048 + directory


def test_ole_encrypted_ooxml(tmp_path: Path) -> None:
    path = tmp_path / "sandi.xlsx"
    path.write_bytes(_ole("EncryptionInfo", "EncryptedPackage"))
    assert "berkas terenkripsi (dilindungi kata sandi); buka, hapus kata sandi, simpan ulang" in refused(path).message


def test_ole_name_split_across_read_chunks(tmp_path: Path) -> None:
    name = "EncryptedPackage".encode("utf-16-le")
    data = _ole("Workbook")
    data = data + b"\x00" * (2**20 - len(data) - 7) + name  # the name straddles the 1 MiB read boundary
    path = tmp_path / "sandi2.xlsx"
    path.write_bytes(data)
    assert "terenkripsi" in refused(path).message


def test_ole_legacy_xls(tmp_path: Path) -> None:
    path = tmp_path / "lama.xlsx"
    path.write_bytes(_ole("Workbook", "\x05SummaryInformation"))
    assert "format Excel 97-2003 (.xls); buka di Excel/LibreOffice lalu simpan sebagai .xlsx" in refused(path).message


def test_ods_renamed(tmp_path: Path) -> None:
    path = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert "berkas OpenDocument (.ods); simpan sebagai .xlsx" in refused(path).message


def test_zip_without_workbook(tmp_path: Path) -> None:
    path = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("laporan/data.txt", "isi")
    assert "bukan buku kerja Excel (.xlsx)" in refused(path).message


def test_docx_renamed(tmp_path: Path) -> None:
    path = tmp_path / "surat.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word" in refused(path).message


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        open_xlsx(tmp_path / "tidak-ada.xlsx")
    assert info.value.code == "berkas-tidak-terbaca"


# --- zip bombs -----------------------------------------------------------------------------------


def _add_zeros(src: Path, dst: Path, mib: int) -> Path:
    """A copy of a workbook with an extra member of `mib` MiB of zeros (compresses ~1000:1)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        with zout.open("xl/media/nol.bin", "w") as fh:
            chunk = b"\x00" * 2**20
            for _ in range(mib):
                fh.write(chunk)
    return dst


def test_zip_bomb_refused_from_directory(openpyxl_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _add_zeros(openpyxl_book, tmp_path / "bom.xlsx", 300)
    assert path.stat().st_size < 2 * 2**20

    def no_decompression(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_decompression)
    start = time.perf_counter()
    error = refused(path)
    assert time.perf_counter() - start < 0.5
    assert "bom zip" in error.message and "xl/media/nol.bin" in error.message
    assert "Limits(max_ratio=...)" in error.message


def test_zip_bomb_limit_is_settable(openpyxl_book: Path, tmp_path: Path) -> None:
    path = _add_zeros(openpyxl_book, tmp_path / "bom-kecil.xlsx", 3)
    assert "batas rasio 200:1" in refused(path).message
    with open_xlsx(path, Limits(max_ratio=5000)) as src:  # a larger limit lets it through
        assert grid(src.read_sheet(src.sheet("PK")))["A1"].value == "Indikator Kinerja"


def test_small_compressible_members_are_not_ratio_checked(openpyxl_book: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(openpyxl_book) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    path = tmp_path / "nol-kecil.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
        zout.writestr("xl/media/nol.bin", b"\x00" * 900_000)  # ratio ~1000:1, but under 1 MiB
    with open_xlsx(path) as src:
        assert src.sheets[0].name == "PK"


def test_total_uncompressed_limit(openpyxl_book: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(openpyxl_book) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    path = tmp_path / "besar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
        zout.writestr("xl/media/foto.bin", random.Random(1).randbytes(2 * 2**20))
    error = refused(path, Limits(max_uncompressed_bytes=2**20))
    assert "Limits(max_uncompressed_bytes=...)" in error.message and "1,0 MB" in error.message
    with open_xlsx(path) as src:  # default limit: fine
        assert len(src.sheets) == 3


def test_file_size_limit(openpyxl_book: Path) -> None:
    error = refused(openpyxl_book, Limits(max_file_bytes=1000))
    assert "Limits(max_file_bytes=...)" in error.message


# --- XML attacks ----------------------------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def test_entity_expansion_in_sheet_refused(tmp_path: Path) -> None:
    xml = LAUGHS + f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
    error = refused(make_xlsx(tmp_path / "lol.xlsx", {"S": xml}), read=True)
    assert "berisi deklarasi DTD/entitas XML yang tidak diizinkan" in error.message
    assert "xl/worksheets/sheet1.xml" in error.message


def test_entity_expansion_in_shared_strings_refused(tmp_path: Path) -> None:
    shared = LAUGHS + f'<sst xmlns="{MAIN_NS}"><si><t>&lol3;</t></si></sst>'
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    error = refused(make_xlsx(tmp_path / "lol2.xlsx", {"S": sheet_xml(rows)}, shared=shared), read=True)
    assert "berisi deklarasi DTD/entitas XML yang tidak diizinkan" in error.message
    assert "sharedStrings.xml" in error.message


def test_doctype_in_workbook_refused_at_open(tmp_path: Path) -> None:
    workbook = f'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY n "PK">]><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="&n;" sheetId="1" r:id="rId1"/></sheets></workbook>'
    error = refused(make_xlsx(tmp_path / "wb.xlsx", workbook=workbook))
    assert "tidak diizinkan" in error.message


@pytest.mark.parametrize("part", ["sheet", "shared"])
def test_external_entity_never_read(tmp_path: Path, part: str) -> None:
    secret = tmp_path / "rahasia.txt"
    secret.write_text("KATA-SANDI-RAHASIA-123")
    doctype = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    if part == "sheet":
        sheets = {"S": doctype + f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'}
        shared = None
    else:
        sheets = {"S": sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')}
        shared = doctype + f'<sst xmlns="{MAIN_NS}"><si><t>&xxe;</t></si></sst>'
    path = make_xlsx(tmp_path / "xxe.xlsx", sheets, shared=shared)
    error = refused(path, read=True)
    assert "tidak diizinkan" in error.message
    assert "KATA-SANDI" not in error.message and "KATA-SANDI" not in repr(error.__cause__)


def test_external_dtd_refused(tmp_path: Path) -> None:
    xml = f'<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://contoh.invalid/x.dtd"><worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>'
    assert "tidak diizinkan" in refused(make_xlsx(tmp_path / "dtd.xlsx", {"S": xml}), read=True).message


def test_undefined_entity_is_an_xml_error(tmp_path: Path) -> None:
    xml = f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&nope;</t></is></c></row></sheetData></worksheet>'
    assert "XML rusak" in refused(make_xlsx(tmp_path / "ent.xlsx", {"S": xml}), read=True).message


# --- broken files never raise anything but SourceError ----------------------------------------------


def test_malformed_sheet_xml(tmp_path: Path) -> None:
    xml = f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData></worksheet>'
    error = refused(make_xlsx(tmp_path / "rusak.xlsx", {"S": xml}), read=True)
    assert "XML rusak di bagian xl/worksheets/sheet1.xml" in error.message


def test_bad_shared_string_index(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="s"><v>5</v></c></row>'
    error = refused(make_xlsx(tmp_path / "idx.xlsx", {"S": sheet_xml(rows)}, shared=sst("<si><t>a</t></si>")), read=True)
    assert "A1" in error.message and "teks bersama" in error.message


def test_sheet_without_part(tmp_path: Path) -> None:
    workbook = f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="Hilang" sheetId="9" r:id="rId9"/></sheets></workbook>'
    assert '"Hilang"' in refused(make_xlsx(tmp_path / "hilang.xlsx", workbook=workbook)).message


def test_corrupt_member_crc(openpyxl_book: Path, tmp_path: Path) -> None:
    path = tmp_path / "crc.xlsx"
    with zipfile.ZipFile(openpyxl_book) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
    data = bytearray(path.read_bytes())
    at = data.find(b"<sheetData>")
    data[at + 1] = ord("S")  # same length, wrong CRC
    path.write_bytes(bytes(data))
    assert "rusak" in refused(path, read=True).message


def test_mutated_files_only_raise_source_error(openpyxl_book: Path, tmp_path: Path) -> None:
    original = openpyxl_book.read_bytes()
    rng = random.Random(20250101)
    path = tmp_path / "mutasi.xlsx"
    outcomes = {"ok": 0, "refused": 0}
    for i in range(300):
        data = bytearray(original)
        if i % 3 == 0:
            data = data[: rng.randrange(1, len(data))]
        else:
            for _ in range(rng.randrange(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        try:
            with open_xlsx(path) as src:
                for sheet in src.sheets:
                    src.read_sheet(sheet)
            outcomes["ok"] += 1
        except SourceError as exc:
            assert exc.code == "berkas-tidak-terbaca" and exc.message
            outcomes["refused"] += 1
    assert outcomes["refused"] > 100


def test_builtin_formats_table() -> None:
    assert BUILTIN_FORMATS[0] == "General" and BUILTIN_FORMATS[9] == "0%" and BUILTIN_FORMATS[10] == "0.00%"
    assert BUILTIN_FORMATS[14] == "mm-dd-yy" and BUILTIN_FORMATS[37] == "#,##0 ;(#,##0)" and BUILTIN_FORMATS[49] == "@"
    assert all(is_date_format(BUILTIN_FORMATS[i]) for i in (14, 15, 16, 17, 22, 45, 46))


def test_utf16_sheet_is_read_and_its_doctype_refused(tmp_path: Path) -> None:
    # A byte scan for "<!DOCTYPE" would miss it in UTF-16; the parser's own handlers do not.
    body = f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>utf16</t></is></c></row></sheetData></worksheet>'
    good = ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16")
    path = make_xlsx(tmp_path / "u16.xlsx", {"U": "placeholder"})
    path = rewrite_zip(path, tmp_path / "u16b.xlsx", {"xl/worksheets/sheet1.xml": good})
    assert grid(read_one(path))["A1"].value == "utf16"
    evil = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY e "x">]>' + body).encode("utf-16")
    path = rewrite_zip(path, tmp_path / "u16c.xlsx", {"xl/worksheets/sheet1.xml": evil})
    assert "tidak diizinkan" in refused(path, read=True).message


def test_strict_ooxml_namespaces(tmp_path: Path) -> None:
    strict_main = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    strict_rel = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    sheet = f'<worksheet xmlns="{strict_main}"><sheetData><row r="1"><c r="A1"><v>7</v></c></row></sheetData></worksheet>'
    path = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", _content_types())
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{strict_rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{strict_main}" xmlns:rel="{strict_rel}"><sheets><sheet name="Ketat" sheetId="1" rel:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{strict_rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    data = read_one(path, "Ketat")
    assert data.rows[0][0].value == 7
