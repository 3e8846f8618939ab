"""The template writer every kind uses: workbooks built from a kind's declarations (xlsxwriter).

Every sheet name, header and identity label comes from the kind (kinds/*.py). The
workbooks are built deterministically (fixed document date, in-memory zip with
fixed timestamps), so the shipped copies in templates/ can be checked for
staleness. `python -m kpu_xl.kinds [FOLDER]` regenerates them.

Layout:
- Identitas: title in row 1, then one row per identity field (label in A,
  input value in B, hint in C), then the marker row (MARKER_LABEL, locked).
- Table sheets: headers in row 1 (contract order, from column A), input rows
  2..INPUT_ROWS+1 (more when prefilled).
- Closed lists live in the hidden sheet LIST_SHEET, one list per column with a
  title in row 1 and values from row 2; validations refer to them by range
  because Excel caps inline list validations at 255 characters.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from ..core.cells import column_letter
from ..core.contract import (
    BPK_OPINIONS,
    CARA_KUMULATIF,
    CARA_POSISI_AKHIR,
    CARA_RATA_RATA,
    CHOICE,
    DATE,
    H_CARA,
    H_JENIS,
    H_POLARITAS,
    JENIS_ANGKA,
    JENIS_INDEKS,
    JENIS_OPINI,
    JENIS_PERSEN,
    JENIS_PREDIKAT,
    MARKER_LABEL,
    MONEY,
    NUMBER,
    POLARITAS_NEGATIF,
    POLARITAS_POSITIF,
    SAKIP_GRADES,
    SHEET_PETUNJUK,
    YEAR,
    IdentityField,
    TableSheet,
)
from ..core.errors import KpuXlError
from ..core.files import OutputError, atomic_write, os_error_in, os_reason
from .styles import TEMPLATE_TEXT, Styles, workbook, wrapped_lines

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

    from ..core.contract import Column, IdentitySheet

    class _Kind(Protocol):
        """What a template takes of its kind (a kinds.base.DocumentKind: the xlsx layer does not import kinds/)."""

        @property
        def name(self) -> str: ...

        @property
        def identity(self) -> IdentitySheet: ...

        @property
        def marker(self) -> str: ...


INPUT_ROWS = 150  # formatted input rows under every table header
SPARE_ROWS = 50  # empty input rows kept below prefilled rows
LIST_SHEET = "Daftar"  # hidden sheet holding the dropdown lists
IDENTITY_VALUE_COL = 1  # 0-based: labels in A, values in B
YEAR_MIN, YEAR_MAX = 2000, 2100
BUILD_DATE = _dt.datetime(2024, 1, 1)  # fixed document date: builds are byte-identical

_TABLE_PROTECTION = {
    "format_columns": True,
    "format_rows": True,
    "insert_rows": True,
    "delete_rows": True,
    "sort": True,
    "autofilter": True,
}
_INPUT_FILL = "#FFF2CC"
_HEADER_FILL = "#1F4E78"
_LOCKED_FILL = "#D9D9D9"
_LINE_HEIGHT = 15  # points per wrapped line (Calibri 11)


class TemplateError(KpuXlError):
    """Bad input for a template command; the message is in Bahasa Indonesia."""


@dataclass(frozen=True)
class Formatted:
    """A non-text cell value with the number format it had (e.g. 0.9 shown as "0%")."""

    value: object
    number_format: str


# --- formats and lists ------------------------------------------------------------


class Formats:
    """The named cell formats of a template (made by xlsx/styles.Styles, each once)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self._styles = styles = Styles(wb)
        base = {"font_name": "Calibri", "font_size": 11, "valign": "top", "text_wrap": True}
        entry = {**base, "bg_color": _INPUT_FILL, "border": 1, "border_color": "#BFBFBF", "locked": False}
        self.title = styles(bold=True, font_size=14, font_color=_HEADER_FILL)
        self.heading = styles(bold=True, font_size=12, font_color=_HEADER_FILL)
        self.text = styles(base)
        self.label = styles(base, bold=True)
        self.hint = styles(base, italic=True, font_color="#595959")
        self.header = styles(base, bold=True, font_color="#FFFFFF", bg_color=_HEADER_FILL, border=1, align="center", valign="vcenter")
        self.guide_header = styles(base, bold=True, bg_color=_LOCKED_FILL, border=1)
        self.guide_cell = styles(base, border=1)
        self.locked = styles(base, bg_color=_LOCKED_FILL, border=1)
        self.input_text = styles(entry, num_format="@")
        self.input_general = styles(entry)
        self.input_money = styles(entry, num_format="#,##0")
        self.input_date = styles(entry, num_format="dd/mm/yyyy", align="left")
        self._entry = entry

    def input_for(self, column: Column) -> Format:
        if column.input == MONEY:
            return self.input_money
        if column.input == NUMBER:
            return self.input_general
        return self.input_text

    def prefilled(self, number_format: str) -> Format:
        """An input format carrying a number format copied from a source cell."""
        return self._styles(self._entry, num_format=number_format)


