"""Consolidated figures -> the formatted workbook of LKjIP BAB III; a recap -> the recap workbook (xlsxwriter).

render_consolidated(result, path) builds one workbook with the sheets of SHEETS
(SHEETS_WITH_RENSTRA when a Renstra covers the year), in that order; render_recap(recap,
path) the recap's. Both are registered in report/formats.py, which writes them atomically
and never over an input. User text is always written with write_string and the workbook is
opened with strings_to_* off, so an indicator named '=HYPERLINK("http://x","y")' stays text.

Figures come computed from compute/satker.py and the tables from report/tables.py;
this module only lays them out.
Capaian is written in percent points (111.11 means 111.11%) with the policy's
display decimals; money in whole rupiah with thousands grouping.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from .. import __version__
from ..compute.recap import Recap
from ..compute.satker import Consolidated
from ..core import contract as C
from ..core.cells import column_letter
from ..core.files import OUTPUT_MARK
from ..core.policy import STATUS_PERLU_UPAYA, STATUS_SESUAI_JALUR, STATUS_TERCAPAI, Policy
from ..core.values import Grade, Number, format_number, tanggal_teks
from ..xlsx.styles import Styles, workbook, wrapped_lines
from . import tables as T  # noqa: E402
from .tables import (  # noqa: E402 - the sheets' names and tables come from the table layer
    H_CAPAIAN,
    H_CAPAIAN_KINERJA,
    H_EFISIENSI,
    H_KATEGORI,
    H_SERAPAN,
    H_TOTAL_REALISASI,
    SHEET_ANGGARAN,
    SHEET_ANGGARAN_TAHUN,
    SHEET_ANTAR_TAHUN,
    SHEET_JANGKA_MENENGAH,
    SHEET_LAMPIRAN,
    SHEET_PENGUKURAN,
    SHEET_RA,
    SHEET_RINGKASAN,
    SHEET_SASARAN,
    SHEET_SUMBER,
    SHEET_TEMUAN,
    SHEET_TRIWULAN,
    Column,
    Table,
    lampiran_pk,
    lampiran_program,
)

if TYPE_CHECKING:
    from xlsxwriter.chart import Chart
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

SHEETS = (
    SHEET_RINGKASAN,
    SHEET_PENGUKURAN,
    SHEET_SASARAN,
    SHEET_RA,
    SHEET_TRIWULAN,
    SHEET_ANGGARAN,
    SHEET_LAMPIRAN,
    SHEET_TEMUAN,
    SHEET_SUMBER,
)
# With a Renstra covering the year, the comparisons join: each after the sheet it extends.
SHEETS_WITH_RENSTRA = (
    SHEET_RINGKASAN,
    SHEET_PENGUKURAN,
    SHEET_SASARAN,
    SHEET_ANTAR_TAHUN,
    SHEET_JANGKA_MENENGAH,
    SHEET_RA,
    SHEET_TRIWULAN,
    SHEET_ANGGARAN,
    SHEET_ANGGARAN_TAHUN,
    SHEET_LAMPIRAN,
    SHEET_TEMUAN,
    SHEET_SUMBER,
)


def sheet_names(result: Consolidated) -> tuple[str, ...]:
    return SHEETS_WITH_RENSTRA if result.history is not None else SHEETS


# Colours of the kategori bands, best to worst; a policy with another number of
# bands is mapped onto this scale by band order.
BAND_COLOURS = ("#63BE7B", "#C6EFCE", "#FFEB84", "#F8CBAD", "#FF7C80")
MARK_COLOUR = "#E4DFEC"  # rows affected by an error (light purple: not a kategori colour)
HEADER_COLOUR = "#1F4E78"
MARK_NOTE = "Baris berlatar ungu muda (Pengukuran Kinerja, Rencana Aksi) terdampak galat; kodenya di kolom Catatan, rinciannya di lembar Temuan."

ERROR_LIST_LIMIT = 5  # errors listed on Ringkasan; the rest are on Temuan
CHART_ROW_PX = 20
CHART_HEIGHT = 280  # px; two charts and their title fit one A4 landscape page
LINE_HEIGHT = 13  # points per line of 10-point text
MAX_ROW_HEIGHT = 409  # Excel's limit
TITLE_MAX = 200  # header/footer texts must stay under Excel's 255 characters


# --- public ---------------------------------------------------------------------------


def render_consolidated(result: Consolidated, path: Path) -> list[str]:
    """Lay out every sheet of the consolidated workbook at path (report/formats.py writes it)."""
    with workbook(path) as wb:
        _consolidated_sheets(wb, result)
    return []


def _consolidated_sheets(wb: xlsxwriter.Workbook, result: Consolidated) -> None:
    ident = result.identity
    wb.set_properties(
        {
            "title": f"Konsolidasi Kinerja {ident.satker} Tahun {ident.tahun or ''}".strip(),
            "subject": "LKjIP BAB III: Pengukuran Kinerja dan Realisasi Anggaran",
            "author": "kpu-xl",
            "company": ident.satker,
            "comments": f"{OUTPUT_MARK} {__version__}",  # how kpu-xl recognises its own output among inputs
        }
    )
    st = _Styles(wb, result.policy.desimal_tampilan)
    sheets = {name: wb.add_worksheet(name) for name in sheet_names(result)}
    for name, table in T.tables(result).items():  # the data sheets: tables rendered, some with more beside them
        last = _data_table(sheets[name], st, table, result.policy, ident.satker)
        if name in _BESIDE:
            _BESIDE[name](wb, sheets[name], st, result, table, last)
    _lampiran(sheets[SHEET_LAMPIRAN], st, result)
    _ringkasan(wb, sheets[SHEET_RINGKASAN], st, result)
    sheets[SHEET_RINGKASAN].activate()


class _Styles:
    """The formats of a column's kind (report/tables.py: how its values print), bold, marked or aligned,
    and the named ones; made by xlsx/styles.Styles, each once."""

    NUMBER_FORMATS = {"int": "#,##0", "dec": "#,##0.##", "money": "#,##0"}

    def __init__(self, wb: xlsxwriter.Workbook, capaian_decimals: int) -> None:
        self.styles = styles = Styles(wb)
        self.capaian_format = "0" + ("." + "0" * capaian_decimals if capaian_decimals else "")
        self.decimals = capaian_decimals
        base = {"font_name": "Calibri", "font_size": 10}
        self.header = styles(base, bold=True, font_color="#FFFFFF", bg_color=HEADER_COLOUR, border=1, text_wrap=True, align="center", valign="vcenter")
        self.title = styles(base, bold=True, font_size=14)
        self.subtitle = styles(base, italic=True, font_color="#595959")
        self.section = styles(base, bold=True, font_size=11, font_color=HEADER_COLOUR)
        self.label = styles(base, bold=True, valign="top", text_wrap=True, bg_color="#F2F2F2", border=1)
        self.band = [styles(bg_color=colour) for colour in BAND_COLOURS]

    def __call__(self, kind: str, bold: bool = False, mark: bool = False, align: str | None = None) -> Format:
        props = {"font_name": "Calibri", "font_size": 10, "border": 1, "valign": "top", "text_wrap": True, "bold": bold}
        if kind == "capaian":
            props["num_format"] = self.capaian_format
        elif kind in self.NUMBER_FORMATS:
            props["num_format"] = self.NUMBER_FORMATS[kind]
        if kind == "center":
            props["align"] = "center"
        if align:
            props["align"] = align
        if mark:
            props["bg_color"] = MARK_COLOUR
        return self.styles(props)


# --- cells and tables -------------------------------------------------------------------


def _put(ws: Worksheet, row: int, col: int, value: object, st: _Styles, kind: str = "text", bold: bool = False, mark: bool = False, align: str | None = None) -> None:
    """One cell: text as text, numbers as numbers, Number/Grade by their type, None blank."""
    if isinstance(value, Grade):
        ws.write_string(row, col, value.code, st("center", bold, mark, align))
        return
    if isinstance(value, Number):
        value = value.value
        kind = kind if kind in ("capaian", "money", "int") else "value"
    if isinstance(value, bool) or value is None or value == "":
        ws.write_blank(row, col, None, st(kind, bold, mark, align))
    elif isinstance(value, (int, float)):
        if kind == "value":
            kind = "int" if float(value).is_integer() else "dec"
        ws.write_number(row, col, value, st(kind, bold, mark, align))
    else:
        ws.write_string(row, col, str(value), st(kind, bold, mark, align))


def _shown(value: object, decimals: int) -> str:
    """How a cell value reads on screen (for column widths)."""
    if isinstance(value, Grade):
        return value.code
    if isinstance(value, Number):
        value = value.value
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return format_number(value, decimals if not float(value).is_integer() else 0)
    return str(value)


def _widths(cols: list[Column], rows: list[list], decimals: int) -> list[float]:
    """Column widths that fit the longest text, clamped to each column's range.

    The header's longest word sets a floor so that it is never broken: one unit per
    character plus one is enough for 10-point bold text (widths are in 11-point digits).
    """
    out = []
    for c, col in enumerate(cols):
        longest = max((len(line) for r in rows for line in _shown(r[c], decimals).split("\n")), default=0)
        header_word = max(len(w) for w in col.header.split())
        out.append(min(max(longest + 2, header_word + 1, col.min_width), col.max_width))
    return out


def _fit_height(ws: Worksheet, row: int, texts: list[str], widths: list[float], bold: bool = False) -> None:
    """Set the row height for wrapped text (spreadsheet apps do not always do it on open)."""
    lines = max((wrapped_lines(t, w * (0.9 if bold else 1.0)) for t, w in zip(texts, widths)), default=1)
    if lines > 1:
        ws.set_row(row, min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3))


def _header(ws: Worksheet, row: int, cols: list[Column], st: _Styles, widths: list[float]) -> None:
    for c, col in enumerate(cols):
        ws.write_string(row, c, col.header, st.header)
        if col.help:
            ws.data_validation(row, c, row, c, {"validate": "any", "input_title": col.header[:32], "input_message": col.help[:255]})
    _fit_height(ws, row, [c.header for c in cols], widths, bold=True)


def _table(ws: Worksheet, st: _Styles, cols: list[Column], rows: list[list], top: int = 0, marks: list[bool] | None = None, bold_rows: Iterable[int] = (), policy: Policy | None = None) -> int:
    """Header at `top`, the rows below, cells coloured as their columns declare (by the policy's
    bands); returns the last row index written."""
    widths = _widths(cols, rows, st.decimals)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    _header(ws, top, cols, st, widths)
    bold = set(bold_rows)
    for i, cells in enumerate(rows):
        mark = bool(marks and marks[i])
        for c, (col, value) in enumerate(zip(cols, cells)):
            _put(ws, top + 1 + i, c, value, st, col.kind, i in bold, mark)
        _fit_height(ws, top + 1 + i, [_shown(v, st.decimals) for v in cells], widths, i in bold)
    last = top + len(rows)
    for c, col in enumerate(cols):
        if col.colour is not None and policy is not None:
            _colour(ws, st, policy, c, top + 1, last, col.colour)
    return last


def _colour(ws: Worksheet, st: _Styles, policy: Policy, col: int, first: int, last: int, how: str) -> None:
    """Colour a column's cells (rows first..last) by what they hold (tables.BY_*)."""
    if how in (T.BY_BAND, T.BY_KATEGORI):
        _kategori_colours(ws, st, policy, first, col, last, col, "capaian" if how == T.BY_BAND else "kategori")
        return
    shades = {T.BY_STATUS: ((STATUS_TERCAPAI, 0), (STATUS_SESUAI_JALUR, 1), (STATUS_PERLU_UPAYA, 3)), T.BY_TINGKAT: (("galat", -1), ("peringatan", 2))}[how]
    for text, band in shades:
        ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": st.band[band]})


