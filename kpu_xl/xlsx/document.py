"""Workbook -> Document: the one way any workbook is read (validate, consolidate, template --dari).

Reading never raises for bad data: it returns a Document holding what it could
read and the findings of reading it. The Identitas sheet's marker names the kind;
the kind (kinds/) says which identity labels and tables to read and how.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..core import findings as F
from ..core.cells import ref as a1
from ..core.contract import MARKER_LABEL, header_key
from ..core.findings import finding
from ..core.values import display
from ..model import Document
from .sheet import read_identity, read_identity_block, read_marker
from .source import Limits, SourceError, XlsxSource, open_xlsx

# What reading itself can report (besides what the sheet helpers report for values).
EMITS = (F.BERKAS_TIDAK_TERBACA, F.TEMPLAT_TIDAK_DIKENAL, F.MAKRO_DIABAIKAN)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_document(path: str | Path, display_name: str | None = None, limits: Limits | None = None) -> Document:
    """Read one workbook. Never raises for bad input: problems become findings."""
    path = Path(path)
    doc = Document(path=path, display_name=display_name or str(path), kind=None)
    try:
        doc.sha256 = file_sha256(path)
    except OSError as exc:
        doc.readable = False
        doc.findings.append(finding(F.BERKAS_TIDAK_TERBACA, f"Berkas tidak dapat dibuka: {exc.strerror or exc}.", doc.display_name))
        return doc
    try:
        with open_xlsx(path, limits or Limits()) as src:
            _read_workbook(src, doc)
    except SourceError as exc:
        doc.readable = False
        sheet = getattr(exc, "sheet", None)  # set when one sheet could not be read
        message = exc.message if sheet is None else f'{exc.message.rstrip(".")} (lembar "{sheet}").'
        doc.findings.append(finding(exc.code, message, doc.display_name, sheet))
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other files
        # Not expected for any input (tests fuzz for it); if it happens, this file is
        # reported unreadable, with what went wrong, and the run goes on.
        doc.readable = False
        doc.findings.append(
            finding(
                F.BERKAS_TIDAK_TERBACA,
                f"Berkas ini tidak dapat dibaca karena galat di kpu-xl ({type(exc).__name__}: {display(str(exc))}); berkas lain tetap diperiksa. Laporkan ke pengelola kpu-xl beserta berkasnya.",
                doc.display_name,
            )
        )
    return doc


def _read_workbook(src: XlsxSource, doc: Document) -> None:
    from ..kinds import KINDS

    if src.has_macros:
        doc.findings.append(finding(F.MAKRO_DIABAIKAN, "Buku kerja berisi makro; nilai dibaca, makro tidak pernah dijalankan. Simpan sebagai .xlsx bila makro tidak diperlukan.", doc.display_name))
    block = read_identity_block(src, doc)
    if block is None:
        doc.readable = False
        names = ", ".join(f'"{display(s.name)}"' for s in src.sheets[:10]) + (", ..." if len(src.sheets) > 10 else "")
        doc.findings.append(
            finding(
                F.TEMPLAT_TIDAK_DIKENAL,
                f"Bukan buku kerja PK/RA kpu-xl: lembar Identitas tidak ada (lembar yang ada: {names or 'tidak ada'}). Buat dari templat: kpu-xl template pk / kpu-xl template ra.",
                doc.display_name,
            )
        )
        return
    sheet, label_rows = block
    code, version = read_marker(sheet, label_rows, KINDS)
    if not isinstance(version, int):
        doc.readable = False
        sheet.add(F.TEMPLAT_TIDAK_DIKENAL, f"Bukan buku kerja PK/RA kpu-xl: {code}. Buat dari templat: kpu-xl template pk / kpu-xl template ra.", version)
        return
    kind = KINDS[code]
    doc.kind, doc.version = code, version
    if version > kind.version or version < 1:
        doc.readable = False
        ref = a1(label_rows[header_key(MARKER_LABEL)], 2)
        todo = "perbarui kpu-xl" if version > kind.version else "buat ulang dari templat: kpu-xl template " + code.lower()
        sheet.add(
            F.TEMPLAT_TIDAK_DIKENAL,
            f"Templat {kind.name} ({code}) versi {version} tidak dikenal rilis kpu-xl ini (versi yang dikenal: {kind.version}); {todo}.",
            ref,
        )
        return
    doc.identity = read_identity(sheet, label_rows, kind.identity, kind.identity_class())
    doc.data = kind.read(src, doc)
