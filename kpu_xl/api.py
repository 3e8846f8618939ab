"""The library's front door: the phases of a run, and what every front end (CLI, page, notebook) calls.

The phases are plain functions over values, each in its own module:

    collect(paths)        -> Inputs      the files to read, and what is not read (pipeline/collect.py)
    read(inputs, ...)     -> Reading     each file as a Document with its own findings (pipeline/read.py)
    group(documents)      -> [Group]     one satker and year: its PK, RAs, Renstra (pipeline/bundle.py)
    resolve(group)        -> Resolved    values that depend on another document (pipeline/resolve.py)
    check(resolved)       -> [Finding]   the set checks (pipeline/checks.py)
    compute(resolved, ..) -> Consolidated  the figures of BAB III (compute/satker.py)

Each entry point is a short composition of them: validate, consolidate, recap. A group's work
(resolve once, check, and compute where asked) goes to worker processes as a function and its
arguments (the policy travels with it), so a result never depends on how files fall into
processes nor on the start method. render() writes any result in any registered format
(report/formats.py); template() writes a kind's template. Errors a user can act on raise
KpuXlError (core/errors.py), with a message in Bahasa Indonesia and an exit status.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .compute.recap import Recap, SatkerRecap, assemble, summarize
from .compute.satker import Consolidated, ConsolidateError, main_group
from .compute.satker import compute as compute
from .core.errors import InternalError, KpuXlError
from .core.findings import Finding, Report, sort_key
from .core.policy import DEFAULT_POLICY, Policy, PolicyError
from .core.policy import dump as policy_toml
from .core.policy import load as load_policy
from .kinds import KINDS
from .pipeline.bundle import Group
from .pipeline.bundle import group_documents as group
from .pipeline.checks import check_resolved as check
from .pipeline.collect import Inputs
from .pipeline.collect import collect as collect
from .pipeline.read import Packed, Reading, unpack
from .pipeline.read import read as read_inputs
from .pipeline.resolve import resolve as resolve
from .pipeline.workers import Workers, worker_count
from .xlsx.source import Limits

if TYPE_CHECKING:
    from .kinds.base import TemplateWritten
    from .model import Document
    from .report.formats import Format, Written

__all__ = [
    "Options",
    "collect",
    "read",
    "session",
    "Session",
    "Task",
    "Workers",
    "group",
    "resolve",
    "check",
    "compute",
    "validate",
    "consolidate",
    "recap",
    "render",
    "output_format",
    "check_output",
    "check_template_laporan",
    "annotate",
    "template",
    "frames",
    "load_policy",
    "policy_toml",
    "KINDS",
    "Policy",
    "Limits",
    "Report",
    "Consolidated",
    "Recap",
    "KpuXlError",
    "InternalError",
    "error_of",
    "ConsolidateError",
    "PolicyError",
    "Refused",
]

Paths = Iterable[str | os.PathLike] | Inputs


def error_of(exc: BaseException, concerning: str) -> KpuXlError:
    """The KpuXlError an exception means to a front end: itself; the machine refusing a write (a
    full disk, a closed pipe) with its reason; anything else a bug (InternalError) concerning that."""
    from .core.files import os_error_in, os_reason

    if isinstance(exc, KpuXlError):
        return exc
    if (os_error := os_error_in(exc)) is not None:
        error = KpuXlError(f"Keluaran tidak dapat ditulis: {os_reason(os_error, writing=True)}")
    else:
        error = InternalError.of(exc, concerning)
    error.__cause__ = exc
    return error


Progress = Callable[[str], None] | None


@dataclass(frozen=True)
class Options:
    """How a run works. Everything here travels to worker processes as an argument.

    workers: processes that read and check (None: KPU_XL_WORKERS, else one per CPU from 24 files
    on; 1: this process). start_method: fork, forkserver or spawn (None: chosen by the platform)."""

    policy: Policy = DEFAULT_POLICY
    limits: Limits = field(default_factory=Limits)
    workers: int | None = None
    start_method: str | None = None


class Refused(KpuXlError):
    """The inputs hold errors, so nothing is written (unless errors are allowed): exit 1, and the report."""

    exit_code = 1
    http_status = 422

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


# --- a run: the phases over many files ----------------------------------------------------------


def read(inputs: Inputs, options: Options | None = None, workers: Workers | None = None, progress: Progress = None) -> Reading:
    """The read phase (pipeline/read.py) with the run's limits, by the run's workers (this process without)."""
    return read_inputs(inputs, _options(options).limits, workers or Workers(1), progress)


@dataclass(frozen=True)
class Task:
    """What a worker does with one group, with everything it needs."""

    policy: Policy = DEFAULT_POLICY
    figures: bool = False  # compute the group's figures (consolidate's group; each year group of a recap)
    recap: bool = False  # reduce them to a recap row


@dataclass
class Done:
    """A group's work: its check findings, and its figures or recap row where asked."""

    findings: list[Finding]
    figures: Consolidated | None = None
    row: SatkerRecap | None = None


