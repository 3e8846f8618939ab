"""Build samples/tanjabtim-2023/ by filling the shipped templates as a user would (openpyxl).

The figures are the seed's 2023 LKjIP of KPU Kabupaten Tanjung Jabung Timur
(../shared/DOMAIN.md): the PK Perubahan of 20 September 2023, its 13 indicators
and two programs. Quarterly realisations are illustrative (the seed prints only
year-end figures) and end at the printed year-end realisasi. The budget split
per program and quarter is illustrative too: the seed gives only the total
realisation, Rp 18.911.211.426, which the split sums to.

The Renstra 2020-2024 (renstra-2020-2024.xlsx) holds the PK's sasaran and indicators with
Target 2023 equal to the PK's, and in Riwayat Anggaran the seed's real pagu and realisasi of
2020-2022 (BAB III C). What the seed states of earlier years is used where it states it
(RENSTRA_STATED below); every other target, kondisi awal and earlier realisasi is illustrative.

Run: python samples/build.py [OUT_DIR]   (default: samples/tanjabtim-2023)
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
OUT = ROOT / "samples" / "tanjabtim-2023"
QUARTERS = ("TW I", "TW II", "TW III", "TW IV")

SATKER = "KPU Kabupaten Tanjung Jabung Timur"
TAHUN = 2023

HUKUM = "Divisi Hukum dan Pengawasan"
TEKNIS = "Divisi Teknis Penyelenggara Pemilu"
SOSDIK = "Divisi Sosialisasi, Pendidikan Pemilih, Partisipasi dan Hubungan Masyarakat"
RENDATIN = "Divisi Perencanaan, Data dan Informasi"
KURT = "Divisi Keuangan, Umum, Rumah Tangga dan Logistik"
SEMUA = "Semua Divisi"

S1 = "Terwujudnya Pemilu serentak yang aman dan damai disertai penyelesaian sengketa hukum yang baik"
S2 = "Pengelolaan Calon Peserta Pemilu"
S3 = "Terwujudnya Tahapan Pemilu/Pemilihan Sesuai Jadwal"
S4 = "Pendidikan Pemilih Kepada Masyarakat Umum"
S5 = "Pembentukan badan penyelenggara adhoc"
S6 = "Terwujudnya sumber daya manusia dan lembaga KPU yang berkualitas"
S7 = "Terwujudnya data pemilih secara berkelanjutan"
S8 = "Meningkatnya akuntabilitas keuangan dan kinerja"

PCT = "Persen"
# (kode sasaran, sasaran, kode, indikator, satuan, jenis, target, realisasi TW I..IV, pelaksana, kegiatan, program)
# Percent targets/realisasi are fractions: they are written as Excel stores a typed "90%".
INDICATORS = [
    ("S1", S1, "IK1.1", "Persentase pelaksanaan Pemilu yang aman dan damai di Kabupaten Tanjung Jabung Timur", "%", PCT, 0.90, (0.25, 0.50, 0.75, 1.00), HUKUM, "Pelaksanaan Tahapan Pemilu", "DH"),
    ("S1", S1, "IK1.2", "Persentase pelaksanaan sengketa hukum yang dimenangkan oleh KPU Kabupaten Tanjung Jabung Timur", "%", PCT, 0.90, (1.00, 1.00, 1.00, 1.00), HUKUM, "Sengketa", "DH"),
    ("S2", S2, "IK2.1", "Persentase Calon Peserta Pemilu yang dapat difasilitasi", "%", PCT, 1.00, (0.40, 0.80, 1.00, 1.00), TEKNIS, "Pendaftaran dan verifikasi calon", "DH"),
    ("S3", S3, "IK3.1", "Persentase pelaksanaan kampanye", "%", PCT, 1.00, (0.00, 0.00, 0.30, 1.00), TEKNIS, "Kampanye", "DH"),
    ("S3", S3, "IK3.2", "Persentase pelaporan dana kampanye", "%", PCT, 1.00, (0.00, 0.00, 0.50, 1.00), TEKNIS, "Pelaporan Dana Kampanye", "DH"),
    (
        "S4",
        S4,
        "IK4.1",
        'Persentase terlaksananya "Pendidikan Pemilih Kepemiluan dan Demokrasi" untuk masyarakat umum',
        "%",
        PCT,
        1.00,
        (0.20, 0.50, 0.80, 1.00),
        SOSDIK,
        "Sosialisasi dan Pendidikan Pemilih",
        "DH",
    ),
    ("S5", S5, "IK5.1", "Persentase terbentuknya badan adhoc", "%", PCT, 1.00, (0.35, 0.70, 1.00, 1.00), SOSDIK, "Rekrutmen PPS dan Pantarlih", "DH"),
    ("S6", S6, "IK6.1", "Indeks Reformasi Birokrasi", "Indeks", "Indeks", 78, (None, None, None, 75), SEMUA, "Survey Kepuasan terhadap Pelayanan KPU", "WA"),
    ("S6", S6, "IK6.2", "Nilai Akuntabilitas Kinerja", "Predikat", "Predikat SAKIP", "B", (None, None, None, "BB"), SEMUA, "Evaluasi Laporan Kinerja", "WA"),
    ("S6", S6, "IK6.3", "Opini BPK atas Laporan Keuangan", "Opini", "Opini BPK", "WTP", (None, None, None, "WTP"), KURT, "Evaluasi Laporan Keuangan", "WA"),
    ("S6", S6, "IK6.4", "Nilai Keterbukaan Informasi Publik", "%", PCT, 1.00, (0.60, 0.80, 0.90, 1.00), SEMUA, "Informasi yang ditampilkan di PPID", "WA"),
    (
        "S7",
        S7,
        "IK7.1",
        "Persentase KPU Kabupaten Tanjung Jabung Timur memutakhirkan data pemilih tepat waktu",
        "%",
        PCT,
        1.00,
        (0.25, 0.50, 0.75, 1.00),
        RENDATIN,
        "Rekapitulasi dan Penetapan Daftar Pemilih",
        "DH",
    ),
    ("S8", S8, "IK8.1", "Pelaksanaan pembangunan zona integritas", "%", PCT, 0.90, (0.30, 0.60, 0.85, 1.00), SEMUA, "Pembangunan zona integritas", "WA"),
]

# Quarterly targets follow Posisi Akhir: the running target, ending at the annual target.
QUARTER_SHARE = (0.25, 0.50, 0.75, 1.00)

PROGRAMS = [
    ("WA", "Program Dukungan Manajemen", 2_028_429_000),
    ("DH", "Program Penyelenggaraan Pemilu dalam Proses Konsolidasi Demokrasi", 17_623_459_000),
]
# Illustrative split of the seed's total realisation Rp 18.911.211.426 (BAB III C).
BUDGET_REALISASI = {
    "WA": (455_120_300, 498_230_150, 470_960_000, 538_000_000),  # 1.962.310.450
    "DH": (2_904_100_000, 4_120_550_000, 5_010_250_976, 4_914_000_000),  # 16.948.900.976
}

# The analysis the seed's BAB III writes, for three indicators (the others stay empty: the report then
# shows a placeholder naming the division that should write it).
ANALISIS = {
    "IK1.1": ("Semua tahapan Pemilu terlaksana dengan baik tanpa gugatan atau sengketa.", "", ""),
    "IK6.1": (
        "Seluruh 50 responden survei kepuasan menjawab baik dan puas terhadap pelayanan.",
        "Indeks kepuasan terhadap pelayanan berada di angka 75, masih di bawah target 78.",
        "Terus meningkatkan kualitas pelayanan agar lebih baik pada tahun-tahun berikutnya.",
    ),
    "IK8.1": ("Penandatanganan bersama pakta integritas oleh seluruh komisioner dan ASN (Mei 2022), diulang pada 2023 karena penggantian Sekretaris dan Komisioner.", "", ""),
}

RA_FILES = {
    HUKUM: "ra-hukum-dan-pengawasan.xlsx",
    TEKNIS: "ra-teknis-penyelenggara-pemilu.xlsx",
    SOSDIK: "ra-sosdiklih-parmas-humas.xlsx",
    RENDATIN: "ra-perencanaan-data-informasi.xlsx",
    KURT: "ra-keuangan-umum-logistik.xlsx",
    SEMUA: "ra-semua-divisi.xlsx",
}


def _headers(ws) -> dict[str, int]:
    return {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}


def _fill_identity(ws, values: dict[str, object]) -> None:
    rows = {str(ws.cell(r, 1).value).strip(): r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    for label, value in values.items():
        cell = ws.cell(rows[label], 2)
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"


def _put(ws, row: int, col: int, value: object) -> None:
    cell = ws.cell(row, col)
    cell.value = value
    if isinstance(value, float) and value <= 1.0:
        cell.number_format = "0%" if round(value * 100, 6).is_integer() else "0.0%"


def build_pk(path: Path) -> None:
    wb = load_workbook(TEMPLATES / "perjanjian-kinerja.xlsx")
    _fill_identity(
        wb["Identitas"],
        {
            "Satuan Kerja": SATKER,
            "Tahun": TAHUN,
            "Jenis Dokumen": "PK Perubahan",
            "Tempat": "Muara Sabak",
            "Tanggal": dt.date(2023, 9, 20),
            "Nama Penandatangan": "Hodijatul Qubro",
            "Jabatan Penandatangan": "Ketua KPU Kabupaten Tanjung Jabung Timur",
        },
    )
    ws = wb["Perjanjian Kinerja"]
    h = _headers(ws)
    for i, (ks, s, kode, nama, satuan, jenis, target, _q, pelaksana, _keg, prog) in enumerate(INDICATORS, 2):
        values = {
            "No": i - 1,
            "Kode Sasaran": ks,
            "Sasaran Strategis": s,
            "Kode Indikator": kode,
            "Indikator Kinerja": nama,
            "Satuan": satuan,
            "Jenis Nilai": jenis,
            "Polaritas": "Positif",
            "Cara Menghitung Realisasi": "Posisi Akhir",
            "Target": target,
            "Pelaksana": pelaksana,
            "Kode Program": prog,
        }
        for header, value in values.items():
            _put(ws, i, h[header], value)
    _put_programs(wb["Anggaran"])
    wb.save(path)


def _put_programs(ws) -> dict[str, int]:
    """The PROGRAMS rows (kode, program, pagu) from row 2; returns the sheet's header columns."""
    h = _headers(ws)
    for i, (kode, nama, pagu) in enumerate(PROGRAMS, 2):
        _put(ws, i, h["Kode Program"], kode)
        _put(ws, i, h["Program"], nama)
        _put(ws, i, h["Pagu (Rp)"], pagu)
    return h


