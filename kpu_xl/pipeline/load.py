"""Paths -> documents -> groups -> findings: the read, resolve and check phases, and validate().

load(paths) reads every file (in worker processes from PARALLEL_MIN_FILES files on),
runs each kind's file checks, groups the documents by satker and year, resolves each
group (pipeline/resolve.py) and runs the set checks on it. validate() is the Python
face of `kpu-xl validate`; the CLI only formats its Report. One bad file never stops
the others: each becomes findings in the same report.
"""

from __future__ import annotations

import errno
import os
import pickle
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core import findings as F
from ..core.files import kpu_xl_output, special_kind, workbook_marks
from ..core.findings import ERROR, WARNING, Finding, finding, sort_key
from ..model import Document
from ..xlsx.document import read_document
from ..xlsx.source import Limits
from .bundle import Group, group_documents
from .checks import run_set_checks
from .resolve import resolve

# Folders are searched for these; .xls, .xlsb and .ods are included so that users get the
# "save as .xlsx" message instead of silence.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


@dataclass
class Inputs:
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, display name)
    # Paths that are not read: missing, unreadable, not a regular file (error), or kpu-xl's own
    # outputs and editor leftovers (berkas-keluaran-dilewati, a warning).
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # kpu-xl outputs and leftovers, not read


# atomic_write's temporary files (core/files.py: `.<stem>.<8 hex>.tmp<suffix>`; older releases
# wrote `.<stem>.tmp<suffix>`), left behind when a run was killed.
_TEMP_NAME = re.compile(r"\..+?(?:\.[0-9a-f]{8})?\.tmp\.[a-z]+", re.IGNORECASE)
_APPLE_DOUBLE = (b"\x00\x05\x16\x07", b"\x00\x05\x16\x00")  # macOS ._name (AppleDouble / AppleSingle)
_LOCK_MAX_BYTES = 4096  # Excel's ~$name owner file is 165 bytes
XLSB_MESSAGE = "Berkas tidak dapat dibaca: format Excel biner (.xlsb); buka di Excel lalu simpan sebagai .xlsx (Buku Kerja Excel)."


def collect_paths(paths: Iterable[str | Path], names: Mapping[str, str] | None = None) -> Inputs:
    """Files as given; folders searched recursively for workbooks (sorted).

    names: the display name of a file given (by str(path)), where it is not its path: the web
    page stores an upload under a folder of its own and reports it by the name it was uploaded as.

    Nothing that is not a regular file is ever opened (a FIFO or /dev/zero would hang the
    run): it becomes a finding on its path, as does a file or folder that cannot be read.
    kpu-xl's own outputs (annotated copies, consolidated workbooks, temporary files) and
    editor leftovers (Excel's ~$ lock files, macOS ._ files) are skipped with a note
    (berkas-keluaran-dilewati), whether given or found. Every command gets the same inputs.
    """
    out = Inputs()
    for given in paths:
        p = Path(given)
        try:
            mode = os.stat(p).st_mode
        except OSError as exc:
            out.findings.append(finding(F.BERKAS_TIDAK_TERBACA, _stat_failed(p, exc), str(p)))
            continue
        if stat.S_ISDIR(mode):
            for q in _workbooks_in(p, out):
                _admit(q, out, found=True)
        else:
            _admit(p, out, found=False, name=(names or {}).get(str(given)))
    return out


def _workbooks_in(folder: Path, out: Inputs) -> list[Path]:
    """The files under folder with a workbook suffix, sorted; symlinked folders are not followed
    (as Path.rglob). A folder that cannot be listed becomes a finding, never silence."""
    found: list[Path] = []
    todo = [str(folder)]
    while todo:
        here = todo.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except OSError as exc:
            what = "Folder" if here == str(folder) else "Subfolder"
            out.findings.append(finding(F.BERKAS_TIDAK_TERBACA, f"{what} tidak dapat dibaca: {_read_reason(exc)}; berkas di dalamnya tidak diperiksa.", here))
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                todo.append(entry.path)
            elif os.path.splitext(entry.name)[1].lower() in WORKBOOK_SUFFIXES:
                found.append(Path(entry.path))
    return sorted(found)


