"""A resolved group (one satker and year) -> the consolidated figures of LKjIP BAB III.

compute(resolved, findings, policy) computes per indicator, sasaran, satker and program,
keeping the source of each realisasi. The figures depend only on the resolved documents and
the policy, never on whether validation ran; findings only mark the rows they are on. It
returns plain objects (Consolidated), which report/ renders. main_group() says which group of
the inputs a consolidation is about, and which documents are not (satker-tahun-berbeda).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..core import contract as C
from ..core import findings as F
from ..core.capaian import Capaian, aggregate_quarters, cumulative_quarters, efisiensi, indicator_capaian, mean_capaian, merge_quarters, serapan
from ..core.contract import text_key as _key
from ..core.errors import KpuXlError
from ..core.findings import ERROR, Finding, error_rows, finding, sheet_key
from ..core.policy import DEFAULT_POLICY, Policy
from ..core.values import Grade, Value
from ..kinds import RENSTRA
from ..kinds.pk import Indicator, PKIdentity, Program
from ..kinds.ra import RARow
from ..model import Document, Source
from ..pipeline.bundle import Group
from ..pipeline.resolve import Resolved
from .history import History, history


class ConsolidateError(KpuXlError):
    """Consolidation cannot run at all (no input, no PK). Message in Bahasa Indonesia; its `report`
    holds what validating the inputs found (set by api.consolidate)."""

    http_status = 422


@dataclass
class IndicatorResult:
    no: int
    indicator: Indicator
    target_tw: list[Value | None]
    realisasi_tw: list[Value | None]
    realisasi: Value | None
    capaian: Capaian
    kategori: str | None
    cumulative_capaian: list[float | None]  # year-to-date capaian after each quarter
    sumber: list[Source]  # where each realisasi came from
    ra_rows: list[RARow]
    errors: list[str] = field(default_factory=list)  # codes of errors on this indicator's rows
    # Last year's realisasi and the Renstra's end target: the PK's own columns, else from the Renstra.
    realisasi_lalu: Value | None = None
    target_renstra: Value | None = None

    @property
    def status(self) -> str:
        """'Tercapai' / 'Tidak tercapai' for ordinal indicators, '' otherwise."""
        if self.capaian.met is None:
            return ""
        return "Tercapai" if self.capaian.met else "Tidak tercapai"


@dataclass
class SasaranResult:
    kode: str
    nama: str
    indicators: list[IndicatorResult]
    capaian: float | None
    kategori: str | None


@dataclass
class ProgramResult:
    program: Program
    realisasi_tw: list[float | None]
    realisasi: float
    serapan: float | None
    capaian_kinerja: float | None  # mean capaian of the indicators linked by Kode Program
    efisiensi: float | None
    linked: list[str]  # Kode Indikator linked to this program


@dataclass
class RAEntry:
    row: RARow
    document: Document
    known: bool  # its Kode Indikator is in the PK
    errors: list[str] = field(default_factory=list)  # codes of errors on this row


@dataclass
class Consolidated:
    identity: PKIdentity
    pk: Document
    policy: Policy
    indicators: list[IndicatorResult]
    sasaran: list[SasaranResult]
    satker_capaian: float | None
    satker_kategori: str | None
    kategori_counts: dict[str, int]
    programs: list[ProgramResult]
    pagu_total: float
    realisasi_total: float
    serapan_total: float | None
    efisiensi_total: float | None
    ra_entries: list[RAEntry]
    findings: list[Finding]
    files: list[dict] = field(default_factory=list)  # every input's summary (pipeline.read.file_summary)
    history: History | None = None  # the comparisons against the Renstra, when one covers the year
    inputs: list = field(default_factory=list)  # the paths read: an output never replaces one of them

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != ERROR]

    @property
    def status(self) -> str:
        if self.errors:
            return f"Ada {len(self.errors)} galat dan {len(self.warnings)} peringatan; baris terdampak ditandai"
        if self.warnings:
            return f"Lolos validasi dengan {len(self.warnings)} peringatan"
        return "Lolos validasi tanpa temuan"


def _realisasi_sources(rows: list[RARow], latest_only: bool) -> list[Source]:
    """The cells the year's realisasi was computed from (Posisi Akhir: the latest one)."""
    out = []
    taken = set()
    for row in rows:
        for q, v in enumerate(row.realisasi_tw):
            if v is not None and q not in taken:
                taken.add(q)
                out.append((q, Source(row.source.file, row.source.sheet, row.cells.get(C.H_REALISASI_TW[q]))))
    out.sort(key=lambda item: item[0])
    sources = [s for _, s in out]
    return sources[-1:] if latest_only else sources


