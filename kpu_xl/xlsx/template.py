"""Contract -> PK and RA template workbooks (xlsxwriter), and the RA prefill read from a PK.

Every sheet name, header and identity label comes from contract.py. The
workbooks are built deterministically (fixed document date, in-memory zip with
fixed timestamps), so the shipped copies in templates/ can be checked for
staleness byte by byte. `python -m kpu_xl.templates [FOLDER]` regenerates them.

Layout:
- Identitas: title in row 1, then one row per contract label (label in A,
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
import sys
import textwrap
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from ..core.cells import column_letter
from ..core.files import OutputError, atomic_write, same_file
from ..core.contract import (
    BPK_OPINIONS,
    CARA_KUMULATIF,
    CARA_MENGHITUNG,
    CARA_POSISI_AKHIR,
    CARA_RATA_RATA,
    DIVISI,
    H_BUKTI,
    H_CARA,
    HEADER_SEARCH_ROWS,
    H_INDIKATOR,
    H_JENIS,
    H_KEGIATAN,
    H_KODE_INDIKATOR,
    H_KODE_SASARAN,
    H_NO,
    H_PAGU,
    H_PELAKSANA,
    H_POLARITAS,
    H_REALISASI_LALU,
    H_REALISASI_TW,
    H_REALISASI_TW_RP,
    H_SASARAN,
    H_SATUAN,
    H_TARGET,
    H_TARGET_RENSTRA,
    H_TARGET_TAHUNAN,
    H_TARGET_TW,
    JENIS_ANGKA,
    JENIS_DOKUMEN,
    JENIS_INDEKS,
    JENIS_NILAI,
    JENIS_OPINI,
    JENIS_PERSEN,
    JENIS_PREDIKAT,
    KIND_NAMES,
    KIND_PK,
    KIND_RA,
    MARKER_LABEL,
    PK_ANGGARAN,
    PK_IDENTITAS,
    PK_TABLE,
    POLARITAS,
    POLARITAS_NEGATIF,
    POLARITAS_POSITIF,
    RA_ANGGARAN,
    RA_IDENTITAS,
    RA_TABLE,
    SAKIP_GRADES,
    SHEET_PETUNJUK,
    TEMPLATE_VERSION,
    IdentitySheet,
    TableSheet,
    canonical,
    header_key,
    marker_value,
    parse_marker,
)

INPUT_ROWS = 150  # formatted input rows under every table header
SPARE_ROWS = 50  # empty input rows kept below prefilled rows
LIST_SHEET = "Daftar"  # hidden sheet holding the dropdown lists
IDENTITY_VALUE_COL = 1  # 0-based: labels in A, values in B
YEAR_MIN, YEAR_MAX = 2000, 2100
BUILD_DATE = _dt.datetime(2024, 1, 1)  # fixed document date: builds are byte-identical

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
SHIPPED = {KIND_PK: "perjanjian-kinerja.xlsx", KIND_RA: "rencana-aksi.xlsx"}

_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,  # zip entries get fixed timestamps and modes
}
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

_MONEY_HEADERS = frozenset({H_PAGU, *H_REALISASI_TW_RP})
_NUMERIC_HEADERS = frozenset(
    {H_NO, H_TARGET, H_TARGET_RENSTRA, H_REALISASI_LALU, H_TARGET_TAHUNAN, *H_TARGET_TW, *H_REALISASI_TW}
)

# Identity labels that need special cells, by header_key of the contract label.
_SATKER = "satuan kerja"
_TAHUN = "tahun"
_JENIS_DOKUMEN = "jenis dokumen"
_TANGGAL = "tanggal"
_DIVISI = "divisi"

_IDENTITY_HINTS = {
    _SATKER: "Nama satuan kerja, mis. KPU Kabupaten Tanjung Jabung Timur.",
    _TAHUN: f"Tahun anggaran, empat angka ({YEAR_MIN}-{YEAR_MAX}), mis. 2023.",
    _JENIS_DOKUMEN: f"Pilih dari daftar: {' atau '.join(JENIS_DOKUMEN)}.",
    "tempat": "Tempat penandatanganan, mis. Muara Sabak.",
    _TANGGAL: "Tanggal penandatanganan (hh/bb/tttt), mis. 20/09/2023.",
    "nama penandatangan": "Nama lengkap penandatangan, mis. Hodijatul Qubro.",
    "jabatan penandatangan": "Jabatan penandatangan, mis. Ketua KPU Kabupaten Tanjung Jabung Timur.",
    _DIVISI: "Divisi penyusun Rencana Aksi (pilih dari daftar).",
    "penanggung jawab": "Nama pejabat penanggung jawab Rencana Aksi.",
}

# PK column -> the RA column it prefills (template ra --dari).
_PK_TO_RA = {
    H_KODE_INDIKATOR: H_KODE_INDIKATOR,
    H_INDIKATOR: H_INDIKATOR,
    H_TARGET: H_TARGET_TAHUNAN,
    H_PELAKSANA: H_PELAKSANA,
}


class TemplateError(Exception):
    """Bad input for a template command; the message is in Bahasa Indonesia."""


@dataclass(frozen=True)
class Formatted:
    """A non-text cell value with the number format it had (e.g. 0.9 shown as "0%")."""

    value: object
    number_format: str


# --- formats and lists ------------------------------------------------------------


class _Formats:
    """The cell formats of one workbook, created once."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self._wb = wb
        base = {"font_name": "Calibri", "font_size": 11, "valign": "top", "text_wrap": True}
        entry = {**base, "bg_color": _INPUT_FILL, "border": 1, "border_color": "#BFBFBF", "locked": False}
        self.title = wb.add_format({"bold": True, "font_size": 14, "font_color": _HEADER_FILL})
        self.heading = wb.add_format({"bold": True, "font_size": 12, "font_color": _HEADER_FILL})
        self.text = wb.add_format(base)
        self.label = wb.add_format({**base, "bold": True})
        self.hint = wb.add_format({**base, "italic": True, "font_color": "#595959"})
        self.header = wb.add_format(
            {**base, "bold": True, "font_color": "#FFFFFF", "bg_color": _HEADER_FILL, "border": 1, "align": "center", "valign": "vcenter"}
        )
        self.guide_header = wb.add_format({**base, "bold": True, "bg_color": _LOCKED_FILL, "border": 1})
        self.guide_cell = wb.add_format({**base, "border": 1})
        self.locked = wb.add_format({**base, "bg_color": _LOCKED_FILL, "border": 1})
        self.input_text = wb.add_format({**entry, "num_format": "@"})
        self.input_general = wb.add_format(entry)
        self.input_money = wb.add_format({**entry, "num_format": "#,##0"})
        self.input_date = wb.add_format({**entry, "num_format": "dd/mm/yyyy", "align": "left"})
        self._entry = entry
        self._prefilled: dict[str, object] = {}

    def input_for(self, header: str):
        if header in _MONEY_HEADERS:
            return self.input_money
        if header in _NUMERIC_HEADERS:
            return self.input_general
        return self.input_text

    def prefilled(self, number_format: str):
        """An input format carrying a number format copied from a source cell."""
        if number_format not in self._prefilled:
            self._prefilled[number_format] = self._wb.add_format({**self._entry, "num_format": number_format})
        return self._prefilled[number_format]


