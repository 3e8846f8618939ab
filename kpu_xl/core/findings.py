"""Findings: plain data carrying their source location, and the code table.

A Finding names the file, sheet and cell (A1 style, or None) and carries a
stable code and a message in Bahasa Indonesia. Codes never get renamed: other
tools and users rely on them. The README's table of codes is generated from
CODES (see `python -m kpu_xl.core.findings`). Code constants (BERKAS_TIDAK_TERBACA, ...)
are what call sites use: a misspelt name fails at import, not at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"


class Code(str):
    """A finding code: the stable string itself (it compares and serialises as the string),
    with its severity and when it is reported (Bahasa Indonesia, for the README and `Temuan`)."""

    __slots__ = ("severity", "when")

    def __new__(cls, code: str, severity: str, when: str) -> Code:
        self = super().__new__(cls, code)
        self.severity = severity
        self.when = when
        return self

    @property
    def code(self) -> str:
        return str(self)


_TABLE: list[Code] = []


def _code(code: str, severity: str, when: str) -> Code:
    c = Code(code, severity, when)
    _TABLE.append(c)
    return c


# The codes, in the order of the README's table. Call sites use these names, never the strings.
BERKAS_TIDAK_TERBACA = _code("berkas-tidak-terbaca", ERROR, "berkas bukan xlsx, rusak, terenkripsi, atau tidak dapat dibaca")
TEMPLAT_TIDAK_DIKENAL = _code("templat-tidak-dikenal", ERROR, "bukan buku kerja PK/RA kpu-xl, atau versi templat yang tidak dikenal rilis ini")
KOLOM_HILANG = _code("kolom-hilang", ERROR, "judul kolom, label identitas, atau lembar wajib tidak ada")
NILAI_WAJIB_KOSONG = _code("nilai-wajib-kosong", ERROR, "nilai wajib kosong (identitas, kode, indikator, target, ...)")
NILAI_TIDAK_VALID = _code("nilai-tidak-valid", ERROR, 'nilai tidak sesuai kolom atau Jenis Nilai ("T8%", "9O%", tanggal di Target, predikat di baris Persen, pilihan di luar daftar)')
NILAI_AMBIGU = _code("nilai-ambigu", WARNING, 'dibaca menurut kebiasaan Indonesia tetapi bisa bermakna lain ("1.234", "0,9" untuk persen)')
NILAI_TIDAK_WAJAR = _code("nilai-tidak-wajar", WARNING, "terbaca tetapi tidak wajar: persen di atas 100 atau di bawah 0, target 1009%, target 0 (polaritas positif) atau negatif")
INDIKATOR_GANDA = _code("indikator-ganda", ERROR, "Kode Indikator yang sama dua kali, atau teks indikator yang sama dua kali dalam satu PK")
SASARAN_TIDAK_KONSISTEN = _code("sasaran-tidak-konsisten", ERROR, "satu Kode Sasaran dengan dua nama, satu nama sasaran dengan dua kode, atau teks indikator sama dengan nama sasaran")
INDIKATOR_TIDAK_DIKENAL = _code("indikator-tidak-dikenal", ERROR, "baris RA dengan Kode Indikator yang tidak ada di PK")
INDIKATOR_TANPA_RENCANA_AKSI = _code("indikator-tanpa-rencana-aksi", WARNING, "indikator PK yang tidak dicakup RA mana pun")
TARGET_BERBEDA = _code("target-berbeda", ERROR, "Target Tahunan RA berbeda dengan target indikator itu di PK")
REALISASI_GANDA = _code("realisasi-ganda", ERROR, "dua buku kerja RA melaporkan realisasi indikator yang sama pada triwulan yang sama")
TRIWULAN_TIDAK_KONSISTEN = _code("triwulan-tidak-konsisten", WARNING, "indikator Kumulatif yang target triwulannya tidak berjumlah target tahunan, atau realisasi setelah triwulan kosong")
ANGGARAN_MELEBIHI_PAGU = _code("anggaran-melebihi-pagu", ERROR, "realisasi anggaran program melebihi pagunya")
SATKER_TAHUN_BERBEDA = _code("satker-tahun-berbeda", ERROR, "khusus konsolidasi: masukan dari lebih dari satu satker atau tahun")
PK_TIDAK_ADA = _code("pk-tidak-ada", WARNING, "buku kerja RA suatu satker dan tahun tanpa PK di antara masukan (pemeriksaan himpunan dilewati)")
FORMULA_TANPA_NILAI = _code("formula-tanpa-nilai", WARNING, "sel berformula tanpa nilai hasil hitung (disimpan oleh aplikasi yang tidak menghitung)")
BERKAS_GANDA = _code("berkas-ganda", ERROR, "berkas yang sama (isi identik) diberikan dua kali; hanya yang pertama dipakai")
PK_GANDA = _code("pk-ganda", ERROR, "lebih dari satu PK untuk satu satker dan tahun")
PROGRAM_TIDAK_DIKENAL = _code("program-tidak-dikenal", ERROR, "baris Realisasi Anggaran RA dengan Kode Program yang tidak ada di Anggaran PK")
PAGU_BERBEDA = _code("pagu-berbeda", ERROR, "Pagu program di RA berbeda dengan pagu di PK")
PROGRAM_GANDA = _code("program-ganda", ERROR, "Kode Program yang sama dua kali di lembar Anggaran PK")
INDIKATOR_DI_LUAR_RENSTRA = _code(
    "indikator-di-luar-renstra", WARNING, "indikator PK yang kodenya tidak ada di Renstra, atau yang teks, Jenis Nilai atau Polaritas-nya berbeda dengan Renstra untuk kode itu"
)
TARGET_RENSTRA_BERBEDA = _code("target-renstra-berbeda", WARNING, "target PK berbeda dengan Target YYYY Renstra untuk tahun PK (atau Target Renstra PK berbeda dengan Target Akhir Periode)")
TARGET_DI_BAWAH_NASIONAL = _code("target-di-bawah-nasional", ERROR, "target PK di bawah Target Nasional Renstra (di atasnya untuk polaritas negatif; peringkat lebih rendah untuk predikat/opini)")
TAHUN_DI_LUAR_PERIODE = _code("tahun-di-luar-periode", ERROR, "tahun PK di luar periode setiap Renstra satker itu di antara masukan")
RIWAYAT_BERBEDA = _code("riwayat-berbeda", WARNING, "Riwayat Realisasi/Anggaran Renstra memuat tahun PK dan berbeda dengan realisasi RA (atau Realisasi Tahun Lalu PK berbeda dengan Riwayat)")
RENSTRA_GANDA = _code("renstra-ganda", ERROR, "dua buku kerja Renstra satu satker dengan periode yang bertumpang tindih")
MAKRO_DIABAIKAN = _code("makro-diabaikan", WARNING, "buku kerja berisi makro (.xlsm); nilai dibaca, makro tidak pernah dijalankan")
DATA_TERPOTONG = _code("data-terpotong", WARNING, "pembacaan berhenti pada batas baris/sel; sisa lembar dianggap sampah")
TEKS_DIBERSIHKAN = _code("teks-dibersihkan", WARNING, "teks terlalu panjang, berisi karakter kendali, atau karakter tak terlihat (spasi lebar-nol, tanda arah); dipotong/dibersihkan")
BERKAS_KELUARAN_DILEWATI = _code(
    "berkas-keluaran-dilewati",
    WARNING,
    "berkas keluaran kpu-xl (salinan beranotasi, hasil konsolidasi, berkas sementara) atau sisa penyunting (~$, ._) di antara masukan; dilewati, tidak dihitung sebagai PK/RA",
)
KOLOM_GANDA = _code("kolom-ganda", ERROR, "judul kolom yang sama dua kali di baris judul; hanya kolom pertama yang dibaca")
PELAKSANA_BERBEDA = _code(
    "pelaksana-berbeda",
    WARNING,
    "baris RA melaporkan indikator yang Pelaksana-nya di PK divisi lain (bukan Semua Divisi) daripada Divisi di Identitas RA itu",
)
PEMERIKSAAN_DILEWATI = _code(
    "pemeriksaan-dilewati",
    WARNING,
    "pemeriksaan terhadap suatu lembar atau PK dilewati karena lembar itu, atau Tahun/Satuan Kerja PK, tidak terbaca (galatnya dilaporkan sekali, di tempatnya)",
)

CODES: dict[str, Code] = {c.code: c for c in _TABLE}


@dataclass(frozen=True)
class Finding:
    file: str
    sheet: str | None
    cell: str | None
    severity: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def finding(code: Code, message: str, file: str, sheet: str | None = None, cell: str | None = None) -> Finding:
    """Build a Finding; severity comes from the code table, so it is never spelled twice."""
    if not isinstance(code, Code):  # a string here is a typo waiting to happen: use the constants
        raise TypeError(f"finding() takes a Code constant, not {code!r}")
    return Finding(file=file, sheet=sheet, cell=cell, severity=code.severity, code=str(code), message=message)


def sort_key(f: Finding) -> tuple:
    """File, then sheet, then cell in reading order (row, column)."""
    from .cells import split_ref  # local: keeps this module free of Excel helpers at import

    row, col = split_ref(f.cell) if f.cell else (0, 0)
    return (f.file, f.sheet or "", row, col, f.code)


def error_rows(findings: list[Finding]) -> dict[tuple[str, str, int], list[str]]:
    """(file, sheet_key(sheet), row) -> the codes of the errors reported on that row: how outputs mark rows."""
    from .cells import split_ref

    out: dict[tuple[str, str, int], set[str]] = {}
    for f in findings:
        if f.severity == ERROR and f.sheet and f.cell:
            out.setdefault((f.file, sheet_key(f.sheet), split_ref(f.cell)[0]), set()).add(f.code)
    return {k: sorted(v) for k, v in out.items()}


# A front end (the terminal, the web page) shows at most this many findings per file; the JSON
# document and the annotated copy always have all of them.
MAX_SHOWN_PER_FILE = 500


def shown_and_rest(items: list, code_of: Callable[[Finding], str], limit: int = MAX_SHOWN_PER_FILE) -> tuple[list, list[tuple[str, int]]]:
    """The first `limit` findings of a file, and how many of the rest there are per code (sorted)."""
    counts: dict[str, int] = {}
    for f in items[limit:]:
        counts[code_of(f)] = counts.get(code_of(f), 0) + 1
    return items[:limit], sorted(counts.items())


@dataclass
class FileFindings:
    """One file's findings as a front end shows them: at most MAX_SHOWN_PER_FILE, and the rest counted per code."""

    file: str
    info: dict | None  # the file's summary (Report.files), None for a path that was not read
    findings: list  # the shown ones
    more: int = 0  # how many are not shown
    more_codes: list[tuple[str, int]] = field(default_factory=list)  # (code, count) of those, sorted