def _kategori_colours(ws: Worksheet, st: _Styles, policy: Policy, first_row: int, first_col: int, last_row: int, last_col: int, on: str) -> None:
    """Colour capaian numbers (on='capaian') or kategori names (on='kategori') by band."""
    if last_row < first_row:
        return
    area = (first_row, first_col, last_row, last_col)
    bands = policy.kategori
    if on == "capaian":
        ws.conditional_format(*area, {"type": "blanks", "stop_if_true": True})
    for i, band in enumerate(bands):
        fmt = st.band[_band_index(i, len(bands))]
        if on == "kategori":
            name = band.nama.replace('"', '""')
            rule = {"type": "cell", "criteria": "==", "value": f'"{name}"'}
        elif math.isinf(band.minimum):
            rule = {"type": "no_blanks"}
        else:
            rule = {"type": "cell", "criteria": ">=", "value": band.minimum}
        ws.conditional_format(*area, {**rule, "format": fmt, "stop_if_true": True})


def _band_index(i: int, n: int) -> int:
    if n <= 1:
        return 0
    return round(i * (len(BAND_COLOURS) - 1) / (n - 1))


def _hf(text: str) -> str:
    """Text for a header/footer: '&' escaped, length bounded."""
    return text[:TITLE_MAX].replace("&", "&&")


