"""kpu-xl: validate and consolidate KPU performance-accountability (SAKIP) workbooks.

The pipeline, one package per phase (see README, Layout):
collect, read (pipeline/, kinds/) -> group, resolve, check (pipeline/) -> compute (compute/) -> render (report/).
kpu_xl/api.py composes them; this package exposes its front door (imported lazily, so that
`import kpu_xl` and `kpu-xl --help` stay fast):

    from kpu_xl import Options, validate, consolidate, render, frames
    report = validate(["berkas/"])                  # Report: findings as data, .as_dict() for JSON
    result = consolidate(["berkas/"])               # Consolidated: the figures of LKjIP BAB III
    render(result, "konsolidasi.xlsx")              # the workbook (or "laporan.docx": the Word report)
    frames(result)                                  # the report tables as pandas DataFrames
"""

__version__ = "0.1.0"

_API = (
    "Options",
    "validate",
    "consolidate",
    "recap",
    "render",
    "annotate",
    "template",
    "frames",
    "load_policy",
    "Policy",
    "Limits",
    "Report",
    "KpuXlError",
    "ConsolidateError",
    "PolicyError",
    "Refused",
)

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> object:
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'kpu_xl' has no attribute {name!r}")
