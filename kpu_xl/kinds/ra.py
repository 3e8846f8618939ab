"""The Rencana Aksi (RA): contract, reader, single-file checks and template, in one place.

Each division (divisi) writes one for the PK indicators it is pelaksana of: kegiatan,
quarterly targets and realisasi, bukti dukung, and the budget realisation of its
programs per quarter. Its targets and realisasi mean what the PK's Jenis Nilai says,
so they are kept raw here and parsed against the PK by pipeline/resolve.py.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import contract as C
from ..core import findings as F
from ..core.cells import ref as a1
from ..core.check import check
from ..core.contract import Column, IdentityField, IdentitySheet, TableSheet
from ..core.findings import Finding, finding
from ..core.values import Value, display, format_number
from ..model import Document, Identity, Source
from ..xlsx.sheet import Sheet, money, read_table, texts
from ..xlsx.source import XlsxSource
from .base import DocumentKind, TemplateParam, TemplateSpec, TemplateWritten
from .pk import Indicator

if TYPE_CHECKING:
    from types import ModuleType

    import xlsxwriter

    from ..xlsx.template import Formats

CODE = "RA"
NAME = "Rencana Aksi"
VERSION = 1

# --- data: what an RA holds -----------------------------------------------------------------------


@dataclass
class RAIdentity(Identity):
    divisi: str = ""
    penanggung_jawab: str = ""


@dataclass
class RARow:
    """One row of an RA's `Rencana Aksi` sheet."""

    row: int
    kode_indikator: str
    indikator: str
    kegiatan: str
    target_tahunan: Value | None
    target_tw: list[Value | None]
    realisasi_tw: list[Value | None]
    pelaksana: str
    bukti: str
    source: Source
    cells: dict[str, str] = field(default_factory=dict)
    # Raw target/realisasi cells (source.RawCell) by header: their meaning depends on the
    # PK's Jenis Nilai, so pipeline/resolve.py parses them into copies of this row; as read,
    # target_tahunan, target_tw and realisasi_tw are empty.
    raw: dict[str, object] = field(default_factory=dict)
    divisi: str = ""  # the RA workbook's Identitas Divisi
    analisis: dict[str, str] = field(default_factory=dict)  # Faktor Pendukung / Penghambat / Upaya, where filled


@dataclass
class BudgetRow:
    """One row of an RA's `Realisasi Anggaran` sheet."""

    row: int
    kode_program: str
    program: str
    pagu: float | None
    realisasi_tw: list[float | None]
    source: Source
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class RAData:
    rows: list[RARow] = field(default_factory=list)
    budget_rows: list[BudgetRow] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.rows) + len(self.budget_rows)


# --- contract --------------------------------------------------------------------------------

IDENTITAS = IdentitySheet(
    C.IDENTITAS,
    (
        IdentityField(C.L_SATKER, "satker", hint="Nama satuan kerja, mis. KPU Kabupaten Tanjung Jabung Timur."),
        IdentityField(C.L_TAHUN, "tahun", C.YEAR, hint="Tahun anggaran, empat angka (2000-2100), mis. 2023."),
        IdentityField("Divisi", "divisi", C.CHOICE, C.DIVISI, hint="Divisi penyusun Rencana Aksi (pilih dari daftar).", list_title=C.H_PELAKSANA),
        IdentityField("Penanggung Jawab", "penanggung_jawab", required=False, hint="Nama pejabat penanggung jawab Rencana Aksi."),
    ),
)

TABLE = TableSheet(
    "Rencana Aksi",
    (
        Column(C.H_KODE_INDIKATOR, True, "Kode indikator dari Perjanjian Kinerja.", "IK1.1", 10),
        Column(C.H_INDIKATOR, True, "Rumusan indikator sesuai Perjanjian Kinerja.", "Persentase pelaksanaan Pemilu yang aman dan damai", 40),
        Column(C.H_KEGIATAN, True, "Kegiatan untuk mencapai indikator.", "Pelaksanaan Tahapan Pemilu", 30),
        Column(C.H_TARGET_TAHUNAN, True, "Target tahunan; harus sama dengan target PK.", "90%", 11, C.NUMBER),
        *(Column(h, True, f"Target {q}; kosongkan bila tidak ada.", "25%", 10, C.NUMBER) for h, q in zip(C.H_TARGET_TW, C.QUARTERS)),
        *(Column(h, True, f"Realisasi {q}; isi setelah triwulan berakhir.", "25%", 10, C.NUMBER) for h, q in zip(C.H_REALISASI_TW, C.QUARTERS)),
        Column(C.H_PELAKSANA, False, "Divisi atau pejabat pelaksana.", "Divisi Hukum dan Pengawasan", 26),
        Column(C.H_BUKTI, False, "Dokumen bukti dukung (nama berkas atau tautan, ditulis sebagai teks).", "Laporan tahapan", 24),
        Column(
            C.H_FAKTOR_PENDUKUNG, False, "Mengapa target tercapai: faktor yang mendukung (untuk BAB III Laporan Kinerja). Boleh kosong.", "Koordinasi yang baik dengan Bawaslu dan aparat keamanan", 30
        ),
        Column(C.H_FAKTOR_PENGHAMBAT, False, "Yang menghambat pencapaian target. Boleh kosong.", "Keterbatasan anggaran sosialisasi", 30),
        Column(C.H_UPAYA, False, "Upaya yang dilakukan atau direncanakan untuk mengatasinya. Boleh kosong.", "Menambah kegiatan sosialisasi daring", 30),
    ),
    row_keys=(C.H_KODE_INDIKATOR, C.H_KEGIATAN, C.H_TARGET_TAHUNAN),
)

