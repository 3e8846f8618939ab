"""Set checks: small functions from a resolved group (one satker and year) to findings.

Each declares the codes it can emit and the kinds it needs (@check); the runner
(run_set_checks) skips a check whose kinds the group lacks. Checks only report:
the values they compare were resolved before (pipeline/resolve.py), and nothing
here edits a document. Single-file checks live with their kind (kinds/*.py).
"""

from __future__ import annotations

from collections import defaultdict

from ..core import contract as C
from ..core import findings as F
from ..core.check import Check, check
from ..core.contract import text_key as _key
from ..core.findings import Finding, finding
from ..core.values import Grade, Number, Value, display, format_number, same_value, show
from ..kinds import PK, RA, RENSTRA
from ..kinds import pk as pk_kind
from ..kinds import ra as ra_kind
from ..kinds import renstra as renstra_kind
from ..kinds.ra import RARow
from ..model import Document
from ..xlsx.sheet import table_unread
from .bundle import Group
from .resolve import Resolved


def _at(doc: Document, code: F.Code, message: str, sheet: str, cell: str | None) -> Finding:
    return finding(code, message, doc.display_name, sheet, cell)


def _names(docs: list[Document]) -> str:
    """Up to three file names, then how many more."""
    shown = ", ".join(d.display_name for d in docs[:3])
    return shown if len(docs) <= 3 else f"{shown} dan {len(docs) - 3} lainnya"


def _skipped(sheet: str, what: str, dependents: list[Document], kind: str) -> str:
    """The note of a comparison skipped because a sheet could not be read."""
    return (
        f'Lembar "{sheet}" tidak terbaca (lihat galat kolom-hilang di lembar itu), sehingga {what} {len(dependents)} {kind} '
        f"({_names(dependents)}) tidak diperiksa terhadapnya; perbaiki lembar itu lalu periksa ulang."
    )


@check(F.PK_TIDAK_ADA, F.PK_GANDA, F.PEMERIKSAAN_DILEWATI)
def check_pk_count(group: Group) -> list[Finding]:
    out = []
    # A group of workbooks whose Tahun or Satuan Kerja could not be read: that is reported at the
    # Identitas cell; "no PK of <satker> tahun None" would be a second, false fault.
    placed = group.tahun is not None and bool(group.satker.strip())
    if not group.pks and group.ras and placed:
        stray = [d for d in group.unplaced if d.kind == PK]
        if stray:  # the PK may be this group's: its year or satker is the one fault, reported there
            pk = stray[0]
            label = C.L_TAHUN if pk.identity.tahun is None else C.L_SATKER
            out.append(
                _at(
                    pk,
                    F.PEMERIKSAAN_DILEWATI,
                    f"{label} PK ini tidak terbaca, sehingga {len(group.ras)} Rencana Aksi {group.satker} tahun {group.tahun} ({_names(group.ras)}) "
                    f"tidak diperiksa terhadapnya; perbaiki {label} lalu periksa ulang.",
                    C.IDENTITAS,
                    pk.identity.cells.get(label),
                )
            )
        else:
            for doc in group.ras:
                out.append(
                    _at(doc, F.PK_TIDAK_ADA, f"Tidak ada PK {group.satker} tahun {group.tahun} di antara masukan; pemeriksaan terhadap PK dilewati.", C.IDENTITAS, doc.identity.cells.get(C.L_SATKER))
                )
    for extra in group.pks[1:]:
        out.append(
            _at(extra, F.PK_GANDA, f"Sudah ada PK {group.satker} tahun {group.tahun} di {group.pks[0].display_name}; hanya yang pertama dipakai.", C.IDENTITAS, extra.identity.cells.get(C.L_SATKER))
        )
    return out