def _print_setup(ws: Worksheet, footer: str, repeat_row: int | None, landscape: bool = True) -> None:
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
    ws.set_header(f"&C&B{_hf(ws.name)}")
    ws.set_footer(f"&L{_hf(footer)}&RHalaman &P dari &N")


# --- the data sheets: report tables rendered -----------------------------------------------------


def _data_table(ws: Worksheet, st: _Styles, table: Table, policy: Policy, footer: str) -> int:
    """A table sheet: header on row 0, frozen, filtered, printable. Returns the last row."""
    rows = table.rows
    if not rows and table.empty:
        rows = [[table.empty] + [None] * (len(table.columns) - 1)]
    last = _table(ws, st, table.columns, rows, 0, table.marks if table.rows else None, table.bold_rows, policy)
    ws.freeze_panes(1, 0)
    filter_to = last - 1 if table.bold_rows else max(last, 1)  # a total row stays out of the filter
    ws.autofilter(0, 0, filter_to, len(table.columns) - 1)
    _print_setup(ws, footer, repeat_row=0)
    return last


def _anggaran_total(wb: xlsxwriter.Workbook, ws: Worksheet, st: _Styles, result: Consolidated, table: Table, last: int) -> None:
    """Under the programs, the total row: SUM formulas for money, each with its computed value cached."""
    if not result.programs:
        return
    row = last + 1
    col = {c.header: i for i, c in enumerate(table.columns)}
    last_program_row = len(result.programs) + 1  # 1-based row of the last program
    ws.write_blank(row, col[C.H_KODE_PROGRAM], None, st("center", bold=True))
    ws.write_string(row, col[C.H_PROGRAM], "Jumlah", st("text", bold=True))
    quarters = [sum(p.realisasi_tw[q] or 0 for p in result.programs) for q in range(len(C.QUARTERS))]
    money = zip((C.H_PAGU, *C.H_REALISASI_TW_RP, H_TOTAL_REALISASI), (result.pagu_total, *quarters, result.realisasi_total))
    for header, total in money:
        letter = column_letter(col[header] + 1)
        ws.write_formula(row, col[header], f"=SUM({letter}2:{letter}{last_program_row})", st("money", bold=True), total)
    pagu = f"{column_letter(col[C.H_PAGU] + 1)}{row + 1}"
    spent = f"{column_letter(col[H_TOTAL_REALISASI] + 1)}{row + 1}"
    cached = result.serapan_total if result.serapan_total is not None else ""
    ws.write_formula(row, col[H_SERAPAN], f'=IF({pagu}>0,{spent}/{pagu}*100,"")', st("capaian", bold=True), cached)
    _put(ws, row, col[H_CAPAIAN_KINERJA], result.satker_capaian, st, "capaian", bold=True)
    _put(ws, row, col[H_EFISIENSI], result.efisiensi_total, st, "capaian", bold=True)
    ws.write_string(row, col["Indikator Terkait"], "Capaian kinerja satker", st("text", bold=True))


