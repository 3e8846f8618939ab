"""Capaian: the one place where achievement against target is computed.

Pure functions over typed values (values.Number / values.Grade) and a Policy.
Nothing here divides by zero: a figure that cannot be computed is a Capaian
with value None and a reason in Bahasa Indonesia. Full precision is kept;
rounding is for display only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .contract import CARA_KUMULATIF, CARA_POSISI_AKHIR, CARA_RATA_RATA, POLARITAS_NEGATIF
from .policy import DEFAULT_POLICY, NEGATIF_T_OVER_R, Policy
from .values import Grade, Number, Value


@dataclass(frozen=True)
class Capaian:
    value: float | None  # percent points after the policy's cap; None = not computable
    uncapped: float | None = None  # before the cap (equal to value when no cap applied)
    met: bool | None = None  # for ordinal indicators: realisasi at or above target
    reason: str | None = None  # why it could not be computed

    @property
    def computable(self) -> bool:
        return self.value is not None

    @property
    def capped(self) -> bool:
        return self.value is not None and self.uncapped is not None and self.uncapped > self.value


def _not_computable(reason: str) -> Capaian:
    return Capaian(None, None, None, reason)


def _apply_cap(raw: float, policy: Policy, met: bool | None = None) -> Capaian:
    if not math.isfinite(raw):  # e.g. a target of 5e-324: R / T overflows
        return _not_computable("capaian tidak terhingga (target terlalu kecil)")
    value = raw if policy.batas_atas is None else min(raw, policy.batas_atas)
    return Capaian(value, raw, met)


def indicator_capaian(
    target: Value | None,
    realisasi: Value | None,
    polaritas: str = "Positif",
    policy: Policy = DEFAULT_POLICY,
) -> Capaian:
    """Capaian of one indicator.

    Positive: R / T x 100. Negative: (2T - R) / T x 100, or T / R x 100 by policy.
    Target 0: negative with R = 0 gives 100; otherwise not computable.
    Ordinal (Grade): met when rank(R) >= rank(T) -> 100; else rank(R) / rank(T) x 100.
    """
    if target is None:
        return _not_computable("target kosong")
    if realisasi is None:
        return _not_computable("realisasi belum diisi")
    if isinstance(target, Grade) or isinstance(realisasi, Grade):
        if not (isinstance(target, Grade) and isinstance(realisasi, Grade)) or target.scale != realisasi.scale:
            return _not_computable("target dan realisasi tidak sejenis (predikat/opini dengan angka)")
        met = realisasi.rank >= target.rank
        raw = 100.0 if met else realisasi.rank / target.rank * 100
        return _apply_cap(raw, policy, met)
    t, r = target.value, realisasi.value
    if t < 0:
        return _not_computable("target negatif")
    negative = polaritas == POLARITAS_NEGATIF
    if t == 0:
        if negative and r == 0:
            return _apply_cap(100.0, policy)
        return _not_computable("target 0: capaian tidak dapat dihitung (tidak ada rumus resmi)")
    if not negative:
        raw = r / t * 100
    elif policy.rumus_negatif == NEGATIF_T_OVER_R:
        if r <= 0:
            return _not_computable("realisasi 0 atau negatif pada rumus T/R")
        raw = t / r * 100
    else:
        raw = (2 * t - r) / t * 100
    return _apply_cap(raw, policy)


def aggregate_quarters(quarters: Sequence[Value | None], cara: str) -> Value | None:
    """Year realisasi from quarterly realisasi (TW I..IV), partially filled years allowed.

    Kumulatif: sum of filled quarters. Posisi Akhir: the latest filled quarter.
    Rata-rata: mean of filled quarters. Grades are always Posisi Akhir.
    A warning on any quarter is not carried: the caller reports it at its cell.
    """
    filled = [q for q in quarters if q is not None]
    if not filled:
        return None
    if any(isinstance(q, Grade) for q in filled) or cara == CARA_POSISI_AKHIR:
        return filled[-1] if not isinstance(filled[-1], Number) else Number(filled[-1].value)
    numbers = [q.value for q in filled if isinstance(q, Number)]
    if cara == CARA_KUMULATIF:
        return Number(sum(numbers))
    if cara == CARA_RATA_RATA:
        return Number(sum(numbers) / len(numbers))
    raise ValueError(f"unknown Cara Menghitung Realisasi: {cara!r}")


def merge_quarters(rows: Sequence[object], attr: str) -> list[Value | None]:
    """Per quarter, the first filled value among an indicator's RA rows (a second one is realisasi-ganda)."""
    merged: list[Value | None] = [None] * 4
    for row in rows:
        for q, v in enumerate(getattr(row, attr)):
            if merged[q] is None and v is not None:
                merged[q] = v
    return merged


def cumulative_quarters(quarters: Sequence[Value | None], cara: str) -> list[Value | None]:
    """The running year-to-date realisasi after each quarter (None before the first filled one)."""
    return [aggregate_quarters(quarters[: i + 1], cara) for i in range(len(quarters))]


def mean_capaian(items: Sequence[Capaian | float | None]) -> float | None:
    """Mean of the computable figures; None when none is computable.

    Used for a sasaran (mean of its indicators) and for the satker (mean of sasaran).
    """
    values = []
    for item in items:
        v = item.value if isinstance(item, Capaian) else item
        if v is not None:
            values.append(v)
    if not values:
        return None
    return sum(values) / len(values)


def serapan(pagu: float | None, realisasi: float | None) -> float | None:
    """Budget absorption in percent points; None when pagu is missing or zero."""
    if pagu is None or realisasi is None or pagu <= 0:
        return None
    return realisasi / pagu * 100


def efisiensi(capaian_kinerja: float | None, serapan_anggaran: float | None) -> float | None:
    """Capaian kinerja minus serapan anggaran (percent points): positive = more result per rupiah.

    LKjIP BAB III practice compares the two side by side; the difference is the
    usual one-number summary. None when either side is missing.
    """
    if capaian_kinerja is None or serapan_anggaran is None:
        return None
    return capaian_kinerja - serapan_anggaran