class _Lists:
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

    def write(self, wb: xlsxwriter.Workbook, fmts: _Formats) -> None:
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


def _list_rule(source: str, error_type: str = "stop") -> dict:
    messages = {
        "stop": ("Pilihan tidak dikenal", "Pilih salah satu nilai dari daftar (klik panah di sisi kanan sel)."),
        "warning": ("Tidak ada di daftar", "Nilai ini tidak ada di daftar. Pilih Yes bila memang benar, No untuk memperbaiki."),
        "information": ("Tidak ada di daftar", "Nilai ini tidak ada di daftar divisi; tetap disimpan (boleh nama pejabat atau unit)."),
    }
    title, message = messages[error_type]
    return {"validate": "list", "source": source, "error_type": error_type, "error_title": title, "error_message": message}


# --- cells ----------------------------------------------------------------------------


def _write_value(ws, row: int, col: int, value: object, fmt, fmts: _Formats) -> None:
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


def _print_setup(ws, repeat_header: bool) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&L&A&RHalaman &P dari &N")
    if repeat_header:
        ws.repeat_rows(0)


def _lines(text: str, width: float) -> int:
    """Estimated wrapped line count of text in a column of the given width (one character per unit)."""
    per_line = max(1, int(width))
    return sum(max(1, len(textwrap.wrap(part, per_line))) for part in text.split("\n"))


