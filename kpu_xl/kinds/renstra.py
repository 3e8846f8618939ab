"""The Rencana Strategis (Renstra): contract, reader, single-file checks and template, in one place.

A satker's five-year plan (or, from 2025-2029, KPU RI's national targets that a satker's PK
follows): per indicator its yearly targets over the period, the end-of-period target and the
national target, plus what was achieved in the years before kpu-xl was used (Riwayat
Realisasi) and the budget of those years (Riwayat Anggaran). It has a period, not a year:
it joins every group of its satker whose year lies in the period (pipeline/bundle.py).
Its headers follow the period (`Target 2020` ... `Target 2024`), so its tables are built
for the period the Identitas sheet names.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import contract as C
from ..core import findings as F
from ..core.cells import ref as a1
from ..core.check import check
from ..core.contract import Column, IdentityField, IdentitySheet, TableSheet
from ..core.contract import text_key as _key
from ..core.findings import Finding, finding
from ..core.values import Value, display, format_number
from ..model import Document, Identity, Source
from ..xlsx.sheet import Sheet, money, read_table, read_year, row_choice, row_value, table_unread, texts
from ..xlsx.source import XlsxSource
from .base import DocumentKind, TemplateParam, TemplateSpec, TemplateWritten
from .common import duplicate_indicators, inconsistent_sasaran

if TYPE_CHECKING:
    from types import ModuleType

    import xlsxwriter

    from ..xlsx.template import Formats

CODE = "RENSTRA"
NAME = "Rencana Strategis"
VERSION = 1
DEFAULT_PERIODE = "2025-2029"  # the blank template's period: KPU's current Renstra
MAX_YEARS = 10

# --- data: what a Renstra holds -----------------------------------------------------------------------


@dataclass
class RenstraIdentity(Identity):
    """A Renstra has a period, not a year: it joins every group of its satker whose year lies in it."""

    periode: str = ""  # as written, e.g. "2020-2024"
    awal: int | None = None  # first and last year of the period, when it reads as one
    akhir: int | None = None
    dasar_penetapan: str = ""

    @property
    def years(self) -> range | None:
        return range(self.awal, self.akhir + 1) if self.awal is not None and self.akhir is not None else None


@dataclass
class RenstraIndicator:
    """One row of the Renstra's `Target Jangka Menengah` sheet."""

    row: int
    kode_sasaran: str
    sasaran: str
    kode: str
    nama: str
    satuan: str
    jenis: str | None
    polaritas: str | None
    kondisi_awal: Value | None
    targets: dict[int, Value | None]  # year -> Target YYYY
    target_akhir: Value | None
    target_nasional: Value | None
    source: Source
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class RiwayatRow:
    """One row of `Riwayat Realisasi`: what an indicator achieved in the years of the period."""

    row: int
    kode: str
    nama: str
    realisasi: dict[int, Value | None]  # year -> Realisasi YYYY
    source: Source
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class AnggaranTahun:
    """One row of `Riwayat Anggaran`: a year's pagu and realisasi."""

    row: int
    tahun: int | None
    pagu: float | None
    realisasi: float | None
    source: Source
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class RenstraData:
    indicators: list[RenstraIndicator] = field(default_factory=list)
    riwayat: list[RiwayatRow] = field(default_factory=list)
    anggaran: list[AnggaranTahun] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.indicators) + len(self.riwayat) + len(self.anggaran)

    # The first row of a code (or year) is the one used; a repeated one is a finding (kinds/renstra.py).
    def indicator_by_kode(self) -> dict[str, RenstraIndicator]:
        return _first(self.indicators, lambda i: i.kode)

    def riwayat_by_kode(self) -> dict[str, RiwayatRow]:
        return _first(self.riwayat, lambda r: r.kode)

    def anggaran_by_tahun(self) -> dict[int, AnggaranTahun]:
        out: dict[int, AnggaranTahun] = {}
        for b in self.anggaran:
            if b.tahun is not None:
                out.setdefault(b.tahun, b)
        return out


def _first(rows: list, kode: Callable[[RenstraIndicator | RiwayatRow], str]) -> dict:
    """Rows by their code folded as the reader folds it (contract.text_key), the first of each."""
    out: dict = {}
    for row in rows:
        code = kode(row)
        if code:
            out.setdefault(" ".join(code.split()).casefold(), row)
    return out


