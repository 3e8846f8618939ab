"""The output formats, registered once: what each renders, its file suffix and media type, and
the module that renders it (imported on first use, so that `kpu-xl --help` loads none of them).

    konsolidasi  Consolidated -> the consolidated workbook of LKjIP BAB III (report/xlsx.py)
    laporan      Consolidated -> the draft Laporan Kinerja, Word (report/docx.py)
    rekap        Recap        -> the recap workbook across satker (report/xlsx.py)
    anotasi      Annotation   -> an input's annotated copy (report/annotate.py)
    json         Report, Recap -> the JSON document (`--format json`)

The CLI and the page ask for a format by name (or a path's suffix) and write through write():
atomically, never over one of the result's inputs, never over a file kpu-xl did not write unless
asked. Every renderer is `render(subject, path, **options) -> notes`: it builds the file at path
(a temporary name beside the destination) and returns what the user should be told of it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import InternalError, KpuXlError
from ..core.files import OutputError, atomic_write, os_error_in, os_reason, refuse_inputs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JSON = "application/json"


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    media_type: str
    subjects: tuple[str, ...]  # the class names of what it renders
    renderer: str  # "module:function", imported on first use
    noun: str  # what it writes, in Bahasa Indonesia ("Hasil", "Laporan"): "<noun> tidak dapat ditulis: ..."

    def load(self) -> Callable[..., list[str]]:
        module, _, function = self.renderer.partition(":")
        return getattr(importlib.import_module(module), function)

    def renders(self, subject: object) -> bool:
        return type(subject).__name__ in self.subjects


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("konsolidasi", ".xlsx", XLSX, ("Consolidated",), "kpu_xl.report.xlsx:render_consolidated", "Hasil"),
        Format("laporan", ".docx", DOCX, ("Consolidated",), "kpu_xl.report.docx:render_report", "Laporan"),
        Format("rekap", ".xlsx", XLSX, ("Recap",), "kpu_xl.report.xlsx:render_recap", "Rekap"),
        Format("anotasi", ".xlsx", XLSX, ("Annotation",), "kpu_xl.report.annotate:render_annotated", "Salinan beranotasi"),
        Format("json", ".json", JSON, ("Report", "Recap"), "kpu_xl.report.jsontext:render_json", "Dokumen JSON"),
    )
}


@dataclass
class Written:
    path: Path
    format: Format
    notes: list[str] = field(default_factory=list)  # what the renderer says of it (e.g. the report's placeholders)


def get(name: str, path: str | os.PathLike | None = None) -> Format:
    """The format called name; KpuXlError when path (given) does not end with its suffix."""
    fmt = FORMATS[name]
    if path is not None:
        out = Path(path)
        if out.suffix.lower() != fmt.suffix:
            raise KpuXlError(f"Nama berkas keluaran harus berakhiran {fmt.suffix}: {out} (mis. {out.with_suffix(fmt.suffix).name}).")
    return fmt


def choose(subject: object, path: str | os.PathLike, name: str | None = None) -> Format:
    """The format to write subject to path: by name, else the one for its kind with the path's suffix."""
    if name is not None:
        fmt = get(name, path)
        if not fmt.renders(subject):
            raise TypeError(f"format {name} renders {', '.join(fmt.subjects)}, not {type(subject).__name__}")
        return fmt
    suffix = Path(path).suffix.lower()
    found = [f for f in FORMATS.values() if f.renders(subject) and f.suffix == suffix]
    if not found:
        known = ", ".join(f.suffix for f in FORMATS.values() if f.renders(subject))
        raise KpuXlError(f"Nama berkas keluaran harus berakhiran {known}: {path}.")
    return found[0]


def write(subject: Any, path: str | os.PathLike, name: str | None = None, *, overwrite: bool = False, protect: list | None = None, **options: Any) -> Written:
    """Render subject to path: atomically, never over one of its inputs (subject.inputs, and protect),
    never over a file kpu-xl did not write unless overwrite. OutputError (a KpuXlError) when it cannot
    be written; a renderer that fails for any other reason is a bug: InternalError, naming the file."""
    fmt = choose(subject, path, name)
    dest = Path(path).expanduser().resolve()
    notes: list[str] = []
    try:
        refuse_inputs(dest, [*getattr(subject, "inputs", []), *(protect or [])])
        atomic_write(dest, lambda tmp: notes.extend(fmt.load()(subject, tmp, **options)), overwrite=overwrite)
    except OutputError as exc:
        raise OutputError(f"{fmt.noun} tidak dapat ditulis: {exc}.") from None
    except KpuXlError:
        raise
    except Exception as exc:
        wrapped = os_error_in(exc)  # the machine's (a full disk), said as such; anything else is a bug
        if wrapped is not None:
            raise OutputError(f"{fmt.noun} tidak dapat ditulis: {dest} tidak dapat ditulis: {os_reason(wrapped, writing=True)}.") from None
        raise InternalError.of(exc, f"menulis {dest.name}") from exc
    return Written(dest, fmt, notes)


def preload() -> None:
    """Import every renderer now (a worker process, before its first job waits for it)."""
    for fmt in FORMATS.values():
        fmt.load()