def _quarter_targets(jenis: str, target: object) -> tuple:
    if jenis in ("Predikat SAKIP", "Opini BPK", "Indeks"):
        return (None, None, None, target)
    return tuple(round(target * share, 4) for share in QUARTER_SHARE)


def build_ra(path: Path, divisi: str) -> None:
    wb = load_workbook(TEMPLATES / "rencana-aksi.xlsx")
    _fill_identity(
        wb["Identitas"], {"Satuan Kerja": SATKER, "Tahun": TAHUN, "Divisi": divisi, "Penanggung Jawab": f"Ketua {divisi}" if divisi != SEMUA else "Sekretaris KPU Kabupaten Tanjung Jabung Timur"}
    )
    ws = wb["Rencana Aksi"]
    h = _headers(ws)
    row = 2
    for _ks, _s, kode, nama, _sat, jenis, target, realisasi, pelaksana, kegiatan, _p in INDICATORS:
        if pelaksana != divisi:
            continue
        values = {"Kode Indikator": kode, "Indikator Kinerja": nama, "Kegiatan": kegiatan, "Target Tahunan": target, "Pelaksana": pelaksana, "Bukti Dukung": f"Laporan {kegiatan} {TAHUN}"}
        for header, value in values.items():
            _put(ws, row, h[header], value)
        for header, text in zip(("Faktor Pendukung", "Faktor Penghambat", "Upaya Tindak Lanjut"), ANALISIS.get(kode, ())):
            if text:
                _put(ws, row, h[header], text)
        for tw, t, r in zip(QUARTERS, _quarter_targets(jenis, target), realisasi):
            if t is not None:
                _put(ws, row, h[f"Target {tw}"], t)
            if r is not None:
                _put(ws, row, h[f"Realisasi {tw}"], r)
        row += 1
    if divisi == KURT:
        ws = wb["Realisasi Anggaran"]
        h = _put_programs(ws)
        for i, (kode, _nama, _pagu) in enumerate(PROGRAMS, 2):
            for tw, amount in zip(QUARTERS, BUDGET_REALISASI[kode]):
                _put(ws, i, h[f"Realisasi {tw} (Rp)"], amount)
    wb.save(path)


