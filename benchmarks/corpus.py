"""A national corpus for benchmarks: 553 satker x (1 PK + 5 RA), filled on the real templates.

Layout (outside the repository; default /tmp/kpu-xl-corpus):

    ROOT/manifest.json          what was built: satker, files, the findings each file must give
    ROOT/skeletons/shape-NN/    one PK and 5 RA per shape, filled with openpyxl from templates/
    ROOT/satker/NN-provinsi/<satker>/pk-2024.xlsx, ra-*.xlsx     the corpus itself

Building 3,318 workbooks with openpyxl would take many minutes, so only the
skeletons are built with openpyxl (a "shape" is a fixed indicator set: 13 to
30 indicators, each with its Jenis Nilai, Cara Menghitung and division), and
every satker's workbooks are derived from its shape's skeleton by rewriting
the cells inside the sheet XML (zipfile, keeping each cell's style and so its
number format), on 2 processes. Half the satker are then converted to a
shared-string table, as Excel and LibreOffice save; the other half keep
openpyxl's inline strings. Every satker has its own texts (its region's name
in indicator texts, signatories, places), targets, quarterly realisasi and
budget figures.

A few percent of the files get one typical mistake (a target typed "T8%", an
RA target that differs from the PK, an unknown indicator code, a budget over
its pagu, ...). manifest.json lists, per file, the finding codes kpu-xl must
report; a clean file must report nothing.

Run: python benchmarks/corpus.py [--root DIR] [--satker N] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import random
import re
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
DEFAULT_ROOT = Path("/tmp/kpu-xl-corpus")
BUILDER_VERSION = 5  # bump when the corpus content changes
SATKER_COUNT = 553  # KPU RI + 38 KPU Provinsi + 514 KPU Kabupaten/Kota
TAHUN = 2024
SHAPES = list(range(13, 31))  # indicators per PK: one shape per count
ERROR_RATE = 0.03  # share of files that get one mistake

sys.path.insert(0, str(ROOT))
from kpu_xl.core import contract as C  # noqa: E402

HUKUM, TEKNIS, SOSDIK, RENDATIN, KURT = C.DIVISI[:5]
RA_FILES = {
    HUKUM: "ra-hukum-dan-pengawasan.xlsx",
    TEKNIS: "ra-teknis-penyelenggara-pemilu.xlsx",
    SOSDIK: "ra-sosdiklih-parmas-sdm.xlsx",
    RENDATIN: "ra-perencanaan-data-informasi.xlsx",
    KURT: "ra-keuangan-umum-logistik.xlsx",
}
PK_FILE = f"pk-{TAHUN}.xlsx"
FILE_KEYS = ["pk", *RA_FILES.values()]

PCT, ANGKA, INDEKS, PREDIKAT, OPINI = C.JENIS_PERSEN, C.JENIS_ANGKA, C.JENIS_INDEKS, C.JENIS_PREDIKAT, C.JENIS_OPINI
POS, NEG = C.POLARITAS
KUM, AKHIR, RATA = C.CARA_KUMULATIF, C.CARA_POSISI_AKHIR, C.CARA_RATA_RATA

# --- the catalogue: sasaran and indicators of a KPU Renstra -----------------------------

SASARAN = {
    "S1": "Terwujudnya Pemilu dan Pemilihan yang aman, damai dan berintegritas di {wilayah}",
    "S2": "Meningkatnya kualitas penyelesaian sengketa dan pelanggaran hukum Pemilu",
    "S3": "Meningkatnya partisipasi pemilih dan kualitas pendidikan pemilih",
    "S4": "Terwujudnya data pemilih yang akurat dan mutakhir secara berkelanjutan",
    "S5": "Terbentuknya badan penyelenggara ad hoc yang profesional dan berintegritas",
    "S6": "Meningkatnya kualitas perencanaan, data dan informasi kepemiluan",
    "S7": "Terwujudnya tata kelola organisasi dan keuangan yang akuntabel",
    "S8": "Meningkatnya integritas dan keterbukaan penyelenggara Pemilu",
}

# (sasaran, indikator, satuan, jenis, polaritas, cara, divisi, kegiatan, program)
CATALOGUE = [
    ("S1", "Persentase tahapan Pemilu yang dilaksanakan sesuai jadwal di {wilayah}", "%", PCT, POS, AKHIR, TEKNIS, "Pelaksanaan tahapan pemungutan dan penghitungan suara", "DH"),
    ("S1", "Persentase TPS yang melaksanakan pemungutan suara tanpa pemungutan suara ulang", "%", PCT, POS, AKHIR, TEKNIS, "Bimbingan teknis pemungutan dan penghitungan suara KPPS", "DH"),
    ("S1", "Persentase rekapitulasi hasil penghitungan suara yang selesai tepat waktu", "%", PCT, POS, AKHIR, TEKNIS, "Rekapitulasi hasil penghitungan perolehan suara", "DH"),
    ("S1", "Persentase logistik Pemilu yang terdistribusi tepat jumlah, tepat jenis dan tepat waktu", "%", PCT, POS, AKHIR, KURT, "Pengadaan dan distribusi logistik Pemilu", "DH"),
    ("S2", "Persentase sengketa proses Pemilu yang dimenangkan KPU {wilayah}", "%", PCT, POS, AKHIR, HUKUM, "Penanganan sengketa proses Pemilu", "DH"),
    ("S2", "Persentase produk hukum yang ditetapkan tepat waktu", "%", PCT, POS, AKHIR, HUKUM, "Penyusunan keputusan dan produk hukum", "DH"),
    ("S2", "Persentase pengaduan masyarakat yang ditindaklanjuti", "%", PCT, POS, AKHIR, HUKUM, "Pengelolaan pengaduan masyarakat", "DH"),
    ("S2", "Persentase penyelenggara yang dinyatakan melanggar kode etik oleh DKPP", "%", PCT, NEG, AKHIR, HUKUM, "Pembinaan etika penyelenggara Pemilu", "DH"),
    ("S3", "Tingkat partisipasi pemilih pada Pemilu di {wilayah}", "%", PCT, POS, AKHIR, SOSDIK, "Sosialisasi dan pendidikan pemilih", "DH"),
    ("S3", "Jumlah kegiatan sosialisasi dan pendidikan pemilih berbasis komunitas", "Kegiatan", ANGKA, POS, KUM, SOSDIK, "Pendidikan pemilih berbasis keluarga dan komunitas", "DH"),
    ("S3", "Persentase segmen pemilih strategis yang mendapat pendidikan pemilih", "%", PCT, POS, AKHIR, SOSDIK, "Pendidikan pemilih pemula dan disabilitas", "DH"),
    ("S3", "Jumlah relawan demokrasi yang dibentuk dan dibina", "Orang", ANGKA, POS, KUM, SOSDIK, "Pembentukan relawan demokrasi", "DH"),
    ("S3", "Persentase informasi publik kepemiluan yang dipublikasikan tepat waktu", "%", PCT, POS, AKHIR, SOSDIK, "Publikasi dan hubungan masyarakat", "WA"),
    ("S4", "Persentase pemutakhiran data pemilih berkelanjutan yang dilaksanakan tepat waktu di {wilayah}", "%", PCT, POS, AKHIR, RENDATIN, "Pemutakhiran Data Pemilih Berkelanjutan", "DH"),
    ("S4", "Persentase akurasi Daftar Pemilih Tetap berdasarkan uji petik", "%", PCT, POS, AKHIR, RENDATIN, "Coklit dan uji petik daftar pemilih", "DH"),
    ("S4", "Jumlah rekapitulasi Daftar Pemilih Berkelanjutan yang ditetapkan", "Dokumen", ANGKA, POS, KUM, RENDATIN, "Rapat pleno rekapitulasi DPB", "DH"),
    ("S5", "Persentase PPK, PPS dan KPPS yang terbentuk tepat waktu", "%", PCT, POS, AKHIR, SOSDIK, "Rekrutmen badan ad hoc", "DH"),
    ("S5", "Rata-rata persentase kehadiran anggota badan ad hoc dalam bimbingan teknis", "%", PCT, POS, RATA, TEKNIS, "Bimbingan teknis badan ad hoc", "DH"),
    ("S6", "Persentase dokumen perencanaan dan penganggaran yang disusun tepat waktu", "%", PCT, POS, AKHIR, RENDATIN, "Penyusunan RKA-K/L dan dokumen perencanaan", "WA"),
    ("S6", "Indeks Kepuasan Pengguna Layanan Data dan Informasi", "Indeks", INDEKS, POS, AKHIR, RENDATIN, "Survei kepuasan layanan data dan informasi", "WA"),
    ("S6", "Nilai Akuntabilitas Kinerja Instansi Pemerintah", "Predikat", PREDIKAT, POS, AKHIR, RENDATIN, "Penyusunan LKjIP dan evaluasi SAKIP", "WA"),
    ("S7", "Opini BPK atas Laporan Keuangan", "Opini", OPINI, POS, AKHIR, KURT, "Penyusunan laporan keuangan", "WA"),
    ("S7", "Indeks Reformasi Birokrasi", "Indeks", INDEKS, POS, AKHIR, KURT, "Pelaksanaan rencana aksi reformasi birokrasi", "WA"),
    ("S7", "Persentase realisasi anggaran terhadap pagu", "%", PCT, POS, KUM, KURT, "Pelaksanaan dan monitoring anggaran", "WA"),
    ("S7", "Persentase Barang Milik Negara yang tercatat dan terpelihara", "%", PCT, POS, AKHIR, KURT, "Penatausahaan Barang Milik Negara", "WA"),
    ("S7", "Indeks Profesionalitas ASN", "Indeks", INDEKS, POS, AKHIR, KURT, "Pengembangan kompetensi pegawai", "WA"),
    ("S7", "Persentase pegawai yang memenuhi standar kompetensi jabatan", "%", PCT, POS, AKHIR, KURT, "Pendidikan dan pelatihan pegawai", "WA"),
    ("S7", "Persentase layanan perkantoran yang terpenuhi", "%", PCT, POS, RATA, KURT, "Layanan perkantoran dan rumah tangga", "WA"),
    ("S8", "Persentase rekomendasi hasil pengawasan yang ditindaklanjuti", "%", PCT, POS, AKHIR, HUKUM, "Tindak lanjut hasil pemeriksaan", "WA"),
    ("S8", "Persentase dokumen JDIH yang dimutakhirkan", "%", PCT, POS, AKHIR, HUKUM, "Pengelolaan JDIH", "WA"),
    ("S8", "Indeks Keterbukaan Informasi Publik KPU {wilayah}", "Indeks", INDEKS, POS, AKHIR, SOSDIK, "Pengelolaan PPID", "WA"),
]

PROGRAMS = [
    ("WA", "Program Dukungan Manajemen"),
    ("DH", "Program Penyelenggaraan Pemilu dalam Proses Konsolidasi Demokrasi"),
]

# --- where the satker are ------------------------------------------------------------

PROVINSI = [
    ("Aceh", "Banda Aceh"),
    ("Sumatera Utara", "Medan"),
    ("Sumatera Barat", "Padang"),
    ("Riau", "Pekanbaru"),
    ("Jambi", "Jambi"),
    ("Sumatera Selatan", "Palembang"),
    ("Bengkulu", "Bengkulu"),
    ("Lampung", "Bandar Lampung"),
    ("Kepulauan Bangka Belitung", "Pangkalpinang"),
    ("Kepulauan Riau", "Tanjungpinang"),
    ("DKI Jakarta", "Jakarta"),
    ("Jawa Barat", "Bandung"),
    ("Jawa Tengah", "Semarang"),
    ("DI Yogyakarta", "Yogyakarta"),
    ("Jawa Timur", "Surabaya"),
    ("Banten", "Serang"),
    ("Bali", "Denpasar"),
    ("Nusa Tenggara Barat", "Mataram"),
    ("Nusa Tenggara Timur", "Kupang"),
    ("Kalimantan Barat", "Pontianak"),
    ("Kalimantan Tengah", "Palangka Raya"),
    ("Kalimantan Selatan", "Banjarbaru"),
    ("Kalimantan Timur", "Samarinda"),
    ("Kalimantan Utara", "Tanjung Selor"),
    ("Sulawesi Utara", "Manado"),
    ("Sulawesi Tengah", "Palu"),
    ("Sulawesi Selatan", "Makassar"),
    ("Sulawesi Tenggara", "Kendari"),
    ("Gorontalo", "Gorontalo"),
    ("Sulawesi Barat", "Mamuju"),
    ("Maluku", "Ambon"),
    ("Maluku Utara", "Sofifi"),
    ("Papua", "Jayapura"),
    ("Papua Barat", "Manokwari"),
    ("Papua Selatan", "Merauke"),
    ("Papua Tengah", "Nabire"),
    ("Papua Pegunungan", "Wamena"),
    ("Papua Barat Daya", "Sorong"),
]

# Names of kabupaten and kota; with the compass suffixes below they give 514 distinct names.
KABKOTA = """Aceh Besar;Aceh Tengah;Pidie;Bireuen;Deli Serdang;Karo;Simalungun;Asahan;Langkat;Tapanuli Utara;Nias;
Agam;Tanah Datar;Pasaman;Solok;Pesisir Selatan;Kampar;Bengkalis;Indragiri Hilir;Siak;Rokan Hulu;Kerinci;Merangin;
Sarolangun;Batanghari;Muaro Jambi;Tanjung Jabung Timur;Tanjung Jabung Barat;Tebo;Bungo;Ogan Komering Ulu;Muara Enim;
Lahat;Musi Rawas;Banyuasin;Rejang Lebong;Kaur;Seluma;Lampung Tengah;Tanggamus;Way Kanan;Pringsewu;Bangka;Belitung;
Karimun;Bintan;Natuna;Lingga;Kepulauan Seribu;Bogor;Sukabumi;Cianjur;Garut;Tasikmalaya;Ciamis;Kuningan;Cirebon;
Majalengka;Sumedang;Indramayu;Subang;Purwakarta;Karawang;Bekasi;Bandung;Cilacap;Banyumas;Purbalingga;Banjarnegara;
Kebumen;Purworejo;Wonosobo;Magelang;Boyolali;Klaten;Sukoharjo;Wonogiri;Karanganyar;Sragen;Grobogan;Blora;Rembang;
Pati;Kudus;Jepara;Demak;Semarang;Temanggung;Kendal;Batang;Pekalongan;Pemalang;Tegal;Brebes;Sleman;Bantul;
Gunungkidul;Kulon Progo;Pacitan;Ponorogo;Trenggalek;Tulungagung;Blitar;Kediri;Malang;Lumajang;Jember;Banyuwangi;
Bondowoso;Situbondo;Probolinggo;Pasuruan;Sidoarjo;Mojokerto;Jombang;Nganjuk;Madiun;Magetan;Ngawi;Bojonegoro;Tuban;
Lamongan;Gresik;Bangkalan;Sampang;Pamekasan;Sumenep;Pandeglang;Lebak;Tangerang;Jembrana;Tabanan;Badung;Gianyar;
Klungkung;Bangli;Karangasem;Buleleng;Lombok Barat;Lombok Tengah;Lombok Timur;Sumbawa;Dompu;Bima;Sumba Timur;
Timor Tengah Selatan;Belu;Alor;Flores Timur;Sikka;Ende;Ngada;Manggarai;Sambas;Mempawah;Sanggau;Ketapang;Sintang;
Kapuas Hulu;Kotawaringin Barat;Kotawaringin Timur;Kapuas;Barito Selatan;Tanah Laut;Kotabaru;Banjar;Tapin;
Hulu Sungai Selatan;Tabalong;Paser;Kutai Kartanegara;Berau;Bulungan;Nunukan;Bolaang Mongondow;Minahasa;
Kepulauan Sangihe;Banggai;Poso;Donggala;Tolitoli;Kepulauan Selayar;Bulukumba;Bantaeng;Jeneponto;Takalar;Gowa;
Sinjai;Maros;Pangkajene dan Kepulauan;Barru;Bone;Soppeng;Wajo;Sidenreng Rappang;Pinrang;Enrekang;Luwu;Tana Toraja;
Buton;Muna;Konawe;Kolaka;Boalemo;Pohuwato;Majene;Polewali Mandar;Mamasa;Maluku Tengah;Maluku Tenggara;Buru;
Halmahera Tengah;Halmahera Barat;Jayawijaya;Biak Numfor;Mimika;Merauke;Nabire;Manokwari;Fakfak;Sorong;Raja Ampat""".replace("\n", "")
SUFFIXES = ("", " Utara", " Selatan", " Timur", " Barat")

FIRST = [
    "Ahmad",
    "Siti",
    "Muhammad",
    "Dewi",
    "Budi",
    "Rina",
    "Agus",
    "Nur",
    "Hendra",
    "Yuliana",
    "Rahmat",
    "Sri",
    "Dedi",
    "Fitri",
    "Hasan",
    "Indah",
    "Joko",
    "Kartika",
    "Lukman",
    "Maria",
    "Nyoman",
    "Putu",
    "Ratna",
    "Syamsul",
    "Teguh",
    "Wahyuni",
    "Yohanes",
    "Zainal",
    "Ilham",
    "Hodijatul",
]
LAST = [
    "Saputra",
    "Wijaya",
    "Rahmawati",
    "Hidayat",
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Pratama",
    "Kusuma",
    "Santoso",
    "Wulandari",
    "Setiawan",
    "Simanjuntak",
    "Sinaga",
    "Pangaribuan",
    "Tambunan",
    "Manurung",
    "Purba",
    "Ginting",
    "Daulay",
    "Hutapea",
    "Qubro",
    "Mahendra",
    "Permana",
    "Suryadi",
    "Wibowo",
    "Gunawan",
    "Lestari",
    "Manik",
]


@dataclass(frozen=True)
class Satker:
    index: int
    name: str  # "KPU Kabupaten Jambi Utara"
    wilayah: str  # "Kabupaten Jambi Utara"
    tempat: str
    folder: str  # relative to ROOT/satker
    level: str  # "ri" | "provinsi" | "kabkota"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def satker_list(count: int = SATKER_COUNT) -> list[Satker]:
    """KPU RI, the 38 KPU Provinsi, then KPU Kabupaten/Kota, each in its province's folder."""
    bases = [b.strip() for b in KABKOTA.split(";") if b.strip()]
    kabkota = []
    for suffix in SUFFIXES:
        for base in bases:
            kabkota.append(base + suffix)
    kabkota = list(dict.fromkeys(kabkota))[: SATKER_COUNT - 1 - len(PROVINSI)]
    out = [Satker(0, "KPU Republik Indonesia", "Republik Indonesia", "Jakarta", "00-kpu-ri", "ri")]
    per_prov = {}
    for i, (prov, ibukota) in enumerate(PROVINSI):
        folder = f"{i + 11:02d}-{_slug(prov)}"
        per_prov[i] = folder
        out.append(Satker(len(out), f"KPU Provinsi {prov}", f"Provinsi {prov}", ibukota, f"{folder}/kpu-provinsi-{_slug(prov)}", "provinsi"))
    for j, name in enumerate(kabkota):
        # The names are listed province by province: a name and its compass variants share one.
        prov = (j % len(bases)) * len(PROVINSI) // len(bases)
        kind = "Kota" if j % 7 == 3 else "Kabupaten"
        out.append(Satker(len(out), f"KPU {kind} {name}", f"{kind} {name}", name, f"{per_prov[prov]}/kpu-{_slug(kind)}-{_slug(name)}", "kabkota"))
    return out[:count]