class Lists:
    """Dropdown lists, written at the end to the hidden LIST_SHEET; one column per list."""

    def __init__(self) -> None:
        self._lists: list[tuple[str, tuple[str, ...]]] = []

    def source(self, title: str, values: Sequence[str]) -> str:
        """The range a list validation refers to; equal lists share one column."""
        values = tuple(values)
        for col, (_, existing) in enumerate(self._lists):
            if existing == values:
                return self._range(col, values)
        self._lists.append((title, values))
        return self._range(len(self._lists) - 1, values)

    @staticmethod
    def _range(col: int, values: tuple[str, ...]) -> str:
        letter = column_letter(col + 1)
        return f"={LIST_SHEET}!${letter}$2:${letter}${len(values) + 1}"

    def write(self, wb: xlsxwriter.Workbook, fmts: Formats) -> None:
        if not self._lists:
            return
        ws = wb.add_worksheet(LIST_SHEET)
        for col, (title, values) in enumerate(self._lists):
            ws.set_column(col, col, max(len(v) for v in (title, *values)) + 2)
            ws.write_string(0, col, title, fmts.label)
            for row, value in enumerate(values, start=1):
                ws.write_string(row, col, value)
        ws.hide()
        ws.protect()


def list_rule(source: str, error_type: str = "stop") -> dict:
    messages = {
        "stop": ("Pilihan tidak dikenal", "Pilih salah satu nilai dari daftar (klik panah di sisi kanan sel)."),
        "warning": ("Tidak ada di daftar", "Nilai ini tidak ada di daftar. Pilih Yes bila memang benar, No untuk memperbaiki."),
        "information": ("Tidak ada di daftar", "Nilai ini tidak ada di daftar divisi; tetap disimpan (boleh nama pejabat atau unit)."),
    }
    title, message = messages[error_type]
    return {"validate": "list", "source": source, "error_type": error_type, "error_title": title, "error_message": message}


# --- cells ----------------------------------------------------------------------------


def _write_value(ws: Worksheet, row: int, col: int, value: object, fmt: Format, fmts: Formats) -> None:
    """Write one input cell; strings stay strings, Formatted keeps its number format."""
    if isinstance(value, Formatted):
        fmt, value = fmts.prefilled(value.number_format), value.value
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, (_dt.date, _dt.time)):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _print_setup(ws: Worksheet, repeat_header: bool) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&L&A&RHalaman &P dari &N")
    if repeat_header:
        ws.repeat_rows(0)


def _lines(text: str, width: float) -> int:
    return wrapped_lines(text, width, *TEMPLATE_TEXT)


# --- Identitas --------------------------------------------------------------------------


