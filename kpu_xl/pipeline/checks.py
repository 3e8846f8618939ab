"""Checks: small functions from documents to findings, listed in one place.

FILE_CHECKS look at one document; SET_CHECKS look at a Group (one satker and
year: its PK and its RAs). Each returns a list of findings and never raises.
Reading problems (values that do not parse, missing headers) are reported by
read.py; these checks are about consistency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..core import contract as C
from ..core.findings import Finding, finding
from ..model import BudgetRow, Document, Indicator, RARow
from ..xlsx.read import parse_cell_value
from ..core.values import Grade, Number, Value, display, format_number
from ..core import findings as F


@dataclass
class Group:
    """The documents of one satker and year."""

    satker: str
    tahun: int | None
    pks: list[Document] = field(default_factory=list)
    ras: list[Document] = field(default_factory=list)

    @property
    def pk(self) -> Document | None:
        return self.pks[0] if self.pks else None

    def indicators_by_kode(self) -> dict[str, Indicator]:
        out: dict[str, Indicator] = {}
        if self.pk:
            for ind in self.pk.indicators:
                if ind.kode:
                    out.setdefault(_key(ind.kode), ind)
        return out


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _at(doc: Document, code: F.Code, message: str, sheet: str, cell: str | None) -> Finding:
    return finding(code, message, doc.display_name, sheet, cell)


def same_value(a: Value | None, b: Value | None) -> bool:
    if isinstance(a, Number) and isinstance(b, Number):
        return abs(a.value - b.value) <= 1e-9 * max(1.0, abs(a.value), abs(b.value))
    if isinstance(a, Grade) and isinstance(b, Grade):
        return a == b
    return False


def show(v: Value | None, jenis: str | None = None) -> str:
    if v is None:
        return "(kosong)"
    if isinstance(v, Grade):
        return v.code
    suffix = "%" if jenis == C.JENIS_PERSEN else ""
    return f"{format_number(v.value, None)}{suffix}"


# --- single-file checks ----------------------------------------------------------------


def check_pk_duplicates(doc: Document) -> list[Finding]:
    out = []
    seen_kode: dict[str, Indicator] = {}
    seen_text: dict[str, Indicator] = {}
    for ind in doc.indicators:
        if ind.kode:
            first = seen_kode.setdefault(_key(ind.kode), ind)
            if first is not ind:
                out.append(_at(doc, F.INDIKATOR_GANDA, f'Kode Indikator "{ind.kode}" sudah dipakai di baris {first.row}; setiap indikator perlu kode sendiri.', C.PK_TABLE.name, ind.cells.get(C.H_KODE_INDIKATOR)))
        if ind.nama:
            first = seen_text.setdefault(_key(ind.nama), ind)
            if first is not ind:
                out.append(_at(doc, F.INDIKATOR_GANDA, f'Indikator "{display(ind.nama)}" sama dengan baris {first.row}; indikator yang sama tertulis dua kali (salah salin?).', C.PK_TABLE.name, ind.cells.get(C.H_INDIKATOR)))
    return out


def check_sasaran_consistency(doc: Document) -> list[Finding]:
    out = []
    name_by_code: dict[str, Indicator] = {}
    code_by_name: dict[str, Indicator] = {}
    sasaran_names = {_key(i.sasaran): i for i in doc.indicators if i.sasaran}
    for ind in doc.indicators:
        if ind.kode_sasaran and ind.sasaran:
            first = name_by_code.setdefault(_key(ind.kode_sasaran), ind)
            if _key(first.sasaran) != _key(ind.sasaran):
                out.append(_at(doc, F.SASARAN_TIDAK_KONSISTEN, f'Kode Sasaran "{ind.kode_sasaran}" bernama "{display(first.sasaran)}" di baris {first.row} tetapi "{display(ind.sasaran)}" di sini.', C.PK_TABLE.name, ind.cells.get(C.H_SASARAN)))
            first = code_by_name.setdefault(_key(ind.sasaran), ind)
            if _key(first.kode_sasaran) != _key(ind.kode_sasaran):
                out.append(_at(doc, F.SASARAN_TIDAK_KONSISTEN, f'Sasaran "{display(ind.sasaran)}" berkode "{first.kode_sasaran}" di baris {first.row} tetapi "{ind.kode_sasaran}" di sini.', C.PK_TABLE.name, ind.cells.get(C.H_KODE_SASARAN)))
        if ind.nama and _key(ind.nama) in sasaran_names:
            out.append(_at(doc, F.SASARAN_TIDAK_KONSISTEN, f'Indikator "{display(ind.nama)}" sama dengan nama sebuah sasaran; tulis indikator yang mengukur sasaran itu.', C.PK_TABLE.name, ind.cells.get(C.H_INDIKATOR)))
    return out


def check_program_duplicates(doc: Document) -> list[Finding]:
    out = []
    seen: dict[str, int] = {}
    for p in doc.programs:
        if p.kode:
            if _key(p.kode) in seen:
                out.append(_at(doc, F.PROGRAM_GANDA, f'Kode Program "{p.kode}" sudah dipakai di baris {seen[_key(p.kode)]}; setiap program perlu kode sendiri.', C.PK_ANGGARAN.name, p.cells.get(C.H_KODE_PROGRAM)))
            seen.setdefault(_key(p.kode), p.row)
    return out


def _spent(b: BudgetRow) -> float:
    return sum(v for v in b.realisasi_tw if v is not None)


def _over_own_pagu(doc: Document) -> list[BudgetRow]:
    return [b for b in doc.budget_rows if b.pagu is not None and _spent(b) > b.pagu + 0.5]


def _over_pagu(doc: Document, b: BudgetRow, quarter: int, message: str) -> Finding:
    """anggaran-melebihi-pagu at the row's realisasi cell of that quarter."""
    return _at(doc, F.ANGGARAN_MELEBIHI_PAGU, message, C.RA_ANGGARAN.name, b.cells.get(C.H_REALISASI_TW_RP[quarter]))