# --- Identitas --------------------------------------------------------------------------


def _identity_label(sheet: IdentitySheet, key: str) -> str:
    """The contract label whose header_key is key (KeyError when the contract dropped it)."""
    for label in sheet.labels:
        if header_key(label) == key:
            return label
    raise KeyError(key)


def _identity_cell(label: str, fmts: _Formats, lists: _Lists) -> tuple[object, dict]:
    """The format and validation of one identity value cell."""
    key = header_key(label)
    message = {"input_title": label[:32], "input_message": _IDENTITY_HINTS.get(key, "")}
    if key == _TAHUN:
        rule = {
            "validate": "integer",
            "criteria": "between",
            "minimum": YEAR_MIN,
            "maximum": YEAR_MAX,
            "error_title": "Tahun tidak sah",
            "error_message": f"Tulis tahun sebagai bilangan bulat {YEAR_MIN}-{YEAR_MAX}, mis. 2023.",
        }
        return fmts.input_general, {**rule, **message}
    if key == _JENIS_DOKUMEN:
        return fmts.input_text, {**_list_rule(lists.source(label, JENIS_DOKUMEN)), **message}
    if key == _DIVISI:
        return fmts.input_text, {**_list_rule(lists.source(H_PELAKSANA, DIVISI)), **message}
    if key == _TANGGAL:
        return fmts.input_date, {"validate": "any", **message}
    return fmts.input_text, {"validate": "any", **message}


def _write_identitas(wb, fmts: _Formats, lists: _Lists, sheet: IdentitySheet, kind: str, values: dict[str, object]) -> None:
    ws = wb.add_worksheet(sheet.name)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 50)
    ws.set_column(2, 2, 60)
    ws.write_string(0, 0, f"Identitas {KIND_NAMES[kind]}", fmts.title)
    for row, label in enumerate(sheet.labels, start=1):
        fmt, rule = _identity_cell(label, fmts, lists)
        ws.write_string(row, 0, label, fmts.label)
        _write_value(ws, row, IDENTITY_VALUE_COL, values.get(label), fmt, fmts)
        ws.data_validation(row, IDENTITY_VALUE_COL, row, IDENTITY_VALUE_COL, rule)
        ws.write_string(row, 2, _IDENTITY_HINTS.get(header_key(label), ""), fmts.hint)
    marker_row = len(sheet.labels) + 1
    ws.write_string(marker_row, 0, MARKER_LABEL, fmts.label)
    ws.write_string(marker_row, IDENTITY_VALUE_COL, marker_value(kind), fmts.locked)
    ws.write_string(marker_row, 2, "Jangan diubah: penanda templat untuk kpu-xl.", fmts.hint)
    _print_setup(ws, repeat_header=False)
    ws.protect()


# --- table sheets -------------------------------------------------------------------------


def _header_rule(column) -> dict:
    message = column.help + (f"\nContoh: {column.example}" if column.example else "")
    return {"validate": "any", "input_title": column.header[:32], "input_message": message}


def _write_headers(ws, fmts: _Formats, table: TableSheet) -> None:
    for col, column in enumerate(table.columns):
        ws.set_column(col, col, column.width)
        ws.write_string(0, col, column.header, fmts.header)
        ws.data_validation(0, col, 0, col, _header_rule(column))
    ws.set_row(0, _LINE_HEIGHT * max(_lines(c.header, c.width) for c in table.columns))


