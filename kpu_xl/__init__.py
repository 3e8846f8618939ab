"""kpu-xl: validate and consolidate KPU Perjanjian Kinerja and Rencana Aksi workbooks.

The pipeline, one module per step: source (open safely) -> read (workbook ->
model + findings) -> checks (findings) -> capaian (figures) -> consolidate
(tables) -> output (formatted workbook). The public API is re-exported here
lazily so that `import kpu_xl` (and `kpu-xl --help`) stays fast.
"""

__version__ = "0.1.0"
