"""The Perjanjian Kinerja (PK): contract, reader, single-file checks and template, in one place.

The PK is signed by the Ketua in January (and may be amended, "PK Perubahan"): its
sasaran strategis, indikator kinerja with their targets and pelaksana, and the
programs with their pagu. Everything the other documents are checked against.
"""

from __future__ import annotations

import os
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
from ..core.values import Number, Value, display, show
from ..model import Document, Identity, Source
from ..xlsx.sheet import Sheet, money, read_table, row_choice, row_value, texts
from ..xlsx.source import XlsxSource
from .base import DocumentKind, TemplateParam, TemplateSpec, TemplateWritten
from .common import duplicate_indicators, inconsistent_sasaran

if TYPE_CHECKING:
    from types import ModuleType

    import xlsxwriter

    from ..xlsx.template import Formats

CODE = "PK"
NAME = "Perjanjian Kinerja"
VERSION = 1

# --- data: what a PK holds -----------------------------------------------------------------------


@dataclass
class PKIdentity(Identity):
    jenis_dokumen: str = ""
    tempat: str = ""
    tanggal: str = ""  # as written or as an ISO date when the cell is a date
    nama_penandatangan: str = ""
    jabatan_penandatangan: str = ""
    provinsi: str = ""  # optional label, read where a user added it (kpu-xl rekap)


@dataclass
class Indicator:
    """One row of the PK's `Perjanjian Kinerja` sheet."""

    row: int
    no: str
    kode_sasaran: str
    sasaran: str
    kode: str
    nama: str
    satuan: str
    jenis: str | None  # contract.JENIS_NILAI, None when invalid
    polaritas: str | None
    cara: str | None
    target: Value | None
    target_renstra: Value | None
    realisasi_lalu: Value | None
    pelaksana: str
    source: Source  # the row (cell = the Indikator Kinerja cell)
    cells: dict[str, str] = field(default_factory=dict)  # header -> A1 ref of that row's cell
    text_target: str = ""  # the target as the user wrote it, for display
    kode_program: str = ""  # optional link to a program of the Anggaran sheet (for efisiensi)
    raw: dict[str, object] = field(default_factory=dict)  # raw cells (source.RawCell) by header, as typed
    raw_text: dict[str, str] = field(default_factory=dict)  # texts as typed where the reader kept a canonical form


@dataclass
class Program:
    """One row of the PK's `Anggaran` sheet."""

    row: int
    kode: str
    nama: str
    pagu: float | None
    source: Source
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class PKData:
    indicators: list[Indicator] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.indicators) + len(self.programs)


# --- contract --------------------------------------------------------------------------------

IDENTITAS = IdentitySheet(
    C.IDENTITAS,
    (
        IdentityField(C.L_SATKER, "satker", hint="Nama satuan kerja, mis. KPU Kabupaten Tanjung Jabung Timur."),
        IdentityField(C.L_TAHUN, "tahun", C.YEAR, hint="Tahun anggaran, empat angka (2000-2100), mis. 2023."),
        IdentityField("Jenis Dokumen", "jenis_dokumen", C.CHOICE, C.JENIS_DOKUMEN, hint=f"Pilih dari daftar: {' atau '.join(C.JENIS_DOKUMEN)}."),
        IdentityField("Tempat", "tempat", hint="Tempat penandatanganan, mis. Muara Sabak."),
        IdentityField("Tanggal", "tanggal", C.DATE, hint="Tanggal penandatanganan (hh/bb/tttt), mis. 20/09/2023."),
        IdentityField("Nama Penandatangan", "nama_penandatangan", hint="Nama lengkap penandatangan, mis. Hodijatul Qubro."),
        IdentityField("Jabatan Penandatangan", "jabatan_penandatangan", hint="Jabatan penandatangan, mis. Ketua KPU Kabupaten Tanjung Jabung Timur."),
        # For kpu-xl rekap: a kabupaten/kota's province, which its name does not say. Not in the
        # template; a row "Provinsi" that a user adds above Kode Templat is read.
        IdentityField("Provinsi", "provinsi", required=False, in_template=False),
    ),
)