@dataclass
class Report:
    """A validation report: structured, printable and JSON-able (as_dict is `kpu-xl validate --format json`)."""

    files: list[dict]  # a summary per input file (pipeline.read.file_summary)
    findings: list[Finding]
    inputs_found: int  # how many files the paths named (0: nothing to validate)
    documents: list = field(default_factory=list, repr=False)  # the inputs as read, without their rows (for annotated copies)
    inputs: list = field(default_factory=list, repr=False)  # every path the run was given to read: an output never replaces one

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)

    @property
    def exit_code(self) -> int:
        """0: no errors; 1: errors found; 2: nothing to validate."""
        if self.inputs_found == 0:
            return 2
        return 1 if self.errors else 0

    def summary_line(self) -> str:
        return f"{self.errors} galat, {self.warnings} peringatan dalam {len(self.files)} berkas"

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "findings": [f.as_dict() for f in self.findings],
            "summary": {"errors": self.errors, "warnings": self.warnings, "files": len(self.files)},
        }

    def by_file(self, every_file: bool = False, errors_first: bool = False) -> list[FileFindings]:
        """The findings grouped by file, in the report's order: the files with findings (every input
        file when every_file), those with errors first when errors_first (then warnings, then clean)."""
        grouped: dict[str, list[Finding]] = {f["file"]: [] for f in self.files} if every_file else {}
        for f in self.findings:
            grouped.setdefault(f.file, []).append(f)
        info = {f["file"]: f for f in self.files}
        out = []
        for name, items in grouped.items():
            shown, rest = shown_and_rest(items, lambda f: f.code)
            out.append(FileFindings(name, info.get(name), shown, sum(n for _, n in rest), rest))
        if errors_first:
            out.sort(key=lambda g: (not any(f.severity == ERROR for f in grouped[g.file]), not grouped[g.file]))  # stable
        return out


def sheet_key(name: str) -> str:
    """A sheet's name as lookups compare it: the reader finds "PERJANJIAN KINERJA" as "Perjanjian Kinerja"."""
    return " ".join(name.split()).casefold()


def readme_table() -> str:
    lines = ["| code | severity | when |", "|---|---|---|"]
    for c in _TABLE:
        lines.append(f"| `{c.code}` | {c.severity} | {c.when} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(readme_table())