def _admit(p: Path, out: Inputs, found: bool, name: str | None = None) -> None:
    """Add p to the inputs, or say why it is not read (a finding on its path, or on name)."""
    name = name or str(p)

    def fail(message: str) -> None:
        out.findings.append(finding(F.BERKAS_TIDAK_TERBACA, message, name))

    def skip(message: str) -> None:
        out.skipped.append(p)
        out.findings.append(finding(F.BERKAS_KELUARAN_DILEWATI, message, name))

    try:
        st = os.stat(p)  # follows a symlink: what matters is what it points at
    except OSError as exc:
        fail(_stat_failed(p, exc))
        return
    what = special_kind(st.st_mode)
    if what == "folder" and found:
        return  # a symlink to a folder, named like a workbook: not followed, as before
    if what is not None:
        target = ""
        if p.is_symlink():
            try:
                target = f" (tautan simbolik ke {os.path.realpath(p)})"
            except (OSError, ValueError):
                target = " (tautan simbolik)"
        fail(f"Berkas tidak dapat dibaca: bukan berkas biasa melainkan {what}{target}; tidak dibuka, karena membacanya dapat membuat pemeriksaan macet. Berikan berkas .xlsx biasa.")
        return
    base = p.name
    if _TEMP_NAME.fullmatch(base):
        skip("Berkas sementara sisa penulisan kpu-xl yang terhenti; dilewati. Berkas ini boleh dihapus.")
        return
    if base.startswith(".~lock.") and base.endswith("#"):
        skip("Berkas kunci LibreOffice (buku kerja sedang dibuka); dilewati.")
        return
    if base.startswith("~$") and st.st_size <= _LOCK_MAX_BYTES:
        skip("Berkas kunci Excel (~$, dibuat selama buku kerja dibuka); dilewati. Berkas ini boleh dihapus setelah Excel ditutup.")
        return
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            if special_kind(os.fstat(fd).st_mode) is not None:  # replaced since the stat: do not read it
                fail("Berkas tidak dapat dibaca: bukan berkas biasa; tidak dibuka. Berikan berkas .xlsx biasa.")
                return
            head = os.read(fd, 4)
        finally:
            os.close(fd)
    except OSError as exc:
        fail(f"Berkas tidak dapat dibuka: {_read_reason(exc)}.")
        return
    if base.startswith("._") and head in _APPLE_DOUBLE:
        skip("Berkas metadata macOS (._nama, dibuat saat disalin dari Mac), bukan buku kerja; dilewati. Berkas ini boleh dihapus.")
        return
    if head == b"PK\x03\x04":
        marks = workbook_marks(p)
        if marks is not None and marks.binary:
            # Said here, by content, because the reader would take xl/workbook.bin for broken XML.
            fail(XLSB_MESSAGE)
            return
        output = kpu_xl_output(p, marks)
        if output is not None:
            skip(f"Berkas ini {output}, bukan PK/RA masukan; dilewati dan tidak dihitung. Bila ada perbaikan di salinan ini, pindahkan perbaikannya ke berkas asli lalu periksa berkas asli.")
            return
    out.files.append((p, name))