TABLE = TableSheet(
    "Perjanjian Kinerja",
    (
        Column(C.H_NO, False, "Nomor urut baris (boleh dikosongkan).", "1", 5, C.NUMBER),
        Column(C.H_KODE_SASARAN, True, "Kode sasaran strategis, sama untuk semua indikator satu sasaran.", "S1", 9),
        Column(C.H_SASARAN, True, "Rumusan sasaran strategis sesuai Renstra.", "Terwujudnya Pemilu serentak yang aman dan damai", 36),
        Column(C.H_KODE_INDIKATOR, True, "Kode unik indikator; dipakai Rencana Aksi.", "IK1.1", 10),
        Column(C.H_INDIKATOR, True, "Rumusan indikator kinerja.", "Persentase pelaksanaan Pemilu yang aman dan damai", 42),
        Column(C.H_SATUAN, False, "Satuan target.", "%", 9),
        Column(C.H_JENIS, True, "Pilih: Persen, Angka, Indeks, Predikat SAKIP, Opini BPK.", "Persen", 13),
        Column(C.H_POLARITAS, True, "Positif: makin tinggi makin baik; Negatif: makin rendah makin baik.", "Positif", 10),
        Column(C.H_CARA, True, "Kumulatif (jumlah triwulan), Posisi Akhir (triwulan terakhir terisi), Rata-rata.", "Posisi Akhir", 14),
        Column(C.H_TARGET, True, "Target tahunan. Persen: 90 atau 90%. Predikat SAKIP: B. Opini BPK: WTP.", "90%", 11, C.NUMBER),
        Column(C.H_TARGET_RENSTRA, False, "Target akhir periode Renstra (boleh kosong).", "100%", 11, C.NUMBER),
        Column(C.H_REALISASI_LALU, False, "Realisasi tahun sebelumnya (boleh kosong).", "100%", 11, C.NUMBER),
        Column(C.H_PELAKSANA, True, "Divisi pelaksana indikator (pilih dari daftar).", "Divisi Hukum dan Pengawasan", 30),
        Column(C.H_KODE_PROGRAM, False, "Kode program (lembar Anggaran) yang mendukung indikator ini; untuk efisiensi. Boleh kosong.", "WA", 10),
    ),
    row_keys=(C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_TARGET),
)

ANGGARAN = TableSheet(
    "Anggaran",
    (
        Column(C.H_KODE_PROGRAM, True, "Kode program.", "WA", 12),
        Column(C.H_PROGRAM, True, "Nama program.", "Program Dukungan Manajemen", 50),
        Column(C.H_PAGU, True, "Pagu anggaran dalam rupiah, tanpa desimal.", "2.028.429.000", 20, C.MONEY),
    ),
    row_keys=(C.H_KODE_PROGRAM, C.H_PROGRAM),
)

# --- reading ---------------------------------------------------------------------------------

_REQUIRED = (C.H_KODE_SASARAN, C.H_SASARAN, C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_JENIS, C.H_POLARITAS, C.H_CARA, C.H_PELAKSANA)
_TEXTS = (C.H_NO, C.H_KODE_SASARAN, C.H_SASARAN, C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_SATUAN, C.H_JENIS, C.H_POLARITAS, C.H_CARA, C.H_PELAKSANA, C.H_KODE_PROGRAM)


def read(src: XlsxSource, doc: Document) -> PKData:
    return PKData(read_table(src, doc, TABLE, _indicator_row), read_table(src, doc, ANGGARAN, _program_row))


def _indicator_row(sheet: Sheet, r: int, cols: dict[str, int]) -> Indicator:
    text = texts(sheet, r, cols, _TEXTS, _REQUIRED)
    cells = {h: a1(r, c) for h, c in cols.items()}

    jenis = row_choice(sheet, text, cells, C.H_JENIS, C.JENIS_NILAI)
    polaritas = row_choice(sheet, text, cells, C.H_POLARITAS, C.POLARITAS)
    cara = row_choice(sheet, text, cells, C.H_CARA, C.CARA_MENGHITUNG)
    pelaksana = row_choice(sheet, text, cells, C.H_PELAKSANA, C.DIVISI) or ""

    def val(header: str, required: bool) -> Value | None:
        return row_value(sheet, r, cols, header, jenis, required=required, parse=jenis is not None)

    target_cell = sheet.cell(r, cols[C.H_TARGET])
    return Indicator(
        row=r,
        no=text[C.H_NO],
        kode_sasaran=text[C.H_KODE_SASARAN],
        sasaran=text[C.H_SASARAN],
        kode=text[C.H_KODE_INDIKATOR],
        nama=text[C.H_INDIKATOR],
        satuan=text[C.H_SATUAN],
        jenis=jenis,
        polaritas=polaritas,
        cara=cara,
        target=val(C.H_TARGET, True),
        target_renstra=val(C.H_TARGET_RENSTRA, False),
        realisasi_lalu=val(C.H_REALISASI_LALU, False),
        pelaksana=pelaksana,
        kode_program=text[C.H_KODE_PROGRAM],
        source=Source(sheet.doc.display_name, sheet.name, cells[C.H_INDIKATOR]),
        cells=cells,
        text_target=display(target_cell.value) if target_cell else "",
        raw={C.H_TARGET: target_cell},
        raw_text={C.H_PELAKSANA: text[C.H_PELAKSANA]},
    )


