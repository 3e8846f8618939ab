"""kpu-xl: validate and consolidate KPU performance-accountability (SAKIP) workbooks.

The pipeline, one package per step (see README, Layout):
read (xlsx/, kinds/) -> resolve -> check (pipeline/) -> compute (compute/) -> write (report/).

Public API (imported lazily, so that `import kpu_xl` and `kpu-xl --help` stay fast):

    from kpu_xl import validate, consolidate, write
    report = validate(["berkas/"])                  # Report: findings as data, .as_dict() for JSON
    result = consolidate(["berkas/"])               # Consolidated: figures, .frames() for pandas
    write(result, "konsolidasi.xlsx")               # the formatted workbook
"""

__version__ = "0.1.0"

_API = ("validate", "consolidate", "recap", "write", "write_recap", "write_report", "load_policy", "Policy", "ConsolidateError", "Limits")

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'kpu_xl' has no attribute {name!r}")
