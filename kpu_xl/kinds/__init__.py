"""The document kinds kpu-xl reads, by their marker code. Adding a kind: one module, one line here."""

from __future__ import annotations

from . import pk, ra
from .base import DocumentKind

KINDS: dict[str, DocumentKind] = {k.code: k for k in (pk.KIND, ra.KIND)}

PK = pk.CODE
RA = ra.CODE

__all__ = ["KINDS", "PK", "RA", "DocumentKind", "get"]


def get(code: str | None) -> DocumentKind | None:
    return KINDS.get(code) if code else None
