"""The work behind each page: the library's front door (api.py) on a request's uploads.

Each job runs in a worker process of the page's pool (web/pool.py) on files already stored in the
request's folder, reads them in that process (Options(workers=1): the pool is the page's
parallelism), and returns plain picklable data: the report, the output's bytes, the report tables.
Nothing here knows about HTTP; nothing is kept after it returns but what it returns (the
request's folder is removed by the caller).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import api
from ..core import contract as C
from ..core.findings import Report
from ..report import tables as T
from ..report.narrative import report_lines, summary_lines
from .uploads import Upload

SERIAL = api.Options(workers=1)


@dataclass
class Copy:
    file: str  # the upload's display name
    name: str  # the annotated copy's file name
    data: bytes | None = None
    problem: str | None = None  # why it could not be written


@dataclass
class Checked:
    """POST /periksa and /api/periksa: the report, and the annotated copies."""

    report: Report
    copies: list[Copy] = field(default_factory=list)


@dataclass
class Output:
    """POST /api/konsolidasi and /api/laporan (and their pages): a file, or why there is none."""

    report: Report  # the findings
    refused: str | None = None  # the reason nothing was written (errors, or it could not run)
    data: bytes | None = None
    file_name: str = ""
    media_type: str = ""
    title: str = ""  # satker and year
    tables: list = field(default_factory=list)  # report.tables.Table, for the result page
    decimals: int = 2
    lines: list[str] = field(default_factory=list)  # what the CLI says of it, sentence by sentence


# The page shows Capaian Sasaran and a narrower Pengukuran Kinerja (the workbook has every column).
PAGE_COLUMNS = (C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_SATUAN, C.H_TARGET, "Realisasi", T.H_CAPAIAN, T.H_KATEGORI, "Status", C.H_REALISASI_LALU, C.H_TARGET_RENSTRA, "Catatan")


def _names(uploads: list[Upload]) -> tuple[list[Path], dict[str, str]]:
    return [u.path for u in uploads], {str(u.path): u.name for u in uploads}


def periksa(uploads: list[Upload], folder: Path, annotate: bool = True) -> Checked:
    """kpu-xl validate (--format json, --annotate): the report, and a copy of each file with findings."""
    paths, names = _names(uploads)
    report = api.validate(paths, SERIAL, names=names)
    copies = []
    if annotate:
        for name, written, problem in api.annotate(report, folder / "salinan"):
            if written is None:
                copies.append(Copy(name, "", problem=problem))
            else:
                copies.append(Copy(name, _copy_name(name, written), written.read_bytes()))
    return Checked(report, copies)


def _copy_name(display: str, written: Path) -> str:
    """The copy's name after the upload's name (the file on disk has the safe name)."""
    stem = display.rsplit(".", 1)[0] if "." in display else display
    extra = written.name.removesuffix(".temuan.xlsx").rsplit(".", 1)
    tag = f".{extra[1]}" if len(extra) == 2 and re.fullmatch(r"[0-9a-f]{8}", extra[1]) else ""
    return f"{stem}{tag}.temuan.xlsx"


def gabungkan(uploads: list[Upload], folder: Path) -> Output:
    """kpu-xl consolidate: the workbook, or the findings that stop it."""
    return _written(uploads, folder, "konsolidasi", "konsolidasi")


def laporan(uploads: list[Upload], folder: Path) -> Output:
    """kpu-xl laporan: the draft LKjIP (.docx), or the findings that stop it."""
    return _written(uploads, folder, "laporan", "laporan-kinerja")


def _written(uploads: list[Upload], folder: Path, fmt: str, stem: str) -> Output:
    paths, names = _names(uploads)
    try:
        result = api.consolidate(paths, SERIAL, names=names)
    except (api.ConsolidateError, api.Refused) as exc:
        refused = exc.message if isinstance(exc, api.ConsolidateError) else f"{exc.message} Perbaiki galat di bawah ini di berkas aslinya, lalu kirim lagi."
        return Output(exc.report, refused=refused)
    out = folder / "hasil"
    out.mkdir()
    written = api.render(result, out / f"{stem}{api.output_format(fmt).suffix}", fmt)
    lines = summary_lines(result)
    if fmt == "laporan":
        lines += [line.strip() for line in report_lines(result, written.notes)]
    built = T.tables(result)
    measured = built[T.SHEET_PENGUKURAN]
    return Output(
        api.Report(result.files, result.findings, len(result.files)),
        data=written.path.read_bytes(),
        file_name=f"{stem}-{slug(result.identity.satker)}-{result.identity.tahun}{written.format.suffix}",
        media_type=written.format.media_type,
        title=f"{result.identity.satker} - {result.identity.tahun}",
        tables=[built[T.SHEET_SASARAN], measured.select([c.header for c in measured.columns if c.header in PAGE_COLUMNS])],
        decimals=result.policy.desimal_tampilan,
        lines=lines,
    )


def slug(text: str | None) -> str:
    """An ASCII file-name part: "KPU Kabupaten Tanjung Jabung Timur" -> "kpu-kabupaten-tanjung-jabung-timur"."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "satker"