def identity_values(spec: IdentitySheet, values: dict[str, object]) -> dict[str, object]:
    """Label -> value for the fields of spec named by attribute in values (satker=..., tahun=...)."""
    return {f.label: values[f.attr] for f in spec.fields if f.attr in values}


def _identity_cell(f: IdentityField, fmts: Formats, lists: Lists) -> tuple[object, dict]:
    """The format and validation of one identity value cell."""
    message = {"input_title": f.label[:32], "input_message": f.hint}
    if f.how == YEAR:
        rule = {
            "validate": "integer",
            "criteria": "between",
            "minimum": YEAR_MIN,
            "maximum": YEAR_MAX,
            "error_title": "Tahun tidak sah",
            "error_message": f"Tulis tahun sebagai bilangan bulat {YEAR_MIN}-{YEAR_MAX}, mis. 2023.",
        }
        return fmts.input_general, {**rule, **message}
    if f.how == CHOICE:
        return fmts.input_text, {**list_rule(lists.source(f.list_title or f.label, f.options)), **message}
    if f.how == DATE:
        return fmts.input_date, {"validate": "any", **message}
    return fmts.input_text, {"validate": "any", **message}


def write_identitas(wb: xlsxwriter.Workbook, fmts: Formats, lists: Lists, kind: _Kind, values: dict[str, object]) -> None:
    sheet = kind.identity
    ws = wb.add_worksheet(sheet.name)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 50)
    ws.set_column(2, 2, 60)
    ws.write_string(0, 0, f"Identitas {kind.name}", fmts.title)
    for row, f in enumerate((f for f in sheet.fields if f.in_template), start=1):
        fmt, rule = _identity_cell(f, fmts, lists)
        ws.write_string(row, 0, f.label, fmts.label)
        _write_value(ws, row, IDENTITY_VALUE_COL, values.get(f.label), fmt, fmts)
        ws.data_validation(row, IDENTITY_VALUE_COL, row, IDENTITY_VALUE_COL, rule)
        ws.write_string(row, 2, f.hint, fmts.hint)
    marker_row = sum(1 for f in sheet.fields if f.in_template) + 1
    ws.write_string(marker_row, 0, MARKER_LABEL, fmts.label)
    ws.write_string(marker_row, IDENTITY_VALUE_COL, kind.marker, fmts.locked)
    ws.write_string(marker_row, 2, "Jangan diubah: penanda templat untuk kpu-xl.", fmts.hint)
    _print_setup(ws, repeat_header=False)
    ws.protect()


# --- table sheets -------------------------------------------------------------------------


def _header_rule(column: Column) -> dict:
    message = column.help + (f"\nContoh: {column.example}" if column.example else "")
    return {"validate": "any", "input_title": column.header[:32], "input_message": message}


def _write_headers(ws: Worksheet, fmts: Formats, table: TableSheet) -> None:
    for col, column in enumerate(table.columns):
        ws.set_column(col, col, column.width)
        ws.write_string(0, col, column.header, fmts.header)
        ws.data_validation(0, col, 0, col, _header_rule(column))
    ws.set_row(0, _LINE_HEIGHT * max(_lines(c.header, c.width) for c in table.columns))


def _write_body(ws: Worksheet, fmts: Formats, table: TableSheet, rows: Sequence[dict], last_row: int) -> None:
    for col, column in enumerate(table.columns):
        fmt = fmts.input_for(column)
        for row in range(1, last_row + 1):
            value = rows[row - 1].get(column.header) if row <= len(rows) else None
            _write_value(ws, row, col, value, fmt, fmts)


def write_table(wb: xlsxwriter.Workbook, fmts: Formats, table: TableSheet, rules: dict[str, dict], rows: Sequence[dict] = ()) -> None:
    """A table sheet: headers, input rows (prefilled from rows), dropdowns, protection."""
    ws = wb.add_worksheet(table.name)
    last_row = max(INPUT_ROWS, len(rows) + SPARE_ROWS) if rows else INPUT_ROWS
    _write_headers(ws, fmts, table)
    _write_body(ws, fmts, table, rows, last_row)
    for col, header in enumerate(table.headers):
        if header in rules:
            ws.data_validation(1, col, last_row, col, rules[header])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, last_row, len(table.columns) - 1)
    _print_setup(ws, repeat_header=True)
    ws.protect("", _TABLE_PROTECTION)