# --- shapes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    kode_sasaran: str
    kode: str
    nama: str  # may hold {wilayah}
    satuan: str
    jenis: str
    polaritas: str
    cara: str
    divisi: str
    kegiatan: str
    program: str


def shape(n: int) -> list[Spec]:
    """n indicators from the catalogue (every division keeps at least one), coded per sasaran."""
    rng = random.Random(f"shape:{n}")
    chosen = set(range(len(CATALOGUE)))
    while len(chosen) > n:
        i = rng.choice(sorted(chosen))
        divisi = CATALOGUE[i][6]
        if sum(1 for j in chosen if CATALOGUE[j][6] == divisi) > 1:
            chosen.discard(i)
    specs = []
    count: dict[str, int] = {}
    for i in sorted(chosen):
        s, nama, satuan, jenis, pol, cara, divisi, kegiatan, prog = CATALOGUE[i]
        count[s] = count.get(s, 0) + 1
        specs.append(Spec(s, f"IK{s[1:]}.{count[s]}", nama, satuan, jenis, pol, cara, divisi, kegiatan, prog))
    return specs


# --- the cells of one satker's workbooks -------------------------------------------------

PCT0, PCT1, RUPIAH, DATE, GENERAL = "0%", "0.0%", "#,##0", "dd/mm/yyyy", None


