"""The document kinds kpu-xl reads, by their marker code. Adding a kind: one module, one line here."""

from __future__ import annotations

from . import pk, ra, renstra
from .base import DocumentKind

KINDS: dict[str, DocumentKind] = {k.code: k for k in (pk.KIND, ra.KIND, renstra.KIND)}

PK = pk.CODE
RA = ra.CODE
RENSTRA = renstra.CODE

__all__ = ["KINDS", "PK", "RA", "RENSTRA", "DocumentKind", "get"]


def get(code: str | None) -> DocumentKind | None:
    return KINDS.get(code) if code else None
