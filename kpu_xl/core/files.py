"""Writing output files safely: atomically, never over an input, with reasons in Bahasa Indonesia.

Every writer (output.py, annotate.py, templates.py) goes through atomic_write:
the file is built under a temporary name in the destination folder and moved
into place only when complete, so an interrupted run leaves nothing half-written
and an existing file is replaced whole or not at all.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path


class OutputError(Exception):
    """An output cannot be written. The message is in Bahasa Indonesia."""


def os_reason(exc: OSError) -> str:
    """An operating-system error, said in Bahasa Indonesia."""
    if isinstance(exc, PermissionError):
        return "tidak ada izin menulis"
    if isinstance(exc, (NotADirectoryError, FileExistsError)):
        return "jalurnya berupa berkas, bukan folder"
    if isinstance(exc, IsADirectoryError):
        return "sudah ada folder dengan nama itu"
    if isinstance(exc, FileNotFoundError):
        return "folder tujuan tidak ada"
    if exc.errno == errno.ENOSPC:
        return "ruang disk penuh"
    if exc.errno == errno.EROFS:
        return "sistem berkas hanya-baca"
    return exc.strerror or str(exc)


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
    """A new empty file next to dest, with the usual permissions (the umask applies)."""
    while True:
        tmp = dest.with_name(f".{dest.stem}.{secrets.token_hex(4)}.tmp{dest.suffix}")
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            continue
        return tmp


def atomic_write(dest: str | Path, build: Callable[[Path], None], create_folder: bool = False) -> Path:
    """Run build(temp_path), then move the result to dest. Returns dest, resolved.

    The destination folder must exist unless create_folder. OSErrors become
    OutputError; any other exception propagates, and the temporary file never stays.
    """
    dest = Path(dest).expanduser().resolve()
    if create_folder:
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"folder {dest.parent} tidak dapat dibuat: {os_reason(exc)}") from None
    elif not dest.parent.is_dir():
        raise OutputError(f"folder tujuan {dest.parent} tidak ada; buat dulu foldernya")
    if dest.is_dir():
        raise OutputError(f"{dest} adalah folder; beri nama berkas, misalnya {dest / 'konsolidasi.xlsx'}")
    try:
        tmp = _temp_beside(dest)
    except OSError as exc:
        raise OutputError(f"folder {dest.parent} tidak dapat ditulisi: {os_reason(exc)}") from None
    try:
        build(tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        raise OutputError(f"{dest} tidak dapat ditulis: {os_reason(exc)}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return dest
