"""Writing output files safely: atomically, never over an input, with reasons in Bahasa Indonesia.

Every writer (report/xlsx.py, report/annotate.py, xlsx/template.py) goes through
atomic_write: the file is built under a temporary name in the destination folder and
moved into place only when complete, so an interrupted run leaves nothing half-written
and an existing file is replaced whole or not at all. Only a regular file or a new path
is ever written (a FIFO or a device node is refused, never replaced). refuse_foreign
refuses to replace a file kpu-xl did not write (recognised by content, kpu_xl_output)
unless the caller says to overwrite it.
"""

from __future__ import annotations

import os
import secrets
import stat
import zipfile
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KpuXlError, os_reason  # noqa: F401 - os_reason: said here for every path

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

# Every workbook kpu-xl writes as an output (the consolidated workbook, an annotated copy)
# carries this at the start of its document description (docProps/core.xml dc:description),
# so that it is recognised by content: never read as an input, and replaced without --timpa.
OUTPUT_MARK = "Dibuat oleh kpu-xl"
ANNOTATION_SHEET = "Temuan kpu-xl"  # the first sheet of an annotated copy (report/annotate.py)
ANNOTATED = "salinan beranotasi"  # in the description of an annotated copy, after OUTPUT_MARK
CREATOR = "kpu-xl"  # dc:creator of every workbook kpu-xl writes, templates (and so filled PKs/RAs) included
MAX_MARK_PART_BYTES = 1 << 20  # docProps/core.xml and xl/workbook.xml are a few KB
MAX_MARK_FILE_BYTES = 50 * 2**20  # larger files are not opened to look for the marks (the reader refuses them)


class OutputError(KpuXlError):
    """An output cannot be written. The message is in Bahasa Indonesia."""


def os_error_in(exc: BaseException) -> OSError | None:
    """The operating-system error behind exc, when a library wrapped one (xlsxwriter's
    FileCreateError, say): a full disk is the machine's, not a bug of kpu-xl."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError):
            return exc
        exc = next((a for a in exc.args if isinstance(a, OSError)), None) or exc.__cause__ or exc.__context__
    return None


def special_kind(mode: int) -> str | None:
    """What a path that is not a regular file is, in Bahasa Indonesia; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "pipa bernama (FIFO)"
    if stat.S_ISCHR(mode):
        return "perangkat karakter"
    if stat.S_ISBLK(mode):
        return "perangkat blok (disk)"
    if stat.S_ISSOCK(mode):
        return "soket"
    if stat.S_ISDIR(mode):
        return "folder"
    return "berkas khusus"


def refuse_special(dest: Path) -> int | None:
    """Raise OutputError when dest exists and is anything but a regular file or a folder; else
    return its st_mode (None when there is nothing at dest).

    A FIFO, a device node or a socket is never replaced by a regular file (os.replace would).
    A folder is left to the caller, which says so in its own words.
    """
    try:
        mode = os.stat(dest).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{dest} tidak dapat diperiksa: {os_reason(exc, writing=True)}") from None
    what = special_kind(mode)
    if what is not None and not stat.S_ISDIR(mode):
        raise OutputError(f"{dest} bukan berkas biasa melainkan {what}; kpu-xl hanya menulis berkas biasa atau berkas baru, jadi {dest} tidak diganti. Pilih nama berkas lain")
    return mode


class WorkbookMarks:
    """What a workbook says about who wrote it: its core properties and sheet names (parsed
    on first use, from parts read with a size limit), and whether it is an Excel binary
    workbook (.xlsb: xl/workbook.bin and no xl/workbook.xml)."""

    def __init__(self, core: bytes | None, workbook: bytes | None, binary: bool) -> None:
        self._core, self._workbook, self.binary = core, workbook, binary

    @cached_property
    def properties(self) -> dict[str, str]:
        """docProps/core.xml by local name: creator, title, description, ...; {} when absent or unreadable."""
        root = _parse(self._core)
        return {el.tag.rsplit("}", 1)[-1]: (el.text or "").strip() for el in root} if root is not None else {}

    @cached_property
    def sheets(self) -> list[str]:
        """Sheet names, from xl/workbook.xml; [] when absent or unreadable."""
        root = _parse(self._workbook)
        return [el.get("name", "") for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "sheet"] if root is not None else []

    def may_be_output(self) -> bool:
        """A quick look at the raw parts: False means surely not a kpu-xl output (nothing to parse)."""
        return (self._core is not None and OUTPUT_MARK.encode() in self._core) or (self._workbook is not None and ANNOTATION_SHEET.lower().encode() in self._workbook.lower())