def _stat_failed(p: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        try:
            return f"Tautan simbolik rusak: tujuannya ({os.readlink(p)}) tidak ada."
        except OSError:  # not a symlink
            pass
        return "Berkas atau folder tidak ditemukan."
    return f"Berkas atau folder tidak dapat dibuka: {_read_reason(exc)}."


def _read_reason(exc: OSError) -> str:
    """Why a path cannot be read, in Bahasa Indonesia (never the system's English text)."""
    if isinstance(exc, PermissionError):
        return "tidak ada izin membaca (periksa hak akses berkas atau folder)"
    if isinstance(exc, FileNotFoundError):
        return "tidak ditemukan (mungkin baru saja dipindah atau dihapus)"
    if isinstance(exc, NotADirectoryError):
        return "salah satu bagian jalurnya berupa berkas, bukan folder"
    if exc.errno == errno.ELOOP:
        return "tautan simbolik berputar (menunjuk dirinya sendiri)"
    if exc.errno == errno.ENAMETOOLONG:
        return "nama jalur terlalu panjang"
    if exc.errno == errno.EIO:
        return "galat baca perangkat (disk atau jaringan bermasalah)"
    return f"galat sistem operasi {errno.errorcode.get(exc.errno, exc.errno) if exc.errno else type(exc).__name__}"


@dataclass
class LoadResult:
    """Everything read from a set of paths: documents, their groups, and all findings so far."""

    documents: list[Document]
    groups: list[Group]
    findings: list[Finding]
    inputs_found: int  # how many files the paths named (0 means there was nothing to do)
    # File summaries (file_summary) of the documents, when taken before their rows were
    # dropped (load(keep_rows=False)); None means: compute them from the documents.
    files: list[dict] | None = None
    hooked: list | None = None  # group_hook's result per group, in the order of groups


def load(
    paths: Iterable[str | Path],
    limits: Limits | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    workers: int | None = None,
    keep_rows: bool = True,
    group_hook: Callable[[Group, list[Finding]], object] | None = None,
    names: Mapping[str, str] | None = None,
) -> LoadResult:
    """Read every file, check it, group the documents by satker and year, check each group.

    workers: processes that read files. None: the KPU_XL_WORKERS environment variable,
    else one per CPU, and only from PARALLEL_MIN_FILES files on (below that, starting
    processes costs more than it saves). 1 reads in this process. The result is the
    same either way: same documents, findings and order.

    keep_rows=False: the documents come back without their rows (identity, findings and
    file details only; LoadResult.files holds their summaries). Enough for a report, not
    for consolidate. Read by workers, documents never hold their rows in this process, so
    memory stays small however many files are read (a few KB per file).

    Workers read runs of files of one folder and also run the set checks of the groups such
    a run holds; those findings are used only for a group whose members are exactly that
    run's, any other group is checked here, as in the serial path.

    group_hook(group, its findings): called once per group with its full documents, in the
    worker that holds all of them, else here; its results come back in LoadResult.hooked,
    in the order of LoadResult.groups. It must be a module-level function (workers get it by
    name) returning something small: so a caller can compute per group (kpu-xl rekap) while
    documents never pile up in this process.

    names: display names of files given (collect_paths).
    """
    inputs = collect_paths(paths, names)
    findings = list(inputs.findings)
    plan = _skip_repeated_paths(inputs.files)
    jobs = [(path, name) for path, name, repeated in plan if repeated is None]
    n_workers = worker_count(workers, len(jobs))
    checked: dict[tuple[int, ...], list[Finding]] = {}  # set-check findings done by workers, by group members
    hooked: dict[tuple[int, ...], object] = {}  # group_hook results done by workers, by group members
    reads = _read_parallel(jobs, limits, n_workers, keep_rows, checked, hooked, group_hook) if n_workers > 1 else _read_serial(jobs, limits)
    documents: list[Document] = []
    read_of: dict[int, _Read] = {}  # id(document) -> how it was read
    seen_hash: dict[str, Document] = {}
    for _path, name, repeated in plan:
        if progress:
            progress(name)
        if repeated is not None:
            findings.append(repeated)
            continue
        got = next(reads)
        doc = got.doc
        if doc.sha256 and doc.sha256 in seen_hash:
            first = seen_hash[doc.sha256]
            findings.append(finding(F.BERKAS_GANDA, f"Isi berkas ini sama persis dengan {first.display_name}; hanya yang pertama diperiksa dan dihitung.", name))
            continue
        if doc.sha256:
            seen_hash[doc.sha256] = doc
        documents.append(doc)
        read_of[id(doc)] = got
        findings.extend(doc.findings)
        if doc.readable:
            if got.file_findings is not None:
                findings.extend(got.file_findings)
            else:
                findings.extend(file_checks(doc))
    groups = group_documents(documents)
    keys = [tuple(sorted(read_of[id(d)].index for d in group.members)) for group in groups]
    todo = []  # groups whose hook runs here: (position, full group)
    for at, (group, key) in enumerate(zip(groups, keys)):
        if key in checked:  # a worker checked exactly this group
            findings.extend(checked[key])
            if group_hook is not None and key not in hooked:
                todo.append((at, _full_group(group, read_of)))
            continue
        group = _full_group(group, read_of)
        findings.extend(check_group(group))
        if group_hook is not None:
            todo.append((at, group))
    findings.sort(key=sort_key)
    results = None
    if group_hook is not None:
        results = [hooked.get(key) for key in keys]
        by_file: dict[str, list[Finding]] = {}
        for f in findings:
            by_file.setdefault(f.file, []).append(f)
        for at, group in todo:
            results[at] = group_hook(group, [f for d in group.members for f in by_file.get(d.display_name, [])])
    if keep_rows:
        return LoadResult(documents, groups, findings, len(inputs.files), hooked=results)
    files = [read_of[id(d)].summary or file_summary(d) for d in documents]
    documents = [_without_rows(d) for d in documents]
    return LoadResult(documents, group_documents(documents), findings, len(inputs.files), files, hooked=results)


def _full_group(group: Group, read_of: dict) -> Group:
    """The group with full documents (rows dropped by a worker come back from their compressed copy)."""
    if any(read_of[id(d)].blob is not None for d in group.members):
        return replace(group, docs={k: [_full(read_of[id(d)]) for d in docs] for k, docs in group.docs.items()})
    return group


def _skip_repeated_paths(files: list[tuple[Path, str]]) -> list[tuple[Path, str, Finding | None]]:
    """Each input with, for a file already named before, the finding that says so (it is read once)."""
    out: list[tuple[Path, str, Finding | None]] = []
    seen_path: dict[Path, str] = {}
    parents: dict[Path, Path] = {}  # folder -> resolved folder (thousands of files share a few hundred)
    for path, name in files:
        try:
            if path.is_symlink():
                real = path.resolve()
            else:  # the same as path.resolve(), one folder resolution per folder
                parent = parents.get(path.parent)
                if parent is None:
                    parent = parents[path.parent] = path.parent.resolve()
                real = parent / path.name
        except (OSError, RuntimeError):
            real = path.absolute()
        if real in seen_path:  # the same file named twice (e.g. a folder and a file in it): read once
            first_name = seen_path[real]
            also = "" if first_name == name else f" (juga sebagai {first_name})"
            out.append((path, name, finding(F.BERKAS_GANDA, f"Berkas yang sama diberikan lebih dari sekali{also}; hanya diperiksa dan dihitung sekali.", name)))
            continue
        seen_path[real] = name
        out.append((path, name, None))
    return out


# --- reading in parallel ---------------------------------------------------------------

PARALLEL_MIN_FILES = 24  # fewer files are read in this process (one satker has about 6)
BATCH_MAX_FILES = 32  # files of one folder read by one worker task at most


def worker_count(workers: int | None, files: int) -> int:
    """How many processes read `files` files (1: this process)."""
    if workers is None:
        env = os.environ.get("KPU_XL_WORKERS", "").strip()
        if env.isdigit() and int(env) > 0:
            workers = int(env)
        elif files < PARALLEL_MIN_FILES:
            return 1
        else:
            try:
                workers = len(os.sched_getaffinity(0))
            except (AttributeError, OSError):
                workers = os.cpu_count() or 1
    return max(1, min(workers, files))


@dataclass
class _Read:
    """One file as read: the document, its FILE_CHECKS findings (None: not run yet), and,
    when a worker dropped its rows, its summary and the full document, pickled and compressed
    (used only if its group has to be checked again)."""

    index: int
    doc: Document
    file_findings: list[Finding] | None = None
    summary: dict | None = None
    blob: bytes | None = None


def _read_serial(jobs: list[tuple[Path, str]], limits: Limits | None, start: int = 0) -> Iterator[_Read]:
    for index, (path, name) in enumerate(jobs[start:], start):
        yield _Read(index, read_document(path, name, limits))


def _without_rows(doc: Document) -> Document:
    return replace(doc, data=None)


def _full(read: _Read) -> Document:
    return pickle.loads(zlib.decompress(read.blob)) if read.blob is not None else read.doc


def _batches(jobs: list[tuple[Path, str]], workers: int) -> list[list[tuple[int, Path, str]]]:
    """Runs of files of one folder (a satker's PK and RAs, usually), each run one worker task."""
    size = max(8, min(BATCH_MAX_FILES, -(-len(jobs) // (workers * 4))))
    batches: list[list[tuple[int, Path, str]]] = []
    folder = None
    for index, (path, name) in enumerate(jobs):
        if not batches or path.parent != folder or len(batches[-1]) >= size:
            batches.append([])
            folder = path.parent
        batches[-1].append((index, path, name))
    return batches


def _read_batch(batch: list[tuple[int, Path, str]], limits: Limits | None, keep_rows: bool, hook=None) -> tuple[list[_Read], dict, dict]:  # noqa: ANN001
    """In a worker: read a run of files, run FILE_CHECKS, and SET_CHECKS on the groups the run
    holds (load uses them for a group only when its members turn out to be exactly these)."""
    reads = []
    for index, path, name in batch:
        doc = read_document(path, name, limits)
        reads.append(_Read(index, doc, file_checks(doc) if doc.readable else []))
    index_of = {id(r.doc): r.index for r in reads}
    read_by_index = {r.index: r for r in reads}
    checked, hooked = {}, {}
    for group in group_documents([r.doc for r in reads]):
        key = tuple(sorted(index_of[id(d)] for d in group.members))
        checked[key] = check_group(group)
        if hook is not None:  # the group's findings as load will have them: reading, file checks, set checks
            own = [f for i in key for f in (*read_by_index[i].doc.findings, *read_by_index[i].file_findings)]
            hooked[key] = hook(group, own + checked[key])
    if not keep_rows:
        for r in reads:
            r.summary = file_summary(r.doc)
            r.blob = zlib.compress(pickle.dumps(r.doc, pickle.HIGHEST_PROTOCOL), 1)  # ~2 KB a workbook
            r.doc = _without_rows(r.doc)
    return reads, checked, hooked


def _mp_context():  # noqa: ANN202
    import multiprocessing
    import threading

    # fork starts workers at once, but is only safe while this process runs one thread
    # (a progress bar runs another): then forkserver, where there is one.
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods and sys.platform != "darwin":
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _worker_init() -> None:
    """Workers leave Ctrl-C to the main process, which stops them (no traceback per worker)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the main process stops the run and ends the workers


def _read_parallel(
    jobs: list[tuple[Path, str]],
    limits: Limits | None,
    workers: int,
    keep_rows: bool,
    checked: dict[tuple[int, ...], list[Finding]],
    hooked: dict,
    hook=None,  # noqa: ANN001
) -> Iterator[_Read]:
    """Reads in worker processes, yielded in input order; falls back to this process if they fail."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from itertools import repeat

    batches = _batches(jobs, workers)
    try:
        pool = ProcessPoolExecutor(max_workers=min(workers, len(batches)), mp_context=_mp_context(), initializer=_worker_init)
    except (OSError, ValueError, NotImplementedError, ImportError):  # no processes here: read serially
        yield from _read_serial(jobs, limits)
        return
    done = 0
    try:
        for reads, batch_checked, batch_hooked in pool.map(_read_batch, batches, repeat(limits), repeat(keep_rows), repeat(hook)):
            checked.update(batch_checked)
            hooked.update(batch_hooked)
            for r in reads:
                done += 1
                yield r
    except (BrokenProcessPool, OSError):  # a worker could not start or died (killed, out of memory): read the rest here
        yield from _read_serial(jobs, limits, start=done)
    finally:  # all done: the workers are idle and exit at once; else (an error, Ctrl-C) do not wait for them
        pool.shutdown(wait=done == len(jobs), cancel_futures=True)


def file_checks(doc: Document) -> list[Finding]:
    """The findings of the document's kind's single-file checks."""
    from ..kinds import get

    kind = get(doc.kind)
    return [f for check in kind.file_checks for f in check(doc)] if kind and doc.data is not None else []


def check_group(group: Group) -> list[Finding]:
    """Resolve the group, then run the set checks on what was resolved: the findings of both."""
    resolved = resolve(group)
    return resolved.findings + run_set_checks(resolved.group)


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
        "divisi": getattr(doc.identity, "divisi", "") or None,
        "sha256": doc.sha256 or None,
        "rows": doc.row_count,
        "readable": doc.readable,
    }


def report_of(result: LoadResult) -> Report:
    files = result.files if result.files is not None else [file_summary(d) for d in result.documents]
    return Report(files, result.findings, result.inputs_found)


def validate(paths: Iterable[str | Path], limits: Limits | None = None, *, workers: int | None = None, names: Mapping[str, str] | None = None) -> Report:
    """Validate workbooks (files or folders) and return the report as data."""
    return report_of(load(paths, limits, workers=workers, keep_rows=False, names=names))
