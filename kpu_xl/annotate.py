"""Findings -> an annotated copy of an input workbook (openpyxl).

The copy has each offending cell filled (red for errors, yellow for warnings)
with a comment holding the messages, and a `Temuan kpu-xl` sheet listing every
finding of the file. The input is only read; the copy is written atomically.
Messages and user text are always written as text, never as formulas.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path

from .findings import ERROR, Finding

ANNOTATION_SHEET = "Temuan kpu-xl"
_FILL_ERROR = "FFC7CE"
_FILL_WARNING = "FFEB9C"


def set_text(cell, text: str | None) -> None:
    """Write text that stays text: openpyxl would turn "=..." into a formula."""
    cell.value = text
    if text is not None:
        cell.data_type = "s"


def annotated_name(display_name: str) -> str:
    stem = Path(display_name).stem
    return f"{stem}.temuan.xlsx"


def annotate(source: str | Path, findings: list[Finding], out_dir: str | Path, name: str | None = None) -> Path:
    """Write an annotated copy of source into out_dir and return its path."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    source = Path(source)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / (name or annotated_name(source.name))
    if target.resolve() == source.resolve():
        raise ValueError(f"salinan beranotasi akan menimpa masukan {source}")

    wb = load_workbook(source, keep_vba=False, rich_text=False)
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            by_cell[(f.sheet, f.cell)].append(f)
    for (sheet, ref), items in by_cell.items():
        ws = wb[sheet]
        cell = ws[ref]
        worst = _FILL_ERROR if any(f.severity == ERROR for f in items) else _FILL_WARNING
        cell.fill = PatternFill("solid", start_color=worst, end_color=worst)
        text = "\n".join(f"[{f.code}] {f.message}" for f in items)
        comment = Comment(text[:30000], "kpu-xl")
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

    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=out_dir, prefix=".kpu-xl-")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