def work(portable: Group | Packed, task: Task) -> Done:
    """One group's work, wherever it runs: resolve once, check, compute what the task asks.
    A failure here is a bug: said as one, naming the group and its files."""
    g = unpack(portable)
    try:
        resolved = resolve(g)
        found = check(resolved)
        done = Done(found)
        if task.figures and g.pk is not None:
            own = [f for d in g.members for f in d.findings] + found
            done.figures = compute(resolved, sorted(own, key=sort_key), task.policy)
        if task.recap and not g.periods_only:
            done.row = summarize(g, done.figures, [f for d in g.members for f in d.findings] + found)
            done.figures = None  # only the row travels back: memory stays small for many satker
    except KpuXlError:
        raise
    except Exception as exc:
        files = ", ".join(d.display_name for d in g.members)
        raise InternalError.of(exc, f"memeriksa dan menghitung {g.satker or '?'} tahun {g.tahun or '?'} ({files})") from exc
    return done


@dataclass
class Run:
    """The phases done over a set of inputs."""

    inputs: Inputs
    reading: Reading
    groups: list[Group]
    done: list[Done]

    @property
    def findings(self) -> list[Finding]:
        """Every finding, in the report's order."""
        return sorted([*self.reading.findings, *(f for d in self.done for f in d.findings)], key=sort_key)

    def report(self) -> Report:
        docs = [replace(d, data=None) for d in self.reading.documents]  # an annotated copy needs no rows
        return Report(self.reading.files, self.findings, self.reading.inputs_found, docs, self.inputs.paths)


