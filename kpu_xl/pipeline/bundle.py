"""Group: the documents of one satker and year, by kind (a PK, its RAs, the Renstra covering the year).

Documents with a year (PK, RA) are grouped by satker and year. A document with a period (a
Renstra: its identity has `years`) joins every group of its satker whose year lies in the
period, and also sits in a group of its own (the satker's period documents, tahun None), where
what concerns the period documents themselves is checked once (renstra-ganda). A year group
also knows its satker's period documents that do not cover its year (`outside`), so a check
can say that the year lies outside every period given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.contract import text_key
from ..kinds import PK, RA
from ..kinds.pk import Indicator
from ..model import Document


@dataclass
class Group:
    """The documents of one satker and year, each list in input order."""

    satker: str
    tahun: int | None
    docs: dict[str, list[Document]] = field(default_factory=dict)  # kind code -> documents
    outside: list[Document] = field(default_factory=list)  # the satker's period documents not covering tahun
    periods_only: bool = False  # the group of a satker's period documents (Renstra), not of a year
    # Documents of the satker whose year or satker could not be read (nilai-tidak-valid or
    # nilai-wajib-kosong at Identitas): grouped apart, they may still belong here, so what their
    # absence would report (pk-tidak-ada, indikator-tanpa-rencana-aksi) is not reported as a fault.
    unplaced: list[Document] = field(default_factory=list)

    def of(self, kind: str) -> list[Document]:
        return self.docs.get(kind, [])

    @property
    def members(self) -> list[Document]:
        return [d for docs in self.docs.values() for d in docs]

    @property
    def pks(self) -> list[Document]:
        return self.of(PK)

    @property
    def ras(self) -> list[Document]:
        return self.of(RA)

    @property
    def pk(self) -> Document | None:
        """The PK the group is checked and computed against: the first one (more are pk-ganda)."""
        return self.pks[0] if self.pks else None

    def indicators_by_kode(self) -> dict[str, Indicator]:
        out: dict[str, Indicator] = {}
        if self.pk:
            for ind in self.pk.data.indicators:
                if ind.kode:
                    out.setdefault(text_key(ind.kode), ind)
        return out


def _years(doc: Document) -> range | None | bool:
    """The years a period document covers (None when its period is unreadable); False for a yearly one."""
    return getattr(doc.identity, "years", False)


def group_documents(documents: list[Document]) -> list[Group]:
    """Readable documents grouped by satker and year (Identitas), in order of first appearance;
    period documents (a Renstra) join the year groups of their satker that they cover."""
    groups: dict[tuple, Group] = {}
    periodic: list[Document] = []
    for doc in documents:
        if not doc.readable or doc.kind is None:
            continue
        if _years(doc) is not False:
            periodic.append(doc)
            continue
        key = doc.identity.group_key
        group = groups.setdefault(key, Group(doc.identity.satker, doc.identity.tahun))
        group.docs.setdefault(doc.kind, []).append(doc)
    for doc in periodic:
        satker, _ = doc.identity.group_key
        own = groups.setdefault(("periode", satker), Group(doc.identity.satker, None, periods_only=True))
        own.docs.setdefault(doc.kind, []).append(doc)
        years = _years(doc)
        for (key_satker, tahun), group in list(groups.items()):
            if group.periods_only or key_satker != satker:
                continue
            if years and tahun in years:
                group.docs.setdefault(doc.kind, []).append(doc)
            else:
                group.outside.append(doc)
    loose = [(key, g) for key, g in groups.items() if not g.periods_only and (key[0] == "" or key[1] is None)]
    if loose:  # rare: a workbook whose Identitas Satuan Kerja or Tahun could not be read
        for (satker, tahun), group in groups.items():
            if not group.periods_only and satker != "" and tahun is not None:
                group.unplaced = [d for (s, t), g in loose if s in (satker, "") and t in (tahun, None) for d in g.members]
    return list(groups.values())
