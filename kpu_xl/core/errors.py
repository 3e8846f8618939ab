"""KpuXlError: the one exception type a front end maps, with its exit status and its page status.

Loading and checking never raise for bad data (problems are findings). What raises is a run that
cannot go on for a reason the user can act on: no PK to consolidate, an output that would replace
an input, a policy file that cannot be read, a Word template that is not a .docx. Each such error
is a KpuXlError (or a subclass, declared where it is raised) carrying a message in Bahasa
Indonesia, the CLI's exit status and the web page's HTTP status. The CLI maps it once (cli.Group.invoke),
the page once (web/app.py). Anything else is a bug: InternalError says so, with what it concerns,
and is never relabelled as bad input.
"""

from __future__ import annotations

import errno


class KpuXlError(Exception):
    """A run cannot go on; the message (Bahasa Indonesia) says why and what to do."""

    exit_code: int = 2  # the CLI's status: "could not run"
    http_status: int = 400  # the page's answer
    report = None  # core.findings.Report: what validating the inputs found, where that explains the error

    def __init__(self, message: str, *, exit_code: int | None = None, http_status: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
        if http_status is not None:
            self.http_status = http_status

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class InternalError(KpuXlError):
    """A bug in kpu-xl (not a fault of the input): reported as such, with what it concerns."""

    exit_code = 70  # EX_SOFTWARE
    http_status = 500

    @classmethod
    def of(cls, exc: BaseException, concerning: str) -> InternalError:
        return cls(f"Galat internal kpu-xl saat {concerning} ({type(exc).__name__}: {exc}). Ini bukan kesalahan berkas Anda; laporkan ke pengelola kpu-xl beserta berkas dan perintahnya.")


# Operating-system errors said in Bahasa Indonesia (never the system's English text): errno ->
# (when reading, when writing). One place for inputs, outputs and the policy file alike.
_REASONS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("tidak ada izin membaca (periksa hak akses berkas atau folder)", "tidak ada izin menulis"),
    errno.EPERM: ("tidak ada izin membaca (periksa hak akses berkas atau folder)", "tidak ada izin menulis"),
    errno.ENOENT: ("tidak ditemukan (mungkin baru saja dipindah atau dihapus)", "folder tujuan tidak ada"),
    errno.ENOTDIR: ("salah satu bagian jalurnya berupa berkas, bukan folder", "jalurnya berupa berkas, bukan folder"),
    errno.EEXIST: ("sudah ada", "jalurnya berupa berkas, bukan folder"),
    errno.EISDIR: ("ini sebuah folder, bukan berkas", "sudah ada folder dengan nama itu"),
    errno.ENOSPC: ("ruang disk penuh", "ruang disk penuh"),
    errno.EROFS: ("sistem berkas hanya-baca", "sistem berkas hanya-baca"),
    errno.ELOOP: ("tautan simbolik berputar (menunjuk dirinya sendiri)", "tautan simbolik berputar (menunjuk dirinya sendiri)"),
    errno.ENAMETOOLONG: ("nama jalur terlalu panjang", "nama jalur terlalu panjang"),
    errno.EIO: ("galat baca perangkat (disk atau jaringan bermasalah)", "galat tulis perangkat (disk atau jaringan bermasalah)"),
}


def os_reason(exc: OSError, writing: bool = False) -> str:
    """Why a path cannot be read (or, writing, written), in Bahasa Indonesia."""
    said = _REASONS.get(exc.errno) if exc.errno else None
    if said is not None:
        return said[writing]
    return f"galat sistem operasi {errno.errorcode.get(exc.errno, exc.errno) if exc.errno else type(exc).__name__}"