def _anggaran_chart(wb: xlsxwriter.Workbook, ws: Worksheet, st: _Styles, result: Consolidated, table: Table, last: int) -> None:
    """Under budget realisation per year, a native chart of serapan per year."""
    if not table.rows:
        return
    year, pct = table.index("Tahun"), table.index(H_SERAPAN)
    chart = wb.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "Serapan (%)",
            "categories": [SHEET_ANGGARAN_TAHUN, 1, year, last, year],
            "values": [SHEET_ANGGARAN_TAHUN, 1, pct, last, pct],
            "fill": {"color": "#70AD47"},
            "data_labels": {"value": True, "num_format": "0.00"},
        }
    )
    chart.set_title({"name": "Serapan Anggaran per Tahun", "name_font": {"size": 12}})
    chart.set_x_axis({"name": "Tahun"})
    chart.set_y_axis({"name": "Persen", "min": 0, "max": 100, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 560, "height": CHART_HEIGHT})
    ws.insert_chart(last + 2, 0, chart, {"x_offset": 2, "y_offset": 4})


# What a data sheet holds beside its table: (workbook, sheet, styles, result, table, last row) -> None.
_BESIDE = {SHEET_ANGGARAN: _anggaran_total, SHEET_ANGGARAN_TAHUN: _anggaran_chart}


LAMPIRAN_WIDTHS = (5, 38, 46, 18)


def _lampiran(ws: Worksheet, st: _Styles, result: Consolidated) -> None:
    """The PK as signed: title, indicator table, programs, signature block; A4 portrait."""
    ident = result.identity
    for c, w in enumerate(LAMPIRAN_WIDTHS):
        ws.set_column(c, c, w)
    centre_title = st.styles(bold=True, font_size=13, align="center", valign="vcenter", text_wrap=True)
    centre = st.styles(font_size=11, align="center", valign="vcenter", text_wrap=True)
    ws.merge_range(0, 0, 0, 3, "", centre_title)
    ws.write_string(0, 0, f"PERJANJIAN KINERJA TAHUN {ident.tahun or ''}".strip(), centre_title)
    ws.merge_range(1, 0, 1, 3, "", centre)
    ws.write_string(1, 0, ident.satker.upper(), centre)
    ws.merge_range(2, 0, 2, 3, "", centre)
    ws.write_string(2, 0, ident.jenis_dokumen, centre)
    top = 4
    last = _lampiran_indicators(ws, st, result, top)
    last = _lampiran_programs(ws, st, result, last + 2)
    last = _lampiran_signature(ws, st, result, last + 2)
    ws.print_area(0, 0, last, 3)
    _print_setup(ws, ident.satker, repeat_row=top, landscape=False)
    ws.center_horizontally()


