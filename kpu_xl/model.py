"""What kpu-xl reads from a workbook: a Document (kind, identity, data), each value with its Source.

Plain dataclasses, no Excel objects. Every figure carries where it came from
(file, sheet, cell) so that outputs can say so and findings can point at it.
Values are already parsed (values.Number / values.Grade) or None when empty or
unreadable (the finding that says why is in the document's findings). Each kind
has its own identity and data class (PKData, RAData); kinds/ says which is which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .core.findings import Finding
from .core.values import Value


@dataclass(frozen=True)
class Source:
    file: str
    sheet: str
    cell: str | None = None

    def __str__(self) -> str:
        return f"{self.file} › {self.sheet}!{self.cell}" if self.cell else f"{self.file} › {self.sheet}"


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
class Identity:
    """The Identitas sheet: what every kind has (satker, year) and where each value was."""

    satker: str = ""
    tahun: int | None = None
    cells: dict[str, str] = field(default_factory=dict)  # label -> A1 ref of the value cell

    @property
    def group_key(self) -> tuple[str, int | None]:
        """Satker and year, compared tolerantly (case and spaces)."""
        return (" ".join(self.satker.split()).casefold(), self.tahun)


@dataclass
class PKIdentity(Identity):
    jenis_dokumen: str = ""
    tempat: str = ""
    tanggal: str = ""  # as written or as an ISO date when the cell is a date
    nama_penandatangan: str = ""
    jabatan_penandatangan: str = ""
    provinsi: str = ""  # optional label, read where a user added it (kpu-xl rekap)


@dataclass
class RAIdentity(Identity):
    divisi: str = ""
    penanggung_jawab: str = ""


@dataclass
class RenstraIdentity(Identity):
    """A Renstra has a period, not a year: it joins every group of its satker whose year lies in it."""

    periode: str = ""  # as written, e.g. "2020-2024"
    awal: int | None = None  # first and last year of the period, when it reads as one
    akhir: int | None = None
    dasar_penetapan: str = ""

    @property
    def years(self) -> range | None:
        return range(self.awal, self.akhir + 1) if self.awal is not None and self.akhir is not None else None


@dataclass
class RenstraIndicator:
    """One row of the Renstra's `Target Jangka Menengah` sheet."""

    row: int
    kode_sasaran: str
    sasaran: str
    kode: str
    nama: str
    satuan: str
    jenis: str | None
    polaritas: str | None
    kondisi_awal: Value | None
    targets: dict[int, Value | None]  # year -> Target YYYY
    target_akhir: Value | None
    target_nasional: Value | None
    source: Source
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class RiwayatRow:
    """One row of `Riwayat Realisasi`: what an indicator achieved in the years of the period."""

    row: int
    kode: str
    nama: str
    realisasi: dict[int, Value | None]  # year -> Realisasi YYYY
    source: Source
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class AnggaranTahun:
    """One row of `Riwayat Anggaran`: a year's pagu and realisasi."""

    row: int
    tahun: int | None
    pagu: float | None
    realisasi: float | None
    source: Source
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class RenstraData:
    indicators: list[RenstraIndicator] = field(default_factory=list)
    riwayat: list[RiwayatRow] = field(default_factory=list)
    anggaran: list[AnggaranTahun] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.indicators) + len(self.riwayat) + len(self.anggaran)

    # The first row of a code (or year) is the one used; a repeated one is a finding (kinds/renstra.py).
    def indicator_by_kode(self) -> dict[str, RenstraIndicator]:
        return _first(self.indicators, lambda i: i.kode)

    def riwayat_by_kode(self) -> dict[str, RiwayatRow]:
        return _first(self.riwayat, lambda r: r.kode)

    def anggaran_by_tahun(self) -> dict[int, AnggaranTahun]:
        out: dict[int, AnggaranTahun] = {}
        for b in self.anggaran:
            if b.tahun is not None:
                out.setdefault(b.tahun, b)
        return out


def _first(rows: list, kode) -> dict:  # noqa: ANN001 - row -> code
    """Rows by their code folded as the reader folds it (contract.text_key), the first of each."""
    out: dict = {}
    for row in rows:
        code = kode(row)
        if code:
            out.setdefault(" ".join(code.split()).casefold(), row)
    return out


@dataclass
class PKData:
    indicators: list[Indicator] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.indicators) + len(self.programs)


@dataclass
class RAData:
    rows: list[RARow] = field(default_factory=list)
    budget_rows: list[BudgetRow] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.rows) + len(self.budget_rows)


@dataclass
class Document:
    """One input file as read: its kind, identity, data, and the findings of reading it."""

    path: Path
    display_name: str  # how findings name the file
    kind: str | None  # a kind's code (kinds/), None when unrecognised
    version: int | None = None
    sha256: str = ""
    identity: Identity = field(default_factory=Identity)
    data: object = None  # the kind's data class (PKData, RAData, ...); None when unreadable
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True  # False when nothing could be read (berkas-tidak-terbaca, templat-tidak-dikenal)

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)

    @property
    def row_count(self) -> int:
        return self.data.row_count if self.data is not None else 0
