"""kpu-xl: validate and consolidate KPU Perjanjian Kinerja and Rencana Aksi workbooks.

The pipeline, one module per step: source (open safely) -> read (workbook ->
model + findings) -> checks (findings) -> capaian (figures) -> consolidate
(tables) -> output (formatted workbook).

Public API (imported lazily so that `import kpu_xl` and `kpu-xl --help` stay fast):

    from kpu_xl import validate, consolidate, write
    report = validate(["berkas/"])                  # Report: findings as data, .as_dict() for JSON
    result = consolidate(["berkas/"])               # Consolidated: figures, .frames() for pandas
    write(result, "konsolidasi.xlsx")               # the formatted workbook
"""

__version__ = "0.1.0"

# validate and consolidate share their names with their modules. Importing the modules here,
# then binding the names to the functions, keeps `kpu_xl.validate` the function however the
# submodules are imported later (a submodule already in sys.modules is not re-bound). Neither
# module imports pandas or the workbook libraries.
from . import consolidate as _consolidate_module  # noqa: E402
from . import validate as _validate_module  # noqa: E402

validate = _validate_module.validate
consolidate = _consolidate_module.consolidate

_API = {
    "write": ("kpu_xl.output", "write"),
    "load_policy": ("kpu_xl.policy", "load"),
    "Policy": ("kpu_xl.policy", "Policy"),
}

__all__ = ["__version__", "validate", "consolidate", *_API]


def __getattr__(name: str):
    if name in _API:
        import importlib

        module, attr = _API[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'kpu_xl' has no attribute {name!r}")
