"""Uploaded files -> a request's own folder, within limits; nothing of an upload is used as a path.

Each upload is stored as <folder>/<n>/<safe name>: its own numbered subfolder, so that two
uploads of the same name never meet, under a name made from the uploaded one with every path
separator, control character and reserved name taken out (the pipeline still sees "~$pk.xlsx"
as an Excel lock file, as the CLI would). The name it was uploaded as (without any folder part
a client put in it) is its display name: what findings, the JSON and the workbooks show.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..api import Limits
from ..core.errors import KpuXlError

_MiB = 2**20

MAX_FILES = 100  # files per request: a satker's PK, RAs and Renstra are about ten
MAX_TOTAL_BYTES = 200 * _MiB  # per request; each file also within the reader's Limits.max_file_bytes
MAX_NAME_CHARS = 200  # a display name longer than this is cut (the suffix kept)
_DISK_NAME_BYTES = 120  # well under any file system's 255-byte name limit

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNSAFE_ON_DISK = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|]')


class UploadRefused(KpuXlError):
    """The request is over a limit: answered 413 with this message (Bahasa Indonesia)."""

    http_status = 413


@dataclass(frozen=True)
class UploadLimits:
    """What one request may send: a count of files, a total, and per file the reader's limit."""

    max_files: int = MAX_FILES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_file_bytes: int = Limits.max_file_bytes


@dataclass(frozen=True)
class Upload:
    path: Path  # where it is stored in the request's folder
    name: str  # its display name: the name uploaded as, without folders or control characters


def display_name(uploaded: str | None) -> str:
    """The uploaded name as a user knows it: the last part of whatever path a client sent."""
    name = re.split(r"[/\\]", uploaded or "")[-1]
    name = _CONTROL.sub("\ufffd", unicodedata.normalize("NFC", name)).strip()
    if name in ("", ".", ".."):
        name = "berkas-tanpa-nama.xlsx"
    if len(name) > MAX_NAME_CHARS:
        stem, dot, suffix = name.rpartition(".")
        suffix = f".{suffix}" if dot and len(suffix) <= 5 else ""
        name = name[: MAX_NAME_CHARS - len(suffix) - 3] + "..." + suffix
    return name


def disk_name(name: str) -> str:
    """A file name safe to create in the request's folder, keeping the display name's look."""
    safe = _UNSAFE_ON_DISK.sub("_", name).strip(" .") or "berkas"
    stem, dot, suffix = safe.rpartition(".")
    if not dot or len(suffix) > 5:
        stem, suffix = safe, ""
    suffix = f".{suffix}" if suffix else ""
    while len((stem + suffix).encode()) > _DISK_NAME_BYTES:
        stem = stem[: max(1, len(stem) - 8)]
    return stem + suffix


def unique_names(names: list[str]) -> list[str]:
    """Display names made unique ("pk.xlsx", "pk (2).xlsx"): findings are grouped by name."""
    seen: set[str] = set()
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            stem, dot, suffix = name.rpartition(".")
            candidate = f"{stem} ({n}).{suffix}" if dot and stem else f"{name} ({n})"
        seen.add(candidate)
        out.append(candidate)
    return out


def check_sizes(sizes: list[int], limits: UploadLimits) -> None:
    """Raise UploadRefused when the files are too many or too large, one or together."""
    if len(sizes) > limits.max_files:
        raise UploadRefused(too_many(limits))
    too_big = [s for s in sizes if s > limits.max_file_bytes]
    if too_big:
        raise UploadRefused(f"Berkas terlalu besar: {_mib(max(too_big))}; paling besar {_mib(limits.max_file_bytes)} per berkas. Buku kerja PK/RA biasanya di bawah 1 MB.")
    if sum(sizes) > limits.max_total_bytes:
        raise UploadRefused(too_large_total(limits))


def too_many(limits: UploadLimits) -> str:
    return f"Terlalu banyak berkas dalam satu kiriman; paling banyak {limits.max_files}. Kirim dalam beberapa bagian."


def too_large_total(limits: UploadLimits) -> str:
    return f"Kiriman terlalu besar: paling besar {_mib(limits.max_total_bytes)} untuk semua berkas sekaligus. Kirim dalam beberapa bagian."


def _mib(n: int) -> str:
    return f"{n / _MiB:.1f} MB".replace(".", ",").replace(",0 MB", " MB")
