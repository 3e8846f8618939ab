"""The seed's 2023 PK and Rencana Aksi (DOMAIN.md) as model objects, consolidated.

Built directly from the kinds' data classes (not from workbooks) so that output
tests do not depend on the readers. Budget realisation per program and quarter
is a chosen split that sums to the seed's Rp 18.911.211.426.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from kpu_xl.compute.satker import Consolidated, compute
from kpu_xl.core import contract as C
from kpu_xl.core.cells import column_letter
from kpu_xl.core.findings import Finding
from kpu_xl.core.policy import DEFAULT_POLICY, Policy
from kpu_xl.core.values import Grade, Number
from kpu_xl.kinds import PK, RA
from kpu_xl.kinds import pk as pk_kind
from kpu_xl.kinds import ra as ra_kind
from kpu_xl.kinds.pk import Indicator, PKData, PKIdentity, Program
from kpu_xl.kinds.ra import BudgetRow, RAData, RAIdentity, RARow
from kpu_xl.model import Document, Source
from kpu_xl.pipeline.bundle import Group
from kpu_xl.pipeline.read import file_summary
from kpu_xl.pipeline.resolve import Resolved

SATKER = "KPU Kabupaten Tanjung Jabung Timur"
HUKUM, TEKNIS, SOSIALISASI, DATA, KEUANGAN, SEMUA = C.DIVISI

S1 = "Terwujudnya Pemilu serentak yang aman dan damai disertai penyelesaian sengketa hukum yang baik"
S6 = "Terwujudnya sumber daya manusia dan lembaga KPU yang berkualitas"

# kode sasaran, sasaran, kode, indikator, jenis, target, realisasi (TW IV), pelaksana, kegiatan, program
SEED = [
    ("S1", S1, "IK1.1", "Persentase pelaksanaan Pemilu yang aman dan damai di Kabupaten Tanjung Jabung Timur", C.JENIS_PERSEN, 90, 100, HUKUM, "Pelaksanaan Tahapan Pemilu", "DL"),
    ("S1", S1, "IK1.2", "Persentase pelaksanaan sengketa hukum yang dimenangkan oleh KPU Kabupaten Tanjung Jabung Timur", C.JENIS_PERSEN, 90, 100, HUKUM, "Sengketa", "DL"),
    ("S2", "Pengelolaan Calon Peserta Pemilu", "IK2.1", "Persentase Calon Peserta Pemilu yang dapat difasilitasi", C.JENIS_PERSEN, 100, 100, TEKNIS, "Pendaftaran dan verifikasi calon", "DL"),
    ("S3", "Terwujudnya Tahapan Pemilu/Pemilihan Sesuai Jadwal", "IK3.1", "Persentase pelaksanaan kampanye", C.JENIS_PERSEN, 100, 100, TEKNIS, "Kampanye", "DL"),
    ("S3", "Terwujudnya Tahapan Pemilu/Pemilihan Sesuai Jadwal", "IK3.2", "Persentase pelaporan dana kampanye", C.JENIS_PERSEN, 100, 100, TEKNIS, "Pelaporan Dana Kampanye", "DL"),
    (
        "S4",
        "Pendidikan Pemilih Kepada Masyarakat Umum",
        "IK4.1",
        'Persentase terlaksananya "Pendidikan Pemilih Kepemiluan dan Demokrasi" untuk masyarakat umum',
        C.JENIS_PERSEN,
        100,
        100,
        SOSIALISASI,
        "Sosialisasi dan Pendidikan Pemilih",
        "DL",
    ),
    ("S5", "Pembentukan badan penyelenggara adhoc", "IK5.1", "Persentase terbentuknya badan adhoc", C.JENIS_PERSEN, 100, 100, SOSIALISASI, "Rekrutmen PPS dan Pantarlih", "DL"),
    ("S6", S6, "IK6.1", "Indeks Reformasi Birokrasi", C.JENIS_INDEKS, 78, 75, SEMUA, "Survey Kepuasan terhadap Pelayanan KPU", "WA"),
    ("S6", S6, "IK6.2", "Nilai Akuntabilitas Kinerja", C.JENIS_PREDIKAT, "B", "BB", SEMUA, "Evaluasi Laporan Kinerja", "WA"),
    ("S6", S6, "IK6.3", "Opini BPK atas Laporan Keuangan", C.JENIS_OPINI, "WTP", "WTP", KEUANGAN, "Evaluasi Laporan Keuangan", "WA"),
    ("S6", S6, "IK6.4", "Nilai Keterbukaan Informasi Publik", C.JENIS_PERSEN, 100, 100, SEMUA, "Informasi yang ditampilkan di PPID", "WA"),
    (
        "S7",
        "Terwujudnya data pemilih secara berkelanjutan",
        "IK7.1",
        "Persentase KPU Kabupaten Tanjung Jabung Timur memutakhirkan data pemilih tepat waktu",
        C.JENIS_PERSEN,
        100,
        100,
        DATA,
        "Rekapitulasi dan Penetapan Daftar Pemilih",
        "DL",
    ),
    ("S8", "Meningkatnya akuntabilitas keuangan dan kinerja", "IK8.1", "Pelaksanaan pembangunan zona integritas", C.JENIS_PERSEN, 90, 100, SEMUA, "Pembangunan zona integritas", "WA"),
]

PROGRAMS = [
    ("WA", "Program Dukungan Manajemen", 2_028_429_000, [450_000_000, 500_000_000, 480_000_000, 532_318_426]),
    ("DL", "Program Penyelenggaraan Pemilu dalam Proses Konsolidasi Demokrasi", 17_623_459_000, [2_100_000_000, 4_350_000_000, 6_800_000_000, 3_698_893_000]),
]
PAGU_TOTAL = 19_651_888_000
REALISASI_TOTAL = 18_911_211_426

PK_FILE = "pk-2023.xlsx"


@dataclass
class Seed:
    """What to build; tests change fields to make variants."""

    folder: Path = Path(".")
    satker: str = SATKER
    names: dict[str, str] = field(default_factory=dict)  # kode -> indicator name override
    unfilled: set[str] = field(default_factory=set)  # kode whose realisasi is left empty
    realisasi: dict[str, object] = field(default_factory=dict)  # kode -> final realisasi override
    ra_targets: dict[str, float] = field(default_factory=dict)  # kode -> RA Target Tahunan override
    extra_ra_codes: list[str] = field(default_factory=list)  # RA rows whose kode is not in the PK
    findings: list[Finding] = field(default_factory=list)
    policy: Policy = DEFAULT_POLICY

    def path(self, name: str) -> str:
        return str(self.folder / name)


def value(jenis: str, raw) -> Number | Grade:
    if jenis == C.JENIS_PREDIKAT:
        return Grade("sakip", raw)
    if jenis == C.JENIS_OPINI:
        return Grade("bpk", raw)
    return Number(float(raw))


def ra_file(divisi: str) -> str:
    return "ra-" + divisi.split()[1].lower().rstrip(",") + "-2023.xlsx"


def quarters(jenis: str, final, ordinal_from: int = 3) -> list:
    """TW I..IV: percents build up to the final figure; others are known in the last quarter."""
    if jenis == C.JENIS_PERSEN:
        return [Number(round(final * f, 4)) for f in (0.3, 0.55, 0.8, 1.0)]
    return [None] * ordinal_from + [value(jenis, final)]


def pk_document(seed: Seed) -> Document:
    identity = PKIdentity(
        satker=seed.satker,
        tahun=2023,
        jenis_dokumen="PK Perubahan",
        tempat="Muara Sabak",
        tanggal="2023-09-20",
        nama_penandatangan="Hodijatul Qubro",
        jabatan_penandatangan="Ketua KPU Kabupaten Tanjung Jabung Timur",
    )
    file = seed.path(PK_FILE)
    indicators = []
    for i, (ks, sasaran, kode, nama, jenis, target, _, pelaksana, _, program) in enumerate(SEED):
        row = i + 2
        indicators.append(
            Indicator(
                row=row,
                no=str(i + 1),
                kode_sasaran=ks,
                sasaran=sasaran,
                kode=kode,
                nama=seed.names.get(kode, nama),
                satuan="%" if jenis == C.JENIS_PERSEN else "",
                jenis=jenis,
                polaritas=C.POLARITAS_POSITIF,
                cara=C.CARA_POSISI_AKHIR,
                target=value(jenis, target),
                target_renstra=value(jenis, 100 if jenis == C.JENIS_PERSEN else target),
                realisasi_lalu=None,
                pelaksana=pelaksana,
                source=Source(file, pk_kind.TABLE.name, f"E{row}"),
                cells={h: f"{column_letter(c + 1)}{row}" for c, h in enumerate(pk_kind.TABLE.headers)},
                text_target=f"{target}%" if jenis == C.JENIS_PERSEN else str(target),
                kode_program=program,
            )
        )
    programs = [Program(row=i + 2, kode=kode, nama=nama, pagu=pagu, source=Source(file, pk_kind.ANGGARAN.name, f"C{i + 2}")) for i, (kode, nama, pagu, _) in enumerate(PROGRAMS)]
    return Document(path=Path(file), display_name=file, kind=PK, version=1, sha256="a" * 64, identity=identity, data=PKData(indicators, programs))


def ra_row(seed: Seed, file: str, row: int, divisi: str, kode: str, nama: str, jenis: str, target, realisasi, kegiatan: str) -> RARow:
    cells = {h: f"{column_letter(c + 1)}{row}" for c, h in enumerate(ra_kind.TABLE.headers)}
    realisasi_tw = [None] * 4 if kode in seed.unfilled else quarters(jenis, realisasi)
    return RARow(
        row=row,
        kode_indikator=kode,
        indikator=nama,
        kegiatan=kegiatan,
        target_tahunan=value(jenis, seed.ra_targets.get(kode, target)),
        target_tw=quarters(jenis, target),
        realisasi_tw=realisasi_tw,
        pelaksana=divisi,
        bukti=f"Laporan {kegiatan}",
        source=Source(file, ra_kind.TABLE.name, cells[C.H_KODE_INDIKATOR]),
        cells=cells,
        divisi=divisi,
    )


def ra_documents(seed: Seed) -> list[Document]:
    docs: dict[str, Document] = {}
    for _, _, kode, nama, jenis, target, realisasi, pelaksana, kegiatan, _ in SEED:
        doc = docs.get(pelaksana) or _ra_document(seed, pelaksana)
        docs[pelaksana] = doc
        row = len(doc.data.rows) + 2
        final = seed.realisasi.get(kode, realisasi)
        doc.data.rows.append(ra_row(seed, doc.display_name, row, pelaksana, kode, seed.names.get(kode, nama), jenis, target, final, kegiatan))
    for kode in seed.extra_ra_codes:
        doc = docs[SEMUA]
        doc.data.rows.append(ra_row(seed, doc.display_name, len(doc.data.rows) + 2, SEMUA, kode, "Indikator tanpa PK", C.JENIS_PERSEN, 100, 50, "Kegiatan lain"))
    keuangan = docs[KEUANGAN]
    for i, (kode, nama, pagu, tw) in enumerate(PROGRAMS):
        row = i + 2
        keuangan.data.budget_rows.append(
            BudgetRow(row=row, kode_program=kode, program=nama, pagu=pagu, realisasi_tw=list(map(float, tw)), source=Source(keuangan.display_name, ra_kind.ANGGARAN.name, f"A{row}"))
        )
    return list(docs.values())


def _ra_document(seed: Seed, divisi: str) -> Document:
    file = seed.path(ra_file(divisi))
    identity = RAIdentity(satker=seed.satker, tahun=2023, divisi=divisi, penanggung_jawab="Kepala Subbagian")
    return Document(path=Path(file), display_name=file, kind=RA, version=1, sha256=hashlib.sha256(file.encode()).hexdigest(), identity=identity, data=RAData())


def consolidated(seed: Seed | None = None, **changes) -> Consolidated:
    seed = replace(seed or Seed(), **changes)
    pk = pk_document(seed)
    ras = ra_documents(seed)
    group = Group(seed.satker, 2023, {PK: [pk], RA: ras})
    result = compute(Resolved(group), findings=list(seed.findings), policy=seed.policy)  # built already resolved: the RA values are typed
    result.files = [file_summary(d) for d in (pk, *ras)]
    result.inputs = [d.path for d in (pk, *ras)]
    return result