# --- contract --------------------------------------------------------------------------------

L_PERIODE = "Periode"
H_KONDISI_AWAL = "Kondisi Awal"
H_TARGET_AKHIR = "Target Akhir Periode"
H_TARGET_NASIONAL = "Target Nasional"
H_TAHUN = "Tahun"
H_REALISASI_RP = "Realisasi (Rp)"
SHEET_TARGET = "Target Jangka Menengah"
SHEET_RIWAYAT = "Riwayat Realisasi"
SHEET_ANGGARAN = "Riwayat Anggaran"


def target_header(year: int) -> str:
    return f"Target {year}"


def realisasi_header(year: int) -> str:
    return f"Realisasi {year}"


IDENTITAS = IdentitySheet(
    C.IDENTITAS,
    (
        IdentityField(C.L_SATKER, "satker", hint="Nama satuan kerja, mis. KPU Kabupaten Tanjung Jabung Timur (atau KPU untuk target nasional)."),
        IdentityField(L_PERIODE, "periode", hint="Periode Renstra, tahun awal-tahun akhir, mis. 2020-2024 (1 sampai 10 tahun)."),
        IdentityField("Dasar Penetapan", "dasar_penetapan", required=False, hint="Keputusan yang menetapkan Renstra (boleh kosong), mis. Keputusan KPU 197/PR.01.3-Kpt/01/KPU/IV/2020."),
    ),
)


def tables_for(years: range | tuple) -> tuple[TableSheet, TableSheet, TableSheet]:
    """The three table sheets of a Renstra for the years of its period (headers follow the period)."""
    years = tuple(years)
    target = TableSheet(
        SHEET_TARGET,
        (
            Column(C.H_KODE_SASARAN, True, "Kode sasaran strategis, sama untuk semua indikator satu sasaran.", "S1", 9),
            Column(C.H_SASARAN, True, "Rumusan sasaran strategis.", "Terwujudnya Pemilu serentak yang aman dan damai", 34),
            Column(C.H_KODE_INDIKATOR, True, "Kode unik indikator; sama dengan kode di PK.", "IK1.1", 10),
            Column(C.H_INDIKATOR, True, "Rumusan indikator kinerja; sama dengan PK.", "Persentase pelaksanaan Pemilu yang aman dan damai", 40),
            Column(C.H_SATUAN, False, "Satuan target.", "%", 9),
            Column(C.H_JENIS, True, "Pilih: Persen, Angka, Indeks, Predikat SAKIP, Opini BPK.", "Persen", 13),
            Column(C.H_POLARITAS, True, "Positif: makin tinggi makin baik; Negatif: makin rendah makin baik.", "Positif", 10),
            Column(H_KONDISI_AWAL, True, "Kondisi awal (realisasi sebelum periode dimulai); boleh kosong.", "85%", 10, C.NUMBER),
            *(Column(target_header(y), True, f"Target tahun {y}; boleh kosong bila tidak ditetapkan.", "90%", 10, C.NUMBER) for y in years),
            Column(H_TARGET_AKHIR, True, "Target pada akhir periode Renstra.", "100%", 11, C.NUMBER),
            Column(H_TARGET_NASIONAL, True, "Target nasional (Renstra KPU RI); target PK daerah tidak boleh di bawahnya. Boleh kosong.", "90%", 11, C.NUMBER),
        ),
        row_keys=(C.H_KODE_INDIKATOR, C.H_INDIKATOR),
    )
    riwayat = TableSheet(
        SHEET_RIWAYAT,
        (
            Column(C.H_KODE_INDIKATOR, True, "Kode indikator dari lembar Target Jangka Menengah.", "IK1.1", 10),
            Column(C.H_INDIKATOR, False, "Rumusan indikator (untuk dibaca; kode yang menentukan).", "Persentase pelaksanaan Pemilu yang aman dan damai", 40),
            *(Column(realisasi_header(y), True, f"Realisasi tahun {y}, bila sudah ada; kosongkan tahun yang belum berjalan.", "100%", 11, C.NUMBER) for y in years),
        ),
        row_keys=(C.H_KODE_INDIKATOR,),
    )
    anggaran = TableSheet(
        SHEET_ANGGARAN,
        (
            Column(H_TAHUN, True, "Tahun anggaran, empat angka.", "2022", 8, C.NUMBER),
            Column(C.H_PAGU, True, "Pagu anggaran satker tahun itu, dalam rupiah.", "3.761.359.000", 20, C.MONEY),
            Column(H_REALISASI_RP, True, "Realisasi anggaran tahun itu, dalam rupiah.", "3.400.502.284", 20, C.MONEY),
        ),
        row_keys=(H_TAHUN, C.H_PAGU, H_REALISASI_RP),
    )
    return target, riwayat, anggaran


