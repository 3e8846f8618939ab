"""The reader's shortcuts (kpu_xl.xlsx.source.FAST_PATHS) never change what is read.

With FAST_PATHS on, empty cells and rows are filtered out of the sheet XML before
expat and number formats are cached by the styles part's content. Every sheet here
is read twice, with the shortcuts on and off, and everything must be the same:
cells, truncation and where it happened, hidden rows and columns, merges, cut
texts, and for a malformed sheet the error message (with its line and column).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kpu_xl.xlsx.source as source
from kpu_xl.xlsx.source import Limits, SourceError, open_xlsx

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (
    f'<styleSheet xmlns="{MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/></cellXfs></styleSheet>'
)


def _xlsx(path: Path, sheet: str, styles: str = STYLES) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        zf.writestr("xl/styles.xml", styles)
    return path


def _read(path: Path, fast: bool, limits: Limits) -> object:
    before = source.FAST_PATHS
    source.FAST_PATHS = fast
    try:
        with open_xlsx(path, limits) as src:
            data = src.read_sheet(src.sheets[0])
            streamed = [[(c.row, c.col, c.value) for c in row] for row in src.rows(src.sheets[0])]
    except SourceError as exc:
        return ("error", exc.code, exc.message)
    finally:
        source.FAST_PATHS = before
    rows = [[(c.row, c.col, c.value, c.number_format, c.formula) for c in row] for row in data.rows]
    meta = {k: v for k, v in vars(data).items() if k != "rows"}
    return rows, meta, streamed


def _same(path: Path, limits: Limits = Limits(), chunk: int | None = None, monkeypatch=None) -> object:  # noqa: B008, ANN001
    if chunk is not None:
        monkeypatch.setattr(source, "_CHUNK", chunk)
    slow = _read(path, False, limits)
    fast = _read(path, True, limits)
    assert fast == slow
    return fast


# --- generated sheets -------------------------------------------------------------------

_EMPTY = ['<c{r} s="1"/>', '<c{r} s="2" t="n" />', "<c{r}/>", '<c{r} t="s"/>', '<c{r} s="1"></c>', '<c{r}  s="1"/>', '<c{r} s="1" cm="1"/>']
_FULL = ["<c{r}><v>{n}</v></c>", '<c{r} s="2"><v>0.{n}</v></c>', '<c{r} t="inlineStr"><is><t>t{n}</t></is></c>', "<c{r}><f>{n}+1</f></c>", '<c{r} s="1"><f>1</f><v>{n}</v></c>']
_ROW_ATTRS = [
    "",
    ' spans="1:9"',
    ' s="1" customFormat="1"',
    ' ht="15" customHeight="1"',
    ' hidden="1"',
    ' hidden="false"',
    ' customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false"',
    ' x14ac:dyDescent="0.25"',
]
_BREAKS = ['<c r="Q1"><v>1</c>', "&nope;", "<row>", "</c>", '<c r="A1" s="1" s="2"/>']


def _col(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


cells_st = st.lists(st.tuples(st.booleans(), st.integers(1, 3), st.booleans(), st.integers(0, 6)), max_size=8)
rows_st = st.lists(st.tuples(st.integers(0, 9), st.integers(1, 3), st.sampled_from(_ROW_ATTRS), cells_st), max_size=25)


@st.composite
def sheets(draw):  # noqa: ANN001, ANN201
    parts, row_no = [], 0
    for has_r, gap, attrs, cells in draw(rows_st):
        row_no += gap
        r = f' r="{row_no}"' if has_r else ""
        body, col = [], 0
        for cell_r, cgap, full, kind in cells:
            col += cgap
            ref = f' r="{_col(col)}{row_no}"' if cell_r else ""
            template = _FULL[kind % len(_FULL)] if full else _EMPTY[kind % len(_EMPTY)]
            body.append(template.format(r=ref, n=kind))
        parts.append(f"<row{r}{attrs}>{''.join(body)}</row>" if body or draw(st.booleans()) else f"<row{r}{attrs}/>")
    data = "".join(parts)
    if draw(st.integers(0, 5)) == 0:  # a malformed sheet
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(_BREAKS)) + data[at:]
    tail = '<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>' if draw(st.booleans()) else ""
    cols = '<cols><col min="2" max="3" hidden="1"/></cols>' if draw(st.booleans()) else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN_NS}">{cols}<sheetData>{data}</sheetData>{tail}</worksheet>'


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    xml=sheets(),
    max_rows=st.sampled_from([1, 2, 4, 20_000]),
    max_cols=st.sampled_from([2, 5, 200]),
    chunk=st.sampled_from([16, 61, 1 << 16]),
)
def test_generated_sheets_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xml: str, max_rows: int, max_cols: int, chunk: int) -> None:
    path = _xlsx(tmp_path / "g.xlsx", xml)
    _same(path, Limits(max_rows=max_rows, max_cells_per_row=max_cols), chunk, monkeypatch)


# --- cases worth naming ------------------------------------------------------------------


def _template_like(rows: int = 150, cols: int = 14) -> str:
    data = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Kode</t></is></c><c r="B1" s="2"><v>0.9</v></c></row>']
    for r in range(2, rows + 2):
        data.append(f'<row r="{r}">' + "".join(f'<c r="{_col(c)}{r}" s="1" t="n" />' for c in range(1, cols + 1)) + "</row>")
    return f'<worksheet xmlns="{MAIN_NS}"><sheetData>{"".join(data)}</sheetData></worksheet>'


def test_a_template_sheet_reads_the_same(tmp_path: Path) -> None:
    rows, meta, _ = _same(_xlsx(tmp_path / "t.xlsx", _template_like()))
    assert rows == [[(1, 1, "Kode", "General", None), (1, 2, 0.9, "0.0%", None)]]
    assert meta["truncated"] is False


@pytest.mark.parametrize("limits", [Limits(max_rows=10, max_cells_per_row=5), Limits(max_rows=3), Limits(max_rows=40, max_cells_per_row=3)])
def test_junk_budgets_stop_at_the_same_place(tmp_path: Path, limits: Limits) -> None:
    path = _xlsx(tmp_path / "b.xlsx", _template_like(rows=3000, cols=14))
    rows, meta, _ = _same(path, limits)
    assert meta["truncated"] is True


def test_an_error_after_removed_cells_is_reported_where_it_is(tmp_path: Path) -> None:
    xml = _template_like().replace("</sheetData>", '<row r="900"><c r="A900"><v>1</c></row></sheetData>')
    result = _same(_xlsx(tmp_path / "e.xlsx", xml))
    assert result[0] == "error" and "XML rusak" in result[2]


def test_cdata_that_looks_like_cells_is_kept(tmp_path: Path) -> None:
    text = '<![CDATA[a<c r="A1" s="1"/></row><row r="9"></row>b]]>'
    xml = _template_like().replace("<t>Kode</t>", f"<t>{text}</t>")
    rows, _, _ = _same(_xlsx(tmp_path / "c.xlsx", xml))
    assert rows[0][0][2] == 'a<c r="A1" s="1"/></row><row r="9"></row>b'


def test_prefixed_sheets_are_read_the_same(tmp_path: Path) -> None:
    xml = _template_like().replace("<", "<x:").replace("<x:/", "</x:").replace(f'<x:worksheet xmlns="{MAIN_NS}"', f'<x:worksheet xmlns:x="{MAIN_NS}"')
    rows, _, _ = _same(_xlsx(tmp_path / "p.xlsx", xml))
    assert [c[2] for c in rows[0]] == ["Kode", 0.9]


def test_cells_without_r_after_empty_cells_keep_their_column(tmp_path: Path) -> None:
    xml = f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" s="1"/><c r="B1" s="1"/><c><v>7</v></c></row></sheetData></worksheet>'
    rows, _, _ = _same(_xlsx(tmp_path / "n.xlsx", xml))
    assert rows == [[(1, 3, 7, "General", None)]]


def test_formats_cache_follows_the_content(tmp_path: Path) -> None:
    sheet = f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" s="1"><v>0.5</v></c></row></sheetData></worksheet>'
    a = _xlsx(tmp_path / "a.xlsx", sheet)
    b = _xlsx(tmp_path / "b.xlsx", sheet, styles=STYLES.replace('<xf numFmtId="9"/>', '<xf numFmtId="0"/>'))
    for _ in range(2):  # second round: from the cache
        assert _same(a)[0][0][0][3] == "0%"
        assert _same(b)[0][0][0][3] == "General"