ANGGARAN = TableSheet(
    "Realisasi Anggaran",
    (
        Column(C.H_KODE_PROGRAM, True, "Kode program sesuai PK.", "WA", 12),
        Column(C.H_PROGRAM, True, "Nama program.", "Program Dukungan Manajemen", 44),
        Column(C.H_PAGU_RP, True, "Pagu program dalam rupiah.", "2.028.429.000", 18, C.MONEY),
        *(Column(h, True, f"Realisasi anggaran {q} dalam rupiah.", "500.000.000", 18, C.MONEY) for h, q in zip(C.H_REALISASI_TW_RP, C.QUARTERS)),
    ),
    row_keys=(C.H_KODE_PROGRAM, C.H_PROGRAM),
)

# The cells whose meaning depends on the PK's Jenis Nilai (parsed by pipeline/resolve.py).
VALUE_HEADERS = (C.H_TARGET_TAHUNAN, *C.H_TARGET_TW, *C.H_REALISASI_TW)

# --- reading ---------------------------------------------------------------------------------


def read(src: XlsxSource, doc: Document) -> RAData:
    divisi = getattr(doc.identity, "divisi", "")
    return RAData(read_table(src, doc, TABLE, lambda s, r, cols: _ra_row(s, r, cols, divisi)), read_table(src, doc, ANGGARAN, _budget_row))


def _ra_row(sheet: Sheet, r: int, cols: dict[str, int], divisi: str) -> RARow:
    text = texts(sheet, r, cols, (C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_KEGIATAN, C.H_PELAKSANA, C.H_BUKTI, *C.H_ANALISIS), (C.H_KODE_INDIKATOR, C.H_KEGIATAN))
    cells = {h: a1(r, c) for h, c in cols.items()}
    raw = {}
    for h in VALUE_HEADERS:
        if h in cols:
            sheet.value(r, cols[h])  # reports formula-tanpa-nilai once, here
            raw[h] = sheet.cell(r, cols[h])
    return RARow(
        row=r,
        kode_indikator=text[C.H_KODE_INDIKATOR],
        indikator=text[C.H_INDIKATOR],
        kegiatan=text[C.H_KEGIATAN],
        target_tahunan=None,
        target_tw=[None] * 4,
        realisasi_tw=[None] * 4,
        pelaksana=text[C.H_PELAKSANA],
        bukti=text[C.H_BUKTI],
        source=Source(sheet.doc.display_name, sheet.name, cells.get(C.H_KODE_INDIKATOR)),
        cells=cells,
        raw=raw,
        divisi=divisi,
        analisis={h: text[h] for h in C.H_ANALISIS if text[h]},
    )


def _budget_row(sheet: Sheet, r: int, cols: dict[str, int]) -> BudgetRow:
    text = texts(sheet, r, cols, (C.H_KODE_PROGRAM, C.H_PROGRAM), (C.H_KODE_PROGRAM,))
    cells = {h: a1(r, c) for h, c in cols.items()}
    return BudgetRow(
        row=r,
        kode_program=text[C.H_KODE_PROGRAM],
        program=text[C.H_PROGRAM],
        pagu=money(sheet, r, cols, C.H_PAGU_RP, False),
        realisasi_tw=[money(sheet, r, cols, h, False) for h in C.H_REALISASI_TW_RP],
        source=Source(sheet.doc.display_name, sheet.name, cells[C.H_KODE_PROGRAM]),
        cells=cells,
    )


# --- single-file checks --------------------------------------------------------------------------


def spent(b: BudgetRow) -> float:
    return sum(v for v in b.realisasi_tw if v is not None)


