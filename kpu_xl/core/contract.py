"""The template contract, in one place.

Sheet names, header texts, identity labels, closed lists (dropdowns), the
divisions and the kind/version marker. The template writer (templates.py) and
the reader (read.py) both import this module; nothing else spells a header.

Changing a header or sheet name here is a breaking change for every workbook
already filled by users: bump TEMPLATE_VERSION and keep reading the old one.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATE_VERSION = 1

# The marker: a row in the Identitas sheet whose label is MARKER_LABEL and whose
# value is "kpu-xl:<KIND>:<VERSION>" (e.g. "kpu-xl:PK:1"). A cell survives every
# spreadsheet client (Excel, LibreOffice, WPS, phone apps); document properties
# and defined names do not always.
MARKER_LABEL = "Kode Templat"
MARKER_PREFIX = "kpu-xl"

KIND_PK = "PK"
KIND_RA = "RA"
KIND_NAMES = {KIND_PK: "Perjanjian Kinerja", KIND_RA: "Rencana Aksi"}


def marker_value(kind: str, version: int = TEMPLATE_VERSION) -> str:
    return f"{MARKER_PREFIX}:{kind}:{version}"


def parse_marker(text: object) -> tuple[str, int] | None:
    """'kpu-xl:PK:1' -> ('PK', 1); anything else -> None."""
    if not isinstance(text, str):
        return None
    parts = [p.strip() for p in text.strip().split(":")]
    if len(parts) != 3 or parts[0].lower() != MARKER_PREFIX:
        return None
    kind = parts[1].upper()
    if kind not in KIND_NAMES or not parts[2].isdigit():
        return None
    return kind, int(parts[2])


# --- closed lists -----------------------------------------------------------

JENIS_PERSEN = "Persen"
JENIS_ANGKA = "Angka"
JENIS_INDEKS = "Indeks"
JENIS_PREDIKAT = "Predikat SAKIP"
JENIS_OPINI = "Opini BPK"
JENIS_NILAI = (JENIS_PERSEN, JENIS_ANGKA, JENIS_INDEKS, JENIS_PREDIKAT, JENIS_OPINI)
JENIS_ORDINAL = (JENIS_PREDIKAT, JENIS_OPINI)

POLARITAS_POSITIF = "Positif"
POLARITAS_NEGATIF = "Negatif"
POLARITAS = (POLARITAS_POSITIF, POLARITAS_NEGATIF)

CARA_KUMULATIF = "Kumulatif"
CARA_POSISI_AKHIR = "Posisi Akhir"
CARA_RATA_RATA = "Rata-rata"
CARA_MENGHITUNG = (CARA_KUMULATIF, CARA_POSISI_AKHIR, CARA_RATA_RATA)

JENIS_DOKUMEN = ("PK Awal", "PK Perubahan")

SEMUA_DIVISI = "Semua Divisi"
DIVISI = (
    "Divisi Hukum dan Pengawasan",
    "Divisi Teknis Penyelenggara Pemilu",
    "Divisi Sosialisasi, Pendidikan Pemilih, Partisipasi dan Hubungan Masyarakat",
    "Divisi Perencanaan, Data dan Informasi",
    "Divisi Keuangan, Umum, Rumah Tangga dan Logistik",
    SEMUA_DIVISI,
)

SAKIP_GRADES = ("D", "C", "CC", "B", "BB", "A", "AA")  # ascending
BPK_OPINIONS = ("TMP", "TW", "WDP", "WTP")  # ascending

QUARTERS = ("TW I", "TW II", "TW III", "TW IV")


def canonical(choice: object, options: tuple[str, ...]) -> str | None:
    """Match a dropdown value tolerantly (case, surrounding and repeated spaces)."""
    if not isinstance(choice, str):
        return None
    key = " ".join(choice.split()).casefold()
    for option in options:
        if option.casefold() == key:
            return option
    return None


# --- sheets and headers -----------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False  # the header must exist
    help: str = ""  # input message shown on the header (Bahasa Indonesia)
    example: str = ""
    width: float = 14


@dataclass(frozen=True)
class TableSheet:
    name: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, header: str) -> Column:
        for c in self.columns:
            if c.header == header:
                return c
        raise KeyError(header)


@dataclass(frozen=True)
class IdentitySheet:
    name: str
    labels: tuple[str, ...]  # required labels, in order; the marker row follows them


def text_key(text: object) -> str:
    """How kpu-xl compares headers, labels and codes: trimmed, spaces folded, case-insensitive."""
    if text is None:
        return ""
    return " ".join(str(text).split()).casefold()


header_key = text_key


SHEET_PETUNJUK = "Petunjuk"

# Perjanjian Kinerja -----------------------------------------------------------

H_NO = "No"
H_KODE_SASARAN = "Kode Sasaran"
H_SASARAN = "Sasaran Strategis"
H_KODE_INDIKATOR = "Kode Indikator"
H_INDIKATOR = "Indikator Kinerja"
H_SATUAN = "Satuan"
H_JENIS = "Jenis Nilai"
H_POLARITAS = "Polaritas"
H_CARA = "Cara Menghitung Realisasi"
H_TARGET = "Target"
H_TARGET_RENSTRA = "Target Renstra"
H_REALISASI_LALU = "Realisasi Tahun Lalu"
H_PELAKSANA = "Pelaksana"
H_KODE_PROGRAM = "Kode Program"

PK_IDENTITAS = IdentitySheet(
    "Identitas",
    (
        "Satuan Kerja",
        "Tahun",
        "Jenis Dokumen",
        "Tempat",
        "Tanggal",
        "Nama Penandatangan",
        "Jabatan Penandatangan",
    ),
)

PK_TABLE = TableSheet(
    "Perjanjian Kinerja",
    (
        Column(H_NO, False, "Nomor urut baris (boleh dikosongkan).", "1", 5),
        Column(H_KODE_SASARAN, True, "Kode sasaran strategis, sama untuk semua indikator satu sasaran.", "S1", 9),
        Column(H_SASARAN, True, "Rumusan sasaran strategis sesuai Renstra.", "Terwujudnya Pemilu serentak yang aman dan damai", 36),
        Column(H_KODE_INDIKATOR, True, "Kode unik indikator; dipakai Rencana Aksi.", "IK1.1", 10),
        Column(H_INDIKATOR, True, "Rumusan indikator kinerja.", "Persentase pelaksanaan Pemilu yang aman dan damai", 42),
        Column(H_SATUAN, False, "Satuan target.", "%", 9),
        Column(H_JENIS, True, "Pilih: Persen, Angka, Indeks, Predikat SAKIP, Opini BPK.", "Persen", 13),
        Column(H_POLARITAS, True, "Positif: makin tinggi makin baik; Negatif: makin rendah makin baik.", "Positif", 10),
        Column(H_CARA, True, "Kumulatif (jumlah triwulan), Posisi Akhir (triwulan terakhir terisi), Rata-rata.", "Posisi Akhir", 14),
        Column(H_TARGET, True, "Target tahunan. Persen: 90 atau 90%. Predikat SAKIP: B. Opini BPK: WTP.", "90%", 11),
        Column(H_TARGET_RENSTRA, False, "Target akhir periode Renstra (boleh kosong).", "100%", 11),
        Column(H_REALISASI_LALU, False, "Realisasi tahun sebelumnya (boleh kosong).", "100%", 11),
        Column(H_PELAKSANA, True, "Divisi pelaksana indikator (pilih dari daftar).", "Divisi Hukum dan Pengawasan", 30),
        Column(H_KODE_PROGRAM, False, "Kode program (lembar Anggaran) yang mendukung indikator ini; untuk efisiensi. Boleh kosong.", "WA", 10),
    ),
)

H_PROGRAM = "Program"
H_PAGU = "Pagu (Rp)"

PK_ANGGARAN = TableSheet(
    "Anggaran",
    (
        Column(H_KODE_PROGRAM, True, "Kode program.", "WA", 12),
        Column(H_PROGRAM, True, "Nama program.", "Program Dukungan Manajemen", 50),
        Column(H_PAGU, True, "Pagu anggaran dalam rupiah, tanpa desimal.", "2.028.429.000", 20),
    ),
)

# Rencana Aksi -------------------------------------------------------------------

H_KEGIATAN = "Kegiatan"
H_TARGET_TAHUNAN = "Target Tahunan"
H_TARGET_TW = tuple(f"Target {q}" for q in QUARTERS)
H_REALISASI_TW = tuple(f"Realisasi {q}" for q in QUARTERS)
H_BUKTI = "Bukti Dukung"

RA_IDENTITAS = IdentitySheet("Identitas", ("Satuan Kerja", "Tahun", "Divisi", "Penanggung Jawab"))

RA_TABLE = TableSheet(
    "Rencana Aksi",
    (
        Column(H_KODE_INDIKATOR, True, "Kode indikator dari Perjanjian Kinerja.", "IK1.1", 10),
        Column(H_INDIKATOR, True, "Rumusan indikator sesuai Perjanjian Kinerja.", "Persentase pelaksanaan Pemilu yang aman dan damai", 40),
        Column(H_KEGIATAN, True, "Kegiatan untuk mencapai indikator.", "Pelaksanaan Tahapan Pemilu", 30),
        Column(H_TARGET_TAHUNAN, True, "Target tahunan; harus sama dengan target PK.", "90%", 11),
        *(Column(h, True, f"Target {q}; kosongkan bila tidak ada.", "25%", 10) for h, q in zip(H_TARGET_TW, QUARTERS)),
        *(Column(h, True, f"Realisasi {q}; isi setelah triwulan berakhir.", "25%", 10) for h, q in zip(H_REALISASI_TW, QUARTERS)),
        Column(H_PELAKSANA, False, "Divisi atau pejabat pelaksana.", "Divisi Hukum dan Pengawasan", 26),
        Column(H_BUKTI, False, "Dokumen bukti dukung (nama berkas atau tautan, ditulis sebagai teks).", "Laporan tahapan", 24),
    ),
)

H_PAGU_RP = H_PAGU
H_REALISASI_TW_RP = tuple(f"Realisasi {q} (Rp)" for q in QUARTERS)

RA_ANGGARAN = TableSheet(
    "Realisasi Anggaran",
    (
        Column(H_KODE_PROGRAM, True, "Kode program sesuai PK.", "WA", 12),
        Column(H_PROGRAM, True, "Nama program.", "Program Dukungan Manajemen", 44),
        Column(H_PAGU_RP, True, "Pagu program dalam rupiah.", "2.028.429.000", 18),
        *(Column(h, True, f"Realisasi anggaran {q} dalam rupiah.", "500.000.000", 18) for h, q in zip(H_REALISASI_TW_RP, QUARTERS)),
    ),
)

PK_SHEETS = (SHEET_PETUNJUK, PK_IDENTITAS.name, PK_TABLE.name, PK_ANGGARAN.name)
RA_SHEETS = (SHEET_PETUNJUK, RA_IDENTITAS.name, RA_TABLE.name, RA_ANGGARAN.name)

# Headers are searched in the first HEADER_SEARCH_ROWS rows of a table sheet.
HEADER_SEARCH_ROWS = 10
