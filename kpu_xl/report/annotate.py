"""Findings -> an annotated copy of an input workbook (openpyxl).

The copy has each offending cell filled (red for errors, yellow for warnings)
with a comment holding the messages, and a `Temuan kpu-xl` sheet listing every
finding of the file. The input is only read; the copy is written through the format
registry (report/formats.py: format "anotasi"), atomically and never over an input.

Nothing of the input becomes live in the copy: it is loaded with cached values
instead of formulas (data_only), without macros (keep_vba=False) and without
links to other workbooks (keep_links=False); messages and user text are always
written as text, never as formulas, cleaned of characters a worksheet cannot hold.
The copy needs the whole workbook in memory, so inputs larger than
MAX_ANNOTATE_BYTES (uncompressed, read from the zip directory) are refused.

Findings name sheets as the reader found them (trimmed, case-insensitive: "perjanjian
kinerja" is the sheet "Perjanjian Kinerja"), and a finding inside a merged range marks
its top-left cell, the only one that can hold a comment. The copy is reopened before it
replaces anything: when a sheet of the input is missing from it (openpyxl reads no
sheet of a Strict Open XML workbook), nothing is written and AnnotateError says why.
Its description carries files.OUTPUT_MARK, so that kpu-xl never reads it as an input.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..core.contract import text_key
from ..core.errors import InternalError, KpuXlError
from ..core.files import ANNOTATED, ANNOTATION_SHEET, OUTPUT_MARK, os_reason
from ..core.findings import ERROR, Finding, Report

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

_FILL_ERROR = "FFC7CE"
_FILL_WARNING = "FFEB9C"
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
MAX_ANNOTATE_BYTES = 20 * 2**20  # uncompressed workbook size; openpyxl needs ~7x that in memory
# Characters a worksheet cannot hold (openpyxl refuses them) plus DEL and C1 controls.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class AnnotateError(KpuXlError):
    """The annotated copy cannot be written. The message is in Bahasa Indonesia."""


def clean_text(text: str, limit: int = MAX_CELL_TEXT) -> str:
    """Text a worksheet cell can hold: no control characters, at most `limit` characters."""
    text = _UNWRITABLE.sub("", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def set_text(cell: Cell, text: str | None) -> None:
    """Write text that stays text: openpyxl would turn "=..." into a formula."""
    if text is None:
        cell.value = None
        return
    cell.value = clean_text(str(text))
    cell.data_type = "s"


def annotated_name(display_name: str) -> str:
    stem = Path(display_name).stem
    return f"{stem}.temuan.xlsx"


@dataclass
class Annotation:
    """What an annotated copy is made of: an input, its findings, and the run's inputs (never overwritten)."""

    source: Path
    findings: list[Finding]
    inputs: list = field(default_factory=list)