def _write_body(ws, fmts: _Formats, table: TableSheet, rows: Sequence[dict], last_row: int) -> None:
    for col, column in enumerate(table.columns):
        fmt = fmts.input_for(column.header)
        for row in range(1, last_row + 1):
            value = rows[row - 1].get(column.header) if row <= len(rows) else None
            _write_value(ws, row, col, value, fmt, fmts)


def _write_table(wb, fmts: _Formats, table: TableSheet, rules: dict[str, dict], rows: Sequence[dict] = ()) -> None:
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


class _Guide:
    """Writes the Petunjuk sheet top to bottom: titles, paragraphs and small tables."""

    WIDTHS = (30, 70, 50)

    def __init__(self, wb, fmts: _Formats) -> None:
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

    def _table_row(self, cells: Sequence[str], fmt) -> None:
        for col, text in enumerate(cells):
            self.ws.write_string(self.row, col, text, fmt)
        self.ws.set_row(self.row, _LINE_HEIGHT * max(_lines(t, w) for t, w in zip(cells, self.WIDTHS)))
        self.row += 1

    def finish(self) -> None:
        _print_setup(self.ws, repeat_header=False)
        self.ws.protect()


def _guide_columns(guide: _Guide, table: TableSheet) -> None:
    guide.heading(f"Kolom lembar {table.name}")
    guide.table(("Kolom", "Yang diisi", "Contoh"), [(c.header, c.help, c.example) for c in table.columns])


def _guide_example(guide: _Guide, table: TableSheet, example: dict[str, str], note: str) -> None:
    """One filled row of table, shown as column -> value; columns without an example may stay empty."""
    guide.heading(f"Contoh satu baris lembar {table.name}")
    guide.paragraph(note)
    guide.table(("Kolom", "Isi"), [(h, example.get(h, "(boleh dikosongkan)")) for h in table.headers])


def _guide_lists(guide: _Guide) -> None:
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


_COMMON_STEPS = (
    "Isi hanya sel berwarna kuning muda. Jangan mengubah nama lembar, judul kolom, atau baris Kode Templat di lembar "
    "Identitas: kpu-xl mengenali kolom dari judulnya. Baris boleh disisipkan, dihapus, dan diurutkan.",
    "Kolom berdaftar diisi dengan memilih dari daftar pada sel (panah di sisi kanan sel). Arahkan kursor ke judul kolom "
    "untuk melihat keterangan dan contohnya.",
    "Simpan sebagai berkas Excel (.xlsx), lalu periksa dengan perintah: kpu-xl validate NAMA-BERKAS.xlsx. Perintah itu "
    "memeriksa kelengkapan isian, penulisan angka dan persen, kode ganda, dan pilihan daftar, lalu menunjukkan sel yang "
    "perlu diperbaiki.",
)

_SEED_SASARAN = "Terwujudnya Pemilu serentak yang aman dan damai disertai penyelesaian sengketa hukum yang baik"
_SEED_INDIKATOR = "Persentase pelaksanaan Pemilu yang aman dan damai di Kabupaten Tanjung Jabung Timur"
_SEED_DIVISI = "Divisi Hukum dan Pengawasan"
_SEED_NOTE = "Diambil dari Perjanjian Kinerja dan Rencana Aksi 2023 KPU Kabupaten Tanjung Jabung Timur."


