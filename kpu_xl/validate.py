"""validate(paths) -> Report: read every file, check it, group by satker and year, check each set.

The Python face of `kpu-xl validate`; the CLI only formats the Report. One bad
file never stops the others: each becomes findings in the same report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import contract as C
from .checks import FILE_CHECKS, SET_CHECKS, Group
from .findings import ERROR, WARNING, Finding, finding, sort_key
from .model import Document
from .read import read_document
from .source import Limits

# Folders are searched for these; .xls and .ods are included so that users get the
# "convert to .xlsx" message instead of silence.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class Inputs:
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, display name)
    findings: list[Finding] = field(default_factory=list)  # paths that do not exist


def collect_paths(paths: Iterable[str | Path]) -> Inputs:
    """Files as given; folders searched recursively for workbooks (sorted, lock files skipped)."""
    out = Inputs()
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                q for q in p.rglob("*")
                if q.suffix.lower() in WORKBOOK_SUFFIXES and q.is_file() and not q.name.startswith(("~$", ".~lock"))
            )
            out.files.extend((q, str(q)) for q in found)
        elif p.exists():
            out.files.append((p, str(p)))
        else:
            out.findings.append(finding("berkas-tidak-terbaca", "Berkas atau folder tidak ditemukan.", str(p)))
    return out


@dataclass
class LoadResult:
    """Everything read from a set of paths: documents, their groups, and all findings so far."""

    documents: list[Document]
    groups: list[Group]
    findings: list[Finding]
    inputs_found: int  # how many files the paths named (0 means there was nothing to do)


def load(paths: Iterable[str | Path], limits: Limits | None = None, progress: Callable[[str], None] | None = None) -> LoadResult:
    inputs = collect_paths(paths)
    findings = list(inputs.findings)
    documents: list[Document] = []
    seen_hash: dict[str, Document] = {}
    for path, name in inputs.files:
        if progress:
            progress(name)
        doc = read_document(path, name, limits)
        if doc.sha256 and doc.sha256 in seen_hash:
            first = seen_hash[doc.sha256]
            findings.append(finding("berkas-ganda", f"Isi berkas ini sama persis dengan {first.display_name}; hanya yang pertama diperiksa dan dihitung.", name))
            continue
        if doc.sha256:
            seen_hash[doc.sha256] = doc
        documents.append(doc)
        findings.extend(doc.findings)
        if doc.readable:
            for check in FILE_CHECKS:
                findings.extend(check(doc))
    groups = group_documents(documents)
    for group in groups:
        for check in SET_CHECKS:
            findings.extend(check(group))
    findings.sort(key=sort_key)
    return LoadResult(documents, groups, findings, len(inputs.files))


def group_documents(documents: list[Document]) -> list[Group]:
    groups: dict[tuple[str, int | None], Group] = {}
    for doc in documents:
        if not doc.readable or doc.kind is None:
            continue
        key = doc.identity.group_key
        group = groups.setdefault(key, Group(doc.identity.satker, doc.identity.tahun))
        (group.pks if doc.kind == C.KIND_PK else group.ras).append(doc)
    return list(groups.values())


@dataclass
class Report:
    """A validation report: structured, printable and JSON-able."""

    files: list[dict]
    findings: list[Finding]
    inputs_found: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)

    @property
    def exit_code(self) -> int:
        """0: no errors; 1: errors found; 2: nothing to validate."""
        if self.inputs_found == 0:
            return 2
        return 1 if self.errors else 0

    def summary_line(self) -> str:
        return f"{self.errors} galat, {self.warnings} peringatan dalam {len(self.files)} berkas"

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "findings": [f.as_dict() for f in self.findings],
            "summary": {"errors": self.errors, "warnings": self.warnings, "files": len(self.files)},
        }


def file_summary(doc: Document) -> dict:
    return {
        "file": doc.display_name,
        "kind": doc.kind,
        "template_version": doc.version,
        "satker": doc.identity.satker or None,
        "tahun": doc.identity.tahun,
        "divisi": doc.identity.divisi or None,
        "sha256": doc.sha256 or None,
        "rows": len(doc.indicators) + len(doc.programs) + len(doc.ra_rows) + len(doc.budget_rows),
        "readable": doc.readable,
    }


def report_of(result: LoadResult) -> Report:
    return Report([file_summary(d) for d in result.documents], result.findings, result.inputs_found)


def validate(paths: Iterable[str | Path], limits: Limits | None = None) -> Report:
    """Validate workbooks (files or folders) and return the report as data."""
    return report_of(load(paths, limits))
