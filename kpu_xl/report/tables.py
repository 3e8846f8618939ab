"""The report's tables, defined once: title, columns (header, value type, display format), rows.

Built from the consolidated figures (compute/satker.py), with no knowledge of any output
format. The workbook writer (report/xlsx.py), the pandas frames (api.frames), the Word
report and the web page render these same tables, so no table's columns are spelled twice.
A column's kind says what its values are and how they print:

    text    free text (wrapped)         center  short text, centred
    int     whole number                value   a target or realisasi (Number or Grade)
    capaian percent points (111.11)     money   whole rupiah

and its colour, where it has one, how the workbook colours its cells by what they hold:

    BY_BAND      capaian: the colour of the kategori band it falls in (the policy's bands)
    BY_KATEGORI  a kategori's name: that band's colour
    BY_STATUS    a medium-term status: Tercapai, Sesuai jalur, Perlu upaya lebih
    BY_TINGKAT   a finding's level: galat, peringatan
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core import contract as C
from ..core import findings as F
from ..core.findings import ERROR
from ..core.policy import STATUS_PERLU_UPAYA, STATUS_SESUAI_JALUR, STATUS_TERCAPAI
from ..core.values import Grade, Number, format_number, show

if TYPE_CHECKING:
    import pandas as pd

    from ..compute.recap import Recap
    from ..compute.satker import Consolidated, IndicatorResult
    from ..core.policy import Policy
    from ..kinds.pk import Indicator
    from ..model import Source

SHEET_RINGKASAN = "Ringkasan"
SHEET_PENGUKURAN = "Pengukuran Kinerja"
SHEET_SASARAN = "Capaian Sasaran"
SHEET_RA = "Rencana Aksi"
SHEET_TRIWULAN = "Progres Triwulan"
SHEET_ANGGARAN = "Anggaran"
SHEET_LAMPIRAN = "Lampiran PK"
SHEET_TEMUAN = "Temuan"
SHEET_SUMBER = "Sumber"
SHEET_ANTAR_TAHUN = "Perbandingan Antar Tahun"
SHEET_JANGKA_MENENGAH = "Capaian Jangka Menengah"
SHEET_ANGGARAN_TAHUN = "Anggaran Antar Tahun"

H_CAPAIAN = "Capaian (%)"
H_KATEGORI = "Kategori"
H_TOTAL_REALISASI = "Total Realisasi (Rp)"
H_SERAPAN = "Serapan (%)"
H_CAPAIAN_KINERJA = "Capaian Kinerja (%)"
H_EFISIENSI = "Efisiensi (poin)"


BY_BAND = "band"
BY_KATEGORI = "kategori"
BY_STATUS = "status"
BY_TINGKAT = "tingkat"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | center | int | value | capaian | money (see the module docstring)
    min_width: float = 6  # spreadsheet widths, in characters
    max_width: float = 40
    help: str = ""  # a note on the header (an input message in the workbook)
    colour: str | None = None  # BY_BAND, BY_KATEGORI, BY_STATUS, BY_TINGKAT (see the module docstring)


@dataclass
class Table:
    name: str  # the sheet's name, the section's title
    columns: list[Column]
    rows: list[list]
    marks: list[bool] | None = None  # rows affected by an error
    bold_rows: list[int] = field(default_factory=list)  # e.g. a total row
    empty: str = ""  # what to say when there are no rows

    def index(self, header: str) -> int:
        return [c.header for c in self.columns].index(header)

    def select(self, headers: list[str]) -> Table:
        """The same table with only these columns, in this order (a view for a narrower page)."""
        at = [self.index(h) for h in headers]
        return Table(self.name, [self.columns[i] for i in at], [[row[i] for i in at] for row in self.rows], self.marks, list(self.bold_rows), self.empty)

    def where(self, header: str, value: object) -> Table:
        """The rows whose cell under header equals value (e.g. one sasaran's indicators)."""
        at = self.index(header)
        keep = [i for i, row in enumerate(self.rows) if row[at] == value]
        marks = [self.marks[i] for i in keep] if self.marks else None
        return Table(self.name, self.columns, [self.rows[i] for i in keep], marks, [], self.empty)

    def frame(self) -> pd.DataFrame:
        """The table as a pandas DataFrame: numbers as floats, grades by their code."""
        import pandas as pd

        def plain(v: object) -> object:
            if isinstance(v, Number):
                return v.value
            if isinstance(v, Grade):
                return v.code
            return v

        return pd.DataFrame([[plain(v) for v in row] for row in self.rows], columns=[c.header for c in self.columns])


# --- how values read ---------------------------------------------------------------------------


def capaian_help(decimals: int) -> str:
    example = format_number(1000 / 9, decimals)
    return f"Capaian dalam poin persen: {example} berarti {example}%"


def satuan(ind: Indicator) -> str:
    if ind.satuan:
        return ind.satuan
    return "%" if ind.jenis == C.JENIS_PERSEN else ""


def target_text(ind: Indicator) -> str:
    """A PK target as printed: "90%" for a percent however it was typed (90%, 90 or 0.9 in a
    percent cell), a grade by its code; the text as written when it could not be read."""
    if ind.target is not None:
        return show(ind.target, ind.jenis)
    return ind.text_target


def catatan(r: IndicatorResult, policy: Policy) -> str:
    notes = []
    if r.capaian.reason:
        notes.append(f"Capaian tidak dapat dihitung: {r.capaian.reason}")
    if r.capaian.capped:
        notes.append(f"Dibatasi {policy.batas_atas:g}% oleh kebijakan (sebelum dibatasi {format_number(r.capaian.uncapped, 2)}%)")
    if r.errors:
        notes.append(f"Galat {', '.join(r.errors)}: lihat lembar Temuan")
    return "; ".join(notes)


# --- the tables ----------------------------------------------------------------------------------


def pengukuran(result: Consolidated) -> Table:
    """The BAB III table. Sixteen columns printed across one A4 landscape page: text columns
    are narrow and wrap, so that the print scale stays around 80% (8-point text); numeric
    columns may widen to their longest value (a cell too narrow shows ####). The result
    columns (Capaian, Kategori, Status) sit together; notes and sources come last."""
    columns = [
        Column(C.H_NO, "int", 4, 5),
        Column(C.H_KODE_SASARAN, "center", 7, 8),
        Column(C.H_SASARAN, "text", 14, 15),
        Column(C.H_KODE_INDIKATOR, "center", 8, 10),
        Column(C.H_INDIKATOR, "text", 20, 24),
        Column(C.H_SATUAN, "center", 6, 8),
        Column(C.H_TARGET, "value", 6, 14),
        Column("Realisasi", "value", 8, 14),
        Column(H_CAPAIAN, "capaian", 8, 10, capaian_help(result.policy.desimal_tampilan), BY_BAND),
        Column(H_KATEGORI, "center", 9, 10, colour=BY_KATEGORI),
        Column("Status", "center", 8, 9, "Khusus indikator Predikat SAKIP / Opini BPK: Tercapai bila realisasi setingkat atau di atas target."),
        Column(C.H_REALISASI_LALU, "value", 8, 14),
        Column(C.H_TARGET_RENSTRA, "value", 7, 14),
        Column(C.H_PELAKSANA, "text", 12, 13),
        Column("Catatan", "text", 8, 16),
        Column("Sumber", "text", 12, 14),
    ]
    rows = [
        [
            r.no,
            r.indicator.kode_sasaran,
            r.indicator.sasaran,
            r.indicator.kode,
            r.indicator.nama,
            satuan(r.indicator),
            r.indicator.target,
            r.realisasi,
            r.capaian.value,
            r.kategori,
            r.status,
            r.realisasi_lalu,
            r.target_renstra,
            r.indicator.pelaksana,
            catatan(r, result.policy),
            "; ".join(str(s) for s in r.sumber),
        ]
        for r in result.indicators
    ]
    return Table(SHEET_PENGUKURAN, columns, rows, [bool(r.errors) for r in result.indicators], empty="Tidak ada indikator di PK.")


def capaian_sasaran(result: Consolidated) -> Table:
    decimals = result.policy.desimal_tampilan
    columns = [
        Column(C.H_KODE_SASARAN, "center", 8, 10),
        Column(C.H_SASARAN, "text", 30, 60),
        Column("Jumlah Indikator", "int", 10, 12),
        Column("Indikator Terhitung", "int", 10, 12, "Indikator yang capaiannya dapat dihitung; hanya ini yang dirata-ratakan."),
        Column(H_CAPAIAN, "capaian", 9, 11, capaian_help(decimals) + ". Capaian sasaran = rata-rata capaian indikatornya.", BY_BAND),
        Column(H_KATEGORI, "center", 11, 14, colour=BY_KATEGORI),
    ]
    rows = [[s.kode, s.nama, len(s.indicators), sum(1 for r in s.indicators if r.capaian.computable), s.capaian, s.kategori] for s in result.sasaran]
    # The same count as the sasaran rows': indicators whose capaian is computable (not sasaran with a capaian).
    computed = sum(1 for r in result.indicators if r.capaian.computable)
    rows.append(["Satker", f"Capaian kinerja {result.identity.satker} (rata-rata capaian sasaran)", len(result.indicators), computed, result.satker_capaian, result.satker_kategori])
    return Table(SHEET_SASARAN, columns, rows, bold_rows=[len(rows) - 1])


def rencana_aksi(result: Consolidated) -> Table:
    columns = [
        Column("Divisi", "text", 12, 12),
        Column(C.H_KODE_INDIKATOR, "center", 8, 10),
        Column(C.H_INDIKATOR, "text", 18, 20),
        Column(C.H_KEGIATAN, "text", 14, 16),
        Column(C.H_TARGET_TAHUNAN, "value", 8, 14),
        *(Column(h, "value", 7, 14) for h in C.H_TARGET_TW),
        *(Column(h, "value", 8, 14) for h in C.H_REALISASI_TW),
        Column(C.H_PELAKSANA, "text", 12, 14),
        Column(C.H_BUKTI, "text", 12, 14),
        Column("Sumber", "text", 12, 14),
        Column("Catatan", "text", 8, 16),
    ]
    rows, marks = [], []
    for entry in result.ra_entries:
        row = entry.row
        codes = [c for c in entry.errors if entry.known or c != F.INDIKATOR_TIDAK_DIKENAL]
        notes = ([] if entry.known else ["Kode tidak ada di PK — lihat Temuan"]) + ([f"Galat {', '.join(codes)}: lihat lembar Temuan"] if codes else [])
        rows.append(
            [
                row.divisi or getattr(entry.document.identity, "divisi", ""),
                row.kode_indikator,
                row.indikator,
                row.kegiatan,
                row.target_tahunan,
                *row.target_tw,
                *row.realisasi_tw,
                row.pelaksana,
                row.bukti,
                f"{row.source.file} › {row.source.sheet} baris {row.row}",
                "; ".join(notes),
            ]
        )
        marks.append(bool(codes) or not entry.known)
    return Table(SHEET_RA, columns, rows, marks, empty="Tidak ada baris Rencana Aksi di antara masukan.")


def progres_triwulan(result: Consolidated) -> Table:
    help_cap = "Capaian s.d. triwulan ini (realisasi berjalan menurut Cara Menghitung Realisasi dibanding target tahunan), dalam poin persen."
    columns = [
        Column(C.H_KODE_INDIKATOR, "center", 8, 10),
        Column(C.H_INDIKATOR, "text", 20, 26),
        Column(C.H_SATUAN, "center", 6, 8),
        Column(C.H_CARA, "center", 9, 11),
        *(Column(h, "value", 7, 14) for h in C.H_TARGET_TW),
        *(Column(h, "value", 8, 14) for h in C.H_REALISASI_TW),
        *(Column(f"Capaian s.d. {q} (%)", "capaian", 8, 10, help_cap) for q in C.QUARTERS),
        Column("Target Tahunan", "value", 8, 14),
    ]
    rows = [[r.indicator.kode, r.indicator.nama, satuan(r.indicator), r.indicator.cara, *r.target_tw, *r.realisasi_tw, *r.cumulative_capaian, r.indicator.target] for r in result.indicators]
    return Table(SHEET_TRIWULAN, columns, rows, [bool(r.errors) for r in result.indicators], empty="Tidak ada indikator di PK.")


def anggaran(result: Consolidated) -> Table:
    """Programs with pagu, realisasi per quarter, serapan and efisiensi (the total row is the writer's)."""
    columns = [
        Column(C.H_KODE_PROGRAM, "center", 8, 12),
        Column(C.H_PROGRAM, "text", 20, 26),
        Column(C.H_PAGU, "money", 16, 18),
        *(Column(h, "money", 15, 18) for h in C.H_REALISASI_TW_RP),
        Column(H_TOTAL_REALISASI, "money", 16, 18),
        Column(H_SERAPAN, "capaian", 9, 10, "Realisasi anggaran dibanding pagu, dalam poin persen."),
        Column(H_CAPAIAN_KINERJA, "capaian", 10, 11, "Rata-rata capaian indikator yang Kode Program-nya program ini (kolom Kode Program di PK); kosong bila tidak ada."),
        Column(H_EFISIENSI, "capaian", 10, 11, "Capaian kinerja dikurangi serapan anggaran (poin persen); positif berarti hasil lebih besar daripada serapan."),
        Column("Indikator Terkait", "text", 10, 18),
    ]
    rows = [[p.program.kode, p.program.nama, p.program.pagu, *p.realisasi_tw, p.realisasi, p.serapan, p.capaian_kinerja, p.efisiensi, ", ".join(p.linked)] for p in result.programs]
    return Table(SHEET_ANGGARAN, columns, rows, empty="Tidak ada program di lembar Anggaran PK.")


def temuan(result: Consolidated | Recap) -> Table:  # recap_tables gives it a Recap
    columns = [
        Column(C.H_NO, "int", 4, 6),
        Column("Kode", "text", 14, 28),
        Column("Tingkat", "center", 10, 12, colour=BY_TINGKAT),
        Column("Berkas", "text", 14, 40),
        Column("Lembar", "text", 10, 20),
        Column("Sel", "center", 6, 8),
        Column("Pesan", "text", 30, 70),
    ]
    rows = [[i, f.code, "galat" if f.severity == ERROR else "peringatan", f.file, f.sheet, f.cell, f.message] for i, f in enumerate(result.findings, 1)]
    return Table(SHEET_TEMUAN, columns, rows, empty="Tidak ada temuan.")


def sumber(result: Consolidated) -> Table:
    columns = [
        Column("Berkas", "text", 16, 36),
        Column("Jenis", "center", 6, 14),
        Column("Satuan Kerja", "text", 14, 24),
        Column("Tahun", "center", 6, 7),
        Column("Divisi", "text", 10, 24),
        Column("Versi Templat", "center", 8, 9),
        Column("SHA-256", "text", 20, 34),
        Column("Jumlah Baris", "int", 8, 9),
        Column("Terbaca", "center", 8, 9),
    ]
    rows = [
        [
            f.get("file"),
            f.get("kind") or "tidak dikenal",
            f.get("satker"),
            str(f["tahun"]) if f.get("tahun") is not None else None,
            f.get("divisi"),
            f.get("template_version"),
            f.get("sha256"),
            f.get("rows"),
            "Ya" if f.get("readable", True) else "Tidak",
        ]
        for f in result.files
    ]
    return Table(SHEET_SUMBER, columns, rows, empty="Tidak ada berkas masukan tercatat.")


def lampiran_pk(result: Consolidated) -> Table:
    """The PK as signed: one row per indicator (No and Sasaran name the sasaran it belongs to)."""
    columns = [Column(C.H_NO, "int"), Column(C.H_SASARAN), Column(C.H_INDIKATOR), Column(C.H_TARGET, "center")]
    rows = [[no, s.nama, r.indicator.nama, target_text(r.indicator)] for no, s in enumerate(result.sasaran, 1) for r in s.indicators]
    return Table(SHEET_LAMPIRAN, columns, rows)


def lampiran_program(result: Consolidated) -> Table:
    columns = [Column(C.H_NO, "int"), Column("Program"), Column("Anggaran", "money")]
    rows = [[no, p.program.nama, p.program.pagu] for no, p in enumerate(result.programs, 1)]
    rows.append([None, "Jumlah", result.pagu_total])
    return Table(SHEET_LAMPIRAN, columns, rows, bold_rows=[len(rows) - 1])


def _sources(sources: Iterable[Source]) -> str:
    """Sources grouped by file and sheet, files by name (the Sumber sheet has their paths):
    "renstra.xlsx › Riwayat Realisasi!C2, D2; ra.xlsx › Rencana Aksi!L2"."""
    from pathlib import PurePath

    grouped: dict[tuple[str, str], list[str]] = {}
    for s in sources:
        cells = grouped.setdefault((PurePath(s.file).name, s.sheet), [])
        if s.cell and s.cell not in cells:
            cells.append(s.cell)
    return "; ".join(f"{file} › {sheet}!{', '.join(cells)}" if cells else f"{file} › {sheet}" for (file, sheet), cells in grouped.items())


def perbandingan_antar_tahun(result: Consolidated) -> Table | None:
    """Per indicator, target, realisasi and capaian in each year of the Renstra period up to the report
    year, and the change in capaian against the previous year (BAB III A, comparison 2)."""
    h = result.history
    if h is None:
        return None
    help_cap = capaian_help(result.policy.desimal_tampilan) + ". Capaian tiap tahun dihitung dengan target tahun itu dan kebijakan yang sama."
    columns = [Column(C.H_KODE_INDIKATOR, "center", 8, 10), Column(C.H_INDIKATOR, "text", 20, 26), Column(C.H_SATUAN, "center", 6, 8)]
    for y in h.years:
        columns += [Column(f"Target {y}", "value", 7, 12), Column(f"Realisasi {y}", "value", 8, 12), Column(f"Capaian {y} (%)", "capaian", 8, 10, help_cap, BY_BAND)]
    columns += [
        Column("Perubahan Capaian (poin)", "capaian", 10, 11, f"Capaian {h.year} dikurangi capaian {h.year - 1}, dalam poin persen."),
        Column("Sumber", "text", 24, 34),
    ]
    rows = []
    for ind in h.indicators:
        cells = [ind.kode, ind.nama, ind.satuan or ""]
        for f in ind.years:
            cells += [f.target, f.realisasi, f.capaian.value]
        cells += [ind.perubahan, _sources(s for f in ind.years for s in f.sources)]
        rows.append(cells)
    return Table(SHEET_ANTAR_TAHUN, columns, rows, empty="Tidak ada indikator di PK.")


def capaian_jangka_menengah(result: Consolidated) -> Table | None:
    """Realisasi to date against the Renstra's end-of-period target (BAB III A, comparison 3)."""
    h = result.history
    if h is None:
        return None
    from ..kinds.renstra import H_KONDISI_AWAL, H_TARGET_AKHIR

    columns = [
        Column(C.H_KODE_INDIKATOR, "center", 8, 10),
        Column(C.H_INDIKATOR, "text", 24, 32),
        Column(H_KONDISI_AWAL, "value", 8, 12),
        Column(H_TARGET_AKHIR, "value", 9, 12),
        Column(f"Realisasi s.d. {h.year}", "value", 9, 12),
        Column("Capaian terhadap Target Akhir (%)", "capaian", 11, 12, capaian_help(result.policy.desimal_tampilan)),
        Column(
            "Status",
            "center",
            10,
            14,
            f"{STATUS_TERCAPAI}: mencapai target akhir; {STATUS_SESUAI_JALUR}: target tahun ini tercapai; {STATUS_PERLU_UPAYA}: selain itu (lihat kpu-xl kebijakan).",
            BY_STATUS,
        ),
        Column("Sumber", "text", 24, 40),
    ]
    rows = [[m.kode, m.nama, m.kondisi_awal, m.target_akhir, m.realisasi, m.capaian.value, m.status or "Tidak dapat dihitung", _sources(m.sources)] for m in h.medium_term]
    return Table(SHEET_JANGKA_MENENGAH, columns, rows, empty="Tidak ada indikator PK yang ada di Renstra.")


def anggaran_antar_tahun(result: Consolidated) -> Table | None:
    """Budget realisation per year: the Renstra's Riwayat Anggaran, then the report year from the RAs (BAB III C)."""
    h = result.history
    if h is None:
        return None
    columns = [
        Column("Tahun", "center", 6, 8),
        Column(C.H_PAGU, "money", 16, 20),
        Column("Realisasi (Rp)", "money", 16, 20),
        Column(H_SERAPAN, "capaian", 9, 10, "Realisasi anggaran dibanding pagu, dalam poin persen."),
        Column("Sumber", "text", 16, 40),
    ]
    rows = [[str(b.tahun), b.pagu, b.realisasi, b.serapan, b.source] for b in h.budget]  # noqa: E501
    return Table(SHEET_ANGGARAN_TAHUN, columns, rows)


def renstra_targets(result: Consolidated) -> Table | None:
    """The Renstra's sasaran, indicators and targets (LKjIP BAB II A)."""
    h = result.history
    if h is None:
        return None
    from ..kinds.renstra import H_TARGET_AKHIR, H_TARGET_NASIONAL

    years = list(h.renstra.identity.years)
    columns = [
        Column(C.H_KODE_SASARAN, "center"),
        Column(C.H_SASARAN),
        Column(C.H_KODE_INDIKATOR, "center"),
        Column(C.H_INDIKATOR),
        Column(C.H_SATUAN, "center"),
        *(Column(f"Target {y}", "value") for y in years),
        Column(H_TARGET_AKHIR, "value"),
        Column(H_TARGET_NASIONAL, "value"),
    ]
    rows = [[i.kode_sasaran, i.sasaran, i.kode, i.nama, i.satuan, *(i.targets.get(y) for y in years), i.target_akhir, i.target_nasional] for i in h.renstra.data.indicators]
    return Table("Rencana Strategis", columns, rows, empty="Renstra tidak memuat indikator.")


# The data tables, by sheet name, in the workbook's order (Ringkasan and Lampiran PK are layouts).
# A builder returns None when its table does not apply (the comparisons need a Renstra).
TABLES: dict[str, Callable] = {
    SHEET_PENGUKURAN: pengukuran,
    SHEET_SASARAN: capaian_sasaran,
    SHEET_ANTAR_TAHUN: perbandingan_antar_tahun,
    SHEET_JANGKA_MENENGAH: capaian_jangka_menengah,
    SHEET_RA: rencana_aksi,
    SHEET_TRIWULAN: progres_triwulan,
    SHEET_ANGGARAN: anggaran,
    SHEET_ANGGARAN_TAHUN: anggaran_antar_tahun,
    SHEET_TEMUAN: temuan,
    SHEET_SUMBER: sumber,
}


def tables(result: Consolidated) -> dict[str, Table]:
    """The data tables that apply to this result, by sheet name, in the workbook's order."""
    built = {name: build(result) for name, build in TABLES.items()}
    return {name: table for name, table in built.items() if table is not None}


def frames(result: Consolidated) -> dict:
    """Every data table that applies as a pandas DataFrame, by sheet name."""
    return {name: table.frame() for name, table in tables(result).items()}


# --- the recap across satker (compute/recap.py) ----------------------------------------------------

SHEET_REKAP = "Rekap Satker"
SHEET_REKAP_INDIKATOR = "Indikator"
SHEET_SEBARAN = "Sebaran Kategori"
SHEET_BELUM_LENGKAP = "Belum Lengkap"


def _shared_sasaran(recap: Recap) -> list[str]:
    """Kode Sasaran found in the PKs of at least two satker, in first-seen order."""
    seen: dict[str, set[str]] = {}
    for s in recap.satker:
        for kode, _ in s.figures.sasaran if s.figures else []:
            seen.setdefault(kode, set()).add(s.satker)
    return [kode for kode, satker in seen.items() if kode and len(satker) > 1]


def rekap_satker(recap: Recap) -> Table:
    shared = _shared_sasaran(recap)
    columns = [
        Column("Satuan Kerja", "text", 24, 40),
        Column("Tahun", "center", 6, 7),
        Column("Tingkat", "center", 12, 18),
        Column("Provinsi", "text", 10, 20, "Dari nama satker (KPU Provinsi ...); provinsi KPU Kabupaten/Kota tidak tertulis di namanya dan tidak ditebak."),
        Column("Jumlah Indikator", "int", 9, 10),
        Column("Capaian Satker (%)", "capaian", 10, 11, colour=BY_BAND),
        Column(H_KATEGORI, "center", 11, 13, colour=BY_KATEGORI),
        Column("Capaian Tahun Lalu (%)", "capaian", 10, 11, "Dari Renstra (Riwayat Realisasi), dihitung seperti capaian tahun ini; kosong tanpa Renstra."),
        Column("Perubahan (poin)", "capaian", 9, 10),
        Column(H_SERAPAN, "capaian", 9, 10),
        Column(H_EFISIENSI, "capaian", 9, 10),
        Column("Galat", "int", 6, 7),
        Column("Peringatan", "int", 9, 10),
        Column("Status Validasi", "text", 20, 30),
        Column("Kelengkapan", "text", 12, 18),
        Column("Peringkat", "int", 9, 10, "Menurut capaian satker; capaian sama, peringkat sama."),
        *(Column(f"Capaian {kode} (%)", "capaian", 9, 11) for kode in shared),
    ]
    rows = []
    for s in recap.satker:
        r = s.figures
        by_kode = dict(r.sasaran) if r else {}
        rows.append(
            [
                s.satker,
                str(s.tahun) if s.tahun is not None else None,
                s.tingkat,
                s.provinsi,
                len(r.indicators) if r else None,
                s.capaian,
                r.kategori if r else None,
                r.capaian_lalu if r else None,
                s.capaian - r.capaian_lalu if r and s.capaian is not None and r.capaian_lalu is not None else None,
                r.serapan if r else None,
                r.efisiensi if r else None,
                s.errors,
                s.warnings,
                s.status,
                s.kelengkapan,
                s.peringkat,
                *(by_kode.get(kode) for kode in shared),
            ]
        )
    return Table(SHEET_REKAP, columns, rows, [bool(s.errors) for s in recap.satker], empty="Tidak ada satker di antara masukan.")


def rekap_indikator(recap: Recap) -> Table:
    """One row per indicator code reported by several satker: spread of capaian; texts that differ are said."""
    import statistics

    bands = [b.nama for b in recap.policy.kategori]
    per: dict[str, list] = {}
    for s in recap.satker:
        for r in s.figures.indicators if s.figures else []:
            if r.kode:
                per.setdefault(_fold(r.kode), []).append((s, r))
    columns = [
        Column(C.H_KODE_INDIKATOR, "center", 9, 10),
        Column(C.H_INDIKATOR, "text", 24, 36),
        Column("Jumlah Satker", "int", 8, 9),
        Column("Rata-rata (%)", "capaian", 9, 10),
        Column("Median (%)", "capaian", 9, 10),
        Column("Minimum (%)", "capaian", 9, 10),
        Column("Maksimum (%)", "capaian", 9, 10),
        *(Column(b, "int", 8, 10) for b in bands),
        Column("Satker Terendah", "text", 16, 30),
        Column("Satker Tertinggi", "text", 16, 30),
        Column("Catatan", "text", 16, 40),
    ]
    rows = []
    for _, items in per.items():
        if len({s.satker for s, _ in items}) < 2:
            continue
        values = [(s, r.capaian) for s, r in items if r.capaian is not None]
        caps = [v for _, v in values]
        texts = list(dict.fromkeys(" ".join(r.nama.split()) for _, r in items))
        note = ""
        if len({_fold(t) for t in texts}) > 1:
            note = "Kode sama, rumusan berbeda: " + " | ".join(f'"{t}"' for t in texts[:3]) + (" ..." if len(texts) > 3 else "")
        low = min(values, key=lambda x: x[1])[0].satker if values else None
        high = max(values, key=lambda x: x[1])[0].satker if values else None
        counts = [sum(1 for _, r in items if r.kategori == b) for b in bands]
        rows.append(
            [
                items[0][1].kode,
                texts[0],
                len(items),
                statistics.fmean(caps) if caps else None,
                statistics.median(caps) if caps else None,
                min(caps, default=None),
                max(caps, default=None),
                *counts,
                low,
                high,
                note,
            ]
        )
    return Table(SHEET_REKAP_INDIKATOR, columns, rows, empty="Tidak ada indikator yang dilaporkan lebih dari satu satker.")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def sebaran_kategori(recap: Recap) -> Table:
    columns = [Column(H_KATEGORI, "text", 16, 24, colour=BY_KATEGORI), Column("Jumlah Satker", "int", 10, 12)]
    rows = [[b.nama, sum(1 for s in recap.satker if s.figures and s.figures.kategori == b.nama)] for b in recap.policy.kategori]
    rows.append(["Tidak dapat dihitung", sum(1 for s in recap.satker if s.capaian is None)])
    return Table(SHEET_SEBARAN, columns, rows)


def capaian_provinsi(recap: Recap) -> Table:
    columns = [Column("Provinsi", "text", 16, 30), Column("Jumlah Satker", "int", 10, 12), Column("Rata-rata Capaian (%)", "capaian", 12, 14)]
    by: dict[str, list[float]] = {}
    for s in recap.satker:
        if s.provinsi and s.capaian is not None:
            by.setdefault(s.provinsi, []).append(s.capaian)
    rows = [[p, len(v), sum(v) / len(v)] for p, v in sorted(by.items())]
    return Table(SHEET_SEBARAN, columns, rows, empty="Provinsi tidak diketahui dari masukan (lihat README: Provinsi).")


def belum_lengkap(recap: Recap) -> Table:
    columns = [Column("Satuan Kerja", "text", 24, 40), Column("Tahun", "center", 6, 7), Column("Yang Kurang", "text", 40, 80)]
    rows = [[s.satker, str(s.tahun) if s.tahun is not None else None, item] for s in recap.satker for item in s.missing]
    return Table(SHEET_BELUM_LENGKAP, columns, rows, empty="Semua satker lengkap.")


def temuan_per_kode(recap: Recap) -> Table:
    from collections import Counter

    counts = Counter((f.code, f.severity) for f in recap.findings)
    columns = [Column("Kode", "text", 20, 30), Column("Tingkat", "center", 10, 12), Column("Jumlah", "int", 8, 10)]
    rows = [[code, "galat" if sev == ERROR else "peringatan", n] for (code, sev), n in sorted(counts.items())]
    return Table(SHEET_TEMUAN, columns, rows, empty="Tidak ada temuan.")


def temuan_per_satker(recap: Recap) -> Table:
    columns = [Column("Satuan Kerja", "text", 24, 40), Column("Tahun", "center", 6, 7), Column("Galat", "int", 6, 8), Column("Peringatan", "int", 9, 10)]
    rows = [[s.satker, str(s.tahun) if s.tahun is not None else None, s.errors, s.warnings] for s in recap.satker if s.errors or s.warnings]
    return Table(SHEET_TEMUAN, columns, rows, empty="Tidak ada temuan.")


def sumber_rekap(recap: Recap) -> Table:
    columns = [
        Column("Berkas", "text", 20, 50),
        Column("Jenis", "center", 8, 12),
        Column("Satuan Kerja", "text", 16, 30),
        Column("Tahun", "center", 6, 7),
        Column("SHA-256", "text", 20, 34),
        Column("Dipakai", "center", 8, 9, "Ya: ikut dihitung dalam angka suatu satker."),
    ]
    rows = [
        [f.get("file"), f.get("kind") or "tidak dikenal", f.get("satker"), str(f["tahun"]) if f.get("tahun") is not None else None, f.get("sha256"), "Ya" if f.get("file") in recap.used else "Tidak"]
        for f in recap.files
    ]
    return Table(SHEET_SUMBER, columns, rows, empty="Tidak ada berkas masukan.")


def recap_tables(recap: Recap) -> dict[str, Table]:
    """The recap's data tables by sheet (the Temuan sheet's every-finding table is temuan())."""
    return {
        SHEET_REKAP: rekap_satker(recap),
        SHEET_REKAP_INDIKATOR: rekap_indikator(recap),
        SHEET_SEBARAN: sebaran_kategori(recap),
        SHEET_BELUM_LENGKAP: belum_lengkap(recap),
        SHEET_TEMUAN: temuan(recap),
        SHEET_SUMBER: sumber_rekap(recap),
    }