def _program_row(sheet: Sheet, r: int, cols: dict[str, int]) -> Program:
    text = texts(sheet, r, cols, (C.H_KODE_PROGRAM, C.H_PROGRAM), (C.H_KODE_PROGRAM, C.H_PROGRAM))
    cells = {h: a1(r, c) for h, c in cols.items()}
    return Program(
        row=r,
        kode=text[C.H_KODE_PROGRAM],
        nama=text[C.H_PROGRAM],
        pagu=money(sheet, r, cols, C.H_PAGU, True),
        source=Source(sheet.doc.display_name, sheet.name, cells[C.H_PAGU]),
        cells=cells,
    )


# --- single-file checks --------------------------------------------------------------------------


def _at(doc: Document, code: F.Code, message: str, sheet: str, cell: str | None) -> Finding:
    return finding(code, message, doc.display_name, sheet, cell)


@check(F.INDIKATOR_GANDA)
def check_pk_duplicates(doc: Document) -> list[Finding]:
    return duplicate_indicators(doc, doc.data.indicators, TABLE.name, F.INDIKATOR_GANDA)


@check(F.SASARAN_TIDAK_KONSISTEN)
def check_sasaran_consistency(doc: Document) -> list[Finding]:
    return inconsistent_sasaran(doc, doc.data.indicators, TABLE.name, F.SASARAN_TIDAK_KONSISTEN)


@check(F.PROGRAM_GANDA)
def check_program_duplicates(doc: Document) -> list[Finding]:
    out = []
    seen: dict[str, int] = {}
    for p in doc.data.programs:
        if p.kode:
            if _key(p.kode) in seen:
                out.append(
                    _at(
                        doc,
                        F.PROGRAM_GANDA,
                        f'Kode Program "{display(p.kode)}" sudah dipakai di baris {seen[_key(p.kode)]}; setiap program perlu kode sendiri.',
                        ANGGARAN.name,
                        p.cells.get(C.H_KODE_PROGRAM),
                    )
                )
            seen.setdefault(_key(p.kode), p.row)
    return out


@check(F.NILAI_TIDAK_WAJAR)
def check_target_computable(doc: Document) -> list[Finding]:
    """A numeric target of 0 for a positive indicator, or a negative target: its capaian cannot be computed
    (core/capaian.py), which the consolidated workbook would be the first to say. A negative Persen target
    is reported already, as outside 0-100%, by the reader."""
    out = []
    for ind in doc.data.indicators:
        t = ind.target
        if not isinstance(t, Number) or ind.jenis in (None, *C.JENIS_ORDINAL):
            continue
        kode = display(ind.kode) if ind.kode else f"baris {ind.row}"
        if t.value < 0 and ind.jenis != C.JENIS_PERSEN:
            message = f"Target {show(t, ind.jenis)} untuk indikator {kode} bernilai negatif: capaian tidak dapat dihitung dan indikator ini tidak ikut rata-rata sasaran; periksa targetnya."
        elif t.value == 0 and ind.polaritas == C.POLARITAS_POSITIF:
            message = (
                f"Target 0 untuk indikator {kode} berpolaritas {C.POLARITAS_POSITIF}: capaian (R / T x 100%) tidak dapat dihitung dan "
                f"indikator ini tidak ikut rata-rata sasaran. Periksa targetnya; bila makin rendah makin baik, pilih Polaritas {C.POLARITAS_NEGATIF}."
            )
        else:
            continue
        out.append(_at(doc, F.NILAI_TIDAK_WAJAR, message, TABLE.name, ind.cells.get(C.H_TARGET)))
    return out


# --- template ------------------------------------------------------------------------------------