@check(F.INDIKATOR_TIDAK_DIKENAL, F.TARGET_BERBEDA, F.PEMERIKSAAN_DILEWATI, needs=(PK, RA))
def check_ra_against_pk(group: Group) -> list[Finding]:
    if table_unread(group.pk, pk_kind.TABLE.name):  # every RA code would be "unknown": one note instead
        dependents = [d for d in group.ras if d.data.rows]
        if not dependents:
            return []
        return [_at(group.pk, F.PEMERIKSAAN_DILEWATI, _skipped(pk_kind.TABLE.name, "Kode Indikator dan Target Tahunan", dependents, ra_kind.NAME), pk_kind.TABLE.name, None)]
    out = []
    by_kode = group.indicators_by_kode()
    for doc in group.ras:
        for row in doc.data.rows:
            if not row.kode_indikator:
                continue
            ind = by_kode.get(_key(row.kode_indikator))
            if ind is None:
                out.append(
                    _at(
                        doc,
                        F.INDIKATOR_TIDAK_DIKENAL,
                        f'Kode Indikator "{display(row.kode_indikator)}" tidak ada di PK {group.pk.display_name}.',
                        ra_kind.TABLE.name,
                        row.cells.get(C.H_KODE_INDIKATOR),
                    )
                )
                continue
            if row.target_tahunan is not None and ind.target is not None and not same_value(row.target_tahunan, ind.target):
                out.append(
                    _at(
                        doc,
                        F.TARGET_BERBEDA,
                        f"Target Tahunan {show(row.target_tahunan, ind.jenis)} berbeda dengan target PK {show(ind.target, ind.jenis)} untuk {display(ind.kode)}; samakan dengan PK (atau perbarui PK).",
                        ra_kind.TABLE.name,
                        row.cells.get(C.H_TARGET_TAHUNAN),
                    )
                )
    return out


@check(F.PELAKSANA_BERBEDA, needs=(PK, RA))
def check_ra_pelaksana(group: Group) -> list[Finding]:
    """An RA row reporting an indicator the PK gives to another division (Semua Divisi is everyone's)."""
    out = []
    by_kode = group.indicators_by_kode()
    for doc in group.ras:
        divisi = getattr(doc.identity, "divisi", "")
        if not divisi:  # unreadable or missing: reported at Identitas
            continue
        for row in doc.data.rows:
            ind = by_kode.get(_key(row.kode_indikator)) if row.kode_indikator else None
            if ind is None or not ind.pelaksana or ind.pelaksana == C.SEMUA_DIVISI or _key(ind.pelaksana) == _key(divisi):
                continue
            out.append(
                _at(
                    doc,
                    F.PELAKSANA_BERBEDA,
                    f"Indikator {display(ind.kode)} dilaksanakan {ind.pelaksana} menurut PK {group.pk.display_name}, tetapi dilaporkan di Rencana Aksi {divisi}; "
                    "pindahkan baris ini ke Rencana Aksi divisi pelaksananya, atau perbarui Pelaksana di PK.",
                    ra_kind.TABLE.name,
                    row.cells.get(C.H_KODE_INDIKATOR),
                )
            )
    return out


@check(F.INDIKATOR_TANPA_RENCANA_AKSI, F.PEMERIKSAAN_DILEWATI, needs=(PK, RA))
def check_indicators_covered(group: Group) -> list[Finding]:
    covered = {_key(r.kode_indikator) for d in group.ras for r in d.data.rows if r.kode_indikator}
    # An RA whose table could not be read, or whose year or satker could not be read (grouped apart),
    # may cover its division's indicators: those are not reported as uncovered.
    unread = [d for d in group.ras if table_unread(d, ra_kind.TABLE.name)] + [d for d in group.unplaced if d.kind == RA]
    divisions = {_key(getattr(d.identity, "divisi", "")) for d in unread}
    out, skipped = [], 0
    for ind in group.pk.data.indicators:
        if not ind.kode or _key(ind.kode) in covered:
            continue
        if unread and ("" in divisions or not ind.pelaksana or ind.pelaksana == C.SEMUA_DIVISI or _key(ind.pelaksana) in divisions):
            skipped += 1
            continue
        out.append(
            _at(
                group.pk,
                F.INDIKATOR_TANPA_RENCANA_AKSI,
                f'Indikator {display(ind.kode)} "{display(ind.nama)}" tidak dicakup Rencana Aksi mana pun (pelaksana: {ind.pelaksana or "-"}).',
                pk_kind.TABLE.name,
                ind.cells.get(C.H_KODE_INDIKATOR),
            )
        )
    if skipped:
        out.append(
            _at(
                group.pk,
                F.PEMERIKSAAN_DILEWATI,
                f"Cakupan {skipped} indikator oleh Rencana Aksi tidak diperiksa karena {_names(unread)} tidak terbaca lengkap "
                f"(Tahun, Satuan Kerja atau lembar {ra_kind.TABLE.name}; lihat galatnya di berkas itu); perbaiki lalu periksa ulang.",
                pk_kind.TABLE.name,
                None,
            )
        )
    return out