def _lampiran_indicators(ws: Worksheet, st: _Styles, result: Consolidated, top: int) -> int:
    """The Lampiran PK table: one row per indicator; No and Sasaran merged over a sasaran's rows."""
    table = lampiran_pk(result)
    for c, col in enumerate(table.columns):
        ws.write_string(top, c, col.header, st.header)
    row = top
    runs: list[list[list]] = []  # rows of one sasaran together
    for cells in table.rows:
        if not runs or runs[-1][0][0] != cells[0]:
            runs.append([])
        runs[-1].append(cells)
    for run in runs:
        first = row + 1
        heights = []
        for _, _, nama, target in run:
            row += 1
            ws.write_string(row, 2, nama, st("text"))
            ws.write_string(row, 3, target, st("center"))
            heights.append(wrapped_lines(nama, LAMPIRAN_WIDTHS[2]) * LINE_HEIGHT + 3)
        if row > first:
            ws.merge_range(first, 0, row, 0, "", st("center"))
            ws.merge_range(first, 1, row, 1, "", st("text"))
        no, sasaran = run[0][0], run[0][1]
        ws.write_number(first, 0, no, st("center"))
        ws.write_string(first, 1, sasaran, st("text"))
        # the merged sasaran cell needs the rows' heights together to fit its text
        heights[-1] += max(0, wrapped_lines(sasaran, LAMPIRAN_WIDTHS[1]) * LINE_HEIGHT + 3 - sum(heights))
        for i, h in enumerate(heights):
            ws.set_row(first + i, min(MAX_ROW_HEIGHT, max(h, 15)))
    return row


def _lampiran_programs(ws: Worksheet, st: _Styles, result: Consolidated, top: int) -> int:
    """The programs and their pagu under the PK (program name over two columns), with the total."""
    table = lampiran_program(result)
    rupiah = st.styles(font_size=10, border=1, valign="top", num_format='"Rp "#,##0')
    rupiah_bold = st.styles(font_size=10, border=1, valign="top", bold=True, num_format='"Rp "#,##0')
    no_h, program_h, money_h = (c.header for c in table.columns)
    ws.write_string(top, 0, no_h, st.header)
    ws.merge_range(top, 1, top, 2, "", st.header)
    ws.write_string(top, 1, program_h, st.header)
    ws.write_string(top, 3, money_h, st.header)
    row = top
    for i, (no, nama, pagu) in enumerate(table.rows):
        row += 1
        if i in table.bold_rows:
            ws.merge_range(row, 0, row, 2, "", st("text", bold=True))
            ws.write_string(row, 0, nama, st("text", bold=True))
            ws.write_number(row, 3, pagu, rupiah_bold)
            continue
        ws.write_number(row, 0, no, st("center"))
        ws.merge_range(row, 1, row, 2, "", st("text"))
        ws.write_string(row, 1, nama, st("text"))
        _put_money(ws, row, 3, pagu, rupiah, st)
    return row


def _put_money(ws: Worksheet, row: int, col: int, value: float | None, fmt: Format, st: _Styles) -> None:
    if value is None:
        ws.write_blank(row, col, None, st("text"))
    else:
        ws.write_number(row, col, value, fmt)


def _lampiran_signature(ws: Worksheet, st: _Styles, result: Consolidated, top: int) -> int:
    ident = result.identity
    centre = st.styles(font_size=11, align="center", text_wrap=True)
    name = st.styles(font_size=11, align="center", bold=True, underline=True)
    place = ", ".join(x for x in (ident.tempat, tanggal_teks(ident.tanggal)) if x)
    lines = [(place, centre), (ident.jabatan_penandatangan, centre), *[("", centre)] * 4, (ident.nama_penandatangan, name)]
    for i, (text, fmt) in enumerate(lines):
        ws.merge_range(top + i, 2, top + i, 3, "", fmt)
        if text:
            ws.write_string(top + i, 2, text, fmt)
    return top + len(lines) - 1


# --- Ringkasan ------------------------------------------------------------------------------

RINGKASAN_WIDTHS = (34, 70, 14)


def _ringkasan(wb: xlsxwriter.Workbook, ws: Worksheet, st: _Styles, result: Consolidated) -> None:
    for c, w in enumerate(RINGKASAN_WIDTHS):
        ws.set_column(c, c, w)
    ident = result.identity
    ws.write_string(0, 0, f"Ringkasan Kinerja {ident.satker} Tahun {ident.tahun or ''}".strip(), st.title)
    ws.write_string(1, 0, f"Konsolidasi Perjanjian Kinerja dan Rencana Aksi untuk LKjIP BAB III (kpu-xl {__version__})", st.subtitle)
    row = _ringkasan_facts(ws, st, result, 3)
    row = _ringkasan_errors(ws, st, result, row + 2)
    row = _ringkasan_kategori(ws, st, result, row + 2)
    if result.indicators or result.programs:
        _ringkasan_charts(wb, ws, st, result, row + 2)
    _print_setup(ws, result.identity.satker, repeat_row=None)