def _write_pk_guide(wb, fmts: _Formats) -> None:
    guide = _Guide(wb, fmts)
    guide.title("Petunjuk Pengisian Templat Perjanjian Kinerja (PK)")
    guide.paragraph(
        "Templat ini dipakai untuk menyusun Perjanjian Kinerja (PK) satuan kerja KPU: sasaran strategis, indikator "
        "kinerja beserta targetnya, divisi pelaksananya, dan pagu anggaran per program. PK yang diisi pada templat ini "
        "dapat diperiksa dan dikonsolidasikan otomatis oleh kpu-xl, dan menjadi dasar Rencana Aksi setiap divisi serta "
        "Laporan Kinerja (LKjIP)."
    )
    guide.heading("Cara mengisi")
    steps = (
        f"Lembar {PK_IDENTITAS.name}: isi {', '.join(PK_IDENTITAS.labels)}.",
        f"Lembar {PK_TABLE.name}: satu baris untuk setiap indikator kinerja. Indikator dari sasaran yang sama ditulis "
        f"dengan {H_KODE_SASARAN} dan {H_SASARAN} yang sama; setiap indikator memiliki {H_KODE_INDIKATOR} yang unik.",
        f"Lembar {PK_ANGGARAN.name}: satu baris untuk setiap program beserta pagunya dalam rupiah.",
        *_COMMON_STEPS,
        "Rencana Aksi setiap divisi dapat dibuat dari PK ini, sudah berisi indikatornya: "
        f'kpu-xl template ra --dari PK.xlsx --divisi "{_SEED_DIVISI}" -o RA.xlsx',
    )
    for number, step in enumerate(steps, start=1):
        guide.paragraph(f"{number}. {step}")
    _guide_columns(guide, PK_TABLE)
    _guide_columns(guide, PK_ANGGARAN)
    example = {
        H_NO: "1",
        H_KODE_SASARAN: "S1",
        H_SASARAN: _SEED_SASARAN,
        H_KODE_INDIKATOR: "IK1.1",
        H_INDIKATOR: _SEED_INDIKATOR,
        H_SATUAN: "%",
        H_JENIS: JENIS_PERSEN,
        H_POLARITAS: POLARITAS_POSITIF,
        H_CARA: CARA_POSISI_AKHIR,
        H_TARGET: "90%",
        H_PELAKSANA: _SEED_DIVISI,
    }
    _guide_example(guide, PK_TABLE, example, _SEED_NOTE)
    _guide_lists(guide)
    guide.finish()


def _write_ra_guide(wb, fmts: _Formats) -> None:
    guide = _Guide(wb, fmts)
    guide.title("Petunjuk Pengisian Templat Rencana Aksi (RA)")
    guide.paragraph(
        "Rencana Aksi disusun oleh setiap divisi untuk indikator kinerja Perjanjian Kinerja (PK) yang menjadi "
        "tanggung jawabnya: kegiatan, target setiap triwulan, realisasi setiap triwulan, dan bukti dukung. Lembar "
        f"{RA_ANGGARAN.name} memuat pagu dan realisasi anggaran per program setiap triwulan."
    )
    guide.heading("Cara mengisi")
    steps = (
        f"Lembar {RA_IDENTITAS.name}: isi {', '.join(RA_IDENTITAS.labels)}.",
        f"Lembar {RA_TABLE.name}: satu baris untuk setiap kegiatan. {H_KODE_INDIKATOR} dan {H_INDIKATOR} disalin dari "
        "PK; satu indikator boleh memiliki beberapa kegiatan (beberapa baris dengan kode yang sama).",
        f"{H_TARGET_TAHUNAN} harus sama dengan target di PK. Isi target triwulan di awal tahun dan realisasi setiap "
        "triwulan berakhir; kosongkan triwulan yang tidak bertarget.",
        f"{H_PELAKSANA} boleh dipilih dari daftar divisi atau diketik (nama pejabat atau unit).",
        f"Lembar {RA_ANGGARAN.name}: satu baris untuk setiap program, dalam rupiah tanpa desimal.",
        *_COMMON_STEPS,
        "Templat yang sudah berisi identitas dan indikator divisi dapat dibuat dari PK: "
        f'kpu-xl template ra --dari PK.xlsx --divisi "{_SEED_DIVISI}" -o RA.xlsx',
    )
    for number, step in enumerate(steps, start=1):
        guide.paragraph(f"{number}. {step}")
    _guide_columns(guide, RA_TABLE)
    _guide_columns(guide, RA_ANGGARAN)
    example = {
        H_KODE_INDIKATOR: "IK1.1",
        H_INDIKATOR: _SEED_INDIKATOR,
        H_KEGIATAN: "Pelaksanaan Tahapan Pemilu",
        H_TARGET_TAHUNAN: "90%",
        **dict(zip(H_TARGET_TW, ("25%", "50%", "75%", "90%"))),
        **dict(zip(H_REALISASI_TW, ("25%", "50%", "75%", "100%"))),
        H_PELAKSANA: _SEED_DIVISI,
        H_BUKTI: "Laporan pelaksanaan tahapan Pemilu",
    }
    note = (
        f"{_SEED_NOTE} Indikator ini dihitung {CARA_POSISI_AKHIR}, sehingga realisasi tahunannya adalah realisasi "
        "triwulan IV (100%); target dan realisasi triwulan I-III adalah ilustrasi."
    )
    _guide_example(guide, RA_TABLE, example, note)
    _guide_lists(guide)
    guide.finish()


