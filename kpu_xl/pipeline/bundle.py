"""Group: the documents of one satker and year, by kind (a PK, its RAs, and later a Renstra)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.contract import text_key
from ..model import Document, Indicator


@dataclass
class Group:
    """The documents of one satker and year, each list in input order."""

    satker: str
    tahun: int | None
    docs: dict[str, list[Document]] = field(default_factory=dict)  # kind code -> documents

    def of(self, kind: str) -> list[Document]:
        return self.docs.get(kind, [])

    @property
    def members(self) -> list[Document]:
        return [d for docs in self.docs.values() for d in docs]

    @property
    def pks(self) -> list[Document]:
        from ..kinds import PK

        return self.of(PK)

    @property
    def ras(self) -> list[Document]:
        from ..kinds import RA

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


def group_documents(documents: list[Document]) -> list[Group]:
    """Readable documents grouped by satker and year (Identitas), in order of first appearance."""
    groups: dict[tuple[str, int | None], Group] = {}
    for doc in documents:
        if not doc.readable or doc.kind is None:
            continue
        key = doc.identity.group_key
        group = groups.setdefault(key, Group(doc.identity.satker, doc.identity.tahun))
        group.docs.setdefault(doc.kind, []).append(doc)
    return list(groups.values())
