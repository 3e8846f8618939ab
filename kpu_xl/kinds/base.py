"""DocumentKind: everything kpu-xl knows about one kind of workbook, in one object.

A kind is its contract (sheets, headers, identity labels, marker code, template version), its
data classes, its reader (tables -> the kind's data class), its single-file checks and its
template (the writer, and the options a user gives it). Reading, grouping, the pipeline, the
CLI's `template` command and the page's template links look a kind up in the registry
(kinds/__init__.py) instead of branching on it; adding a kind is adding one module and
registering it there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.check import Check
from ..core.contract import SHEET_PETUNJUK, IdentitySheet, TableSheet, marker_value


@dataclass(frozen=True)
class TemplateParam:
    """An option of a kind's template: a keyword of its writer, and the CLI option that gives it."""

    name: str  # the writer's keyword, e.g. "satker"
    flag: str  # the CLI option, e.g. "--satker"
    help: str  # Bahasa Indonesia
    type: type = str  # str or int
    default: object = ""


@dataclass
class TemplateWritten:
    """What writing a template did, for the front end to say."""

    path: Path
    title: str  # "Templat RA", "Templat Renstra 2020-2024"
    count: int | None = None  # indicators prefilled from the source PK (None: blank)
    source: str | None = None  # the source PK's file name
    warnings: list[str] = field(default_factory=list)  # Bahasa Indonesia, each a sentence


@dataclass(frozen=True)
class TemplateSpec:
    """A kind's template: how it is written and what a user can give it."""

    help: str  # the template command's help (Bahasa Indonesia)
    # write(path, *, source, overwrite, **params) -> TemplateWritten; source: a PK Document read as
    # validate reads it (api.template), or None for a blank template
    write: Callable[..., TemplateWritten]
    params: tuple[TemplateParam, ...] = ()
    from_pk: str | None = None  # the --dari option's help when the template can be prefilled from a PK


@dataclass(frozen=True)
class DocumentKind:
    code: str  # in the marker: kpu-xl:<code>:<version>; spelled only in the kind's module
    name: str  # in Bahasa Indonesia, e.g. "Perjanjian Kinerja"
    short: str  # as staff say it: "PK", "RA", "Renstra"
    version: int  # the template version this release writes and reads
    identity: IdentitySheet
    identity_class: type  # the Identity subclass the Identitas sheet fills
    tables: tuple[TableSheet, ...]
    read: Callable  # (XlsxSource, Document) -> the kind's data (PKData, ...)
    file_checks: tuple[Check, ...]
    template: TemplateSpec
    shipped: str  # the blank template's file name in templates/

    @property
    def slug(self) -> str:
        """The kind's name in commands and addresses: `kpu-xl template pk`, GET /templat/pk."""
        return self.code.lower()

    @property
    def sheets(self) -> tuple[str, ...]:
        return (SHEET_PETUNJUK, self.identity.name, *(t.name for t in self.tables))

    @property
    def marker(self) -> str:
        return marker_value(self.code, self.version)
