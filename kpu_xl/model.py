"""What kpu-xl reads from a workbook: a Document (kind, identity, data), each value with its Source.

Plain dataclasses, no Excel objects. Every figure carries where it came from
(file, sheet, cell) so that outputs can say so and findings can point at it.
Values are already parsed (values.Number / values.Grade) or None when empty or
unreadable (the finding that says why is in the document's findings). Each kind
declares its own identity and data classes in its module (kinds/pk.py: PKIdentity,
PKData, Indicator, ...); what every kind shares is here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .core.findings import Finding


@dataclass(frozen=True)
class Source:
    file: str
    sheet: str
    cell: str | None = None

    def __str__(self) -> str:
        return f"{self.file} › {self.sheet}!{self.cell}" if self.cell else f"{self.file} › {self.sheet}"


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
class Document:
    """One input file as read: its kind, identity, data, and the findings about this file alone
    (reading it, and its kind's single-file checks)."""

    path: Path
    display_name: str  # how findings name the file
    kind: str | None  # a kind's code (kinds/), None when unrecognised
    version: int | None = None
    sha256: str = ""
    identity: Identity = field(default_factory=Identity)
    data: object = None  # the kind's data class (kinds/pk.py PKData, ...); None when unreadable or not kept
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True  # False when nothing could be read (berkas-tidak-terbaca, templat-tidak-dikenal)

    @property
    def row_count(self) -> int:
        return self.data.row_count if self.data is not None else 0
