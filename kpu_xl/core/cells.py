"""A1-style cell references: "B7" <-> (row 7, column 2). No Excel objects here."""

from __future__ import annotations

import re

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def column_letter(col: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    if col < 1:
        raise ValueError(col)
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" -> 1, "AA" -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def split_ref(text: str) -> tuple[int, int]:
    """ "B7" -> (7, 2); anything unparsable sorts first as (0, 0)."""
    m = _REF.match(text or "")
    if not m:
        return (0, 0)
    return int(m.group(2)), column_index(m.group(1))