# --- Petunjuk ------------------------------------------------------------------------------


class Guide:
    """Writes the Petunjuk sheet top to bottom: titles, paragraphs and small tables."""

    WIDTHS = (30, 70, 50)

    def __init__(self, wb: xlsxwriter.Workbook, fmts: Formats) -> None:
        self.ws = wb.add_worksheet(SHEET_PETUNJUK)
        self.fmts = fmts
        self.row = 0
        for col, width in enumerate(self.WIDTHS):
            self.ws.set_column(col, col, width)

    def title(self, text: str) -> None:
        self.ws.write_string(self.row, 0, text, self.fmts.title)
        self.ws.set_row(self.row, 22)
        self.row += 2

    def heading(self, text: str) -> None:
        self.row += 1
        self.ws.write_string(self.row, 0, text, self.fmts.heading)
        self.row += 1

    def paragraph(self, text: str) -> None:
        last = len(self.WIDTHS) - 1
        self.ws.merge_range(self.row, 0, self.row, last, text, self.fmts.text)
        self.ws.set_row(self.row, _LINE_HEIGHT * _lines(text, sum(self.WIDTHS)))
        self.row += 1

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self._table_row(headers, self.fmts.guide_header)
        for cells in rows:
            self._table_row(cells, self.fmts.guide_cell)

    def _table_row(self, cells: Sequence[str], fmt: Format) -> None:
        for col, text in enumerate(cells):
            self.ws.write_string(self.row, col, text, fmt)
        self.ws.set_row(self.row, _LINE_HEIGHT * max(_lines(t, w) for t, w in zip(cells, self.WIDTHS)))
        self.row += 1

    def finish(self) -> None:
        _print_setup(self.ws, repeat_header=False)
        self.ws.protect()


def guide_columns(guide: Guide, table: TableSheet) -> None:
    guide.heading(f"Kolom lembar {table.name}")
    guide.table(("Kolom", "Yang diisi", "Contoh"), [(c.header, c.help, c.example) for c in table.columns])


def guide_example(guide: Guide, table: TableSheet, example: dict[str, str], note: str) -> None:
    """One filled row of table, shown as column -> value; columns without an example may stay empty."""
    guide.heading(f"Contoh satu baris lembar {table.name}")
    guide.paragraph(note)
    guide.table(("Kolom", "Isi"), [(h, example.get(h, "(boleh dikosongkan)")) for h in table.headers])


def guide_lists(guide: Guide) -> None:
    grades = ", ".join(reversed(SAKIP_GRADES))
    opinions = ", ".join(reversed(BPK_OPINIONS))
    guide.heading(f"{H_JENIS}: cara menulis target dan realisasi")
    guide.table(
        ("Pilihan", "Arti", "Contoh"),
        [
            (JENIS_PERSEN, "Nilai dalam persen. Tulis 90% atau 90 (keduanya dibaca 90 persen); desimal memakai koma: 96,5%.", "90%"),
            (JENIS_ANGKA, "Bilangan biasa, mis. jumlah dokumen atau kegiatan. Titik memisahkan ribuan.", "12"),
            (JENIS_INDEKS, "Nilai indeks, mis. Indeks Reformasi Birokrasi.", "78"),
            (JENIS_PREDIKAT, f"Predikat evaluasi SAKIP, dari yang terbaik: {grades}.", "B"),
            (JENIS_OPINI, f"Opini BPK atas laporan keuangan, dari yang terbaik: {opinions}.", "WTP"),
        ],
    )
    guide.heading(H_POLARITAS)
    guide.table(
        ("Pilihan", "Arti", "Contoh"),
        [
            (POLARITAS_POSITIF, "Makin tinggi realisasi makin baik. Capaian = realisasi / target x 100%.", "Persentase pelaksanaan kampanye"),
            (
                POLARITAS_NEGATIF,
                "Makin rendah realisasi makin baik. Rumus capaiannya mengikuti kebijakan kpu-xl (lihat: kpu-xl kebijakan).",
                "Jumlah temuan pemeriksaan",
            ),
        ],
    )
    guide.heading(H_CARA)
    guide.table(
        ("Pilihan", "Realisasi tahunan dihitung dari realisasi triwulan (Rencana Aksi)", "Cocok untuk"),
        [
            (CARA_KUMULATIF, "Jumlah realisasi semua triwulan.", "Jumlah kegiatan atau dokumen"),
            (CARA_POSISI_AKHIR, "Realisasi triwulan terakhir yang terisi.", "Persentase kemajuan, indeks, predikat, opini"),
            (CARA_RATA_RATA, "Rata-rata realisasi triwulan yang terisi.", "Tingkat kepuasan per triwulan"),
        ],
    )