def _key_value(ws: Worksheet, st: _Styles, row: int, label: str, value: object, kind: str = "text") -> None:
    ws.write_string(row, 0, label, st.label)
    _put(ws, row, 1, value, st, kind, align="left")
    _fit_height(ws, row, [label, _shown(value, st.decimals)], list(RINGKASAN_WIDTHS))


def _ringkasan_facts(ws: Worksheet, st: _Styles, result: Consolidated, top: int) -> int:
    ident = result.identity
    dokumen = ", ".join(x for x in (ident.jenis_dokumen, ident.tempat, tanggal_teks(ident.tanggal)) if x)
    penandatangan = f"{ident.nama_penandatangan} ({ident.jabatan_penandatangan})" if ident.jabatan_penandatangan else ident.nama_penandatangan
    tidak_terhitung = sum(1 for r in result.indicators if not r.capaian.computable)
    facts = [
        ("Satuan Kerja", ident.satker, "text"),
        ("Tahun", str(ident.tahun or ""), "text"),
        ("Dokumen PK", dokumen, "text"),
        ("Penandatangan PK", penandatangan, "text"),
        ("Kebijakan perhitungan capaian", result.policy.describe(), "text"),
        ("Capaian kinerja satker (%)", result.satker_capaian, "capaian"),
        ("Kategori capaian satker", result.satker_kategori, "text"),
        ("Jumlah indikator", len(result.indicators), "int"),
        ("Indikator yang capaiannya tidak dapat dihitung", tidak_terhitung, "int"),
        ("Pagu anggaran (Rp)", result.pagu_total, "money"),
        ("Realisasi anggaran (Rp)", result.realisasi_total, "money"),
        ("Serapan anggaran (%)", result.serapan_total, "capaian"),
        ("Efisiensi (poin: capaian kinerja - serapan)", result.efisiensi_total, "capaian"),
        ("Status validasi", result.status, "text"),
        ("Jumlah galat", len(result.errors), "int"),
        ("Jumlah peringatan", len(result.warnings), "int"),
        *_ringkasan_history(result),
    ]
    for i, (label, value, kind) in enumerate(facts):
        _key_value(ws, st, top + i, label, value, kind)
    kategori_row = top + [f[0] for f in facts].index("Kategori capaian satker")
    _kategori_colours(ws, st, result.policy, kategori_row - 1, 1, kategori_row - 1, 1, "capaian")
    _kategori_colours(ws, st, result.policy, kategori_row, 1, kategori_row, 1, "kategori")
    return top + len(facts) - 1


def _ringkasan_history(result: Consolidated) -> list[tuple[str, object, str]]:
    """The comparisons against last year and the Renstra (what criterion 3.b of the SAKIP evaluation asks)."""
    h = result.history
    if h is None:
        return [
            (
                "Pembandingan dengan Renstra",
                "Tidak ada Renstra yang periodenya memuat tahun ini di antara masukan: perbandingan antar tahun dan terhadap target jangka menengah belum dapat dibuat (buat dengan: kpu-xl template renstra).",
                "text",
            )
        ]
    n = len(h.indicators)
    return [
        ("Renstra", f"{h.renstra.display_name} (periode {h.renstra.identity.periode})", "text"),
        (f"Capaian kinerja satker {h.year - 1} (%)", h.satker_capaian_lalu, "capaian"),
        (f"Serapan anggaran {h.year - 1} (%)", h.serapan_lalu, "capaian"),
        (f"Indikator dibanding {h.year - 1}", f"{h.naik} naik, {h.tetap} tetap, {h.turun} turun; {n - h.naik - h.tetap - h.turun} tidak dapat dibandingkan", "text"),
        ("Indikator dengan realisasi tahun lalu", f"{h.with_previous} dari {n}", "text"),
        ("Indikator dengan target akhir Renstra", f"{h.with_end_target} dari {n}", "text"),
    ]


def _ringkasan_kategori(ws: Worksheet, st: _Styles, result: Consolidated, top: int) -> int:
    ws.write_string(top, 0, "Jumlah indikator per kategori", st.section)
    rows = [[nama, n] for nama, n in result.kategori_counts.items()]
    not_computed = sum(1 for r in result.indicators if r.kategori is None)
    if not_computed:
        rows.append(["Tidak dapat dihitung", not_computed])
    _header(ws, top + 1, [Column(H_KATEGORI), Column("Jumlah Indikator", "int")], st, list(RINGKASAN_WIDTHS))
    for i, (nama, n) in enumerate(rows):
        _put(ws, top + 2 + i, 0, nama, st)
        _put(ws, top + 2 + i, 1, n, st, "int", align="left")
    last = top + 1 + len(rows)
    _kategori_colours(ws, st, result.policy, top + 2, 0, last, 0, "kategori")
    return last