# --- workbooks ----------------------------------------------------------------------------------


def _check_year(tahun: int | None) -> None:
    if tahun is not None and not (YEAR_MIN <= tahun <= YEAR_MAX):
        raise TemplateError(f"Tahun harus bilangan bulat {YEAR_MIN}-{YEAR_MAX}, bukan {tahun}.")


def _save(path: str | os.PathLike, kind: str, build: Callable[[xlsxwriter.Workbook], None]) -> None:
    """Build a workbook into a temp file next to path, then move it into place."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise TemplateError(f"Nama berkas keluaran harus berakhiran .xlsx: {target}")

    def build_into(temp: Path) -> None:
        wb = xlsxwriter.Workbook(str(temp), _WORKBOOK_OPTIONS)
        wb.set_properties(
            {
                "title": f"Templat {KIND_NAMES[kind]}",
                "subject": "SAKIP KPU",
                "author": "kpu-xl",
                "comments": f"{MARKER_LABEL}: {marker_value(kind)}",
                "created": BUILD_DATE,
            }
        )
        build(wb)
        wb.close()

    try:
        atomic_write(target, build_into)
    except OutputError as err:
        raise TemplateError(f"Gagal menulis: {err}") from None
    except XlsxWriterException as err:
        raise TemplateError(f"Gagal menulis {target}: {err}") from None


def write_pk_template(path: str | os.PathLike, satker: str = "", tahun: int | None = None) -> None:
    """Write a Perjanjian Kinerja template; satker and tahun prefill the Identitas sheet."""
    _check_year(tahun)
    identity = {_identity_label(PK_IDENTITAS, _SATKER): satker, _identity_label(PK_IDENTITAS, _TAHUN): tahun}

    def build(wb: xlsxwriter.Workbook) -> None:
        fmts, lists = _Formats(wb), _Lists()
        _write_pk_guide(wb, fmts)
        _write_identitas(wb, fmts, lists, PK_IDENTITAS, KIND_PK, identity)
        choices = {H_JENIS: JENIS_NILAI, H_POLARITAS: POLARITAS, H_CARA: CARA_MENGHITUNG, H_PELAKSANA: DIVISI}
        rules = {header: _list_rule(lists.source(header, values)) for header, values in choices.items()}
        _write_table(wb, fmts, PK_TABLE, rules)
        _write_table(wb, fmts, PK_ANGGARAN, {})
        lists.write(wb, fmts)

    _save(path, KIND_PK, build)


def resolve_divisi(name: str) -> str:
    """The contract spelling of a division name typed loosely; TemplateError when unknown."""
    found = canonical(name, DIVISI)
    if found is None:
        choices = "\n".join(f"  - {d}" for d in DIVISI)
        raise TemplateError(f'Divisi "{name}" tidak dikenal. Pilih salah satu:\n{choices}')
    return found


def write_ra_template(
    path: str | os.PathLike,
    *,
    satker: str = "",
    tahun: int | None = None,
    divisi: str = "",
    indicators: Sequence[dict[str, object]] | None = None,
    codes: Sequence[str] | None = None,
) -> None:
    """Write a Rencana Aksi template.

    indicators: rows to prefill, keyed by RA_TABLE headers (see read_pk_for_ra).
    codes: the Kode Indikator dropdown; defaults to the codes of indicators.
    No dropdown on Kode Indikator when there are no codes.
    """
    _check_year(tahun)
    rows = list(indicators or ())
    if codes is None:
        codes = [str(row.get(H_KODE_INDIKATOR) or "") for row in rows]
    codes = list(dict.fromkeys(code for code in codes if code))
    identity = {
        _identity_label(RA_IDENTITAS, _SATKER): satker,
        _identity_label(RA_IDENTITAS, _TAHUN): tahun,
        _identity_label(RA_IDENTITAS, _DIVISI): resolve_divisi(divisi) if divisi else "",
    }

    def build(wb: xlsxwriter.Workbook) -> None:
        fmts, lists = _Formats(wb), _Lists()
        _write_ra_guide(wb, fmts)
        _write_identitas(wb, fmts, lists, RA_IDENTITAS, KIND_RA, identity)
        rules = {H_PELAKSANA: _list_rule(lists.source(H_PELAKSANA, DIVISI), "information")}
        if codes:
            rules[H_KODE_INDIKATOR] = _list_rule(lists.source(H_KODE_INDIKATOR, codes), "warning")
        _write_table(wb, fmts, RA_TABLE, rules, rows)
        _write_table(wb, fmts, RA_ANGGARAN, {})
        lists.write(wb, fmts)

    _save(path, KIND_RA, build)


# --- reading a PK for the RA prefill ------------------------------------------------------------


def _cell_text(cell) -> str:
    """A text cell trimmed; numbers without a fraction as integers; formulas ignored."""
    value = cell.value
    if value is None or cell.data_type == "f":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell_raw(cell) -> object:
    """A value cell as the user wrote it; formulas ignored (cached values are never trusted)."""
    value = cell.value
    if value is None or cell.data_type == "f":
        return None
    if isinstance(value, str) or cell.number_format in (None, "General"):
        return value
    return Formatted(value, cell.number_format)


def _find_sheet(wb, name: str):
    for ws in wb.worksheets:
        if header_key(ws.title) == header_key(name):
            return ws
    return None


def _identity_values(ws, labels: Sequence[str]) -> dict[str, object]:
    """Label -> the cell right of it, for labels found near the top-left of the sheet."""
    wanted = {header_key(label): label for label in labels}
    found: dict[str, object] = {}
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 40), max_col=4):
        for cell in row:
            label = wanted.get(header_key(cell.value))
            if label and label not in found:
                found[label] = ws.cell(cell.row, cell.column + 1).value
    return found


def _open_workbook(path: Path):
    import openpyxl

    if not path.is_file():
        raise TemplateError(f"Berkas PK tidak ditemukan: {path}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, read_only=False, data_only=False)
    except Exception:  # any unreadable file: a message, never a traceback
        raise TemplateError(f"{path.name} tidak dapat dibuka sebagai berkas Excel (.xlsx).") from None


def _check_pk_marker(path: Path, wb) -> None:
    ws = _find_sheet(wb, PK_IDENTITAS.name)
    marker = parse_marker(_identity_values(ws, (MARKER_LABEL,)).get(MARKER_LABEL)) if ws is not None else None
    if marker is None:
        raise TemplateError(
            f'{path.name} bukan Perjanjian Kinerja kpu-xl: baris "{MARKER_LABEL}" di lembar {PK_IDENTITAS.name} '
            "tidak ditemukan. Buat PK dari templat: kpu-xl template pk -o PK.xlsx"
        )
    kind, version = marker
    if kind != KIND_PK:
        raise TemplateError(f"{path.name} adalah {KIND_NAMES[kind]}, bukan Perjanjian Kinerja.")
    if version > TEMPLATE_VERSION:
        raise TemplateError(
            f"{path.name} memakai templat versi {version}, lebih baru dari kpu-xl ini (versi {TEMPLATE_VERSION}); perbarui kpu-xl."
        )


def _header_columns(path: Path, ws, headers: Sequence[str]) -> tuple[int, dict[str, int]]:
    """(header row, header -> column) for the first row holding all headers."""
    best: dict[str, int] = {}
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        keys = {header_key(cell.value): cell.column for cell in row if cell.value is not None}
        columns = {h: keys[header_key(h)] for h in headers if header_key(h) in keys}
        if len(columns) == len(headers):
            return row[0].row, columns
        if len(columns) > len(best):
            best = columns
    missing = ", ".join(h for h in headers if h not in best)
    raise TemplateError(f"Kolom tidak ditemukan di lembar {ws.title} ({path.name}): {missing}.")


def _read_indicators(path: Path, wb) -> list[dict[str, object]]:
    ws = _find_sheet(wb, PK_TABLE.name)
    if ws is None:
        raise TemplateError(f"Lembar {PK_TABLE.name} tidak ditemukan di {path.name}.")
    header_row, columns = _header_columns(path, ws, tuple(_PK_TO_RA))
    indicators = []
    for row in range(header_row + 1, ws.max_row + 1):
        cells = {h: ws.cell(row, col) for h, col in columns.items()}
        indicator = {
            H_KODE_INDIKATOR: _cell_text(cells[H_KODE_INDIKATOR]),
            H_INDIKATOR: _cell_text(cells[H_INDIKATOR]),
            H_TARGET_TAHUNAN: _cell_raw(cells[H_TARGET]),
            H_PELAKSANA: _cell_text(cells[H_PELAKSANA]),
        }
        if any(value not in (None, "") for value in indicator.values()):
            indicators.append(indicator)
    return indicators


def read_pk_for_ra(path: str | os.PathLike) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Read a kpu-xl PK: (identity label -> value, indicators keyed by RA_TABLE headers).

    Columns are found by header text. Kode Indikator, Indikator Kinerja and
    Pelaksana are trimmed text; Target Tahunan is the PK target as the user
    wrote it (a string, a number, or Formatted when the cell had a number format).
    Raises TemplateError (Bahasa Indonesia) for a missing or foreign file.
    """
    source = Path(path)
    wb = _open_workbook(source)
    _check_pk_marker(source, wb)
    identity = _identity_values(_find_sheet(wb, PK_IDENTITAS.name), PK_IDENTITAS.labels)
    return identity, _read_indicators(source, wb)