# --- Renstra 2020-2024 -----------------------------------------------------------------------------

PERIODE = (2020, 2024)
# The seed's BAB III C: pagu and realisasi of the years before 2023 (real figures).
RIWAYAT_ANGGARAN = [(2020, 29_175_062_000, 23_748_447_046), (2021, 4_719_276_000, 4_544_787_159), (2022, 3_761_359_000, 3_400_502_284)]
# Earlier realisasi the seed states: SAKIP grade of the 2022 report BB, "sebelumnya hanya mendapat nilai C";
# BPK opinion WTP in 2022 and 2021 ("mempertahankan opini WTP yang diraih pada tahun 2020"); zona integritas
# "pada tahun 2022 telah tercapai 100%, sama seperti pada tahun sebelumnya" (2021), begun in 2021.
RENSTRA_STATED = {"IK6.2": {2021: "C", 2022: "BB"}, "IK6.3": {2020: "WTP", 2021: "WTP", 2022: "WTP"}, "IK8.1": {2021: 1.00, 2022: 1.00}}
# Illustrative: kondisi awal, yearly targets other than 2023, end targets, other earlier realisasi.
RENSTRA_ILLUSTRATIVE = {
    # kode: (kondisi awal, {year: target} for years other than 2023, target akhir, {year: realisasi})
    "IK1.1": (0.85, {2020: 0.85, 2021: 0.85, 2022: 0.90, 2024: 0.95}, 1.00, {2020: 0.80, 2021: 0.90, 2022: 1.00}),
    "IK1.2": (0.85, {2020: 0.85, 2021: 0.85, 2022: 0.90, 2024: 0.95}, 1.00, {2020: 1.00, 2021: 1.00, 2022: 1.00}),
    "IK2.1": (1.00, {2020: 1.00, 2021: 1.00, 2022: 1.00, 2024: 1.00}, 1.00, {2020: 1.00}),
    "IK3.1": (1.00, {2020: 1.00, 2024: 1.00}, 1.00, {2020: 1.00}),
    "IK3.2": (1.00, {2020: 1.00, 2024: 1.00}, 1.00, {2020: 1.00}),
    "IK4.1": (0.90, {2020: 1.00, 2021: 1.00, 2022: 1.00, 2024: 1.00}, 1.00, {2020: 1.00, 2021: 0.90, 2022: 1.00}),
    "IK5.1": (1.00, {2020: 1.00, 2022: 1.00, 2024: 1.00}, 1.00, {2020: 1.00, 2022: 1.00}),
    "IK6.1": (68, {2020: 70, 2021: 72, 2022: 75, 2024: 80}, 80, {2020: 70, 2021: 72, 2022: 74}),
    "IK6.2": ("C", {2020: "CC", 2021: "B", 2022: "B", 2024: "BB"}, "BB", {2020: "C"}),
    "IK6.3": ("WTP", {2020: "WTP", 2021: "WTP", 2022: "WTP", 2024: "WTP"}, "WTP", {}),
    "IK6.4": (0.80, {2020: 0.85, 2021: 0.90, 2022: 1.00, 2024: 1.00}, 1.00, {2020: 0.85, 2021: 0.90, 2022: 1.00}),
    "IK7.1": (1.00, {2020: 1.00, 2021: 1.00, 2022: 1.00, 2024: 1.00}, 1.00, {2020: 1.00, 2021: 1.00, 2022: 1.00}),
    "IK8.1": (0.00, {2021: 0.80, 2022: 0.90, 2024: 1.00}, 1.00, {}),
}