@dataclass
class Session:
    """The inputs read and grouped, with the run's worker processes: ready for the groups' work."""

    inputs: Inputs
    reading: Reading
    groups: list[Group]
    workers: Workers

    def work(self, tasks: list[Task]) -> Run:
        """Each group's work (resolve, check, compute as its task asks), in the workers; in group order."""
        jobs = [(self.reading.portable(g), t) for g, t in zip(self.groups, tasks)]
        done = list(self.workers.map(work, jobs, chunksize=max(1, len(jobs) // (self.workers.count * 4))))
        return Run(self.inputs, self.reading, self.groups, done)


@contextmanager
def session(paths: Paths, options: Options | None = None, *, names: Mapping[str, str] | None = None, progress: Progress = None) -> Iterator[Session]:
    """collect -> read -> group, in worker processes when there are many files; the block then asks
    for the groups' work (Session.work). The workers end with the block."""
    options = _options(options)
    inputs = paths if isinstance(paths, Inputs) else collect([paths] if isinstance(paths, (str, os.PathLike)) else paths, names)
    with Workers(worker_count(options.workers, len(inputs.files)), options.start_method) as workers:
        reading = read(inputs, options, workers, progress)
        yield Session(inputs, reading, group(reading.documents), workers)


def _options(options: Options | None) -> Options:
    return options if options is not None else Options()


# --- the entry points ------------------------------------------------------------------------------


def validate(paths: Paths, options: Options | None = None, *, names: Mapping[str, str] | None = None, progress: Progress = None) -> Report:
    """Check workbooks (files or folders): the report, findings as data (`kpu-xl validate`)."""
    with session(paths, options, names=names, progress=progress) as s:
        return s.work([Task()] * len(s.groups)).report()


def consolidate(
    paths: Paths,
    options: Options | None = None,
    *,
    allow_errors: bool = False,
    names: Mapping[str, str] | None = None,
    progress: Progress = None,
) -> Consolidated:
    """One satker's year: validated, then computed (`kpu-xl consolidate`, `laporan`, the page).

    ConsolidateError when it cannot run (no input, no PK), Refused (exit 1) when the inputs hold
    errors unless allow_errors (then the figures come with the errors marked); either carries the
    report of what was found."""
    options = _options(options)
    with session(paths, options, names=names, progress=progress) as s:
        try:
            main, foreign = main_group(s.groups, s.reading.inputs_found)
        except ConsolidateError as exc:  # nothing to compute: the groups are still checked, for the report
            exc.report = s.work([Task()] * len(s.groups)).report()
            raise
        done = s.work([Task(options.policy, figures=True) if g is main else Task() for g in s.groups])
    figures = next(d.figures for g, d in zip(done.groups, done.done) if g is main)
    findings = sorted([*done.findings, *foreign], key=sort_key)
    errors = sum(1 for f in findings if f.is_error)
    if errors and not allow_errors:
        report = Report(done.reading.files, findings, done.reading.inputs_found, inputs=done.inputs.paths)
        raise Refused(f"{errors} galat: tidak ada yang ditulis.", report)
    return replace(figures, findings=findings, files=done.reading.files, inputs=done.inputs.paths)


def recap(paths: Paths, options: Options | None = None, *, progress: Progress = None) -> Recap:
    """Every satker and year among the inputs, each computed as consolidate computes one (`kpu-xl rekap`).

    Each group is computed in the worker that has it, and only its recap row comes back.
    KpuXlError (with the report of why) when no input could be read."""
    options = _options(options)
    with session(paths, options, progress=progress) as s:
        done = s.work([Task(options.policy, figures=True, recap=True)] * len(s.groups))
    if done.reading.inputs_found == 0:
        error = KpuXlError("Tidak ada berkas .xlsx/.xlsm yang dapat dibaca.")
        error.report = done.report()
        raise error
    rows = [d.row for d in done.done if d.row is not None]
    used = {doc.display_name for g, d in zip(done.groups, done.done) if d.row is not None and d.row.figures is not None for doc in g.members}
    result = assemble(rows, done.findings, done.reading.files, options.policy, used)
    result.inputs = done.inputs.paths
    return result


# --- outputs ----------------------------------------------------------------------------------------


def output_format(name: str, path: str | os.PathLike | None = None) -> Format:
    """A registered output format by name, checking that path (when given) has its suffix."""
    from .report import formats

    return formats.get(name, path)


def check_output(fmt: str, path: str | os.PathLike, inputs: Inputs | None = None, protect: Iterable[str | os.PathLike] = ()) -> Format:
    """Before any work: the format's suffix on path, and path neither one of the inputs nor of protect (KpuXlError)."""
    from .core.files import OutputError, refuse_inputs
    from .report import formats

    found = formats.get(fmt, path)
    try:
        refuse_inputs(Path(path), [*(inputs.paths if inputs is not None else []), *protect])
    except OutputError as exc:
        raise OutputError(f"{found.noun} tidak dapat ditulis: {exc}.") from None
    return found


def check_template_laporan(path: str | os.PathLike | None) -> None:
    """Before any work: an office's Word template given for the report is a file (TemplateLaporanError)."""
    if path is not None:
        from .report.docx import check_base

        check_base(Path(path))


def render(subject: Any, path: str | os.PathLike, fmt: str | None = None, *, overwrite: bool = False, **options: Any) -> Written:
    """Write a result (Consolidated, Recap, Report, ...) in a registered format (by name, else by the
    path's suffix): atomically, never over one of its inputs, nor over a file kpu-xl did not write
    unless overwrite. A failure of the renderer itself is an InternalError naming the file."""
    from .report import formats

    return formats.write(subject, path, fmt, overwrite=overwrite, **options)


def annotate(report: Report, folder: str | os.PathLike, *, overwrite: bool = False) -> list:
    """An annotated copy of every input with findings, in folder: [(file, written path or None, problem or None)]."""
    from .report.annotate import annotate_all

    return annotate_all(report, Path(folder), overwrite=overwrite)


def frames(result: Consolidated | Recap) -> dict:
    """The report tables of a result as pandas DataFrames, by sheet name (for notebooks)."""
    from .report import tables

    built = tables.recap_tables(result) if isinstance(result, Recap) else tables.tables(result)
    return {name: table.frame() for name, table in built.items()}


def template(kind: str, path: str | os.PathLike, *, dari: str | os.PathLike | None = None, overwrite: bool = False, limits: Limits | None = None, **params: Any) -> TemplateWritten:
    """Write a kind's template (by code or slug: "pk", "RA", "renstra"), blank or prefilled from a
    filled PK (dari), read as validate reads it. Returns what was written, with warnings to say;
    TemplateError (a KpuXlError) for bad arguments."""
    from .kinds import KINDS, by_name
    from .xlsx.template import TemplateError

    try:
        spec = by_name(kind)
    except KeyError:
        raise TemplateError(f"Jenis templat {kind!r} tidak dikenal; pilih salah satu: {', '.join(k.slug for k in KINDS.values())}.") from None
    source = _source_pk(Path(dari), Path(path), limits) if dari is not None else None
    try:
        written = spec.template.write(path, source=source, overwrite=overwrite, **params)
    except KpuXlError:
        raise
    except Exception as exc:  # a bug: said as such, with the file it concerns
        raise InternalError.of(exc, f"menulis templat {Path(path).name}") from exc
    errors = sum(1 for f in source.findings if f.is_error) if source is not None else 0
    if errors:
        given = str(source.path)  # as given: the advice works from where the user is
        given = f'"{given}"' if any(ch.isspace() for ch in given) else given
        written.warnings.insert(0, f"PK {source.path.name} berisi {errors} galat; periksa dengan: kpu-xl validate {given}")
    return written


def _source_pk(source: Path, target: Path, limits: Limits | None) -> Document:
    """A filled PK to prefill a template from, read as validate reads it; TemplateError when it cannot serve."""
    from .core import findings as F
    from .core.files import same_file
    from .kinds import PK, pk
    from .pipeline.read import read_document
    from .xlsx.template import TemplateError

    if same_file(source, target):
        raise TemplateError(f"Berkas keluaran sama dengan PK sumber ({source.name}); pilih nama berkas lain.")
    if not source.is_file():
        raise TemplateError(f"Berkas PK tidak ditemukan: {source}")
    doc = read_document(source, source.name, limits)
    if not doc.readable:
        reason = next((f.message for f in doc.findings if f.is_error), "berkas tidak terbaca")
        raise TemplateError(f"{source.name} tidak dapat dibuka sebagai Perjanjian Kinerja kpu-xl: {reason}")
    if doc.kind != PK:
        raise TemplateError(f"{source.name} adalah {KINDS[doc.kind].name}, bukan Perjanjian Kinerja.")
    unreadable = [f for f in doc.findings if f.code == F.KOLOM_HILANG and f.sheet == pk.TABLE.name]
    if unreadable:
        raise TemplateError(f"{source.name}: {unreadable[0].message}")
    return doc
