"""The workbooks kpu-xl writes (the templates and every output): how they are opened and saved,
their cell formats and their row heights, in one place.

workbook(path) builds a workbook in memory and writes it to path in one write: the zip is never
left half-written by a full disk (the write fails as a plain OSError, said as such), and user text
is never turned into a formula or a link (strings_to_* off). Styles(wb) makes each xlsxwriter format once for its properties: a writer names the formats it
uses by their properties, and asking twice gives the same format. wrapped_lines() estimates how
many lines a text takes in a wrapped cell of a given width, so that rows are tall enough when a
spreadsheet program does not fit them itself on opening (Excel does not, for rows written by a
program).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

if TYPE_CHECKING:
    from xlsxwriter.format import Format

# in_memory: xlsxwriter would otherwise put every part in the system temp folder, where an
# interrupted run leaves them; fixed zip timestamps too, so that templates are byte-identical.
WRITE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}


@contextmanager
def workbook(path: Path) -> Iterator[xlsxwriter.Workbook]:
    """A workbook to build in the block; when the block ends without an error, its bytes are written to path."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, WRITE_OPTIONS)
    yield wb
    wb.close()
    Path(path).write_bytes(buffer.getvalue())


class Styles:
    """The cell formats of one workbook, each made once for its properties."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self._made: dict[tuple, Format] = {}

    def __call__(self, props: dict[str, Any] | None = None, **more: Any) -> Format:
        merged = {**(props or {}), **more}
        key = tuple(sorted(merged.items()))
        if key not in self._made:
            self._made[key] = self.wb.add_format(merged)
        return self._made[key]


_PIECES = re.compile(r"[^/\-]+[/\-]?|[/\-]")  # spreadsheet programs also wrap after "/" and "-"

# Characters per unit of column width (widths are counted in digits of the default font) and the
# margin a cell keeps: measured on Calibri 10 pt (Carlito in LibreOffice) for the outputs; the
# templates' 11-point text is counted at one character per unit, with room to spare.
OUTPUT_TEXT = (1.3, 1.5)
TEMPLATE_TEXT = (1.0, 0.0)


def wrapped_lines(text: str, width: float, chars_per_unit: float = OUTPUT_TEXT[0], margin: float = OUTPUT_TEXT[1]) -> int:
    """Lines that text needs in a wrapped cell `width` units wide (greedy word wrap).

    Words break after "/" and "-" as Excel and LibreOffice break them, and a word longer than a
    line anywhere; each line of the text starts a new line."""
    room = max(1.0, width * chars_per_unit - margin)
    count = 0
    for para in text.split("\n"):
        count += 1
        used = 0.0
        for word in para.split():
            for i, piece in enumerate(_PIECES.findall(word)):
                gap = 1 if used and i == 0 else 0  # a space between words, none inside one
                if used and used + gap + len(piece) > room:
                    count += 1
                    used = len(piece)
                else:
                    used += gap + len(piece)
                while used > room:
                    count += 1
                    used -= room
    return max(1, count)