@check(F.REALISASI_GANDA, needs=(RA,))
def check_double_realisasi(group: Group) -> list[Finding]:
    out = []
    first: dict[tuple[str, int], tuple[Document, RARow]] = {}
    for doc in group.ras:
        for row in doc.data.rows:
            if not row.kode_indikator:
                continue
            for q, value in enumerate(row.realisasi_tw):
                if value is None:
                    continue
                key = (_key(row.kode_indikator), q)
                if key in first:
                    fdoc, frow = first[key]
                    where = f"baris {frow.row}" if fdoc is doc else f"{fdoc.display_name} baris {frow.row}"
                    out.append(
                        _at(
                            doc,
                            F.REALISASI_GANDA,
                            f"Realisasi {C.QUARTERS[q]} indikator {display(row.kode_indikator)} sudah dilaporkan di {where}; isi realisasi satu indikator di satu baris saja.",
                            ra_kind.TABLE.name,
                            row.cells.get(C.H_REALISASI_TW[q]),
                        )
                    )
                else:
                    first[key] = (doc, row)
    return out


@check(F.TRIWULAN_TIDAK_KONSISTEN, needs=(RA,))
def check_quarters(group: Group) -> list[Finding]:
    out = []
    by_kode = group.indicators_by_kode()
    for doc in group.ras:
        for row in doc.data.rows:
            ind = by_kode.get(_key(row.kode_indikator))
            filled = [i for i, v in enumerate(row.realisasi_tw) if v is not None]
            if filled:
                # An empty quarter between two reported ones; a yearly figure reported only in TW IV is fine.
                gaps = [i for i in range(filled[0], filled[-1]) if row.realisasi_tw[i] is None]
                if gaps:
                    out.append(
                        _at(
                            doc,
                            F.TRIWULAN_TIDAK_KONSISTEN,
                            f"Realisasi {C.QUARTERS[filled[-1]]} terisi padahal {', '.join(C.QUARTERS[i] for i in gaps)} kosong; isi 0 bila memang tidak ada realisasi.",
                            ra_kind.TABLE.name,
                            row.cells.get(C.H_REALISASI_TW[filled[-1]]),
                        )
                    )
            targets = [v for v in row.target_tw if isinstance(v, Number)]
            if ind and ind.cara == C.CARA_KUMULATIF and targets and isinstance(row.target_tahunan, Number):
                total = sum(v.value for v in targets)
                if not same_value(Number(total), row.target_tahunan):
                    out.append(
                        _at(
                            doc,
                            F.TRIWULAN_TIDAK_KONSISTEN,
                            f"Indikator {display(row.kode_indikator)} dihitung Kumulatif, tetapi jumlah target triwulan {format_number(total, None)} tidak sama dengan Target Tahunan {show(row.target_tahunan)}.",
                            ra_kind.TABLE.name,
                            row.cells.get(C.H_TARGET_TW[3]),
                        )
                    )
    return out