_PERIODE = re.compile(r"^\s*(\d{4})\s*(?:-|–|—|/|s\.d\.?)\s*(\d{4})\s*$")


def parse_periode(text: str) -> tuple[int, int] | str:
    """'2020-2024' (also '2020 - 2024', '2020–2024', '2020/2024') -> (2020, 2024), or why not."""
    m = _PERIODE.match(text or "")
    if not m:
        return "tulis tahun awal-tahun akhir, misalnya 2020-2024"
    awal, akhir = int(m.group(1)), int(m.group(2))
    if not (2000 <= awal <= 2100 and 2000 <= akhir <= 2100):
        return "tahun harus 2000-2100"
    if akhir < awal:
        return "tahun akhir sebelum tahun awal"
    if akhir - awal + 1 > MAX_YEARS:
        return f"periode paling panjang {MAX_YEARS} tahun"
    return awal, akhir


# --- reading ---------------------------------------------------------------------------------


def read(src: XlsxSource, doc: Document) -> RenstraData:
    ident = doc.identity
    years: tuple[int, ...] = ()
    if ident.periode:
        parsed = parse_periode(ident.periode)
        ref = ident.cells.get(L_PERIODE)
        if isinstance(parsed, str):
            doc.findings.append(finding(F.NILAI_TIDAK_VALID, f'Periode "{display(ident.periode)}" tidak valid: {parsed}.', doc.display_name, C.IDENTITAS, ref))
        else:
            ident.awal, ident.akhir = parsed
            years = tuple(range(parsed[0], parsed[1] + 1))
    target, riwayat, anggaran = tables_for(years)
    indicators = read_table(src, doc, target, lambda s, r, cols: _indicator_row(s, r, cols, years))
    jenis = {_key(i.kode): i.jenis for i in indicators if i.kode}
    rows = read_table(src, doc, riwayat, lambda s, r, cols: _riwayat_row(s, r, cols, years, jenis))
    budget = read_table(src, doc, anggaran, _anggaran_row)
    return RenstraData(indicators, rows, budget)


_TEXTS = (C.H_KODE_SASARAN, C.H_SASARAN, C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_SATUAN, C.H_JENIS, C.H_POLARITAS)
_REQUIRED = (C.H_KODE_SASARAN, C.H_SASARAN, C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_JENIS, C.H_POLARITAS)


def _indicator_row(sheet: Sheet, r: int, cols: dict[str, int], years: tuple[int, ...]) -> RenstraIndicator:
    text = texts(sheet, r, cols, _TEXTS, _REQUIRED)
    cells = {h: a1(r, c) for h, c in cols.items()}
    jenis = row_choice(sheet, text, cells, C.H_JENIS, C.JENIS_NILAI)
    polaritas = row_choice(sheet, text, cells, C.H_POLARITAS, C.POLARITAS)

    def val(header: str, required: bool = False) -> Value | None:
        return row_value(sheet, r, cols, header, jenis, required=required, parse=jenis is not None)

    return RenstraIndicator(
        row=r,
        kode_sasaran=text[C.H_KODE_SASARAN],
        sasaran=text[C.H_SASARAN],
        kode=text[C.H_KODE_INDIKATOR],
        nama=text[C.H_INDIKATOR],
        satuan=text[C.H_SATUAN],
        jenis=jenis,
        polaritas=polaritas,
        kondisi_awal=val(H_KONDISI_AWAL),
        targets={y: val(target_header(y)) for y in years},
        target_akhir=val(H_TARGET_AKHIR, required=True),
        target_nasional=val(H_TARGET_NASIONAL),
        source=Source(sheet.doc.display_name, sheet.name, cells[C.H_INDIKATOR]),
        cells=cells,
    )