def build_renstra(path: Path) -> None:
    """The Renstra template for 2020-2024 (made as a user makes it: kpu-xl template renstra --periode), filled."""
    from kpu_xl.api import template

    template("RENSTRA", path, periode=f"{PERIODE[0]}-{PERIODE[1]}", overwrite=True)  # the builder rebuilds its own samples
    wb = load_workbook(path)
    _fill_identity(
        wb["Identitas"],
        {
            "Satuan Kerja": SATKER,
            "Periode": f"{PERIODE[0]}-{PERIODE[1]}",
            "Dasar Penetapan": "Renstra KPU Kabupaten Tanjung Jabung Timur 2020-2024 (mengacu Renstra KPU, Keputusan KPU 197/PR.01.3-Kpt/01/KPU/IV/2020)",
        },
    )
    ws, hist = wb["Target Jangka Menengah"], wb["Riwayat Realisasi"]
    h, hh = _headers(ws), _headers(hist)
    for i, (ks, s, kode, nama, satuan, jenis, target, _q, _p, _k, _prog) in enumerate(INDICATORS, 2):
        awal, targets, akhir, realisasi = RENSTRA_ILLUSTRATIVE[kode]
        values = {
            "Kode Sasaran": ks,
            "Sasaran Strategis": s,
            "Kode Indikator": kode,
            "Indikator Kinerja": nama,
            "Satuan": satuan,
            "Jenis Nilai": jenis,
            "Polaritas": "Positif",
            "Kondisi Awal": awal,
            **{f"Target {y}": v for y, v in {**targets, TAHUN: target}.items()},
            "Target Akhir Periode": akhir,
        }
        for header, value in values.items():
            _put(ws, i, h[header], value)
        _put(hist, i, hh["Kode Indikator"], kode)
        _put(hist, i, hh["Indikator Kinerja"], nama)
        for y, v in {**realisasi, **RENSTRA_STATED.get(kode, {})}.items():
            _put(hist, i, hh[f"Realisasi {y}"], v)
    ws = wb["Riwayat Anggaran"]
    h = _headers(ws)
    for i, (tahun, pagu, realisasi) in enumerate(RIWAYAT_ANGGARAN, 2):
        _put(ws, i, h["Tahun"], tahun)
        _put(ws, i, h["Pagu (Rp)"], pagu)
        _put(ws, i, h["Realisasi (Rp)"], realisasi)
    wb.save(path)