def write_template(path: str | os.PathLike, *, satker: str = "", tahun: int | None = None, source: Document | None = None, overwrite: bool = False) -> TemplateWritten:
    """Write a Perjanjian Kinerja template; satker and tahun prefill the Identitas sheet."""
    from ..xlsx import template as T

    T.check_year(tahun)
    identity = T.identity_values(IDENTITAS, {"satker": satker, "tahun": tahun})

    def build(wb: xlsxwriter.Workbook) -> None:
        fmts, lists = T.Formats(wb), T.Lists()
        _write_guide(T, wb, fmts)
        T.write_identitas(wb, fmts, lists, KIND, identity)
        choices = {C.H_JENIS: C.JENIS_NILAI, C.H_POLARITAS: C.POLARITAS, C.H_CARA: C.CARA_MENGHITUNG, C.H_PELAKSANA: C.DIVISI}
        rules = {header: T.list_rule(lists.source(header, values)) for header, values in choices.items()}
        T.write_table(wb, fmts, TABLE, rules)
        T.write_table(wb, fmts, ANGGARAN, {})
        lists.write(wb, fmts)

    T.save(path, KIND, build, overwrite)
    return TemplateWritten(Path(path), f"Templat {KIND.short}")


def _write_guide(T: ModuleType, wb: xlsxwriter.Workbook, fmts: Formats) -> None:  # T: xlsx.template
    guide = T.Guide(wb, fmts)
    guide.title("Petunjuk Pengisian Templat Perjanjian Kinerja (PK)")
    guide.paragraph(
        "Templat ini dipakai untuk menyusun Perjanjian Kinerja (PK) satuan kerja KPU: sasaran strategis, indikator "
        "kinerja beserta targetnya, divisi pelaksananya, dan pagu anggaran per program. PK yang diisi pada templat ini "
        "dapat diperiksa dan dikonsolidasikan otomatis oleh kpu-xl, dan menjadi dasar Rencana Aksi setiap divisi serta "
        "Laporan Kinerja (LKjIP)."
    )
    guide.heading("Cara mengisi")
    steps = (
        f"Lembar {IDENTITAS.name}: isi {', '.join(IDENTITAS.labels)}.",
        f"Lembar {TABLE.name}: satu baris untuk setiap indikator kinerja. Indikator dari sasaran yang sama ditulis "
        f"dengan {C.H_KODE_SASARAN} dan {C.H_SASARAN} yang sama; setiap indikator memiliki {C.H_KODE_INDIKATOR} yang unik.",
        f"Lembar {ANGGARAN.name}: satu baris untuk setiap program beserta pagunya dalam rupiah.",
        *T.COMMON_STEPS,
        f'Rencana Aksi setiap divisi dapat dibuat dari PK ini, sudah berisi indikatornya: kpu-xl template ra --dari PK.xlsx --divisi "{T.SEED_DIVISI}" -o RA.xlsx',
    )
    for number, step in enumerate(steps, start=1):
        guide.paragraph(f"{number}. {step}")
    T.guide_columns(guide, TABLE)
    T.guide_columns(guide, ANGGARAN)
    example = {
        C.H_NO: "1",
        C.H_KODE_SASARAN: "S1",
        C.H_SASARAN: T.SEED_SASARAN,
        C.H_KODE_INDIKATOR: "IK1.1",
        C.H_INDIKATOR: T.SEED_INDIKATOR,
        C.H_SATUAN: "%",
        C.H_JENIS: C.JENIS_PERSEN,
        C.H_POLARITAS: C.POLARITAS_POSITIF,
        C.H_CARA: C.CARA_POSISI_AKHIR,
        C.H_TARGET: "90%",
        C.H_PELAKSANA: T.SEED_DIVISI,
    }
    T.guide_example(guide, TABLE, example, T.SEED_NOTE)
    T.guide_lists(guide)
    guide.finish()


KIND = DocumentKind(
    code=CODE,
    name=NAME,
    short="PK",
    version=VERSION,
    identity=IDENTITAS,
    identity_class=PKIdentity,
    tables=(TABLE, ANGGARAN),
    read=read,
    file_checks=(check_pk_duplicates, check_sasaran_consistency, check_program_duplicates, check_target_computable),
    template=TemplateSpec(
        "Buat templat Perjanjian Kinerja (PK).",
        write_template,
        (
            TemplateParam("satker", "--satker", "Nama satuan kerja, diisikan di lembar Identitas."),
            TemplateParam("tahun", "--tahun", "Tahun PK, diisikan di lembar Identitas.", int, None),
        ),
    ),
    shipped="perjanjian-kinerja.xlsx",
)