def compute(resolved: Resolved, findings: list[Finding], policy: Policy = DEFAULT_POLICY) -> Consolidated:
    """The figures of one resolved group (its PK and RAs, resolve()d), by the policy.

    findings: what validation found, used only to mark the rows they are on (and kept with the figures).
    """
    if not isinstance(resolved, Resolved):  # an RA's values are only known once resolved against its PK
        raise TypeError("compute() takes pipeline.resolve.resolve(group), not a Group as read")
    group = resolved.group
    pk = group.pk
    if pk is None:
        raise ConsolidateError(f"Tidak ada PK untuk {group.satker} tahun {group.tahun}; konsolidasi memerlukan satu PK.")
    errors_at = error_rows(findings)
    rows_by_kode: dict[str, list[RARow]] = defaultdict(list)
    ra_entries = []
    known = {_key(i.kode) for i in pk.data.indicators if i.kode}
    for doc in group.ras:
        for row in doc.data.rows:
            rows_by_kode[_key(row.kode_indikator)].append(row)
            ra_entries.append(RAEntry(row, doc, _key(row.kode_indikator) in known, errors_at.get((row.source.file, sheet_key(row.source.sheet), row.row), [])))

    results: list[IndicatorResult] = []
    seen_kode: set[str] = set()
    for n, ind in enumerate(pk.data.indicators, 1):
        first_time = _key(ind.kode) not in seen_kode
        seen_kode.add(_key(ind.kode))
        rows = rows_by_kode.get(_key(ind.kode), []) if ind.kode and first_time else []
        realisasi_tw = merge_quarters(rows, "realisasi_tw")
        target_tw = merge_quarters(rows, "target_tw")
        realisasi = aggregate_quarters(realisasi_tw, ind.cara) if ind.cara else None
        cap = indicator_capaian(ind.target, realisasi, ind.polaritas or C.POLARITAS_POSITIF, policy)
        running = cumulative_quarters(realisasi_tw, ind.cara) if ind.cara else [None] * 4
        cumulative = [indicator_capaian(ind.target, r, ind.polaritas or C.POLARITAS_POSITIF, policy).value if r is not None else None for r in running]
        codes = set(errors_at.get((pk.display_name, sheet_key(ind.source.sheet), ind.row), []))
        for row in rows:
            codes.update(errors_at.get((row.source.file, sheet_key(row.source.sheet), row.row), []))
        results.append(
            IndicatorResult(
                no=n,
                indicator=ind,
                target_tw=target_tw,
                realisasi_tw=realisasi_tw,
                realisasi=realisasi,
                capaian=cap,
                kategori=policy.kategori_for(cap.value) if cap.value is not None else None,
                cumulative_capaian=cumulative,
                sumber=_realisasi_sources(rows, latest_only=ind.cara == C.CARA_POSISI_AKHIR or isinstance(realisasi, Grade)),
                ra_rows=rows,
                errors=sorted(codes),
            )
        )

    sasaran: dict[str, SasaranResult] = {}
    for r in results:
        key = _key(r.indicator.kode_sasaran or r.indicator.sasaran)
        if key not in sasaran:
            sasaran[key] = SasaranResult(r.indicator.kode_sasaran, r.indicator.sasaran, [], None, None)
        sasaran[key].indicators.append(r)
    for s in sasaran.values():
        s.capaian = mean_capaian([r.capaian for r in s.indicators])
        s.kategori = policy.kategori_for(s.capaian) if s.capaian is not None else None
    satker = mean_capaian([s.capaian for s in sasaran.values()])

    programs = _programs(pk, group.ras, results)
    pagu_total = sum(p.program.pagu or 0 for p in programs)
    realisasi_total = sum(p.realisasi for p in programs)
    serapan_total = serapan(pagu_total, realisasi_total)
    counts = Counter(r.kategori for r in results if r.kategori)
    result = Consolidated(
        identity=pk.identity,
        pk=pk,
        policy=policy,
        indicators=results,
        sasaran=list(sasaran.values()),
        satker_capaian=satker,
        satker_kategori=policy.kategori_for(satker) if satker is not None else None,
        kategori_counts={b.nama: counts.get(b.nama, 0) for b in policy.kategori},
        programs=programs,
        pagu_total=pagu_total,
        realisasi_total=realisasi_total,
        serapan_total=serapan_total,
        efisiensi_total=efisiensi(satker, serapan_total),
        ra_entries=ra_entries,
        findings=findings,
    )
    _with_renstra(result, group, policy)
    return result