def _year(value: object) -> int | None:
    """A usable Tahun from an identity cell (2023, 2023.0, "2023"), else None."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and YEAR_MIN <= value <= YEAR_MAX:
        return value
    return None


def write_ra_from_pk(pk_path: str | os.PathLike, path: str | os.PathLike, divisi: str = "") -> int:
    """Write an RA template prefilled from a PK; returns the number of indicators prefilled.

    With divisi, only indicators whose Pelaksana is that division are prefilled;
    the Kode Indikator dropdown always lists every code of the PK.
    """
    source, target = Path(pk_path), Path(path)
    wanted = resolve_divisi(divisi) if divisi else ""
    if same_file(source, target):
        raise TemplateError(f"Berkas keluaran sama dengan PK sumber ({source.name}); pilih nama berkas lain.")
    identity, indicators = read_pk_for_ra(source)
    chosen = [i for i in indicators if not wanted or canonical(i[H_PELAKSANA], DIVISI) == wanted]
    satker = identity.get(_identity_label(PK_IDENTITAS, _SATKER))
    write_ra_template(
        target,
        satker=str(satker).strip() if satker is not None else "",
        tahun=_year(identity.get(_identity_label(PK_IDENTITAS, _TAHUN))),
        divisi=wanted,
        indicators=chosen,
        codes=[i[H_KODE_INDIKATOR] for i in indicators],
    )
    return len(chosen)


# --- shipped copies -------------------------------------------------------------------------------


def build_shipped(folder: str | os.PathLike = TEMPLATES_DIR) -> list[Path]:
    """Write the blank templates shipped in templates/; returns their paths."""
    out = Path(folder)
    write_pk_template(out / SHIPPED[KIND_PK])
    write_ra_template(out / SHIPPED[KIND_RA])
    return [out / SHIPPED[KIND_PK], out / SHIPPED[KIND_RA]]


if __name__ == "__main__":
    for written in build_shipped(*sys.argv[1:2]):
        print(written)