def render_annotated(annotation: Annotation, path: Path) -> list[str]:
    """Build the annotated copy of annotation.source at path (report/formats.py writes it).

    AnnotateError (Bahasa Indonesia) when the input is larger than MAX_ANNOTATE_BYTES uncompressed,
    cannot be read as .xlsx, or loses a sheet in the copy (nothing is written then)."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    source, findings = annotation.source, annotation.findings
    try:
        with zipfile.ZipFile(source) as zf:
            size = sum(info.file_size for info in zf.infolist())
    except (OSError, zipfile.BadZipFile) as exc:
        raise AnnotateError(f"{source} tidak dapat dibaca sebagai .xlsx ({exc})") from None
    if size > MAX_ANNOTATE_BYTES:
        raise AnnotateError(
            f"{source} berisi {size / 2**20:.0f} MB bila dibuka, melebihi batas {MAX_ANNOTATE_BYTES / 2**20:.0f} MB untuk salinan beranotasi; "
            "perbaiki temuan dari daftar (mis. hapus baris sisa di bawah data), lalu periksa ulang"
        )
    wb = load_workbook(source, data_only=True, keep_vba=False, keep_links=False, rich_text=False)
    titles: dict[str, str] = {}  # text_key(sheet name) -> the sheet's title, as the reader finds sheets
    for title in wb.sheetnames:
        titles.setdefault(text_key(title), title)
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if not (f.sheet and f.cell):
            continue
        title = f.sheet if f.sheet in wb.sheetnames else titles.get(text_key(f.sheet))
        if title:
            by_cell[(title, _anchor(wb[title], f.cell))].append(f)
    for (sheet, ref), items in by_cell.items():
        ws = wb[sheet]
        cell = ws[ref]
        worst = _FILL_ERROR if any(f.severity == ERROR for f in items) else _FILL_WARNING
        cell.fill = PatternFill("solid", start_color=worst, end_color=worst)
        text = "\n".join(f"[{f.code}] {f.message}" for f in items)
        comment = Comment(clean_text(text, 30000), "kpu-xl")
        comment.width, comment.height = 360, min(400, 60 + 40 * len(items))
        cell.comment = comment

    if ANNOTATION_SHEET in wb.sheetnames:
        del wb[ANNOTATION_SHEET]
    ws = wb.create_sheet(ANNOTATION_SHEET, 0)
    headers = ("Lembar", "Sel", "Tingkat", "Kode", "Pesan")
    for col, header in enumerate(headers, 1):
        set_text(ws.cell(1, col), header)
        ws.cell(1, col).font = Font(bold=True)
    for r, f in enumerate(findings, 2):
        for col, value in enumerate((f.sheet, f.cell, "galat" if f.severity == ERROR else "peringatan", f.code, f.message), 1):
            set_text(ws.cell(r, col), value)
    for col, width in zip("ABCDE", (22, 8, 12, 28, 100)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    # Sheets may be protected in the template: the annotation must not need a password to read.
    wb.active = 0
    wb.properties.description = clean_text(f"{OUTPUT_MARK} {__version__}: {ANNOTATED} dari {source.name}", 1000)
    expected = _sheet_names(source)
    wb.save(path)
    kept = _sheet_names(path)
    missing = [name for name in expected if name not in kept]
    if missing:
        shown = ", ".join(f'"{clean_text(name, 40)}"' for name in missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise AnnotateError(
            f"lembar {shown} dari {source.name} tidak dapat disalin "
            "(misalnya buku kerja berformat Strict Open XML); buka berkas di Excel atau LibreOffice, simpan sebagai "
            "Buku Kerja Excel (.xlsx) biasa, lalu periksa ulang"
        )
    return []


def _anchor(ws: Worksheet, ref: str) -> str:
    """The cell a finding at ref marks: ref itself, or the top-left cell of the merged range holding it."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    try:
        letters, row = coordinate_from_string(ref)
        col = column_index_from_string(letters)
    except ValueError:
        return ref
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
            return merged.start_cell.coordinate
    return ref


def _sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook as kpu-xl's reader sees them (it reads Strict Open XML too)."""
    from ..xlsx.source import SourceError, open_xlsx

    try:
        with open_xlsx(path) as src:
            return [info.name for info in src.sheets]
    except SourceError as exc:
        raise AnnotateError(f"{path.name} tidak dapat dibaca: {exc.message}") from None


def annotate_all(report: Report, folder: Path, overwrite: bool = False) -> list[tuple[str, Path | None, str | None]]:
    """Annotate every readable input of the report that has findings: (its name, the copy written or
    None, why not). Copies are named <stem>.temuan.xlsx, with a short hash when two inputs share a
    file name. One copy that cannot be written never stops the others."""
    from .formats import write

    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_file[f.file].append(f)
    same_name = Counter(d.path.name for d in report.documents)
    outcomes: list[tuple[str, Path | None, str | None]] = []
    for doc in report.documents:
        items = by_file.get(doc.display_name)
        if not items or not doc.readable:
            continue
        name = annotated_name(doc.path.name)
        if same_name[doc.path.name] > 1:
            name = name.replace(".temuan.xlsx", f".{doc.sha256[:8]}.temuan.xlsx")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            written = write(Annotation(doc.path, items, [doc.path, *report.inputs]), folder / name, "anotasi", overwrite=overwrite)
        except OSError as exc:
            outcomes.append((doc.display_name, None, f"{name} tidak ditulis: folder {folder} tidak dapat dibuat: {os_reason(exc, writing=True)}"))
        except InternalError:
            raise  # a bug is not one file's trouble
        except KpuXlError as exc:
            outcomes.append((doc.display_name, None, f"{name} tidak ditulis: {exc.message}"))
        else:
            outcomes.append((doc.display_name, written.path, None))
    return outcomes
