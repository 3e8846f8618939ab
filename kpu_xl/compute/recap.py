"""Many satker -> the recap for KPU Provinsi and KPU RI: every (satker, year) as consolidate computes it.

Each group with a PK is computed exactly as `consolidate` computes one (resolve, check, compute,
same policy: api.py does it, in the worker that holds the group) and reduced here to a few
numbers (summarize): a group with errors is kept, its errors counted; a group without a PK is
listed as incomplete. What is missing (no PK, a division that is pelaksana in the PK but sent no
RA, errors, capaian that cannot be computed) is collected for the follow-up list. assemble()
sorts and ranks the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.contract import text_key as _key
from ..core.findings import ERROR, Finding
from ..core.policy import Policy
from ..pipeline.bundle import Group
from .satker import Consolidated

TINGKAT_RI = "KPU RI"
TINGKAT_PROVINSI = "KPU Provinsi"
TINGKAT_KABKOTA = "KPU Kabupaten/Kota"
_PROVINSI = re.compile(r"^KPU\s+Provinsi\s+(.+)$", re.IGNORECASE)
_KABKOTA = re.compile(r"^KPU\s+(Kabupaten|Kota)\b", re.IGNORECASE)
_RI = re.compile(r"^(KPU|KPU\s+RI|KPU\s+Republik\s+Indonesia|Komisi\s+Pemilihan\s+Umum(\s+Republik\s+Indonesia)?)$", re.IGNORECASE)


def tingkat(satker: str) -> str | None:
    """The level of a satker from its name: KPU RI, KPU Provinsi, KPU Kabupaten/Kota; None when unclear."""
    name = " ".join(satker.split())
    if _PROVINSI.match(name):
        return TINGKAT_PROVINSI
    if _KABKOTA.match(name):
        return TINGKAT_KABKOTA
    if _RI.match(name):
        return TINGKAT_RI
    return None


def provinsi(satker: str) -> str | None:
    """The province a satker's name states (KPU Provinsi Jambi -> Jambi); None when the name does not say.

    A kabupaten/kota's province is not in its name and is never guessed (README: how to supply it)."""
    m = _PROVINSI.match(" ".join(satker.split()))
    return m.group(1) if m else None


@dataclass(frozen=True)
class IndicatorFigure:
    kode: str
    nama: str
    capaian: float | None
    kategori: str | None


@dataclass
class SatkerFigures:
    """What the recap keeps of one satker's consolidation: a few numbers, never its documents."""

    capaian: float | None
    kategori: str | None
    serapan: float | None
    efisiensi: float | None
    status: str
    sasaran: list[tuple[str, float | None]]  # (Kode Sasaran, capaian)
    indicators: list[IndicatorFigure]
    capaian_lalu: float | None = None  # last year's satker capaian, where a Renstra gives the history


@dataclass
class SatkerRecap:
    satker: str
    tahun: int | None
    tingkat: str | None
    provinsi: str | None
    figures: SatkerFigures | None  # None: no PK, nothing to compute
    errors: int
    warnings: int
    missing: list[str]  # what the follow-up list says, one item each
    peringkat: int | None = None

    @property
    def capaian(self) -> float | None:
        return self.figures.capaian if self.figures else None

    @property
    def status(self) -> str:
        return self.figures.status if self.figures else "Tidak dihitung: tidak ada PK"

    @property
    def kelengkapan(self) -> str:
        return "Lengkap" if not self.missing else f"Belum lengkap ({len(self.missing)})"


@dataclass
class Recap:
    satker: list[SatkerRecap]
    findings: list[Finding]
    files: list[dict]
    policy: Policy
    used: set[str] = field(default_factory=set)  # files that went into some satker's figures
    inputs: list = field(default_factory=list)  # the paths read: an output never replaces one of them

    @property
    def incomplete(self) -> list[SatkerRecap]:
        return [s for s in self.satker if s.missing]

    def as_dict(self) -> dict:
        return {
            "satker": [
                {
                    "satker": s.satker,
                    "tahun": s.tahun,
                    "tingkat": s.tingkat,
                    "provinsi": s.provinsi,
                    "capaian": s.capaian,
                    "kategori": s.figures.kategori if s.figures else None,
                    "serapan": s.figures.serapan if s.figures else None,
                    "galat": s.errors,
                    "peringatan": s.warnings,
                    "peringkat": s.peringkat,
                    "belum_lengkap": s.missing,
                }
                for s in self.satker
            ],
            "summary": {"satker": len(self.satker), "belum_lengkap": len(self.incomplete), "files": len(self.files), "findings": len(self.findings)},
        }


def _missing(group: Group, result: Consolidated | None) -> list[str]:
    if group.pk is None:
        return ["tidak ada PK di antara masukan"]
    out = []
    sent = {_key(getattr(d.identity, "divisi", "")) for d in group.ras}
    wanted = list(dict.fromkeys(i.pelaksana for i in group.pk.data.indicators if i.pelaksana))
    out += [f"tidak ada Rencana Aksi {d} (pelaksana di PK)" for d in wanted if _key(d) not in sent]
    if result is not None:
        if result.errors:
            out.append(f"{len(result.errors)} galat validasi (lihat lembar Temuan)")
        blind = [r.indicator.kode for r in result.indicators if not r.capaian.computable]
        if blind:
            out.append(f"capaian tidak dapat dihitung: {', '.join(blind)}")
    return out


def summarize(group: Group, result: Consolidated | None, findings: list[Finding]) -> SatkerRecap:
    """One year group as the recap keeps it: its consolidation (None without a PK) reduced to a few numbers.
    findings: those of the group's own files and of its checks."""
    figures = None
    if result is not None:
        figures = SatkerFigures(
            result.satker_capaian,
            result.satker_kategori,
            result.serapan_total,
            result.efisiensi_total,
            result.status,
            [(s.kode, s.capaian) for s in result.sasaran],
            [IndicatorFigure(r.indicator.kode, r.indicator.nama, r.capaian.value, r.kategori) for r in result.indicators],
            result.history.satker_capaian_lalu if result.history else None,
        )
    errors = sum(1 for f in findings if f.severity == ERROR)
    where = provinsi(group.satker) or (getattr(group.pk.identity, "provinsi", "") if group.pk else "") or None
    return SatkerRecap(group.satker, group.tahun, tingkat(group.satker), where, figures, errors, len(findings) - errors, _missing(group, result))


def assemble(rows: list[SatkerRecap], findings: list[Finding], files: list[dict], policy: Policy, used: set[str]) -> Recap:
    """The recap: satker sorted by name and year, ranked by capaian (ties shared: 1, 1, 3)."""
    rows = sorted(rows, key=lambda s: (_key(s.satker), s.tahun or 0))
    ranked = sorted((s for s in rows if s.capaian is not None), key=lambda s: -s.capaian)
    for s in ranked:
        s.peringkat = 1 + sum(1 for o in ranked if o.capaian > s.capaian + 1e-9)
    return Recap(rows, findings, files, policy, used)
