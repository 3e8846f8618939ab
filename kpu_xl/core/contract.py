"""The vocabulary every template shares, in one place.

Header texts, closed lists (dropdowns), the divisions, the kind/version marker,
and the types a kind declares its sheets with (TableSheet, IdentitySheet). Each
document kind (kinds/pk.py, kinds/ra.py, ...) declares its own sheets from these;
the template writer and the reader both read those declarations, so nothing else
spells a header.

Changing a header or sheet name is a breaking change for every workbook already
filled by users: bump that kind's VERSION and keep reading the old one.
"""

from __future__ import annotations

from dataclasses import dataclass

# The marker: a row in the Identitas sheet whose label is MARKER_LABEL and whose
# value is "kpu-xl:<KIND>:<VERSION>" (e.g. "kpu-xl:PK:1"). A cell survives every
# spreadsheet client (Excel, LibreOffice, WPS, phone apps); document properties
# and defined names do not always.
MARKER_LABEL = "Kode Templat"
MARKER_PREFIX = "kpu-xl"


def marker_value(kind: str, version: int) -> str:
    return f"{MARKER_PREFIX}:{kind}:{version}"


def parse_marker(text: object, kinds: object) -> tuple[str, int] | None:
    """'kpu-xl:PK:1' -> ('PK', 1) when PK is one of kinds; anything else -> None."""
    if not isinstance(text, str):
        return None
    parts = [p.strip() for p in text.strip().split(":")]
    if len(parts) != 3 or parts[0].lower() != MARKER_PREFIX:
        return None
    kind = parts[1].upper()
    if kind not in kinds or not parts[2].isdigit():
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


# What a column (or an identity value) holds: how its template cell is formatted.
TEXT, NUMBER, MONEY = "text", "number", "money"


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False  # the header must exist
    help: str = ""  # input message shown on the header (Bahasa Indonesia)
    example: str = ""
    width: float = 14
    input: str = TEXT  # TEXT, NUMBER or MONEY: the input cells' format in the template


@dataclass(frozen=True)
class TableSheet:
    name: str
    columns: tuple[Column, ...]
    # The columns that make a row a row of the table: below the last row holding one of
    # them, a sheet that had to be cut short holds only junk (a fill-down to the bottom).
    row_keys: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, header: str) -> Column:
        for c in self.columns:
            if c.header == header:
                return c
        raise KeyError(header)


# How an identity value is read (and how its template cell is set up); TEXT as above.
YEAR, DATE, CHOICE = "year", "date", "choice"


@dataclass(frozen=True)
class IdentityField:
    label: str  # the label in column A
    attr: str  # the Identity attribute it fills
    how: str = TEXT  # TEXT, YEAR, DATE or CHOICE
    options: tuple[str, ...] = ()  # for CHOICE
    required: bool = True
    hint: str = ""  # shown beside the value cell in the template
    list_title: str = ""  # the dropdown list's title on the template's list sheet (default: label)
    in_template: bool = True  # False: read where a user added the label, never written in the template


@dataclass(frozen=True)
class IdentitySheet:
    name: str
    fields: tuple[IdentityField, ...]  # in order; the marker row follows them

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels the template writes, in order (a label only read where added is not among them)."""
        return tuple(f.label for f in self.fields if f.in_template)


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

IDENTITAS = "Identitas"  # every kind's identity sheet
L_SATKER = "Satuan Kerja"
L_TAHUN = "Tahun"

H_PROGRAM = "Program"
H_PAGU = "Pagu (Rp)"

# Rencana Aksi -------------------------------------------------------------------

H_KEGIATAN = "Kegiatan"
H_TARGET_TAHUNAN = "Target Tahunan"
H_TARGET_TW = tuple(f"Target {q}" for q in QUARTERS)
H_REALISASI_TW = tuple(f"Realisasi {q}" for q in QUARTERS)
H_BUKTI = "Bukti Dukung"
# The analysis only people can write (LKjIP BAB III: causes of success or failure, and what was done).
H_FAKTOR_PENDUKUNG = "Faktor Pendukung"
H_FAKTOR_PENGHAMBAT = "Faktor Penghambat"
H_UPAYA = "Upaya Tindak Lanjut"
H_ANALISIS = (H_FAKTOR_PENDUKUNG, H_FAKTOR_PENGHAMBAT, H_UPAYA)

H_PAGU_RP = H_PAGU
H_REALISASI_TW_RP = tuple(f"Realisasi {q} (Rp)" for q in QUARTERS)

# Headers are searched in the first HEADER_SEARCH_ROWS rows of a table sheet.
HEADER_SEARCH_ROWS = 10
