"""DocumentKind: everything kpu-xl knows about one kind of workbook, in one object.

A kind is its contract (sheets, headers, identity labels, marker code, template
version), its reader (tables -> the kind's data class), its single-file checks and
its template writer. Reading, grouping and the pipeline look a kind up in the
registry (kinds/__init__.py) instead of branching on it; adding a kind is adding
one module and registering it there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core.check import Check
from ..core.contract import SHEET_PETUNJUK, IdentitySheet, TableSheet


@dataclass(frozen=True)
class DocumentKind:
    code: str  # in the marker: kpu-xl:<code>:<version>
    name: str  # in Bahasa Indonesia, e.g. "Perjanjian Kinerja"
    version: int  # the template version this release writes and reads
    identity: IdentitySheet
    identity_class: type  # model.Identity subclass the Identitas sheet fills
    tables: tuple[TableSheet, ...]
    read: Callable  # (XlsxSource, Document) -> the kind's data (model.PKData, ...)
    file_checks: tuple[Check, ...]
    write_template: Callable  # (path, **options) -> None; options are the kind's own
    shipped: str  # the blank template's file name in templates/

    @property
    def sheets(self) -> tuple[str, ...]:
        return (SHEET_PETUNJUK, self.identity.name, *(t.name for t in self.tables))

    @property
    def marker(self) -> str:
        from ..core.contract import marker_value

        return marker_value(self.code, self.version)