def over_own_pagu(doc: Document) -> list[BudgetRow]:
    return [b for b in doc.data.budget_rows if b.pagu is not None and spent(b) > b.pagu + 0.5]


def over_pagu(doc: Document, b: BudgetRow, quarter: int, message: str) -> Finding:
    """anggaran-melebihi-pagu at the row's realisasi cell of that quarter."""
    return finding(F.ANGGARAN_MELEBIHI_PAGU, message, doc.display_name, ANGGARAN.name, b.cells.get(C.H_REALISASI_TW_RP[quarter]))


@check(F.ANGGARAN_MELEBIHI_PAGU)
def check_budget_within_pagu(doc: Document) -> list[Finding]:
    out = []
    for b in over_own_pagu(doc):
        total = spent(b)
        last = max((i for i, v in enumerate(b.realisasi_tw) if v is not None), default=3)
        out.append(over_pagu(doc, b, last, f'Realisasi program "{display(b.kode_program)}" Rp {format_number(total)} melebihi pagu Rp {format_number(b.pagu)}.'))
    return out


# --- template ------------------------------------------------------------------------------------


def resolve_divisi(name: str) -> str:
    """The contract spelling of a division name typed loosely; TemplateError when unknown."""
    from ..xlsx.template import TemplateError

    found = C.canonical(name, C.DIVISI)
    if found is None:
        choices = "\n".join(f"  - {d}" for d in C.DIVISI)
        raise TemplateError(f'Divisi "{name}" tidak dikenal. Pilih salah satu:\n{choices}')
    return found


def write_template(
    path: str | os.PathLike,
    *,
    divisi: str = "",
    source: Document | None = None,
    overwrite: bool = False,
    satker: str = "",
    tahun: int | None = None,
    indicators: Sequence[dict[str, object]] | None = None,
    codes: Sequence[str] | None = None,
) -> TemplateWritten:
    """Write a Rencana Aksi template.

    source: a filled PK (read as validate reads it): its satker and year fill the Identitas sheet
    and its indicators the rows, those of `divisi` only when given; the Kode Indikator dropdown
    always lists every code of the PK. Without a source, indicators are rows to prefill (keyed by
    TABLE headers) and codes the dropdown (default: the codes of indicators; none: no dropdown).
    """
    from ..xlsx import template as T

    wanted = resolve_divisi(divisi) if divisi else ""
    if source is not None:
        every = prefill_from_pk(source)
        satker, tahun = source.identity.satker, source.identity.tahun
        indicators = [r for r in every if not wanted or r[C.H_PELAKSANA] == wanted]
        codes = [r[C.H_KODE_INDIKATOR] for r in every]
    T.check_year(tahun)
    rows = list(indicators or ())
    if codes is None:
        codes = [str(row.get(C.H_KODE_INDIKATOR) or "") for row in rows]
    codes = list(dict.fromkeys(code for code in codes if code))
    identity = T.identity_values(IDENTITAS, {"satker": satker, "tahun": tahun, "divisi": wanted})

    def build(wb: xlsxwriter.Workbook) -> None:
        fmts, lists = T.Formats(wb), T.Lists()
        _write_guide(T, wb, fmts)
        T.write_identitas(wb, fmts, lists, KIND, identity)
        rules = {C.H_PELAKSANA: T.list_rule(lists.source(C.H_PELAKSANA, C.DIVISI), "information")}
        if codes:
            rules[C.H_KODE_INDIKATOR] = T.list_rule(lists.source(C.H_KODE_INDIKATOR, codes), "warning")
        T.write_table(wb, fmts, TABLE, rules, rows)
        T.write_table(wb, fmts, ANGGARAN, {})
        lists.write(wb, fmts)

    T.save(path, KIND, build, overwrite)
    written = TemplateWritten(Path(path), f"Templat {KIND.short}")
    if source is not None:
        written.count, written.source = len(rows), source.path.name
        if not rows:
            written.warnings.append("Tidak ada indikator yang diisikan (PK kosong, atau tidak ada indikator dengan Pelaksana divisi ini).")
    return written


def prefill_from_pk(doc: Document) -> list[dict[str, object]]:
    """A filled PK's indicators as RA rows to prefill (keyed by TABLE headers)."""
    rows = []
    for ind in doc.data.indicators:
        if not ind.kode and not ind.nama:  # a row holding only other columns (a stray Kode Program) is no indicator
            continue
        pelaksana = ind.pelaksana or ind.raw_text.get(C.H_PELAKSANA, "")  # a name outside the list is copied as typed
        rows.append({C.H_KODE_INDIKATOR: ind.kode, C.H_INDIKATOR: ind.nama, C.H_TARGET_TAHUNAN: target_as_written(ind), C.H_PELAKSANA: pelaksana})
    return rows