@check(F.PROGRAM_TIDAK_DIKENAL, F.PAGU_BERBEDA, F.ANGGARAN_MELEBIHI_PAGU, F.PEMERIKSAAN_DILEWATI, needs=(PK, RA))
def check_budget_against_pk(group: Group) -> list[Finding]:
    if table_unread(group.pk, pk_kind.ANGGARAN.name):  # every RA program would be "unknown": one note instead
        dependents = [d for d in group.ras if d.data.budget_rows]
        if not dependents:
            return []
        return [_at(group.pk, F.PEMERIKSAAN_DILEWATI, _skipped(pk_kind.ANGGARAN.name, "Kode Program dan Pagu", dependents, ra_kind.NAME), pk_kind.ANGGARAN.name, None)]
    out = []
    programs = {_key(p.kode): p for p in group.pk.data.programs if p.kode}
    totals: dict[str, float] = defaultdict(float)
    last_row: dict[str, tuple[Document, object]] = {}
    for doc in group.ras:
        for b in doc.data.budget_rows:
            if not b.kode_program:
                continue
            prog = programs.get(_key(b.kode_program))
            if prog is None:
                out.append(
                    _at(
                        doc,
                        F.PROGRAM_TIDAK_DIKENAL,
                        f'Kode Program "{display(b.kode_program)}" tidak ada di lembar Anggaran PK {group.pk.display_name}.',
                        ra_kind.ANGGARAN.name,
                        b.cells.get(C.H_KODE_PROGRAM),
                    )
                )
                continue
            if b.pagu is not None and prog.pagu is not None and abs(b.pagu - prog.pagu) > 0.5:
                out.append(
                    _at(
                        doc,
                        F.PAGU_BERBEDA,
                        f'Pagu program "{display(b.kode_program)}" Rp {format_number(b.pagu)} berbeda dengan pagu PK Rp {format_number(prog.pagu)}.',
                        ra_kind.ANGGARAN.name,
                        b.cells.get(C.H_PAGU_RP),
                    )
                )
            totals[_key(b.kode_program)] += ra_kind.spent(b)
            last_row[_key(b.kode_program)] = (doc, b)
    # A row above its own pagu is already reported by check_budget_within_pagu.
    reported = {_key(b.kode_program) for d in group.ras for b in ra_kind.over_own_pagu(d)}
    for kode, total in totals.items():
        prog = programs[kode]
        if prog.pagu is not None and total > prog.pagu + 0.5 and kode not in reported:
            doc, b = last_row[kode]
            out.append(ra_kind.over_pagu(doc, b, 3, f'Realisasi program "{display(prog.kode)}" dari semua RA Rp {format_number(total)} melebihi pagu PK Rp {format_number(prog.pagu)}.'))
    return out


# --- against the Renstra -------------------------------------------------------------------------


def _below(target: Value, floor: Value, polaritas: str | None) -> bool:
    """The PK target falls short of the national one (above it for negative polarity; a lower rank for grades)."""
    if isinstance(target, Grade) and isinstance(floor, Grade):
        return target.scale == floor.scale and target.rank < floor.rank
    if isinstance(target, Number) and isinstance(floor, Number):
        if same_value(target, floor):
            return False
        return target.value > floor.value if polaritas == C.POLARITAS_NEGATIF else target.value < floor.value
    return False


