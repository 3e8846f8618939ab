"""Collect: paths -> the input files, each with the name findings give it, and what is not read.

Files are taken as given; folders are searched recursively for workbooks (sorted). Nothing that
is not a regular file is ever opened; kpu-xl's own outputs and editor leftovers are skipped with
a note. A file named twice is read once. Every command gets the same inputs, collected once.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core import findings as F
from ..core.files import kpu_xl_output, os_reason, special_kind, workbook_marks
from ..core.findings import Finding, finding

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

    @property
    def paths(self) -> list[Path]:
        """Every file the paths name, a file named twice included: none may be overwritten by an output."""
        return [path for path, _ in self.files]


# atomic_write's temporary files (core/files.py: `.<stem>.<8 hex>.tmp<suffix>`; older releases
# wrote `.<stem>.tmp<suffix>`), left behind when a run was killed.
_TEMP_NAME = re.compile(r"\..+?(?:\.[0-9a-f]{8})?\.tmp\.[a-z]+", re.IGNORECASE)
_APPLE_DOUBLE = (b"\x00\x05\x16\x07", b"\x00\x05\x16\x00")  # macOS ._name (AppleDouble / AppleSingle)
_LOCK_MAX_BYTES = 4096  # Excel's ~$name owner file is 165 bytes
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")


def shown(path: str | Path) -> str:
    """A path as findings, terminals and workbooks can carry it: a name that is not UTF-8 (Python
    holds its bytes as lone surrogates, which no writer accepts) or has control characters keeps
    its look, with U+FFFD for what cannot be shown."""
    text = os.fspath(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _UNPRINTABLE.sub("\ufffd", text)


XLSB_MESSAGE = "Berkas tidak dapat dibaca: format Excel biner (.xlsb); buka di Excel lalu simpan sebagai .xlsx (Buku Kerja Excel)."


def collect(paths: Iterable[str | Path], names: Mapping[str, str] | None = None) -> Inputs:
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
            out.findings.append(finding(F.BERKAS_TIDAK_TERBACA, _stat_failed(p, exc), shown(p)))
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
            out.findings.append(finding(F.BERKAS_TIDAK_TERBACA, f"{what} tidak dapat dibaca: {os_reason(exc)}; berkas di dalamnya tidak diperiksa.", shown(here)))
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
    name = name or shown(p)

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
                target = f" (tautan simbolik ke {shown(os.path.realpath(p))})"
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
        fail(f"Berkas tidak dapat dibuka: {os_reason(exc)}.")
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
            return f"Tautan simbolik rusak: tujuannya ({shown(os.readlink(p))}) tidak ada."
        except OSError:  # not a symlink
            pass
        return "Berkas atau folder tidak ditemukan."
    return f"Berkas atau folder tidak dapat dibuka: {os_reason(exc)}."


def plan(files: list[tuple[Path, str]]) -> list[tuple[Path, str, Finding | None]]:
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