def _parse(data: bytes | None) -> Element | None:
    """XML without DTDs or entities (defusedxml); None when absent or refused."""
    if data is None:
        return None
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=True)
    except Exception:  # noqa: BLE001 - a DTD, an entity, broken XML: no marks in it
        return None


def workbook_marks(path: str | Path, max_part: int = MAX_MARK_PART_BYTES) -> WorkbookMarks | None:
    """The marks of an .xlsx (or .xlsb) file, read safely; None if it is not a workbook zip.

    Only regular files up to MAX_MARK_FILE_BYTES that start like a zip are opened, and only
    when the zip directory passes the reader's zip-bomb limits; then only docProps/core.xml
    and xl/workbook.xml are read, each at most max_part bytes. Never raises.
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_MARK_FILE_BYTES:
            return None
        with open(path, "rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return None
            with zipfile.ZipFile(fh) as zf:
                if not _plausible_directory(zf.infolist()):
                    return None  # a zip bomb or junk: nothing is decompressed, the reader says what it is
                infos = {info.filename.lower(): info for info in zf.infolist()}  # part names are case-insensitive

                def part(name: str) -> bytes | None:
                    info = infos.get(name)
                    if info is None or info.file_size > max_part:
                        return None
                    try:
                        with zf.open(info) as member:
                            data = member.read(max_part + 1)
                    except Exception:  # noqa: BLE001 - damaged zip data: no marks in it
                        return None
                    return data if len(data) <= max_part else None

                binary = "xl/workbook.bin" in infos and "xl/workbook.xml" not in infos
                return WorkbookMarks(part("docprops/core.xml"), part("xl/workbook.xml"), binary)
    except Exception:  # noqa: BLE001 - damaged, odd or hostile: not a mark, the reader says what it is
        return None


def _plausible_directory(infos: list[zipfile.ZipInfo]) -> bool:
    """The reader's zip-bomb limits (xlsx/source.py, default Limits), from the zip directory alone."""
    if len(infos) > 10_000 or sum(i.file_size for i in infos) > 200 * 2**20:
        return False
    return all(i.file_size <= 2**20 or i.file_size <= 200 * max(i.compress_size, 1) for i in infos)


def kpu_xl_output(path: str | Path, marks: WorkbookMarks | None = None) -> str | None:
    """What kpu-xl output the file is, by its content ("salinan beranotasi kpu-xl", ...); None if none.

    An annotated copy holds the sheet `Temuan kpu-xl` (and, from this release, the output mark);
    a consolidated workbook has a description starting with OUTPUT_MARK. A PK or RA made from a
    kpu-xl template has creator kpu-xl too, but never the mark: it is an input, not an output.
    marks: the file's workbook_marks, when the caller has read them already.
    """
    marks = marks or workbook_marks(path)
    if marks is None or not marks.may_be_output():
        return None
    props, sheets = marks.properties, marks.sheets
    description = props.get("description", "")
    marked = description.startswith(OUTPUT_MARK)
    if any(" ".join(s.split()).casefold() == ANNOTATION_SHEET.casefold() for s in sheets) or (marked and ANNOTATED in description):
        return f'salinan beranotasi kpu-xl (lembar "{ANNOTATION_SHEET}")'
    if marked:
        return "hasil konsolidasi kpu-xl" if props.get("title", "").startswith("Konsolidasi") else "berkas keluaran kpu-xl"
    return None


def edited_since(marks: WorkbookMarks) -> bool:
    """The file was saved again by a person's program after kpu-xl wrote it: Excel, Word and
    LibreOffice set lastModifiedBy to the user and count revisions; kpu-xl writes "kpu-xl" (or
    nothing) and revision 1 (or none)."""
    props = marks.properties
    revision = props.get("revision", "")
    return props.get("lastModifiedBy", "") not in ("", CREATOR) or (revision.isdigit() and int(revision) > 1)


def is_kpu_xl_output(path: Path) -> bool:
    """True when path is an output kpu-xl wrote (see kpu_xl_output) that nobody has edited since:
    a report whose placeholders a person filled in is theirs, and is not replaced without --timpa."""
    marks = workbook_marks(path)
    return marks is not None and kpu_xl_output(path, marks) is not None and not edited_since(marks)