def _riwayat_row(sheet: Sheet, r: int, cols: dict[str, int], years: tuple[int, ...], jenis_by_kode: dict[str, str | None]) -> RiwayatRow:
    text = texts(sheet, r, cols, (C.H_KODE_INDIKATOR, C.H_INDIKATOR), (C.H_KODE_INDIKATOR,))
    cells = {h: a1(r, c) for h, c in cols.items()}
    jenis = jenis_by_kode.get(_key(text[C.H_KODE_INDIKATOR]))
    realisasi = {}
    for y in years:
        header = realisasi_header(y)
        if header in cols:  # jenis None (no Target row for this kode): the form decides
            realisasi[y] = row_value(sheet, r, cols, header, jenis)
    return RiwayatRow(r, text[C.H_KODE_INDIKATOR], text[C.H_INDIKATOR], realisasi, Source(sheet.doc.display_name, sheet.name, cells.get(C.H_KODE_INDIKATOR)), cells)


def _anggaran_row(sheet: Sheet, r: int, cols: dict[str, int]) -> AnggaranTahun:
    cells = {h: a1(r, c) for h, c in cols.items()}
    raw = sheet.value(r, cols[H_TAHUN])
    tahun = None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        sheet.add(F.NILAI_WAJIB_KOSONG, f"{H_TAHUN} belum diisi (sel {cells[H_TAHUN]}).", cells[H_TAHUN])
    else:
        tahun = read_year(sheet, raw, cells[H_TAHUN])
    return AnggaranTahun(
        row=r,
        tahun=tahun,
        pagu=money(sheet, r, cols, C.H_PAGU, True),
        realisasi=money(sheet, r, cols, H_REALISASI_RP, True),
        source=Source(sheet.doc.display_name, sheet.name, cells[H_TAHUN]),
        cells=cells,
    )


# --- single-file checks --------------------------------------------------------------------------


@check(F.INDIKATOR_GANDA)
def check_renstra_duplicates(doc: Document) -> list[Finding]:
    return duplicate_indicators(doc, doc.data.indicators, SHEET_TARGET, F.INDIKATOR_GANDA)


@check(F.SASARAN_TIDAK_KONSISTEN)
def check_renstra_sasaran(doc: Document) -> list[Finding]:
    return inconsistent_sasaran(doc, doc.data.indicators, SHEET_TARGET, F.SASARAN_TIDAK_KONSISTEN)


@check(F.INDIKATOR_TIDAK_DIKENAL, F.INDIKATOR_GANDA, F.NILAI_TIDAK_VALID, F.ANGGARAN_MELEBIHI_PAGU)
def check_riwayat(doc: Document) -> list[Finding]:
    """Riwayat rows of indicators the Renstra does not have, or twice; budget years outside the period,
    twice, or over pagu. The first row of a code or a year is the one used."""
    out = []
    known = {_key(i.kode) for i in doc.data.indicators if i.kode}
    targets_read = not table_unread(doc, SHEET_TARGET)  # an unread target sheet is reported once, there
    first: dict[str, int] = {}
    for row in doc.data.riwayat:
        if not row.kode:
            continue
        cell = row.cells.get(C.H_KODE_INDIKATOR)
        if _key(row.kode) in first:
            message = f'Kode Indikator "{display(row.kode)}" sudah ada di baris {first[_key(row.kode)]} {SHEET_RIWAYAT}; baris pertama yang dipakai, satu baris untuk setiap indikator.'
            out.append(finding(F.INDIKATOR_GANDA, message, doc.display_name, SHEET_RIWAYAT, cell))
            continue
        first[_key(row.kode)] = row.row
        if targets_read and _key(row.kode) not in known:
            message = f'Kode Indikator "{display(row.kode)}" di {SHEET_RIWAYAT} tidak ada di lembar {SHEET_TARGET}.'
            out.append(finding(F.INDIKATOR_TIDAK_DIKENAL, message, doc.display_name, SHEET_RIWAYAT, cell))
    years = doc.identity.years
    seen: dict[int, int] = {}
    for b in doc.data.anggaran:
        ref = b.cells.get(H_TAHUN)
        if b.tahun is not None and years is not None and b.tahun not in years:
            message = f"Tahun {b.tahun} di luar periode Renstra {doc.identity.periode}."
            out.append(finding(F.NILAI_TIDAK_VALID, message, doc.display_name, SHEET_ANGGARAN, ref))
        if b.tahun is not None and b.tahun in seen:
            message = f"Tahun {b.tahun} sudah ada di baris {seen[b.tahun]}; baris pertama yang dipakai, satu baris untuk setiap tahun."
            out.append(finding(F.NILAI_TIDAK_VALID, message, doc.display_name, SHEET_ANGGARAN, ref))
        seen.setdefault(b.tahun, b.row)
        if b.pagu is not None and b.realisasi is not None and b.realisasi > b.pagu + 0.5:
            message = f"Realisasi tahun {b.tahun} Rp {format_number(b.realisasi)} melebihi pagu Rp {format_number(b.pagu)}."
            out.append(finding(F.ANGGARAN_MELEBIHI_PAGU, message, doc.display_name, SHEET_ANGGARAN, b.cells.get(H_REALISASI_RP)))
    return out