def _ringkasan_errors(ws: Worksheet, st: _Styles, result: Consolidated, top: int) -> int:
    ws.write_string(top, 0, "Temuan validasi", st.section)
    errors = result.errors
    if not errors:
        note = "Tidak ada galat." + (" Peringatan ada di lembar Temuan." if result.warnings else "")
        _key_value(ws, st, top + 1, "Hasil", note)
        return top + 1
    row = top
    for f in errors[:ERROR_LIST_LIMIT]:
        row += 1
        where = " › ".join(x for x in (f.file, f"{f.sheet}!{f.cell}" if f.cell else f.sheet) if x)
        _key_value(ws, st, row, f.code, f"{f.message} ({where})")
    more = f"Ada {len(errors) - ERROR_LIST_LIMIT} galat lainnya. " if len(errors) > ERROR_LIST_LIMIT else ""
    _key_value(ws, st, row + 1, "Selengkapnya", f"{more}Daftar lengkap di lembar Temuan. {MARK_NOTE}")
    return row + 1


def _chart_width(n: int) -> int:
    base = sum(w * 7 + 5 for w in RINGKASAN_WIDTHS[:2])
    return max(base, min(1100, 120 + 32 * n))


def _ringkasan_charts(wb: xlsxwriter.Workbook, ws: Worksheet, st: _Styles, result: Consolidated, top: int) -> None:
    """A page with the charts stacked under a title, then a page with the data the capaian chart reads."""
    rows_per_chart = math.ceil(CHART_HEIGHT / CHART_ROW_PX) + 1
    count = bool(result.indicators) + bool(result.programs)
    data_top = top + 1 + count * rows_per_chart + 1  # header row of the chart data table
    ws.write_string(top, 0, "Grafik", st.section)
    ws.set_h_pagebreaks([top, data_top - 1] if result.indicators else [top])
    row = top + 1
    if result.indicators:
        ws.insert_chart(row, 0, _capaian_chart(wb, result, data_top), {"x_offset": 2, "y_offset": 4})
        row += rows_per_chart
        _ringkasan_chart_data(ws, st, result, data_top)
    if result.programs:
        ws.insert_chart(row, 0, _serapan_chart(wb, result), {"x_offset": 2, "y_offset": 4})


