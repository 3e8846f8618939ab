"""Read: input files -> Documents, each with the findings about that file alone.

read_document is the one way any workbook is read (validate, consolidate, recap, template --dari):
the Identitas sheet's marker names the kind, and the kind (kinds/) reads its tables. Reading never
raises for bad data: a Document holds what could be read, and the findings of reading it and of
its kind's single-file checks.

read() reads every input: in this process, or in worker processes (pipeline/workers.py) taking
runs of files of one folder. A worker sends back each document without its rows, and the full
document pickled and compressed (about 2 KB a workbook): so memory stays small however many
files are read, and a group's work can go to a worker again with the documents it needs
(Reading.portable). Either way the documents, findings and their order are the same.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core import findings as F
from ..core.cells import ref as a1
from ..core.contract import MARKER_LABEL, header_key
from ..core.files import os_reason
from ..core.findings import Finding, finding
from ..core.values import display
from ..kinds import KINDS, get
from ..model import Document
from ..xlsx.sheet import read_identity, read_identity_block, read_marker
from ..xlsx.source import Limits, SourceError, XlsxSource, open_xlsx
from .bundle import Group
from .collect import Inputs, plan, shown
from .workers import Workers

BATCH_MAX_FILES = 32  # files of one folder read by one worker task at most


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_document(path: str | Path, display_name: str | None = None, limits: Limits | None = None) -> Document:
    """Read one workbook and run its kind's single-file checks. Never raises for bad input."""
    path = Path(path)
    doc = Document(path=path, display_name=display_name or shown(path), kind=None)
    try:
        doc.sha256 = file_sha256(path)
    except OSError as exc:
        doc.readable = False
        doc.findings.append(finding(F.BERKAS_TIDAK_TERBACA, f"Berkas tidak dapat dibuka: {os_reason(exc)}.", doc.display_name))
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
    if doc.readable:
        doc.findings.extend(file_checks(doc))
    return doc


def _read_workbook(src: XlsxSource, doc: Document) -> None:
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


def file_checks(doc: Document) -> list[Finding]:
    """The findings of the document's kind's single-file checks."""
    kind = get(doc.kind)
    return [f for check in kind.file_checks for f in check(doc)] if kind and doc.data is not None else []


def file_summary(doc: Document) -> dict:
    """What the JSON report and the Sumber sheets say of an input file."""
    return {
        "file": doc.display_name,
        "kind": doc.kind,
        "template_version": doc.version,
        "satker": doc.identity.satker or None,
        "tahun": doc.identity.tahun,
        "divisi": getattr(doc.identity, "divisi", "") or None,
        "sha256": doc.sha256 or None,
        "rows": doc.row_count,
        "readable": doc.readable,
    }


@dataclass
class Reading:
    """The inputs as read: each file once, in input order."""

    documents: list[Document]  # without their rows when read by a worker (see portable())
    findings: list[Finding]  # collect's, files named twice or identical, and each file's own, in input order
    files: list[dict]  # file_summary of each document
    inputs_found: int  # how many files the paths named (0: there was nothing to do)
    blobs: dict[int, bytes] = field(default_factory=dict)  # id(document) -> the full document, pickled and compressed

    def portable(self, group: Group) -> Group | Packed:
        """The group with what its work needs: itself when its documents are here in full; else packed
        with its documents' compressed copies, to be unpacked (unpack()) in whichever process does the work."""
        if not any(id(d) in self.blobs for d in (*group.members, *group.outside, *group.unplaced)):
            return group

        def blob(d: Document) -> bytes:
            return self.blobs.get(id(d)) or _compress(d)

        return Packed(replace(group, docs={k: [blob(d) for d in docs] for k, docs in group.docs.items()}, outside=[blob(d) for d in group.outside], unplaced=[blob(d) for d in group.unplaced]))


@dataclass(frozen=True)
class Packed:
    """A group whose documents travel as compressed pickles (bytes) in place of Document objects."""

    group: Group


def unpack(portable: Group | Packed) -> Group:
    if not isinstance(portable, Packed):
        return portable
    g = portable.group

    def load(blob: bytes) -> Document:
        return pickle.loads(zlib.decompress(blob))

    return replace(g, docs={k: [load(b) for b in docs] for k, docs in g.docs.items()}, outside=[load(b) for b in g.outside], unplaced=[load(b) for b in g.unplaced])


def _compress(doc: Document) -> bytes:
    return zlib.compress(pickle.dumps(doc, pickle.HIGHEST_PROTOCOL), 1)


def _batches(jobs: list[tuple[Path, str]], workers: int) -> list[list[tuple[Path, str]]]:
    """Runs of files of one folder (a satker's PK and RAs, usually), each run one worker task."""
    size = max(8, min(BATCH_MAX_FILES, -(-len(jobs) // (workers * 4))))
    batches: list[list[tuple[Path, str]]] = []
    folder = None
    for path, name in jobs:
        if not batches or path.parent != folder or len(batches[-1]) >= size:
            batches.append([])
            folder = path.parent
        batches[-1].append((path, name))
    return batches


def _read_batch(batch: list[tuple[Path, str]], limits: Limits) -> list[tuple[Document, dict, bytes]]:
    """In a worker: read a run of files; each comes back without its rows, with its summary and its
    full copy, compressed."""
    out = []
    for path, name in batch:
        doc = read_document(path, name, limits)
        out.append((replace(doc, data=None), file_summary(doc), _compress(doc)))
    return out


def read(inputs: Inputs, limits: Limits, workers: Workers, progress: Callable[[str], None] | None = None) -> Reading:
    """Read every input once: a file named twice, or a second file with identical content, is
    reported (berkas-ganda) and read or counted once."""
    planned = plan(inputs.files)
    jobs = [(path, name) for path, name, repeated in planned if repeated is None]
    if workers.parallel and jobs:
        batches = _batches(jobs, workers.count)
        reads = (item for got in workers.map(_read_batch, [(b, limits) for b in batches]) for item in got)
    else:
        reads = ((doc, None, None) for doc in (read_document(path, name, limits) for path, name in jobs))
    out = Reading([], list(inputs.findings), [], len(inputs.files))
    seen_hash: dict[str, Document] = {}
    for _path, name, repeated in planned:
        if progress:
            progress(name)
        if repeated is not None:
            out.findings.append(repeated)
            continue
        doc, summary, blob = next(reads)
        if doc.sha256 and doc.sha256 in seen_hash:
            first = seen_hash[doc.sha256]
            out.findings.append(finding(F.BERKAS_GANDA, f"Isi berkas ini sama persis dengan {first.display_name}; hanya yang pertama diperiksa dan dihitung.", name))
            continue
        if doc.sha256:
            seen_hash[doc.sha256] = doc
        out.documents.append(doc)
        out.files.append(summary or file_summary(doc))
        out.findings.extend(doc.findings)
        if blob is not None:
            out.blobs[id(doc)] = blob
    return out