@check(F.INDIKATOR_DI_LUAR_RENSTRA, F.TARGET_RENSTRA_BERBEDA, F.TARGET_DI_BAWAH_NASIONAL, F.PEMERIKSAAN_DILEWATI, needs=(PK, RENSTRA))
def check_pk_against_renstra(group: Group) -> list[Finding]:
    pk, renstra = group.pk, group.of(RENSTRA)[0]
    if table_unread(renstra, renstra_kind.SHEET_TARGET):  # every PK indicator would be "outside the Renstra"
        if not pk.data.indicators:
            return []
        return [_at(renstra, F.PEMERIKSAAN_DILEWATI, _skipped(renstra_kind.SHEET_TARGET, "indikator dan target", [pk], pk_kind.KIND.short), renstra_kind.SHEET_TARGET, None)]
    by_kode = renstra.data.indicator_by_kode()
    sheet = pk_kind.TABLE.name
    out = []
    for ind in pk.data.indicators:
        if not ind.kode:
            continue
        r = by_kode.get(_key(ind.kode))
        if r is None:
            out.append(
                _at(
                    pk,
                    F.INDIKATOR_DI_LUAR_RENSTRA,
                    f'Indikator {display(ind.kode)} "{display(ind.nama)}" tidak ada di Renstra {renstra.display_name} ({renstra.identity.periode}).',
                    sheet,
                    ind.cells.get(C.H_KODE_INDIKATOR),
                )
            )
            continue
        for header, mine, theirs in ((C.H_JENIS, ind.jenis, r.jenis), (C.H_POLARITAS, ind.polaritas, r.polaritas)):
            if mine and theirs and mine != theirs:
                out.append(
                    _at(
                        pk,
                        F.INDIKATOR_DI_LUAR_RENSTRA,
                        f"{header} {ind.kode} di PK {mine} berbeda dengan Renstra {theirs}; samakan, karena capaian antar tahun dihitung dengan aturan PK.",
                        sheet,
                        ind.cells.get(header),
                    )
                )
        if ind.nama and r.nama and _key(ind.nama) != _key(r.nama):
            out.append(
                _at(
                    pk,
                    F.INDIKATOR_DI_LUAR_RENSTRA,
                    f'Indikator {display(ind.kode)} di PK "{display(ind.nama)}" berbeda dengan Renstra "{display(r.nama)}"; samakan rumusannya.',
                    sheet,
                    ind.cells.get(C.H_INDIKATOR),
                )
            )
        year_target = r.targets.get(group.tahun)
        if ind.target is not None and year_target is not None and not same_value(ind.target, year_target):
            header = renstra_kind.target_header(group.tahun)
            out.append(
                _at(
                    pk,
                    F.TARGET_RENSTRA_BERBEDA,
                    f"Target {show(ind.target, ind.jenis)} berbeda dengan {header} Renstra {show(year_target, ind.jenis)} untuk {display(ind.kode)}.",
                    sheet,
                    ind.cells.get(C.H_TARGET),
                )
            )
        if ind.target_renstra is not None and r.target_akhir is not None and not same_value(ind.target_renstra, r.target_akhir):
            out.append(
                _at(
                    pk,
                    F.TARGET_RENSTRA_BERBEDA,
                    f"{C.H_TARGET_RENSTRA} {show(ind.target_renstra, ind.jenis)} berbeda dengan {renstra_kind.H_TARGET_AKHIR} di Renstra {show(r.target_akhir, ind.jenis)} untuk {display(ind.kode)}.",
                    sheet,
                    ind.cells.get(C.H_TARGET_RENSTRA),
                )
            )
        if ind.target is not None and r.target_nasional is not None and _below(ind.target, r.target_nasional, ind.polaritas or r.polaritas):
            lower = "lebih longgar dari" if (ind.polaritas or r.polaritas) == C.POLARITAS_NEGATIF else "di bawah"
            out.append(
                _at(
                    pk,
                    F.TARGET_DI_BAWAH_NASIONAL,
                    f"Target {show(ind.target, ind.jenis)} untuk {display(ind.kode)} {lower} Target Nasional {show(r.target_nasional, ind.jenis)}; target daerah tidak boleh berada di bawah target nasional.",
                    sheet,
                    ind.cells.get(C.H_TARGET),
                )
            )
    return out


@check(F.TAHUN_DI_LUAR_PERIODE, needs=(PK,))
def check_year_in_period(group: Group) -> list[Finding]:
    if group.of(RENSTRA) or not group.outside or group.tahun is None:
        return []
    periods = ", ".join(sorted({d.identity.periode for d in group.outside}))
    pk = group.pk
    return [
        _at(
            pk,
            F.TAHUN_DI_LUAR_PERIODE,
            f"Tahun PK {group.tahun} di luar periode Renstra {group.satker} yang diberikan ({periods}); pembandingan dengan Renstra dilewati.",
            C.IDENTITAS,
            pk.identity.cells.get(C.L_TAHUN),
        )
    ]


@check(F.RENSTRA_GANDA, needs=(RENSTRA,))
def check_renstra_count(group: Group) -> list[Finding]:
    if not group.periods_only:  # checked once, in the satker's own group of period documents
        return []
    out = []
    docs = group.of(RENSTRA)
    for i, doc in enumerate(docs):
        years = doc.identity.years
        for first in docs[:i]:
            other = first.identity.years
            if years and other and set(years) & set(other):
                out.append(
                    _at(
                        doc,
                        F.RENSTRA_GANDA,
                        f"Periode {doc.identity.periode} bertumpang tindih dengan Renstra {first.display_name} ({first.identity.periode}); satu satker memakai satu Renstra per tahun, hanya yang pertama dipakai.",
                        C.IDENTITAS,
                        doc.identity.cells.get(renstra_kind.L_PERIODE),
                    )
                )
                break
    return out