# --- template ------------------------------------------------------------------------------------


def write_template(
    path: str | os.PathLike, *, satker: str = "", periode: str = DEFAULT_PERIODE, source: Document | None = None, overwrite: bool = False, indicators: list[dict] | None = None
) -> TemplateWritten:
    """Write a Renstra template for a period (the headers follow it); indicators prefill Target Jangka Menengah.

    source: a filled PK (read as validate reads it): its sasaran and indicators are the rows, its
    target that year's Target when the year lies in the period, its satker the default satker."""
    from ..xlsx import template as T

    parsed = parse_periode(periode)
    if isinstance(parsed, str):
        raise T.TemplateError(f'Periode "{periode}" tidak valid: {parsed}.')
    years = range(parsed[0], parsed[1] + 1)
    warnings = []
    if source is not None:
        indicators = _rows_from_pk(source, years)
        satker = satker or source.identity.satker
        year = source.identity.tahun
        if year is not None and year not in years:
            warnings.append(f"tahun PK {year} di luar periode {periode}; target PK tidak diisikan sebagai target tahunan.")
    target, riwayat, anggaran = tables_for(years)
    rows = list(indicators or ())
    identity = T.identity_values(IDENTITAS, {"satker": satker, "periode": f"{parsed[0]}-{parsed[1]}"})
    riwayat_rows = [{C.H_KODE_INDIKATOR: r.get(C.H_KODE_INDIKATOR), C.H_INDIKATOR: r.get(C.H_INDIKATOR)} for r in rows]

    def build(wb: xlsxwriter.Workbook) -> None:
        fmts, lists = T.Formats(wb), T.Lists()
        _write_guide(T, wb, fmts, target, riwayat, anggaran, years)
        T.write_identitas(wb, fmts, lists, KIND, identity)
        rules = {C.H_JENIS: T.list_rule(lists.source(C.H_JENIS, C.JENIS_NILAI)), C.H_POLARITAS: T.list_rule(lists.source(C.H_POLARITAS, C.POLARITAS))}
        T.write_table(wb, fmts, target, rules, rows)
        T.write_table(wb, fmts, riwayat, {}, riwayat_rows)
        T.write_table(wb, fmts, anggaran, {})
        lists.write(wb, fmts)

    T.save(path, KIND, build, overwrite)
    written = TemplateWritten(Path(path), f"Templat {KIND.short} {periode}", warnings=warnings)
    if source is not None:
        written.count, written.source = len(rows), source.path.name
    return written


