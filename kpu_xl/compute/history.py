"""This year's figures against the Renstra: previous years, the end-of-period target, the budget over the years.

BAB III's comparisons (PermenPAN-RB 53/2014; the SAKIP evaluation's criterion 3.b): for each PK
indicator, target, realisasi and capaian in every year of the Renstra period up to the report
year (earlier years from the Renstra's Riwayat Realisasi, the report year from the Rencana
Aksi, each year's capaian by that year's target and the same policy), the change against the
previous year, realisasi to date against the end-of-period target with a status (policy), and
budget realisation per year. Pure: documents and figures in, figures out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from ..core.capaian import Capaian, indicator_capaian, mean_capaian, serapan
from ..core.contract import POLARITAS_POSITIF
from ..core.contract import text_key as _key
from ..core.policy import Policy
from ..core.values import Value
from ..kinds.renstra import RenstraIndicator
from ..model import Document, Source

if TYPE_CHECKING:
    from .satker import Consolidated


@dataclass
class YearFigure:
    year: int
    target: Value | None
    realisasi: Value | None
    capaian: Capaian
    sources: list[Source] = field(default_factory=list)  # where target and realisasi came from


@dataclass
class IndicatorHistory:
    kode: str
    nama: str
    satuan: str
    kode_sasaran: str
    years: list[YearFigure]  # the period's years up to the report year
    renstra: RenstraIndicator | None  # None: the indicator is not in the Renstra

    @property
    def current(self) -> YearFigure:
        return self.years[-1]

    @property
    def previous(self) -> YearFigure | None:
        return self.years[-2] if len(self.years) > 1 else None

    @property
    def perubahan(self) -> float | None:
        """Capaian this year minus last year, in points; None when either is not computable."""
        prev = self.previous
        if prev is None or prev.capaian.value is None or self.current.capaian.value is None:
            return None
        return self.current.capaian.value - prev.capaian.value


@dataclass
class MediumTerm:
    kode: str
    nama: str
    kondisi_awal: Value | None
    target_akhir: Value | None
    realisasi: Value | None  # the report year's realisasi
    capaian: Capaian  # realisasi against the end-of-period target
    status: str | None  # policy.status_jangka_menengah
    sources: list[Source] = field(default_factory=list)


@dataclass
class BudgetYear:
    tahun: int
    pagu: float | None
    realisasi: float | None
    serapan: float | None
    source: str  # "Renstra: file › sheet!cell" or "Rencana Aksi"


@dataclass
class History:
    renstra: Document
    year: int  # the report year
    years: list[int]  # the period's years up to the report year
    indicators: list[IndicatorHistory]
    medium_term: list[MediumTerm]
    budget: list[BudgetYear]
    satker_capaian_lalu: float | None  # last year's satker capaian, aggregated as this year's
    serapan_lalu: float | None

    @property
    def naik(self) -> int:
        return sum(1 for h in self.indicators if h.perubahan is not None and h.perubahan > 1e-9)

    @property
    def turun(self) -> int:
        return sum(1 for h in self.indicators if h.perubahan is not None and h.perubahan < -1e-9)

    @property
    def tetap(self) -> int:
        return sum(1 for h in self.indicators if h.perubahan is not None and abs(h.perubahan) <= 1e-9)

    @property
    def with_previous(self) -> int:
        """Indicators with a previous-year realisasi (criterion 3.b: comparison with previous years)."""
        return sum(1 for h in self.indicators if h.previous is not None and h.previous.realisasi is not None)

    @property
    def with_end_target(self) -> int:
        """Indicators with an end-of-period target (criterion 3.b: comparison with the medium-term target)."""
        return sum(1 for m in self.medium_term if m.target_akhir is not None)

    def as_dict(self) -> dict:
        return {
            "renstra": self.renstra.display_name,
            "periode": self.renstra.identity.periode,
            "tahun": self.year,
            "capaian_satker_tahun_lalu": self.satker_capaian_lalu,
            "serapan_tahun_lalu": self.serapan_lalu,
            "indikator_naik": self.naik,
            "indikator_turun": self.turun,
            "indikator_tetap": self.tetap,
            "indikator_dengan_realisasi_tahun_lalu": self.with_previous,
            "indikator_dengan_target_akhir": self.with_end_target,
            "anggaran": [{"tahun": b.tahun, "pagu": b.pagu, "realisasi": b.realisasi, "serapan": b.serapan} for b in self.budget],
        }


def _cell(renstra: Document, sheet: str, ref: str | None) -> Source:
    return Source(renstra.display_name, sheet, ref)


def history(result: Consolidated, renstra: Document, policy: Policy) -> History | None:
    """The comparisons of a consolidated year against its Renstra; None when the year is not in its period."""
    from ..kinds.renstra import H_REALISASI_RP, H_TARGET_AKHIR, SHEET_ANGGARAN, SHEET_RIWAYAT, SHEET_TARGET, realisasi_header, target_header

    year = result.identity.tahun
    period = renstra.identity.years
    if year is None or period is None or year not in period:
        return None
    years = [y for y in period if y <= year]
    by_kode = renstra.data.indicator_by_kode()  # the first row of a code (a repeat is indikator-ganda)
    riwayat = renstra.data.riwayat_by_kode()
    indicators, medium = [], []
    for r in result.indicators:
        ind = r.indicator
        ri = by_kode.get(_key(ind.kode)) if ind.kode else None
        hist = riwayat.get(_key(ind.kode)) if ind.kode else None
        polaritas = ind.polaritas or (ri.polaritas if ri else None) or POLARITAS_POSITIF
        figures = []
        for y in years[:-1]:
            target = ri.targets.get(y) if ri else None
            realisasi = hist.realisasi.get(y) if hist else None
            sources = []
            if target is not None:
                sources.append(_cell(renstra, SHEET_TARGET, ri.cells.get(target_header(y))))
            if realisasi is not None:
                sources.append(_cell(renstra, SHEET_RIWAYAT, hist.cells.get(realisasi_header(y))))
            figures.append(YearFigure(y, target, realisasi, indicator_capaian(target, realisasi, polaritas, policy), sources))
        figures.append(YearFigure(year, ind.target, r.realisasi, r.capaian, [ind.source, *r.sumber]))
        indicators.append(IndicatorHistory(ind.kode, ind.nama, ri.satuan if ri and not ind.satuan else ind.satuan, ind.kode_sasaran, figures, ri))
        if ri is not None:
            cap = indicator_capaian(ri.target_akhir, r.realisasi, polaritas, policy)
            status = policy.status_jangka_menengah(cap.value, cap.met, r.capaian.value, r.capaian.met)
            sources = [_cell(renstra, SHEET_TARGET, ri.cells.get(H_TARGET_AKHIR)), *r.sumber]
            medium.append(MediumTerm(ind.kode, ind.nama, ri.kondisi_awal, ri.target_akhir, r.realisasi, cap, status, sources))
    # last year's satker capaian, aggregated as this year's: sasaran means, then their mean
    by_sasaran: dict[str, list[Capaian]] = {}
    for h in indicators:
        if h.previous is not None:
            by_sasaran.setdefault(_key(h.kode_sasaran), []).append(h.previous.capaian)
    satker_lalu = mean_capaian([mean_capaian(caps) for caps in by_sasaran.values()]) if by_sasaran else None
    budget = []
    for b in sorted((b for b in renstra.data.anggaran_by_tahun().values() if b.tahun != year and b.tahun in period), key=lambda b: b.tahun):
        where = f"{PurePath(renstra.display_name).name} › {SHEET_ANGGARAN}!{b.cells.get(H_REALISASI_RP)}"
        budget.append(BudgetYear(b.tahun, b.pagu, b.realisasi, serapan(b.pagu, b.realisasi), where))
    budget = [b for b in budget if b.tahun < year]
    budget.append(BudgetYear(year, result.pagu_total, result.realisasi_total, result.serapan_total, "Rencana Aksi (lembar Anggaran)"))
    lalu = next((b.serapan for b in budget if b.tahun == year - 1), None)
    return History(renstra, year, years, indicators, medium, budget, satker_lalu, lalu)