# --- a fictional satker that uses every rule (samples/fiktif-2024) ------------------------------------

FIKTIF = ROOT / "samples" / "fiktif-2024"
FIKTIF_SATKER = "KPU Kabupaten Contoh (FIKTIF, bukan data nyata)"
# (kode sasaran, sasaran, kode, indikator, satuan, jenis, polaritas, cara, target, TW targets, TW realisasi, pelaksana)
FIKTIF_INDICATORS = [
    ("S1", "Sasaran fiktif satu", "F1.1", "Persentase kegiatan fiktif terlaksana (Kumulatif)", "%", PCT, "Positif", "Kumulatif", 1.00, (0.25, 0.25, 0.25, 0.25), (0.20, 0.30, 0.25, 0.15), HUKUM),
    (
        "S1",
        "Sasaran fiktif satu",
        "F1.2",
        "Jumlah pengaduan fiktif tidak ditindaklanjuti (Negatif)",
        "Kasus",
        "Angka",
        "Negatif",
        "Posisi Akhir",
        10,
        (None, None, None, 10),
        (None, None, None, 12),
        HUKUM,
    ),
    ("S2", "Sasaran fiktif dua", "F2.1", "Persentase kepuasan fiktif per triwulan (Rata-rata)", "%", PCT, "Positif", "Rata-rata", 0.80, (0.80, 0.80, 0.80, 0.80), (0.70, 0.80, 0.90, 0.60), SEMUA),
    ("S2", "Sasaran fiktif dua", "F2.2", "Jumlah temuan fiktif berulang (Negatif, target 0)", "Temuan", "Angka", "Negatif", "Posisi Akhir", 0, (None, None, None, 0), (None, None, None, 0), SEMUA),
    ("S3", "Sasaran fiktif tiga", "F3.1", "Nilai Akuntabilitas Kinerja fiktif", "Predikat", "Predikat SAKIP", "Positif", "Posisi Akhir", "A", (None, None, None, "A"), (None, None, None, "BB"), SEMUA),
    ("S3", "Sasaran fiktif tiga", "F3.2", "Opini BPK fiktif", "Opini", "Opini BPK", "Positif", "Posisi Akhir", "WTP", (None, None, None, "WTP"), (None, None, None, "WDP"), SEMUA),
]
FIKTIF_PROGRAM = ("FX", "Program fiktif", 1_000_000_000, (200_000_000, 250_000_000, 200_000_000, 200_000_000))  # 850.000.000


