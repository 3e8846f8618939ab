"""The library's front door: what the CLI (and any other front end) calls.

Each function is a thin name over the pipeline; no figures are computed here.

    validate(paths)                    -> pipeline.load.Report (findings as data)
    consolidate(paths, policy)         -> compute.satker.Consolidated (figures; .frames())
    write(result, path)                -> the consolidated workbook (report/xlsx.py)
    write_report(result, path, base)   -> the draft Laporan Kinerja as a Word document (report/docx.py)
    recap(paths, policy)               -> compute.recap.Recap: every satker and year (.frames(), .as_dict())
    write_recap(recap, path)           -> the recap workbook
    template(kind, path, **options)    -> a blank (or prefilled) template of a kind (kinds/)
    template_ra_from_pk(pk, path, divisi)  -> an RA prefilled from a filled PK, read as validate reads it
    template_renstra_from_pk(pk, path, periode) -> a Renstra prefilled with a PK's sasaran and indicators
"""

from __future__ import annotations

import os

from .compute.recap import recap
from .compute.satker import ConsolidateError, consolidate
from .core.policy import Policy
from .core.policy import load as load_policy
from .pipeline.load import validate
from .report.xlsx import write, write_recap
from .xlsx.source import Limits

__all__ = [
    "validate",
    "consolidate",
    "recap",
    "write",
    "write_recap",
    "write_report",
    "template",
    "template_ra_from_pk",
    "template_renstra_from_pk",
    "load_policy",
    "Policy",
    "ConsolidateError",
    "Limits",
]


def template(kind: str, path: str | os.PathLike, **options: object) -> None:
    """Write the template of a kind ("PK", "RA"); options are the kind's (satker, tahun, divisi, ...)."""
    from .kinds import KINDS

    KINDS[kind.upper()].write_template(path, **options)


def template_ra_from_pk(pk_path: str | os.PathLike, path: str | os.PathLike, divisi: str = "", limits: Limits | None = None, overwrite: bool = False):  # noqa: ANN201
    """An RA template prefilled from a filled PK: (indicators prefilled, the PK Document as read)."""
    from .kinds.ra import write_from_pk

    return write_from_pk(pk_path, path, divisi, limits, overwrite=overwrite)


def template_renstra_from_pk(pk_path: str | os.PathLike, path: str | os.PathLike, satker: str = "", periode: str = "2025-2029", limits: Limits | None = None, overwrite: bool = False):  # noqa: ANN201
    """A Renstra template prefilled with a filled PK's sasaran and indicators: (indicators, the PK Document)."""
    from .kinds.renstra import write_from_pk

    return write_from_pk(pk_path, path, satker=satker, periode=periode, limits=limits, overwrite=overwrite)


def write_report(result, path: str | os.PathLike, inputs=None, base: str | os.PathLike | None = None, overwrite: bool = False):  # noqa: ANN001, ANN201
    """The draft LKjIP (.docx) of a consolidated result; returns report.docx.Written (path, placeholders)."""
    from .report.docx import write_report as write_docx

    return write_docx(result, path, inputs=inputs, base=base, overwrite=overwrite)