@cache
def layout() -> dict:
    """Header columns and identity rows of the shipped templates (read once)."""
    from openpyxl import load_workbook

    out = {}
    for kind, path in (("PK", TEMPLATES / "perjanjian-kinerja.xlsx"), ("RA", TEMPLATES / "rencana-aksi.xlsx")):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.title == "Identitas":
                out[(kind, ws.title)] = {str(ws.cell(r, 1).value).strip(): r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
            else:
                out[(kind, ws.title)] = {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}
    return out


def _ref(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _pct(x: float) -> float:
    return round(x / 100, 6)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


@dataclass
class IndicatorValues:
    target: object
    renstra: object
    lalu: object
    target_tw: list
    realisasi_tw: list
    fmt: str | None  # number format of target/realisasi cells


def _indicator_values(spec: Spec, rng: random.Random) -> IndicatorValues:
    if spec.jenis == PREDIKAT:
        t = rng.choice(["B", "BB"])
        return IndicatorValues(t, "A", rng.choice(["B", "BB"]), [None, None, None, t], [None, None, None, rng.choice(["B", "BB", "BB", "A"])], GENERAL)
    if spec.jenis == OPINI:
        return IndicatorValues("WTP", "WTP", "WTP", [None, None, None, "WTP"], [None, None, None, rng.choice(["WTP"] * 9 + ["WDP"])], GENERAL)
    if spec.jenis == INDEKS:
        t = rng.choice([70, 72.5, 75, 78, 80, 82.5, 85])
        r = round(t + rng.uniform(-6, 6), 2)
        return IndicatorValues(t, t + 5, round(t - rng.uniform(0, 5), 2), [None, None, None, t], [None, None, None, r], GENERAL)
    if spec.jenis == ANGKA:  # counts, Kumulatif
        per = rng.randint(2, 8)
        real = [max(0, per + rng.randint(-2, 2)) for _ in range(4)]
        return IndicatorValues(4 * per, 20 * per, 4 * per - rng.randint(0, 3), [per] * 4, real, GENERAL)
    # Persen
    if spec.polaritas == NEG:
        t = rng.choice([5, 10, 15])
        real = [round(rng.uniform(0, t * 1.4), 1) for _ in range(4)]
        return IndicatorValues(_pct(t), _pct(t / 2), _pct(round(rng.uniform(0, t), 1)), [_pct(t)] * 4, [_pct(v) for v in real], PCT1)
    if spec.cara == KUM:  # share per quarter, summing to the yearly target
        t = rng.choice([90, 95, 100])
        shares = [20, 25, 25, t - 70]
        real = [max(0.0, round(s + rng.uniform(-4, 2), 1)) for s in shares]
        return IndicatorValues(_pct(t), _pct(100), _pct(round(rng.uniform(80, 99), 1)), [_pct(s) for s in shares], [_pct(v) for v in real], PCT1)
    t = rng.choice([80, 85, 90, 95, 100, 100])
    if spec.cara == RATA:
        real = [round(min(100, t + rng.uniform(-10, 5)), 1) for _ in range(4)]
        return IndicatorValues(_pct(t), _pct(100), _pct(round(rng.uniform(70, 100), 1)), [_pct(t)] * 4, [_pct(v) for v in real], PCT1)
    final = round(min(100, max(50, t + rng.uniform(-15, 8))), 1)
    real = [round(final * s, 1) for s in (rng.uniform(0.15, 0.3), rng.uniform(0.4, 0.55), rng.uniform(0.65, 0.85), 1.0)]
    return IndicatorValues(_pct(t), _pct(100), _pct(round(rng.uniform(60, 100), 1)), [_pct(round(t * s, 1)) for s in (0.25, 0.5, 0.75, 1.0)], [_pct(v) for v in real], PCT1)


Cells = dict[str, dict[str, tuple[object, str | None]]]  # sheet -> ref -> (value, number format)


def satker_cells(sat: Satker, specs: list[Spec], seed: int = 0) -> dict[str, Cells]:
    """Every filled cell of one satker's 6 workbooks: file key ("pk" or an RA file name) -> sheet -> ref."""
    rng = random.Random(f"{seed}:{sat.index}")
    lay = layout()
    files: dict[str, Cells] = {}
    scale = {"ri": 150, "provinsi": 4, "kabkota": 1}[sat.level]
    ketua = f"Ketua {sat.name}"
    awal = rng.random() < 0.6
    tanggal = dt.datetime(TAHUN, 1, rng.randint(2, 31)) if awal else dt.datetime(TAHUN, rng.randint(6, 9), rng.randint(1, 28))

    def identity(kind: str, values: dict[str, object]) -> dict:
        rows = lay[(kind, "Identitas")]
        return {_ref(rows[label], 2): (v, DATE if isinstance(v, dt.datetime) else None) for label, v in values.items()}

    pk: Cells = {
        "Identitas": identity(
            "PK",
            {
                "Satuan Kerja": sat.name,
                "Tahun": TAHUN,
                "Jenis Dokumen": "PK Awal" if awal else "PK Perubahan",
                "Tempat": sat.tempat,
                "Tanggal": tanggal,
                "Nama Penandatangan": _name(rng),
                "Jabatan Penandatangan": ketua,
            },
        ),
        "Perjanjian Kinerja": {},
        "Anggaran": {},
    }
    values = [_indicator_values(spec, rng) for spec in specs]
    h = lay[("PK", "Perjanjian Kinerja")]
    for i, (spec, v) in enumerate(zip(specs, values)):
        r = i + 2
        tfmt = PCT0 if v.fmt else None
        row = {
            C.H_NO: (i + 1, None),
            C.H_KODE_SASARAN: (spec.kode_sasaran, None),
            C.H_SASARAN: (SASARAN[spec.kode_sasaran].format(wilayah=sat.wilayah), None),
            C.H_KODE_INDIKATOR: (spec.kode, None),
            C.H_INDIKATOR: (spec.nama.format(wilayah=sat.wilayah), None),
            C.H_SATUAN: (spec.satuan, None),
            C.H_JENIS: (spec.jenis, None),
            C.H_POLARITAS: (spec.polaritas, None),
            C.H_CARA: (spec.cara, None),
            C.H_TARGET: (v.target, tfmt),
            C.H_TARGET_RENSTRA: (v.renstra, tfmt),
            C.H_REALISASI_LALU: (v.lalu, v.fmt),
            C.H_PELAKSANA: (spec.divisi, None),
            C.H_KODE_PROGRAM: (spec.program, None),
        }
        pk["Perjanjian Kinerja"].update({_ref(r, h[k]): val for k, val in row.items()})
    pagu = {"WA": rng.randrange(1_500_000, 4_000_000) * 1000 * scale, "DH": rng.randrange(5_000_000, 30_000_000) * 1000 * scale}
    h = lay[("PK", "Anggaran")]
    for i, (kode, nama) in enumerate(PROGRAMS):
        pk["Anggaran"].update({_ref(i + 2, h[C.H_KODE_PROGRAM]): (kode, None), _ref(i + 2, h[C.H_PROGRAM]): (nama, None), _ref(i + 2, h[C.H_PAGU]): (pagu[kode], RUPIAH)})
    files["pk"] = pk

    for divisi, fname in RA_FILES.items():
        ra: Cells = {
            "Identitas": identity("RA", {"Satuan Kerja": sat.name, "Tahun": TAHUN, "Divisi": divisi, "Penanggung Jawab": _name(rng)}),
            "Rencana Aksi": {},
            "Realisasi Anggaran": {},
        }
        h = lay[("RA", "Rencana Aksi")]
        r = 2
        for spec, v in zip(specs, values):
            if spec.divisi != divisi:
                continue
            row = {
                C.H_KODE_INDIKATOR: (spec.kode, None),
                C.H_INDIKATOR: (spec.nama.format(wilayah=sat.wilayah), None),
                C.H_KEGIATAN: (spec.kegiatan, None),
                C.H_TARGET_TAHUNAN: (v.target, PCT0 if v.fmt else None),
                C.H_PELAKSANA: (f"Kasubbag {divisi.removeprefix('Divisi ').split(',')[0]}", None),
                C.H_BUKTI: (f"Laporan {spec.kegiatan.lower()} {sat.wilayah} {TAHUN}", None),
            }
            for q in range(4):
                if v.target_tw[q] is not None:
                    row[C.H_TARGET_TW[q]] = (v.target_tw[q], v.fmt)
                if v.realisasi_tw[q] is not None:
                    row[C.H_REALISASI_TW[q]] = (v.realisasi_tw[q], v.fmt)
            ra["Rencana Aksi"].update({_ref(r, h[k]): val for k, val in row.items()})
            r += 1
        if divisi == KURT:
            h = lay[("RA", "Realisasi Anggaran")]
            for i, (kode, nama) in enumerate(PROGRAMS):
                spent = pagu[kode] * rng.uniform(0.85, 0.98)
                split = [0.18, 0.24, 0.27]
                quarters = [int(spent * s) for s in split]
                quarters.append(int(spent) - sum(quarters))
                row = {C.H_KODE_PROGRAM: (kode, None), C.H_PROGRAM: (nama, None), C.H_PAGU_RP: (pagu[kode], RUPIAH)}
                row.update({h2: (amount, RUPIAH) for h2, amount in zip(C.H_REALISASI_TW_RP, quarters)})
                ra["Realisasi Anggaran"].update({_ref(i + 2, h[k]): val for k, val in row.items()})
        files[fname] = ra
    return files


# --- mistakes -----------------------------------------------------------------------------


def inject(files: dict[str, Cells], specs: list[Spec], sat: Satker, seed: int = 0, rate: float = ERROR_RATE) -> list[tuple[str, str]]:
    """Give a few files one typical mistake; returns the expected (file key, finding code)s."""
    rng = random.Random(f"errors:{seed}:{sat.index}")
    lay = layout()
    expected: list[tuple[str, str]] = []
    unreadable_targets: set[str] = set()  # PK targets made unreadable: an RA cannot differ from them
    pk_h = lay[("PK", "Perjanjian Kinerja")]
    ra_h = lay[("RA", "Rencana Aksi")]
    for key in FILE_KEYS:
        if rng.random() >= rate:
            continue
        cells = files[key]
        if key == "pk":
            kind = rng.choice(["target-teks", "tempat-kosong"])
            if kind == "target-teks":
                rows = [i + 2 for i, s in enumerate(specs) if s.jenis == PCT]
                row = rng.choice(rows)
                unreadable_targets.add(specs[row - 2].kode)
                ref = _ref(row, pk_h[C.H_TARGET])
                cells["Perjanjian Kinerja"][ref] = (rng.choice(["T8%", "9O%", "1OO"]), PCT0)
                expected.append((key, "nilai-tidak-valid"))
            else:
                ref = _ref(layout()[("PK", "Identitas")]["Tempat"], 2)
                cells["Identitas"][ref] = (None, None)
                expected.append((key, "nilai-wajib-kosong"))
            continue
        divisi = next(d for d, f in RA_FILES.items() if f == key)
        mine = [s for s in specs if s.divisi == divisi]
        rows = {s.kode: r for r, s in enumerate(mine, 2)}
        choices = ["kode-tidak-dikenal"]
        persen_akhir = [s for s in mine if s.jenis == PCT and s.cara == AKHIR and s.polaritas == POS]
        if persen_akhir:
            choices += ["target-berbeda", "realisasi-teks"]
        if divisi == KURT:
            choices += ["melebihi-pagu", "pagu-berbeda"]
        kind = rng.choice(choices)
        table = cells["Rencana Aksi"]
        if kind == "kode-tidak-dikenal":
            spec = rng.choice(mine)
            # A distinct unknown code per RA: two RAs with the same one would also double its realisasi.
            table[_ref(rows[spec.kode], ra_h[C.H_KODE_INDIKATOR])] = (f"IK9.{FILE_KEYS.index(key)}", None)
            expected += [(key, "indikator-tidak-dikenal"), ("pk", "indikator-tanpa-rencana-aksi")]
        elif kind == "target-berbeda" and any(s.kode not in unreadable_targets for s in persen_akhir):
            spec = rng.choice([s for s in persen_akhir if s.kode not in unreadable_targets])
            ref = _ref(rows[spec.kode], ra_h[C.H_TARGET_TAHUNAN])
            value, fmt = table[ref]
            table[ref] = (round(value - 0.05, 6), fmt)
            expected.append((key, "target-berbeda"))
        elif kind in ("realisasi-teks", "target-berbeda"):
            spec = rng.choice(persen_akhir)
            table[_ref(rows[spec.kode], ra_h[C.H_REALISASI_TW[3]])] = (rng.choice(["9O%", "T8%", "100%%"]), PCT1)
            expected.append((key, "nilai-tidak-valid"))
        else:
            h = lay[("RA", "Realisasi Anggaran")]
            budget = cells["Realisasi Anggaran"]
            r = rng.choice([2, 3])
            pagu_ref = _ref(r, h[C.H_PAGU_RP])
            pagu, fmt = budget[pagu_ref]
            if kind == "melebihi-pagu":
                ref = _ref(r, h[C.H_REALISASI_TW_RP[3]])
                budget[ref] = (budget[ref][0] + int(pagu * 0.2), fmt)
                expected.append((key, "anggaran-melebihi-pagu"))
            else:
                budget[pagu_ref] = (pagu + 25_000_000, fmt)
                expected.append((key, "pagu-berbeda"))
    return expected


# --- writing: openpyxl for the skeletons, XML rewriting for the rest -----------------------


def write_openpyxl(path: Path, kind: str, cells: Cells) -> None:
    """Fill a shipped template as a user would, with openpyxl."""
    from openpyxl import load_workbook

    wb = load_workbook(TEMPLATES / ("perjanjian-kinerja.xlsx" if kind == "PK" else "rencana-aksi.xlsx"))
    for sheet, refs in cells.items():
        ws = wb[sheet]
        for ref, (value, fmt) in refs.items():
            cell = ws[ref]
            cell.value = value
            if fmt:
                cell.number_format = fmt
    wb.save(path)


_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(/>|>.*?</c>)', re.S)
_T_ATTR = re.compile(r'\s+t="[^"]*"')
_SHEET = re.compile(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"')
_REL = re.compile(r'<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"|<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"')


class Skeleton:
    """An openpyxl-filled workbook whose cells can be rewritten in its sheet XML."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.members = [(info, zf.read(info)) for info in zf.infolist()]
        parts = dict((i.filename, d) for i, d in self.members)
        rels = {}
        for m in _REL.finditer(parts["xl/_rels/workbook.xml.rels"].decode()):
            rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            rels[rid] = "xl/" + target.lstrip("/").removeprefix("xl/")
        self.sheet_part = {name: rels[rid] for name, rid in _SHEET.findall(parts["xl/workbook.xml"].decode())}
        # Per sheet part: the XML split around each cell, so a satker's values are spliced in.
        self.cells: dict[str, tuple[str, dict[str, tuple[int, int, str]]]] = {}
        for part in self.sheet_part.values():
            xml = parts[part].decode("utf-8")
            spans = {m.group(1): (m.start(), m.end(), _T_ATTR.sub("", m.group(2))) for m in _CELL.finditer(xml)}
            self.cells[part] = (xml, spans)

    def render(self, cells: Cells, shared_strings: bool) -> bytes:
        out_parts: dict[str, bytes] = {}
        for sheet, refs in cells.items():
            part = self.sheet_part[sheet]
            xml, spans = self.cells[part]
            edits = sorted((spans[ref], ref, value) for ref, (value, _fmt) in refs.items())
            pieces, at = [], 0
            for (start, end, attrs), ref, value in edits:
                pieces.append(xml[at:start])
                pieces.append(_cell_xml(ref, attrs, value))
                at = end
            pieces.append(xml[at:])
            out_parts[part] = "".join(pieces).encode("utf-8")
        members = [(info, out_parts.get(info.filename, data)) for info, data in self.members]
        if shared_strings:
            members = _to_shared_strings(members)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in members:
                zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        return buf.getvalue()


_EPOCH = dt.datetime(1899, 12, 30)


def _cell_xml(ref: str, attrs: str, value: object) -> str:
    if value is None:
        return f'<c r="{ref}"{attrs}/>'
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{attrs} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    if isinstance(value, dt.datetime):
        value = (value - _EPOCH).days
    return f'<c r="{ref}"{attrs} t="n"><v>{value!r}</v></c>'


_INLINE = re.compile(r' t="inlineStr"><is><t( xml:space="preserve")?>(.*?)</t></is>', re.S)


def _to_shared_strings(members: list) -> list:
    """Move every inline string into xl/sharedStrings.xml, as Excel and LibreOffice save."""
    table: dict[str, int] = {}
    total = 0

    def share(m: re.Match) -> str:
        nonlocal total
        total += 1
        key = m.group(2)
        index = table.setdefault(key, len(table))
        return f' t="s"><v>{index}</v>'

    out = []
    for info, data in members:
        if info.filename.startswith("xl/worksheets/"):
            data = _INLINE.sub(share, data.decode("utf-8")).encode("utf-8")
        elif info.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
            )
        elif info.filename == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        out.append((info, data))
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' if text != text.strip() else f"<si><t>{text}</t></si>" for text in table)
    sst = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{total}" uniqueCount="{len(table)}">{items}</sst>'
    ).encode()
    out.append((zipfile.ZipInfo("xl/sharedStrings.xml", date_time=out[0][0].date_time), sst))
    return out


# --- the build ----------------------------------------------------------------------------


def fingerprint(count: int, seed: int, rate: float) -> str:
    h = hashlib.sha256(f"{BUILDER_VERSION}:{count}:{seed}:{rate}".encode())
    h.update(Path(__file__).read_bytes())
    for t in ("perjanjian-kinerja.xlsx", "rencana-aksi.xlsx"):
        h.update((TEMPLATES / t).read_bytes())
    return h.hexdigest()[:16]


def _file_name(key: str) -> str:
    return PK_FILE if key == "pk" else key


def _build_skeleton(args: tuple[Path, int, int]) -> None:
    out, n, seed = args
    specs = shape(n)
    sat = Satker(-n, "KPU Kabupaten Contoh", "Kabupaten Contoh", "Contoh", "", "kabkota")
    out.mkdir(parents=True, exist_ok=True)
    for key, cells in satker_cells(sat, specs, seed).items():
        write_openpyxl(out / _file_name(key), "PK" if key == "pk" else "RA", cells)


_skeletons: dict[tuple[int, str], Skeleton] = {}


def _build_satker(args: tuple[Path, int, int, int, float]) -> dict:
    root, index, count, seed, rate = args
    sat = satker_list(count)[index]
    n = SHAPES[index % len(SHAPES)]
    specs = shape(n)
    files = satker_cells(sat, specs, seed)
    expected = inject(files, specs, sat, seed, rate)
    shared = index % 2 == 1
    folder = root / "satker" / sat.folder
    folder.mkdir(parents=True, exist_ok=True)
    for key, cells in files.items():
        name = _file_name(key)
        skel = _skeletons.get((n, name))
        if skel is None:
            skel = _skeletons[(n, name)] = Skeleton((root / "skeletons" / f"shape-{n:02d}" / name).read_bytes())
        (folder / name).write_bytes(skel.render(cells, shared))
    return {
        "index": index,
        "satker": sat.name,
        "folder": sat.folder,
        "indicators": n,
        "shared_strings": shared,
        "files": [_file_name(k) for k in FILE_KEYS],
        "expected": [[_file_name(k), code] for k, code in expected],
    }


def build(root: Path = DEFAULT_ROOT, count: int = SATKER_COUNT, seed: int = 0, rebuild: bool = False, processes: int = 2, quiet: bool = False, error_rate: float = ERROR_RATE) -> dict:
    """Build (or reuse) the corpus; returns the manifest."""
    manifest_path = root / "manifest.json"
    fp = fingerprint(count, seed, error_rate)
    if not rebuild and manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text())
        except ValueError:
            manifest = {}
        if manifest.get("fingerprint") == fp and all((root / "satker" / s["folder"]).is_dir() for s in manifest["satker"]):
            return manifest
    t0 = time.perf_counter()
    if root.exists():
        shutil.rmtree(root)
    (root / "satker").mkdir(parents=True)
    shapes = sorted({SHAPES[i % len(SHAPES)] for i in range(count)})
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes) as pool:
        pool.map(_build_skeleton, [(root / "skeletons" / f"shape-{n:02d}", n, seed) for n in shapes])
        t1 = time.perf_counter()
        if not quiet:
            print(f"skeletons: {len(shapes)} shapes x 6 workbooks with openpyxl in {t1 - t0:.1f} s", file=sys.stderr)
        # Chunks by shape keep each process's skeleton cache small.
        order = sorted(range(count), key=lambda i: (i % len(SHAPES), i))
        entries = pool.map(_build_satker, [(root, i, count, seed, error_rate) for i in order], chunksize=8)
    entries.sort(key=lambda e: e["index"])
    manifest = {
        "fingerprint": fp,
        "builder_version": BUILDER_VERSION,
        "seed": seed,
        "error_rate": error_rate,
        "tahun": TAHUN,
        "satker": entries,
        "files": sum(len(e["files"]) for e in entries),
        "build_seconds": round(time.perf_counter() - t0, 1),
        "skeleton_seconds": round(t1 - t0, 1),
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    if not quiet:
        print(f"corpus: {manifest['files']} workbooks of {count} satker in {manifest['build_seconds']} s -> {root}", file=sys.stderr)
    return manifest


def expected_findings(manifest: dict, root: Path) -> list[tuple[str, str]]:
    """(file path as kpu-xl names it when given ROOT/satker, code), sorted."""
    out = []
    for entry in manifest["satker"]:
        for name, code in entry["expected"]:
            out.append((str(root / "satker" / entry["folder"] / name), code))
    return sorted(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    ap.add_argument("--satker", type=int, default=SATKER_COUNT)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args(argv)
    m = build(args.root, args.satker, args.seed, args.rebuild)
    errors = sum(len(e["expected"]) for e in m["satker"])
    print(f"{m['files']} workbooks, {errors} expected findings, built in {m['build_seconds']} s: {args.root}")


if __name__ == "__main__":
    main()