def check_budget_within_pagu(doc: Document) -> list[Finding]:
    out = []
    for b in _over_own_pagu(doc):
        total = _spent(b)
        last = max((i for i, v in enumerate(b.realisasi_tw) if v is not None), default=3)
        out.append(_over_pagu(doc, b, last, f'Realisasi program "{b.kode_program}" Rp {format_number(total)} melebihi pagu Rp {format_number(b.pagu)}.'))
    return out


FILE_CHECKS: tuple[Callable[[Document], list[Finding]], ...] = (
    check_pk_duplicates,
    check_sasaran_consistency,
    check_program_duplicates,
    check_budget_within_pagu,
)


# --- set checks ---------------------------------------------------------------------


def resolve_ra_values(group: Group) -> list[Finding]:
    """Parse each RA row's targets and realisasi by its PK indicator's Jenis Nilai."""
    out: list[Finding] = []
    by_kode = group.indicators_by_kode()
    for doc in group.ras:
        sheet = C.RA_TABLE.name

        def add(code: F.Code, message: str, cell: str | None, doc=doc) -> None:
            out.append(_at(doc, code, message, sheet, cell))

        for row in doc.ra_rows:
            row.divisi = doc.identity.divisi
            ind = by_kode.get(_key(row.kode_indikator))
            jenis = ind.jenis if ind else None

            def parse(header: str, required: bool, row=row, jenis=jenis):
                if header not in row.cells:
                    return None
                return parse_cell_value(add, header, row.raw.get(header), jenis, required=required, ref=row.cells[header])

            row.target_tahunan = parse(C.H_TARGET_TAHUNAN, True)
            row.target_tw = [parse(h, False) for h in C.H_TARGET_TW]
            row.realisasi_tw = [parse(h, False) for h in C.H_REALISASI_TW]
    return out


def check_pk_count(group: Group) -> list[Finding]:
    out = []
    if not group.pks and group.ras:
        for doc in group.ras:
            out.append(_at(doc, F.PK_TIDAK_ADA, f"Tidak ada PK {group.satker} tahun {group.tahun} di antara masukan; pemeriksaan terhadap PK dilewati.", C.RA_IDENTITAS.name, doc.identity.cells.get("Satuan Kerja")))
    for extra in group.pks[1:]:
        out.append(_at(extra, F.PK_GANDA, f"Sudah ada PK {group.satker} tahun {group.tahun} di {group.pks[0].display_name}; hanya yang pertama dipakai.", C.PK_IDENTITAS.name, extra.identity.cells.get("Satuan Kerja")))
    return out


def check_ra_against_pk(group: Group) -> list[Finding]:
    if group.pk is None:
        return []
    out = []
    by_kode = group.indicators_by_kode()
    for doc in group.ras:
        for row in doc.ra_rows:
            if not row.kode_indikator:
                continue
            ind = by_kode.get(_key(row.kode_indikator))
            if ind is None:
                out.append(_at(doc, F.INDIKATOR_TIDAK_DIKENAL, f'Kode Indikator "{row.kode_indikator}" tidak ada di PK {group.pk.display_name}.', C.RA_TABLE.name, row.cells.get(C.H_KODE_INDIKATOR)))
                continue
            if row.target_tahunan is not None and ind.target is not None and not same_value(row.target_tahunan, ind.target):
                out.append(_at(doc, F.TARGET_BERBEDA, f'Target Tahunan {show(row.target_tahunan, ind.jenis)} berbeda dengan target PK {show(ind.target, ind.jenis)} untuk {ind.kode}; samakan dengan PK (atau perbarui PK).', C.RA_TABLE.name, row.cells.get(C.H_TARGET_TAHUNAN)))
    return out


def check_indicators_covered(group: Group) -> list[Finding]:
    if group.pk is None or not group.ras:
        return []
    covered = {_key(r.kode_indikator) for d in group.ras for r in d.ra_rows if r.kode_indikator}
    return [
        _at(group.pk, F.INDIKATOR_TANPA_RENCANA_AKSI, f'Indikator {ind.kode} "{display(ind.nama)}" tidak dicakup Rencana Aksi mana pun (pelaksana: {ind.pelaksana or "-"}).', C.PK_TABLE.name, ind.cells.get(C.H_KODE_INDIKATOR))
        for ind in group.pk.indicators
        if ind.kode and _key(ind.kode) not in covered
    ]