@check(F.RIWAYAT_BERBEDA, needs=(PK, RENSTRA))
def check_riwayat_against_year(group: Group) -> list[Finding]:
    """The Renstra's history for the PK's own year against the RAs; the PK's Realisasi Tahun Lalu against the history."""
    from ..core.capaian import aggregate_quarters, merge_quarters

    pk, renstra = group.pk, group.of(RENSTRA)[0]
    year = group.tahun
    riwayat = renstra.data.riwayat_by_kode()
    rows_by_kode: dict[str, list[RARow]] = defaultdict(list)
    for doc in group.ras:
        for row in doc.data.rows:
            rows_by_kode[_key(row.kode_indikator)].append(row)
    out = []
    for ind in pk.data.indicators:
        r = riwayat.get(_key(ind.kode)) if ind.kode else None
        if r is None:
            continue
        written = r.realisasi.get(year)
        rows = rows_by_kode.get(_key(ind.kode), [])
        actual = aggregate_quarters(merge_quarters(rows, "realisasi_tw"), ind.cara) if rows and ind.cara else None
        if written is not None and actual is not None and not same_value(written, actual):
            header = renstra_kind.realisasi_header(year)
            out.append(
                _at(
                    renstra,
                    F.RIWAYAT_BERBEDA,
                    f"{header} {display(ind.kode)} {show(written, ind.jenis)} berbeda dengan realisasi dari Rencana Aksi {show(actual, ind.jenis)}; yang dipakai realisasi Rencana Aksi.",
                    renstra_kind.SHEET_RIWAYAT,
                    r.cells.get(header),
                )
            )
        last = r.realisasi.get(year - 1) if year is not None else None
        if ind.realisasi_lalu is not None and last is not None and not same_value(ind.realisasi_lalu, last):
            out.append(
                _at(
                    pk,
                    F.RIWAYAT_BERBEDA,
                    f"{C.H_REALISASI_LALU} {show(ind.realisasi_lalu, ind.jenis)} berbeda dengan {renstra_kind.realisasi_header(year - 1)} di Renstra {show(last, ind.jenis)} untuk {display(ind.kode)}.",
                    pk_kind.TABLE.name,
                    ind.cells.get(C.H_REALISASI_LALU),
                )
            )
    spent = [v for doc in group.ras for b in doc.data.budget_rows for v in b.realisasi_tw if v is not None]
    for b in renstra.data.anggaran:
        if b.tahun == year and b.realisasi is not None and spent and abs(b.realisasi - sum(spent)) > 0.5:
            out.append(
                _at(
                    renstra,
                    F.RIWAYAT_BERBEDA,
                    f"Realisasi anggaran {year} di Renstra Rp {format_number(b.realisasi)} berbeda dengan realisasi dari Rencana Aksi Rp {format_number(sum(spent))}; yang dipakai Rencana Aksi.",
                    renstra_kind.SHEET_ANGGARAN,
                    b.cells.get(renstra_kind.H_REALISASI_RP),
                )
            )
    return out


SET_CHECKS: tuple[Check, ...] = (
    check_pk_count,
    check_ra_against_pk,
    check_ra_pelaksana,
    check_indicators_covered,
    check_double_realisasi,
    check_quarters,
    check_budget_against_pk,
    check_pk_against_renstra,
    check_year_in_period,
    check_renstra_count,
    check_riwayat_against_year,
)


def run_set_checks(group: Group) -> list[Finding]:
    """The findings of every set check whose kinds the (resolved) group has."""
    return [f for c in SET_CHECKS if all(group.of(k) for k in c.needs) for f in c(group)]


def check_resolved(resolved: Resolved) -> list[Finding]:
    """The check phase of one group: the findings of resolving it, then of every set check that applies."""
    return resolved.findings + run_set_checks(resolved.group)