def refuse_foreign(
    dest: str | Path,
    ours: Callable[[Path], bool] = is_kpu_xl_output,
    overwrite: bool = False,
    hint: str = "pilih nama berkas lain, atau tambahkan --timpa bila memang ingin menimpanya",
) -> None:
    """Raise OutputError when dest exists and was not written by kpu-xl, unless overwrite.

    A new path is fine; so is an existing file for which ours(dest) is true (by default: a
    consolidated workbook or an annotated copy, recognised by content), or any regular file
    with overwrite=True. Anything but a regular file or a new path is refused even then.
    """
    dest = Path(dest).expanduser()
    mode = refuse_special(dest)
    if mode is None or not stat.S_ISREG(mode) or overwrite or ours(dest):
        return  # a folder: atomic_write says so
    marks = workbook_marks(dest)
    kind = "dokumen" if dest.suffix.lower() == ".docx" else "buku kerja"
    if marks is not None and kpu_xl_output(dest, marks) is not None:
        what = f"{kind} keluaran kpu-xl yang sudah diubah dan disimpan orang sesudahnya"
    elif marks is not None and marks.properties.get("creator") == CREATOR:
        what = "buku kerja dari templat kpu-xl, mungkin sudah diisi"
    elif marks is not None:
        what = f"{kind} yang tidak dibuat oleh kpu-xl"
    else:
        what = "berkas yang tidak dibuat oleh kpu-xl"
    raise OutputError(f"{dest} sudah ada ({what}) dan tidak ditimpa; {hint}")


def same_file(a: Path, b: Path) -> bool:
    a, b = Path(a).expanduser(), Path(b).expanduser()
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_inputs(dest: Path, inputs: Iterable[str | Path], hint: str = "pilih nama berkas lain") -> None:
    """Raise OutputError when dest is one of the inputs (so an input is never overwritten)."""
    for given in inputs:
        if same_file(dest, Path(given)):
            raise OutputError(f"{dest} akan menimpa berkas masukan {given}; {hint}")


def _temp_beside(dest: Path) -> Path:
    """A new empty file next to dest, with the usual permissions (the umask applies), known to
    remove_temporaries() before it exists: a signal at any moment leaves nothing behind."""
    while True:
        tmp = dest.with_name(f".{dest.stem}.{secrets.token_hex(4)}.tmp{dest.suffix}")
        _BUILDING.add(tmp)
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            _BUILDING.discard(tmp)  # someone else's: another name
            continue
        except BaseException:
            _BUILDING.discard(tmp)
            raise
        return tmp


# Temporary files being built right now: removed by remove_temporaries() when a signal
# (SIGTERM, SIGINT) ends the run at a moment no finally block gets to run (kpu_xl/__main__.py's handler).
_BUILDING: set[Path] = set()


def remove_temporaries() -> None:
    for tmp in list(_BUILDING):
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        _BUILDING.discard(tmp)


def atomic_write(dest: str | Path, build: Callable[[Path], None], create_folder: bool = False, overwrite: bool = False) -> Path:
    """Run build(temp_path), then move the result to dest. Returns dest, resolved.

    The destination folder must exist unless create_folder. An existing file kpu-xl did not
    write is never replaced unless overwrite (refuse_foreign); kpu-xl's own earlier output is.
    OSErrors become OutputError; any other exception propagates, and the temporary file never stays.
    """
    dest = Path(dest).expanduser().resolve()
    if create_folder:
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"folder {dest.parent} tidak dapat dibuat: {os_reason(exc, writing=True)}") from None
    elif not dest.parent.is_dir():
        raise OutputError(f"folder tujuan {dest.parent} tidak ada; buat dulu foldernya")
    if dest.is_dir():
        raise OutputError(f"{dest} adalah folder; beri nama berkas, misalnya {dest / 'konsolidasi.xlsx'}")
    refuse_foreign(dest, overwrite=overwrite)  # refuses a FIFO or device node too
    tmp: Path | None = None
    try:
        tmp = _temp_beside(dest)
        build(tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        if tmp is None:
            raise OutputError(f"folder {dest.parent} tidak dapat ditulisi: {os_reason(exc, writing=True)}") from None
        raise OutputError(f"{dest} tidak dapat ditulis: {os_reason(exc, writing=True)}") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
            _BUILDING.discard(tmp)
    return dest