def check_double_realisasi(group: Group) -> list[Finding]:
    out = []
    first: dict[tuple[str, int], tuple[Document, RARow]] = {}
    for doc in group.ras:
        for row in doc.ra_rows:
            if not row.kode_indikator:
                continue
            for q, value in enumerate(row.realisasi_tw):
                if value is None:
                    continue
                key = (_key(row.kode_indikator), q)
                if key in first:
                    fdoc, frow = first[key]
                    where = f"baris {frow.row}" if fdoc is doc else f"{fdoc.display_name} baris {frow.row}"
                    out.append(_at(doc, F.REALISASI_GANDA, f"Realisasi {C.QUARTERS[q]} indikator {row.kode_indikator} sudah dilaporkan di {where}; isi realisasi satu indikator di satu baris saja.", C.RA_TABLE.name, row.cells.get(C.H_REALISASI_TW[q])))
                else:
                    first[key] = (doc, row)
    return out


def check_quarters(group: Group) -> list[Finding]:
    out = []
    by_kode = group.indicators_by_kode()
    for doc in group.ras:
        for row in doc.ra_rows:
            ind = by_kode.get(_key(row.kode_indikator))
            filled = [i for i, v in enumerate(row.realisasi_tw) if v is not None]
            if filled:
                # An empty quarter between two reported ones; a yearly figure reported only in TW IV is fine.
                gaps = [i for i in range(filled[0], filled[-1]) if row.realisasi_tw[i] is None]
                if gaps:
                    out.append(_at(doc, F.TRIWULAN_TIDAK_KONSISTEN, f"Realisasi {C.QUARTERS[filled[-1]]} terisi padahal {', '.join(C.QUARTERS[i] for i in gaps)} kosong; isi 0 bila memang tidak ada realisasi.", C.RA_TABLE.name, row.cells.get(C.H_REALISASI_TW[filled[-1]])))
            targets = [v for v in row.target_tw if isinstance(v, Number)]
            if ind and ind.cara == C.CARA_KUMULATIF and targets and isinstance(row.target_tahunan, Number):
                total = sum(v.value for v in targets)
                if not same_value(Number(total), row.target_tahunan):
                    out.append(_at(doc, F.TRIWULAN_TIDAK_KONSISTEN, f"Indikator {row.kode_indikator} dihitung Kumulatif, tetapi jumlah target triwulan {format_number(total, None)} tidak sama dengan Target Tahunan {show(row.target_tahunan)}.", C.RA_TABLE.name, row.cells.get(C.H_TARGET_TW[3])))
    return out


def check_budget_against_pk(group: Group) -> list[Finding]:
    if group.pk is None:
        return []
    out = []
    programs = {_key(p.kode): p for p in group.pk.programs if p.kode}
    totals: dict[str, float] = defaultdict(float)
    last_row: dict[str, tuple[Document, object]] = {}
    for doc in group.ras:
        for b in doc.budget_rows:
            if not b.kode_program:
                continue
            prog = programs.get(_key(b.kode_program))
            if prog is None:
                out.append(_at(doc, F.PROGRAM_TIDAK_DIKENAL, f'Kode Program "{b.kode_program}" tidak ada di lembar Anggaran PK {group.pk.display_name}.', C.RA_ANGGARAN.name, b.cells.get(C.H_KODE_PROGRAM)))
                continue
            if b.pagu is not None and prog.pagu is not None and abs(b.pagu - prog.pagu) > 0.5:
                out.append(_at(doc, F.PAGU_BERBEDA, f'Pagu program "{b.kode_program}" Rp {format_number(b.pagu)} berbeda dengan pagu PK Rp {format_number(prog.pagu)}.', C.RA_ANGGARAN.name, b.cells.get(C.H_PAGU_RP)))
            totals[_key(b.kode_program)] += _spent(b)
            last_row[_key(b.kode_program)] = (doc, b)
    # A row above its own pagu is already reported by check_budget_within_pagu.
    reported = {_key(b.kode_program) for d in group.ras for b in _over_own_pagu(d)}
    for kode, total in totals.items():
        prog = programs[kode]
        if prog.pagu is not None and total > prog.pagu + 0.5 and kode not in reported:
            doc, b = last_row[kode]
            out.append(_over_pagu(doc, b, 3, f'Realisasi program "{prog.kode}" dari semua RA Rp {format_number(total)} melebihi pagu PK Rp {format_number(prog.pagu)}.'))
    return out


SET_CHECKS: tuple[Callable[[Group], list[Finding]], ...] = (
    resolve_ra_values,
    check_pk_count,
    check_ra_against_pk,
    check_indicators_covered,
    check_double_realisasi,
    check_quarters,
    check_budget_against_pk,
)