def _rows_from_pk(doc: Document, years: range) -> list[dict]:
    """A PK's sasaran and indicators as Renstra rows; its target as that year's Target when the year is in the period."""
    from .ra import target_as_written

    year = doc.identity.tahun
    rows = []
    for ind in doc.data.indicators:
        if not ind.kode and not ind.nama:  # a row holding only other columns is no indicator (as for an RA)
            continue
        row = {
            C.H_KODE_SASARAN: ind.kode_sasaran,
            C.H_SASARAN: ind.sasaran,
            C.H_KODE_INDIKATOR: ind.kode,
            C.H_INDIKATOR: ind.nama,
            C.H_SATUAN: ind.satuan,
            C.H_JENIS: ind.jenis or "",
            C.H_POLARITAS: ind.polaritas or "",
        }
        if year is not None and year in years:
            row[target_header(year)] = target_as_written(ind)
        rows.append(row)
    return rows


def _write_guide(T: ModuleType, wb: xlsxwriter.Workbook, fmts: Formats, target: TableSheet, riwayat: TableSheet, anggaran: TableSheet, years: range) -> None:  # T: xlsx.template
    guide = T.Guide(wb, fmts)
    guide.title("Petunjuk Pengisian Templat Rencana Strategis (Renstra)")
    guide.paragraph(
        "Templat ini memuat Rencana Strategis satuan kerja untuk satu periode: sasaran strategis, indikator kinerja, "
        "target setiap tahun, target akhir periode, dan target nasional. Untuk periode 2025-2029, KPU Kabupaten/Kota "
        "tidak menyusun Renstra sendiri: isi templat ini dengan sasaran, indikator dan target Renstra KPU RI yang diikuti "
        "(kolom Target Nasional), karena target yang ditetapkan di daerah tidak boleh berada di bawah target nasional."
    )
    guide.heading("Cara mengisi")
    first, last = years[0], years[-1]
    steps = (
        f"Lembar {IDENTITAS.name}: isi {', '.join(IDENTITAS.labels)}. Periode menentukan kolom tahun: templat ini untuk {first}-{last}; "
        "untuk periode lain buat templat baru: kpu-xl template renstra --periode 2020-2024 -o RENSTRA.xlsx.",
        f"Lembar {target.name}: satu baris untuk setiap indikator, dengan {C.H_KODE_INDIKATOR} yang sama dengan PK. "
        f"{target_header(first)} sampai {target_header(last)} adalah target tahunan; {H_TARGET_AKHIR} target pada akhir periode; "
        f"{H_TARGET_NASIONAL} boleh kosong bila tidak ada.",
        f"Lembar {riwayat.name}: realisasi tahun-tahun yang sudah berjalan sebelum kpu-xl dipakai (dari LKjIP tahun-tahun itu). Tahun yang realisasinya dari Rencana Aksi tidak perlu diisi di sini.",
        f"Lembar {anggaran.name}: pagu dan realisasi anggaran satker setiap tahun sebelumnya, dalam rupiah.",
        *T.COMMON_STEPS,
        "Renstra dapat dibuat dari PK yang sudah diisi (sasaran dan indikatornya disalin): kpu-xl template renstra --dari PK.xlsx --periode 2020-2024 -o RENSTRA.xlsx",
    )
    for number, step in enumerate(steps, start=1):
        guide.paragraph(f"{number}. {step}")
    T.guide_columns(guide, target)
    T.guide_columns(guide, riwayat)
    T.guide_columns(guide, anggaran)
    T.guide_lists(guide)
    guide.finish()


KIND = DocumentKind(
    code=CODE,
    name=NAME,
    short="Renstra",
    version=VERSION,
    identity=IDENTITAS,
    identity_class=RenstraIdentity,
    tables=tables_for(range(2025, 2030)),
    read=read,
    file_checks=(check_renstra_duplicates, check_renstra_sasaran, check_riwayat),
    template=TemplateSpec(
        "Buat templat Rencana Strategis (Renstra): target jangka menengah, riwayat realisasi dan anggaran.",
        write_template,
        (
            TemplateParam("satker", "--satker", "Nama satuan kerja, diisikan di lembar Identitas."),
            TemplateParam("periode", "--periode", "Periode Renstra, mis. 2020-2024; kolom Target dan Realisasi tiap tahun mengikutinya.", str, DEFAULT_PERIODE),
        ),
        from_pk="PK (.xlsx) sumber: sasaran dan indikatornya diisikan, targetnya sebagai target tahun PK.",
    ),
    shipped="renstra.xlsx",
)