def _with_renstra(result: Consolidated, group: Group, policy: Policy) -> None:
    """The comparisons against the group's Renstra (the first; more are renstra-ganda), and the PK's
    Realisasi Tahun Lalu and Target Renstra columns filled from it where the PK leaves them empty."""
    for r in result.indicators:
        r.realisasi_lalu, r.target_renstra = r.indicator.realisasi_lalu, r.indicator.target_renstra
    renstras = group.of(RENSTRA)
    result.history = history(result, renstras[0], policy) if renstras else None
    if result.history is None:
        return
    for r, h in zip(result.indicators, result.history.indicators):
        if r.realisasi_lalu is None and h.previous is not None:
            r.realisasi_lalu = h.previous.realisasi
        if r.target_renstra is None and h.renstra is not None:
            r.target_renstra = h.renstra.target_akhir


def _programs(pk: Document, ras: list[Document], results: list[IndicatorResult]) -> list[ProgramResult]:
    spent: dict[str, list[float | None]] = defaultdict(lambda: [None] * 4)
    for doc in ras:
        for b in doc.data.budget_rows:
            quarters = spent[_key(b.kode_program)]
            for q, v in enumerate(b.realisasi_tw):
                if v is not None:
                    quarters[q] = (quarters[q] or 0) + v
    out = []
    for p in pk.data.programs:
        quarters = spent.get(_key(p.kode), [None] * 4)
        total = sum(v for v in quarters if v is not None)
        linked = [r for r in results if r.indicator.kode_program and _key(r.indicator.kode_program) == _key(p.kode)]
        kinerja = mean_capaian([r.capaian for r in linked]) if linked else None
        absorbed = serapan(p.pagu, total)
        out.append(ProgramResult(p, list(quarters), total, absorbed, kinerja, efisiensi(kinerja, absorbed), [r.indicator.kode for r in linked]))
    return out


def _when(doc: Document) -> str:
    """'tahun 2023', or for a Renstra 'periode 2020-2024'."""
    periode = getattr(doc.identity, "periode", None)
    if periode is not None:
        return f"periode {periode or '?'}"
    return f"tahun {doc.identity.tahun or '?'}"


def main_group(groups: list[Group], inputs_found: int) -> tuple[Group, list[Finding]]:
    """The group a consolidation is about (the one with a PK and the most RAs), and a
    satker-tahun-berbeda error on every document of another satker or year. ConsolidateError
    when there is nothing to consolidate."""
    if inputs_found == 0:
        raise ConsolidateError("Tidak ada berkas .xlsx/.xlsm yang dapat dibaca.")
    candidates = [g for g in groups if g.pk is not None] or groups
    if not candidates:
        raise ConsolidateError("Tidak ada buku kerja PK/RA kpu-xl yang terbaca di antara masukan.")
    main = max(candidates, key=lambda g: (g.pk is not None, len(g.ras)))
    if main.pk is None:
        when = f" tahun {main.tahun}" if main.tahun is not None else ""
        raise ConsolidateError(f"Tidak ada PK untuk {main.satker}{when} di antara masukan; konsolidasi memerlukan satu PK.")
    out = []
    for g in groups:
        if g is main or (g.periods_only and _key(g.satker) == _key(main.satker)):
            continue  # the satker's own Renstra of another period is not in the way
        for doc in (d for d in g.members if not any(d is m for m in main.members)):
            out.append(
                finding(
                    F.SATKER_TAHUN_BERBEDA,
                    f"Berkas ini milik {doc.identity.satker or '?'} {_when(doc)}, bukan {main.satker} tahun {main.tahun}; tidak ikut dihitung.",
                    doc.display_name,
                    C.IDENTITAS,
                    doc.identity.cells.get(C.L_SATKER),
                )
            )
    return main, out