def target_as_written(ind: Indicator) -> object:
    """A PK indicator's target to copy into a template as the user wrote it: text as text, a number
    with its number format (a 0.9 in a percent cell stays 90%), an error value as its text; a
    formula is never copied (None)."""
    from ..core.values import CellError
    from ..xlsx.template import Formatted

    cell = ind.raw.get(C.H_TARGET)
    if cell is None or cell.formula is not None or cell.value is None:
        return None
    if isinstance(cell.value, CellError):
        return cell.value.code  # "#N/A" as text: the user sees what the PK holds
    if isinstance(cell.value, str) or cell.number_format in (None, "General"):
        return cell.value
    return Formatted(cell.value, cell.number_format)


def _write_guide(T: ModuleType, wb: xlsxwriter.Workbook, fmts: Formats) -> None:  # T: xlsx.template
    guide = T.Guide(wb, fmts)
    guide.title("Petunjuk Pengisian Templat Rencana Aksi (RA)")
    guide.paragraph(
        "Rencana Aksi disusun oleh setiap divisi untuk indikator kinerja Perjanjian Kinerja (PK) yang menjadi "
        "tanggung jawabnya: kegiatan, target setiap triwulan, realisasi setiap triwulan, dan bukti dukung. Lembar "
        f"{ANGGARAN.name} memuat pagu dan realisasi anggaran per program setiap triwulan."
    )
    guide.heading("Cara mengisi")
    steps = (
        f"Lembar {IDENTITAS.name}: isi {', '.join(IDENTITAS.labels)}.",
        f"Lembar {TABLE.name}: satu baris untuk setiap kegiatan. {C.H_KODE_INDIKATOR} dan {C.H_INDIKATOR} disalin dari "
        "PK; satu indikator boleh memiliki beberapa kegiatan (beberapa baris dengan kode yang sama).",
        f"{C.H_TARGET_TAHUNAN} harus sama dengan target di PK. Isi target triwulan di awal tahun dan realisasi setiap triwulan berakhir; kosongkan triwulan yang tidak bertarget.",
        f"{C.H_PELAKSANA} boleh dipilih dari daftar divisi atau diketik (nama pejabat atau unit).",
        f"Lembar {ANGGARAN.name}: satu baris untuk setiap program, dalam rupiah tanpa desimal.",
        *T.COMMON_STEPS,
        f'Templat yang sudah berisi identitas dan indikator divisi dapat dibuat dari PK: kpu-xl template ra --dari PK.xlsx --divisi "{T.SEED_DIVISI}" -o RA.xlsx',
    )
    for number, step in enumerate(steps, start=1):
        guide.paragraph(f"{number}. {step}")
    T.guide_columns(guide, TABLE)
    T.guide_columns(guide, ANGGARAN)
    example = {
        C.H_KODE_INDIKATOR: "IK1.1",
        C.H_INDIKATOR: T.SEED_INDIKATOR,
        C.H_KEGIATAN: "Pelaksanaan Tahapan Pemilu",
        C.H_TARGET_TAHUNAN: "90%",
        **dict(zip(C.H_TARGET_TW, ("25%", "50%", "75%", "90%"))),
        **dict(zip(C.H_REALISASI_TW, ("25%", "50%", "75%", "100%"))),
        C.H_PELAKSANA: T.SEED_DIVISI,
        C.H_BUKTI: "Laporan pelaksanaan tahapan Pemilu",
    }
    note = f"{T.SEED_NOTE} Indikator ini dihitung {C.CARA_POSISI_AKHIR}, sehingga realisasi tahunannya adalah realisasi triwulan IV (100%); target dan realisasi triwulan I-III adalah ilustrasi."
    T.guide_example(guide, TABLE, example, note)
    T.guide_lists(guide)
    guide.finish()


KIND = DocumentKind(
    code=CODE,
    name=NAME,
    short="RA",
    version=VERSION,
    identity=IDENTITAS,
    identity_class=RAIdentity,
    tables=(TABLE, ANGGARAN),
    read=read,
    file_checks=(check_budget_within_pagu,),
    template=TemplateSpec(
        "Buat templat Rencana Aksi (RA), kosong atau berisi indikator dari PK (--dari).",
        write_template,
        (TemplateParam("divisi", "--divisi", "Divisi penyusun; dengan --dari hanya indikator divisi ini yang diisikan."),),
        from_pk="PK (.xlsx) sumber: identitas dan indikatornya diisikan.",
    ),
    shipped="rencana-aksi.xlsx",
)
