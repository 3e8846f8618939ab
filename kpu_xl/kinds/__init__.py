"""The document kinds kpu-xl reads and writes templates for, by their marker code.

Adding a kind: one module (its data classes, contract, reader, checks and template) and one
entry in KINDS. `python -m kpu_xl.kinds [FOLDER]` rebuilds the shipped blank templates.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import pk, ra, renstra
from .base import DocumentKind, TemplateParam, TemplateSpec, TemplateWritten

KINDS: dict[str, DocumentKind] = {k.code: k for k in (pk.KIND, ra.KIND, renstra.KIND)}

PK = pk.CODE
RA = ra.CODE
RENSTRA = renstra.CODE

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

__all__ = ["KINDS", "PK", "RA", "RENSTRA", "DocumentKind", "TemplateParam", "TemplateSpec", "TemplateWritten", "by_name", "get", "build_shipped"]


def get(code: str | None) -> DocumentKind | None:
    return KINDS.get(code) if code else None


def by_name(name: str) -> DocumentKind:
    """A kind by its code or slug, any case ("pk", "RA"); KeyError naming the kinds there are."""
    kind = KINDS.get(name.upper())
    if kind is None:
        raise KeyError(f"{name!r}: kinds are {', '.join(k.slug for k in KINDS.values())}")
    return kind


def build_shipped(folder: str | os.PathLike = TEMPLATES_DIR) -> list[Path]:
    """Write the blank template of every kind into folder (templates/ by default); returns their paths."""
    out = Path(folder)
    return [kind.template.write(out / kind.shipped, overwrite=True).path for kind in KINDS.values()]  # rebuilt in place