def build_fiktif(out: Path = FIKTIF) -> list[Path]:
    """A fictional satker (clearly marked as such) whose indicators use every rule: Kumulatif,
    Rata-rata, negative polarity (one with target 0), grades below target, a division below target."""
    out.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(TEMPLATES / "perjanjian-kinerja.xlsx")
    _fill_identity(
        wb["Identitas"],
        {
            "Satuan Kerja": FIKTIF_SATKER,
            "Tahun": 2024,
            "Jenis Dokumen": "PK Awal",
            "Tempat": "Kota Fiktif",
            "Tanggal": dt.date(2024, 1, 15),
            "Nama Penandatangan": "Nama Fiktif",
            "Jabatan Penandatangan": "Ketua (fiktif)",
        },
    )
    ws, h = wb["Perjanjian Kinerja"], _headers(wb["Perjanjian Kinerja"])
    for i, (ks, s, kode, nama, satuan, jenis, polaritas, cara, target, _t, _r, pelaksana) in enumerate(FIKTIF_INDICATORS, 2):
        values = {
            "No": i - 1,
            "Kode Sasaran": ks,
            "Sasaran Strategis": s,
            "Kode Indikator": kode,
            "Indikator Kinerja": nama,
            "Satuan": satuan,
            "Jenis Nilai": jenis,
            "Polaritas": polaritas,
            "Cara Menghitung Realisasi": cara,
            "Target": target,
            "Pelaksana": pelaksana,
            "Kode Program": FIKTIF_PROGRAM[0],
        }
        for header, value in values.items():
            _put(ws, i, h[header], value)
    ws, h = wb["Anggaran"], _headers(wb["Anggaran"])
    for header, value in (("Kode Program", FIKTIF_PROGRAM[0]), ("Program", FIKTIF_PROGRAM[1]), ("Pagu (Rp)", FIKTIF_PROGRAM[2])):
        _put(ws, 2, h[header], value)
    written = [out / "pk-2024.xlsx"]
    wb.save(written[0])
    for divisi, name in ((HUKUM, "ra-hukum.xlsx"), (SEMUA, "ra-semua-divisi.xlsx")):
        wb = load_workbook(TEMPLATES / "rencana-aksi.xlsx")
        _fill_identity(wb["Identitas"], {"Satuan Kerja": FIKTIF_SATKER, "Tahun": 2024, "Divisi": divisi})
        ws, h = wb["Rencana Aksi"], _headers(wb["Rencana Aksi"])
        row = 2
        for _ks, _s, kode, nama, _sat, _j, _p, _c, target, targets, realisasi, pelaksana in FIKTIF_INDICATORS:
            if pelaksana != divisi:
                continue
            for header, value in (("Kode Indikator", kode), ("Indikator Kinerja", nama), ("Kegiatan", f"Kegiatan {kode}"), ("Target Tahunan", target), ("Pelaksana", pelaksana)):
                _put(ws, row, h[header], value)
            for tw, tq, rq in zip(QUARTERS, targets, realisasi):
                if tq is not None:
                    _put(ws, row, h[f"Target {tw}"], tq)
                if rq is not None:
                    _put(ws, row, h[f"Realisasi {tw}"], rq)
            row += 1
        if divisi == SEMUA:
            ws, h = wb["Realisasi Anggaran"], _headers(wb["Realisasi Anggaran"])
            for header, value in (("Kode Program", FIKTIF_PROGRAM[0]), ("Program", FIKTIF_PROGRAM[1]), ("Pagu (Rp)", FIKTIF_PROGRAM[2])):
                _put(ws, 2, h[header], value)
            for tw, amount in zip(QUARTERS, FIKTIF_PROGRAM[3]):
                _put(ws, 2, h[f"Realisasi {tw} (Rp)"], amount)
        wb.save(out / name)
        written.append(out / name)
    return written


def build(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "pk-2023-perubahan.xlsx"]
    build_pk(written[0])
    for divisi, name in RA_FILES.items():
        build_ra(out / name, divisi)
        written.append(out / name)
    renstra = out / f"renstra-{PERIODE[0]}-{PERIODE[1]}.xlsx"
    build_renstra(renstra)
    written.append(renstra)
    return written


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    for p in build(folder or OUT) + build_fiktif(folder.parent / "fiktif-2024" if folder else FIKTIF):
        print(p)
