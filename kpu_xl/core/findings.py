"""Findings: plain data carrying their source location, and the code table.

A Finding names the file, sheet and cell (A1 style, or None) and carries a
stable code and a message in Bahasa Indonesia. Codes never get renamed: other
tools and users rely on them. The README's table of codes is generated from
CODES (see `python -m kpu_xl.findings`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    when: str  # when it is reported (Bahasa Indonesia, for the README and `Temuan`)


_TABLE = (
    Code("berkas-tidak-terbaca", ERROR, "berkas bukan xlsx, rusak, terenkripsi, atau tidak dapat dibaca"),
    Code("templat-tidak-dikenal", ERROR, "bukan buku kerja PK/RA kpu-xl, atau versi templat yang tidak dikenal rilis ini"),
    Code("kolom-hilang", ERROR, "judul kolom, label identitas, atau lembar wajib tidak ada"),
    Code("nilai-wajib-kosong", ERROR, "nilai wajib kosong (identitas, kode, indikator, target, ...)"),
    Code("nilai-tidak-valid", ERROR, 'nilai tidak sesuai kolom atau Jenis Nilai ("T8%", "9O%", tanggal di Target, predikat di baris Persen, pilihan di luar daftar)'),
    Code("nilai-ambigu", WARNING, "dibaca menurut kebiasaan Indonesia tetapi bisa bermakna lain (\"1.234\", \"0,9\" untuk persen)"),
    Code("nilai-tidak-wajar", WARNING, "terbaca tetapi tidak wajar: persen di atas 100 atau di bawah 0, target 1009%"),
    Code("indikator-ganda", ERROR, "Kode Indikator yang sama dua kali, atau teks indikator yang sama dua kali dalam satu PK"),
    Code("sasaran-tidak-konsisten", ERROR, "satu Kode Sasaran dengan dua nama, satu nama sasaran dengan dua kode, atau teks indikator sama dengan nama sasaran"),
    Code("indikator-tidak-dikenal", ERROR, "baris RA dengan Kode Indikator yang tidak ada di PK"),
    Code("indikator-tanpa-rencana-aksi", WARNING, "indikator PK yang tidak dicakup RA mana pun"),
    Code("target-berbeda", ERROR, "Target Tahunan RA berbeda dengan target indikator itu di PK"),
    Code("realisasi-ganda", ERROR, "dua buku kerja RA melaporkan realisasi indikator yang sama pada triwulan yang sama"),
    Code("triwulan-tidak-konsisten", WARNING, "indikator Kumulatif yang target triwulannya tidak berjumlah target tahunan, atau realisasi setelah triwulan kosong"),
    Code("anggaran-melebihi-pagu", ERROR, "realisasi anggaran program melebihi pagunya"),
    Code("satker-tahun-berbeda", ERROR, "khusus konsolidasi: masukan dari lebih dari satu satker atau tahun"),
    Code("pk-tidak-ada", WARNING, "buku kerja RA suatu satker dan tahun tanpa PK di antara masukan (pemeriksaan himpunan dilewati)"),
    Code("formula-tanpa-nilai", WARNING, "sel berformula tanpa nilai hasil hitung (disimpan oleh aplikasi yang tidak menghitung)"),
    Code("berkas-ganda", ERROR, "berkas yang sama (isi identik) diberikan dua kali; hanya yang pertama dipakai"),
    Code("pk-ganda", ERROR, "lebih dari satu PK untuk satu satker dan tahun"),
    Code("program-tidak-dikenal", ERROR, "baris Realisasi Anggaran RA dengan Kode Program yang tidak ada di Anggaran PK"),
    Code("pagu-berbeda", ERROR, "Pagu program di RA berbeda dengan pagu di PK"),
    Code("makro-diabaikan", WARNING, "buku kerja berisi makro (.xlsm); nilai dibaca, makro tidak pernah dijalankan"),
    Code("data-terpotong", WARNING, "pembacaan berhenti pada batas baris/sel; sisa lembar dianggap sampah"),
    Code("teks-dibersihkan", WARNING, "teks terlalu panjang atau berisi karakter kendali; dipotong/dibersihkan"),
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


def finding(code: str, message: str, file: str, sheet: str | None = None, cell: str | None = None) -> Finding:
    """Build a Finding; severity comes from the code table, so it is never spelled twice."""
    return Finding(file=file, sheet=sheet, cell=cell, severity=CODES[code].severity, code=code, message=message)


def sort_key(f: Finding) -> tuple:
    """File, then sheet, then cell in reading order (row, column)."""
    from .cells import split_ref  # local: keeps this module free of Excel helpers at import

    row, col = split_ref(f.cell) if f.cell else (0, 0)
    return (f.file, f.sheet or "", row, col, f.code)


def readme_table() -> str:
    lines = ["| code | severity | when |", "|---|---|---|"]
    for c in _TABLE:
        lines.append(f"| `{c.code}` | {c.severity} | {c.when} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(readme_table())