COMMON_STEPS = (
    "Isi hanya sel berwarna kuning muda. Jangan mengubah nama lembar, judul kolom, atau baris Kode Templat di lembar "
    "Identitas: kpu-xl mengenali kolom dari judulnya. Baris boleh disisipkan, dihapus, dan diurutkan.",
    "Kolom berdaftar diisi dengan memilih dari daftar pada sel (panah di sisi kanan sel). Arahkan kursor ke judul kolom untuk melihat keterangan dan contohnya.",
    "Simpan sebagai berkas Excel (.xlsx), lalu periksa dengan perintah: kpu-xl validate NAMA-BERKAS.xlsx. Perintah itu "
    "memeriksa kelengkapan isian, penulisan angka dan persen, kode ganda, dan pilihan daftar, lalu menunjukkan sel yang "
    "perlu diperbaiki.",
)

SEED_SASARAN = "Terwujudnya Pemilu serentak yang aman dan damai disertai penyelesaian sengketa hukum yang baik"
SEED_INDIKATOR = "Persentase pelaksanaan Pemilu yang aman dan damai di Kabupaten Tanjung Jabung Timur"
SEED_DIVISI = "Divisi Hukum dan Pengawasan"
SEED_NOTE = "Diambil dari Perjanjian Kinerja dan Rencana Aksi 2023 KPU Kabupaten Tanjung Jabung Timur."


# --- workbooks ----------------------------------------------------------------------------------


def check_year(tahun: int | None) -> None:
    if tahun is not None and not (YEAR_MIN <= tahun <= YEAR_MAX):
        raise TemplateError(f"Tahun harus bilangan bulat {YEAR_MIN}-{YEAR_MAX}, bukan {tahun}.")


def save(path: str | os.PathLike, kind: _Kind, build: Callable[[xlsxwriter.Workbook], None], overwrite: bool = False) -> None:
    """Build a workbook into a temp file next to path, then move it into place."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise TemplateError(f"Nama berkas keluaran harus berakhiran .xlsx: {target}")

    def build_into(temp: Path) -> None:
        with workbook(temp) as wb:
            wb.set_properties(
                {
                    "title": f"Templat {kind.name}",
                    "subject": "SAKIP KPU",
                    "author": "kpu-xl",
                    "comments": f"{MARKER_LABEL}: {kind.marker}",
                    "created": BUILD_DATE,
                }
            )
            build(wb)

    try:
        atomic_write(target, build_into, overwrite=overwrite)
    except OutputError as err:
        raise TemplateError(f"Gagal menulis: {err}") from None
    except XlsxWriterException as err:
        wrapped = os_error_in(err)
        raise TemplateError(f"Gagal menulis {target}: {os_reason(wrapped, writing=True) if wrapped else err}") from None