def _capaian_chart(wb: xlsxwriter.Workbook, result: Consolidated, data_top: int) -> Chart:
    """Columns of capaian per indicator and a line at 100% (the target)."""
    first, last = data_top + 1, data_top + len(result.indicators)
    chart = wb.add_chart({"type": "column"})
    labels = len(result.indicators) <= 20
    chart.add_series(
        {
            "name": "Capaian (%)",
            "categories": [SHEET_RINGKASAN, first, 0, last, 0],
            "values": [SHEET_RINGKASAN, first, 1, last, 1],
            "fill": {"color": "#2E75B6"},
            "data_labels": {"value": True, "num_format": "0", "font": {"size": 8}} if labels else {},
        }
    )
    line = wb.add_chart({"type": "line"})
    line.add_series(
        {
            "name": "Target (100%)",
            "categories": [SHEET_RINGKASAN, first, 0, last, 0],
            "values": [SHEET_RINGKASAN, first, 2, last, 2],
            "line": {"color": "#C00000", "width": 2, "dash_type": "dash"},
            "marker": {"type": "none"},
        }
    )
    chart.combine(line)
    chart.set_title({"name": "Capaian per Indikator Kinerja", "name_font": {"size": 12}})
    chart.set_x_axis({"name": "Kode Indikator", "num_font": {"size": 8, "rotation": -45}})
    chart.set_y_axis({"name": "Capaian (%)", "min": 0, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")
    chart.set_size({"width": _chart_width(len(result.indicators)), "height": CHART_HEIGHT})
    return chart


def _serapan_chart(wb: xlsxwriter.Workbook, result: Consolidated) -> Chart:
    """Budget absorption per program, from the Anggaran sheet (with capaian kinerja where linked)."""
    first, last = 1, len(result.programs)
    table = T.anggaran(result)
    kode = table.index(C.H_KODE_PROGRAM)
    chart = wb.add_chart({"type": "column"})
    series = [(H_SERAPAN, "#70AD47")]
    if any(p.capaian_kinerja is not None for p in result.programs):
        series.append((H_CAPAIAN_KINERJA, "#2E75B6"))
    for header, colour in series:
        col = table.index(header)
        chart.add_series(
            {
                "name": [SHEET_ANGGARAN, 0, col],
                "categories": [SHEET_ANGGARAN, first, kode, last, kode],
                "values": [SHEET_ANGGARAN, first, col, last, col],
                "fill": {"color": colour},
                "data_labels": {"value": True, "num_format": "0.00"},
            }
        )
    title = "Serapan Anggaran dan Capaian Kinerja per Program" if len(series) > 1 else "Serapan Anggaran per Program"
    chart.set_title({"name": title, "name_font": {"size": 12}})
    chart.set_x_axis({"name": "Kode Program"})
    chart.set_y_axis({"name": "Persen", "min": 0, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")
    chart.set_size({"width": _chart_width(0), "height": CHART_HEIGHT})
    return chart


def _ringkasan_chart_data(ws: Worksheet, st: _Styles, result: Consolidated, top: int) -> None:
    """The small table the capaian chart reads (copied from Pengukuran Kinerja)."""
    ws.write_string(top - 1, 0, "Data grafik capaian (salinan dari lembar Pengukuran Kinerja)", st.section)
    cols = [Column(C.H_KODE_INDIKATOR), Column(H_CAPAIAN, "capaian"), Column("Target (%)", "int")]
    _header(ws, top, cols, st, list(RINGKASAN_WIDTHS))
    for i, r in enumerate(result.indicators, 1):
        _put(ws, top + i, 0, r.indicator.kode, st)
        _put(ws, top + i, 1, r.capaian.value, st, "capaian", align="left")
        _put(ws, top + i, 2, 100, st, "int", align="left")


# --- the recap across satker (kpu-xl rekap) ---------------------------------------------------------

REKAP_SHEETS = (T.SHEET_REKAP, T.SHEET_REKAP_INDIKATOR, T.SHEET_SEBARAN, T.SHEET_BELUM_LENGKAP, SHEET_TEMUAN, SHEET_SUMBER)


def render_recap(recap: Recap, path: Path) -> list[str]:
    """Lay out the recap workbook (sheets REKAP_SHEETS) at path (report/formats.py writes it)."""
    with workbook(path) as wb:
        _recap_sheets(wb, recap)
    return []


def _recap_sheets(wb: xlsxwriter.Workbook, recap: Recap) -> None:
    wb.set_properties({"title": "Rekapitulasi Kinerja Satker", "author": "kpu-xl", "comments": f"{OUTPUT_MARK} {__version__}: rekap"})
    st = _Styles(wb, recap.policy.desimal_tampilan)
    footer = f"Rekapitulasi kpu-xl: {len(recap.satker)} satker"
    tables = T.recap_tables(recap)
    sheets = {name: wb.add_worksheet(name) for name in REKAP_SHEETS}
    rekap = tables[T.SHEET_REKAP]
    _data_table(sheets[T.SHEET_REKAP], st, rekap, recap.policy, footer)
    _data_table(sheets[T.SHEET_REKAP_INDIKATOR], st, tables[T.SHEET_REKAP_INDIKATOR], recap.policy, footer)
    ws = sheets[T.SHEET_SEBARAN]
    sebaran = tables[T.SHEET_SEBARAN]
    last = _table(ws, st, sebaran.columns, sebaran.rows, 0, policy=recap.policy)
    chart = wb.add_chart({"type": "column"})
    chart.add_series(
        {"name": "Jumlah Satker", "categories": [T.SHEET_SEBARAN, 1, 0, last, 0], "values": [T.SHEET_SEBARAN, 1, 1, last, 1], "fill": {"color": "#2E75B6"}, "data_labels": {"value": True}}
    )
    chart.set_title({"name": "Satker per Kategori Capaian", "name_font": {"size": 12}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 560, "height": CHART_HEIGHT})
    ws.insert_chart(0, 3, chart)
    provinces = T.capaian_provinsi(recap)
    top = max(last, 14) + 3
    ws.write_string(top - 1, 0, "Capaian per provinsi", st.section)
    rows = provinces.rows or [[provinces.empty, None, None]]
    _table(ws, st, provinces.columns, rows, top)
    _print_setup(ws, footer, repeat_row=None)
    _data_table(sheets[T.SHEET_BELUM_LENGKAP], st, tables[T.SHEET_BELUM_LENGKAP], recap.policy, footer)
    ws = sheets[SHEET_TEMUAN]
    row = 0
    for title, table in (("Temuan per kode", T.temuan_per_kode(recap)), ("Temuan per satker", T.temuan_per_satker(recap)), ("Semua temuan", tables[SHEET_TEMUAN])):
        ws.write_string(row, 0, title, st.section)
        rows = table.rows or [[table.empty] + [None] * (len(table.columns) - 1)]
        row = _table(ws, st, table.columns, rows, row + 1, policy=recap.policy) + 2
    _print_setup(ws, footer, repeat_row=None)
    _data_table(sheets[SHEET_SUMBER], st, tables[SHEET_SUMBER], recap.policy, footer)
    sheets[T.SHEET_REKAP].activate()
