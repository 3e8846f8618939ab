"""The work behind each page: the same library calls as the CLI's commands, on a request's uploads.

Each job runs in a worker process (web/app.py) on files already stored in the request's
folder, and returns plain picklable data: the JSON document the CLI prints, the output's
bytes, the report tables. Nothing here knows about HTTP; nothing is kept after it returns
but what it returns (the request's folder is removed by the caller).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..core import contract as C
from ..report.tables import H_CAPAIAN, H_KATEGORI
from .uploads import Upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Copy:
    file: str  # the upload's display name
    name: str  # the annotated copy's file name
    data: bytes | None = None
    problem: str | None = None  # why it could not be written


@dataclass
class Checked:
    """POST /periksa and /api/periksa: the validate JSON document, and the annotated copies."""

    report: dict
    summary_line: str
    copies: list[Copy] = field(default_factory=list)


@dataclass
class Output:
    """POST /api/konsolidasi and /api/laporan (and their pages): a file, or why there is none."""

    report: dict  # the findings, as validate's JSON document (files, findings, summary)
    summary_line: str
    refused: str | None = None  # the reason nothing was written (errors, or it could not run)
    data: bytes | None = None
    file_name: str = ""
    media_type: str = ""
    title: str = ""  # satker and year
    tables: list = field(default_factory=list)  # report.tables.Table, for the result page
    decimals: int = 2
    lines: list[str] = field(default_factory=list)  # the summary the CLI prints, sentence by sentence


# The page shows Capaian Sasaran and a narrower Pengukuran Kinerja (the workbook has every column).
PAGE_COLUMNS = (C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_SATUAN, C.H_TARGET, "Realisasi", H_CAPAIAN, H_KATEGORI, "Status", C.H_REALISASI_LALU, C.H_TARGET_RENSTRA, "Catatan")


def _names(uploads: list[Upload]) -> tuple[list[Path], dict[str, str]]:
    return [u.path for u in uploads], {str(u.path): u.name for u in uploads}


def periksa(uploads: list[Upload], folder: Path, annotate: bool = True) -> Checked:
    """kpu-xl validate (--format json, --annotate): the report, and a copy of each file with findings."""
    from ..pipeline.load import load, report_of
    from ..report.annotate import annotate_all

    paths, names = _names(uploads)
    result = load(paths, keep_rows=False, workers=1, names=names)
    report = report_of(result)
    copies = []
    if annotate:
        out = folder / "salinan"
        for doc, written, problem in annotate_all(result.documents, result.findings, out, protect=paths):
            if written is None:
                copies.append(Copy(doc.display_name, "", problem=problem))
            else:
                copies.append(Copy(doc.display_name, _copy_name(doc.display_name, written), written.read_bytes()))
    return Checked(report.as_dict(), report.summary_line(), copies)


def _copy_name(display: str, written: Path) -> str:
    """The copy's name after the upload's name (the file on disk has the safe name)."""
    stem = display.rsplit(".", 1)[0] if "." in display else display
    extra = written.name.removesuffix(".temuan.xlsx").rsplit(".", 1)
    tag = f".{extra[1]}" if len(extra) == 2 and re.fullmatch(r"[0-9a-f]{8}", extra[1]) else ""
    return f"{stem}{tag}.temuan.xlsx"


def gabungkan(uploads: list[Upload], folder: Path) -> Output:
    """kpu-xl consolidate: the workbook, or the findings that stop it."""
    return _consolidated(uploads, folder, "konsolidasi", ".xlsx")


def laporan(uploads: list[Upload], folder: Path) -> Output:
    """kpu-xl laporan: the draft LKjIP (.docx), or the findings that stop it."""
    return _consolidated(uploads, folder, "laporan-kinerja", ".docx")


def _consolidated(uploads: list[Upload], folder: Path, stem: str, suffix: str) -> Output:
    from ..api import ConsolidateError, consolidate, write, write_report
    from ..pipeline.load import Report
    from ..report import tables as T
    from ..report.narrative import anggaran_line, comparison_line, pct

    paths, names = _names(uploads)
    try:
        result = consolidate(paths, names=names)
    except ConsolidateError as exc:
        report = validate_report(uploads)
        return Output(report.as_dict(), report.summary_line(), refused=str(exc))
    report = Report(result.files, result.findings, len(result.files))
    if result.errors:
        refused = f"{len(result.errors)} galat: tidak ada yang ditulis. Perbaiki galat di bawah ini di berkas aslinya, lalu kirim lagi."
        return Output(report.as_dict(), report.summary_line(), refused=refused)
    out = folder / "hasil" / f"{stem}{suffix}"
    out.parent.mkdir()
    lines = []
    if suffix == ".xlsx":
        write(result, out, inputs=paths)
        media = XLSX
    else:
        from ..report.docx import readiness

        written = write_report(result, out, inputs=paths)
        media = DOCX
        lines.append(f"{len(written.placeholders)} bagian masih perlu ditulis orang (ditandai kuning di dokumen).")
        lines += [f"{item}: {answer}" for item, answer in readiness(result)]
    d = result.policy.desimal_tampilan
    title = f"{result.identity.satker} - {result.identity.tahun}"
    lines[:0] = [f"Capaian satker {pct(result.satker_capaian, d)} ({result.satker_kategori or '-'}).", anggaran_line(result)]
    if result.history is not None:
        lines.insert(2, comparison_line(result))
    built = T.tables(result)
    measured = built[T.SHEET_PENGUKURAN]
    shown = [built[T.SHEET_SASARAN], measured.select([c.header for c in measured.columns if c.header in PAGE_COLUMNS])]
    return Output(
        report.as_dict(),
        report.summary_line(),
        data=out.read_bytes(),
        file_name=f"{stem}-{slug(result.identity.satker)}-{result.identity.tahun}{suffix}",
        media_type=media,
        title=title,
        tables=shown,
        decimals=d,
        lines=lines,
    )


def validate_report(uploads: list[Upload]):  # noqa: ANN201 - pipeline.load.Report
    from ..pipeline.load import validate

    paths, names = _names(uploads)
    return validate(paths, workers=1, names=names)


def slug(text: str | None) -> str:
    """An ASCII file-name part: "KPU Kabupaten Tanjung Jabung Timur" -> "kpu-kabupaten-tanjung-jabung-timur"."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "satker"
