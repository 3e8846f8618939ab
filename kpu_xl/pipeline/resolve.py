"""Resolve: the values of one document that depend on another, returned as data.

An RA's targets and realisasi mean what the PK's Jenis Nilai says ("100" is 100% for a
Persen indicator, "B" a grade for a Predikat SAKIP one), so they are parsed here, against
the group's PK, into copies of the RA rows. Nothing read is patched in place: the group
given stays as read, and the Resolved group holds the copies. Checks and compute take the
Resolved group; the findings of parsing come back with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..core import contract as C
from ..core import findings as F
from ..core.contract import text_key
from ..core.findings import Finding, finding
from ..kinds import RA
from ..kinds.ra import TABLE, RAData, RARow
from ..model import Document
from ..xlsx.sheet import parse_cell_value
from .bundle import Group

if TYPE_CHECKING:
    from ..core.values import Value


@dataclass
class Resolved:
    """A group whose cross-document values are resolved, with the findings of resolving them."""

    group: Group
    findings: list[Finding] = field(default_factory=list)


def resolve(group: Group) -> Resolved:
    """The group with each RA's targets and realisasi parsed against its PK (copies), and the findings of parsing them."""
    out: list[Finding] = []
    by_kode = group.indicators_by_kode()
    docs = dict(group.docs)
    resolved_ras = []
    for doc in group.of(RA):

        def add(code: F.Code, message: str, cell: str | None, doc: Document = doc) -> None:
            out.append(finding(code, message, doc.display_name, TABLE.name, cell))

        rows = [_resolve_row(row, by_kode, add) for row in doc.data.rows]
        resolved_ras.append(replace(doc, data=RAData(rows, doc.data.budget_rows)))
    if RA in docs:
        docs[RA] = resolved_ras
    return Resolved(replace(group, docs=docs), out)


def _resolve_row(row: RARow, by_kode: dict, add: Callable[[F.Code, str, str | None], None]) -> RARow:  # add: the finding sink
    ind = by_kode.get(text_key(row.kode_indikator))
    jenis = ind.jenis if ind else None

    def parse(header: str, required: bool) -> Value | None:
        if header not in row.cells:
            return None
        return parse_cell_value(add, header, row.raw.get(header), jenis, required=required, ref=row.cells[header])

    return replace(
        row,
        target_tahunan=parse(C.H_TARGET_TAHUNAN, True),
        target_tw=[parse(h, False) for h in C.H_TARGET_TW],
        realisasi_tw=[parse(h, False) for h in C.H_REALISASI_TW],
    )
