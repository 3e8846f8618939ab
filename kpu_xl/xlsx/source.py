"""A safe, fast, streaming reader of .xlsx/.xlsm workbooks.

Only what kpu-xl needs is read: sheet names and states, cell values (the
cached value of formula cells, never recomputed), number format codes,
formula text, hidden rows and columns, and merged ranges. Nothing is ever
executed: macros (xl/vbaProject.bin) are only noticed, never opened.

Safety, in order:
- the file is sniffed before it is treated as a zip, so an empty file, an old
  .xls, a password-protected workbook, an .ods, a PDF or a CSV renamed to
  .xlsx gets a message that tells the user what to do;
- zip bombs are refused from the zip directory, before anything is
  decompressed (total size, per-member ratio, file size: see Limits), and a
  member is never decompressed past its declared size (zipfile checks size
  and CRC while streaming);
- every XML part goes through an expat parser whose DTD, entity and external
  entity handlers raise defusedxml's exceptions, so a document with a DOCTYPE
  is refused before any declaration in it takes effect and no file or URL is
  ever fetched;
- every part is streamed (expat callbacks, no element tree); a sheet scan
  stops after Limits.max_rows rows with data (and a budget of junk rows and
  cells), so time and memory stay bounded whatever the sheet's <dimension>
  or junk rows claim.

Everything that goes wrong with the input becomes a SourceError whose message
is in Bahasa Indonesia; nothing else escapes for bad input.

Why expat callbacks and not defusedxml.ElementTree.iterparse: on Python 3
defusedxml's ElementTree runs the pure-Python parser; streaming a sheet with
expat callbacks (the same defusing handlers) is about 2-3 times faster and
builds no elements at all.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from pyexpat import XML_PARAM_ENTITY_PARSING_NEVER, ExpatError, ParserCreate
from typing import IO, TYPE_CHECKING, NoReturn

from defusedxml.common import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from ..core import findings as F
from ..core.cells import ref as _a1
from ..core.cells import split_ref
from ..core.values import CellError, format_number

if TYPE_CHECKING:
    from pyexpat import XMLParserType

__all__ = [
    "Limits",
    "RawCell",
    "SheetInfo",
    "SheetData",
    "SourceError",
    "XlsxSource",
    "open_xlsx",
    "BUILTIN_FORMATS",
]

UNREADABLE = F.BERKAS_TIDAK_TERBACA

_MiB = 2**20
_CHUNK = 1 << 16  # bytes fed to expat at a time
_MAX_CHUNK = 1 << 24  # ... growing up to this while expat is inside one long token (see _chunks)

# The shortcuts below (empty cells and rows filtered out before expat, number formats
# cached by styles content) never change what is read; False turns them off, so that
# tests and benchmarks can compare against reading every element.
FAST_PATHS = True

# Empty cells (<c r="K2" s="9"/>, or <c r="K2" s="9"></c> as openpyxl writes them when lxml is
# installed: styled, no value) make up most of a template's sheet,
# one expat callback each for nothing. _scan removes them from the bytes before expat
# (at C speed) when that provably changes nothing: the element is written the way
# Excel, LibreOffice, openpyxl and xlsxwriter write it (r, then s and t, plain values:
# nothing that could be malformed), it has no content, and it is directly followed by
# </row> or by a cell whose r comes first, so no cell's position depends on it. Then rows
# left without cells, the same way: known attributes in the usual order, not hidden,
# followed by a row whose r comes first or by </sheetData>. Removed elements still count
# against the junk budgets. Anything else (other attributes or order, whitespace,
# prefixes) is parsed as before.
_EMPTY_CELLS = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,9}")?(?: t="[a-zA-Z]{1,9}")?(?: ?/>|></c>)(?=</row>|<c r=")')
_BOOL = rb'"(?:[01]|true|false)"'
_NUM = rb'"[0-9.]{1,20}"'
_EMPTY_ROWS = re.compile(
    rb'<row r="[0-9]{1,7}"(?: spans="[0-9: ]{0,40}")?(?: s=' + _NUM + rb")?(?: customFormat=" + _BOOL + rb")?(?: ht=" + _NUM + rb")?"
    rb'(?: hidden="(?:0|false)")?(?: customHeight=' + _BOOL + rb")?(?: outlineLevel=" + _NUM + rb")?(?: collapsed=" + _BOOL + rb")?"
    rb"(?: thickTop=" + _BOOL + rb")?(?: thickBot=" + _BOOL + rb")?(?: x14ac:dyDescent=" + _NUM + rb")?"
    rb' ?(?:/>|></row>)(?=<row r="|</sheetData>)'
)
_HEAD = 4096  # bytes parsed before filtering starts: the root element's start tag is in them
_FIRST_TAG = re.compile(rb"<[A-Za-z_][^>]*>")  # the root's start tag, normally; filtering waits for it
_MAX_ZIP_MEMBERS = 10_000  # a real workbook has tens, a few thousand with many images
_MAX_COLUMN = 16_384  # XFD
_MAX_ROW = 1_048_576


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * _MiB  # compressed file size
    max_uncompressed_bytes: int = 200 * _MiB  # sum over zip members, from the zip directory
    max_ratio: float = 200.0  # per member uncompressed/compressed (only for members > 1 MiB uncompressed)
    # Rows with data read per sheet before stopping (truncated = True). Junk is
    # bounded too: a scan also stops after 4 * max_rows <row> elements (empty,
    # styled rows included) or max_rows * max_cells_per_row <c> elements.
    max_rows: int = 20_000
    max_cells_per_row: int = 200  # columns beyond this are ignored (the sheet counts as truncated)
    max_text_chars: int = 32_767  # longer strings are cut (the caller reports it)


@dataclass(frozen=True, slots=True)
class RawCell:
    row: int  # 1-based
    col: int  # 1-based
    value: object  # str | float | int | bool | datetime | CellError | None (cached value for formula cells)
    number_format: str | None  # format code, e.g. "0%", "General", "dd/mm/yyyy"
    formula: str | None  # formula text without "=", "" for a shared-formula dependent; None if no formula

    @property
    def ref(self) -> str:
        return _a1(self.row, self.col)


@dataclass
class SheetInfo:
    name: str
    state: str  # "visible" | "hidden" | "veryHidden"
    part: str  # zip member path, e.g. "xl/worksheets/sheet1.xml"


@dataclass
class SheetData:
    rows: list[list[RawCell]]
    truncated: bool  # stopped at max_rows or cut columns
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    cut_texts: list[str] = field(default_factory=list)  # refs of cells whose text was cut
    # Where truncation happened: the first row not read (row limits), and the first
    # cell with content beyond max_cells_per_row (column limit). None when not truncated.
    stopped_at_row: int | None = None
    first_cut_cell: str | None = None


class SourceError(Exception):
    """Cannot read the file at all. code is a findings code, message is Bahasa Indonesia."""

    def __init__(self, code: F.Code, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _fail(what: str) -> SourceError:
    return SourceError(UNREADABLE, f"Berkas tidak dapat dibaca: {what}.")


# --- number formats -------------------------------------------------------------------

# ECMA-376 Part 1, 18.8.30 (the ids every locale shares). 5-8 and 41-44 are
# locale dependent currency/accounting formats: the en-US codes are used.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)',
    42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
# East Asian built-in ids (27-36, 50-58) are dates/times in those locales: keep
# them recognisable as dates rather than reading a date serial as a number.
for _id in (*range(27, 32), 34, 35, 36, *range(50, 59)):
    BUILTIN_FORMATS.setdefault(_id, "yyyy-mm-dd")
for _id in (32, 33):
    BUILTIN_FORMATS.setdefault(_id, "h:mm:ss")
del _id


# --- small helpers ---------------------------------------------------------------------

_COLUMNS: dict[str, int] = {}  # "AB" -> 28; only valid letters are cached (bounded by XFD)
_DIGITS = "0123456789"


def _column_of(letters: str) -> int:
    """Column number of cell-ref letters, 0 when they are not a valid column."""
    col = _COLUMNS.get(letters)
    if col is not None:
        return col
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
        return 0
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    if n > _MAX_COLUMN:
        return 0
    _COLUMNS[letters] = n
    return n


_XESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xunescape_one(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)


def _xunescape(text: str) -> str:
    """Undo OOXML's "_xHHHH_" escaping (ST_Xstring): "_x000D_" is a carriage return."""
    return _XESCAPE.sub(_xunescape_one, text) if "_x" in text else text


def _number(text: str) -> object:
    """<v> of a numeric cell: int for integral text ("90", "-5"), else float."""
    if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
        if len(text) < 19:
            return int(text)
    try:
        return float(text)
    except ValueError:
        return text  # not a number after all: the raw text, the caller reports it


def _iso_date(text: str) -> object:
    t = text.strip()
    try:
        return _dt.datetime.fromisoformat(t)
    except ValueError:
        pass
    try:
        return _dt.time.fromisoformat(t)
    except ValueError:
        return text


def _mb(n: float) -> str:
    return f"{format_number(n / _MiB, 1)} MB"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in ("1", "true")


# --- XML safety ----------------------------------------------------------------------


class _Stop(Exception):
    """Raised from an expat handler to stop parsing early (not an error)."""


def _no_doctype(name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> NoReturn:
    raise DTDForbidden(name, sysid, pubid)


def _no_entity(name: str, is_parameter_entity: bool, value: str | None, base: str | None, sysid: str | None, pubid: str | None, notation_name: str | None) -> NoReturn:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)


def _no_unparsed_entity(name: str, base: str | None, sysid: str, pubid: str | None, notation_name: str) -> NoReturn:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)


def _no_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> NoReturn:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _expat(namespaces: bool = False) -> XMLParserType:
    """An expat parser that refuses DTDs, entity declarations and external references.

    These are defusedxml's handlers (forbid_dtd, forbid_entities, forbid_external):
    a DOCTYPE raises as soon as its start is parsed, before any declaration in it
    takes effect, and expat itself never opens files or URLs.
    """
    p = ParserCreate(namespace_separator="}" if namespaces else None)
    p.StartDoctypeDeclHandler = _no_doctype
    p.EntityDeclHandler = _no_entity
    p.UnparsedEntityDeclHandler = _no_unparsed_entity
    p.ExternalEntityRefHandler = _no_external
    p.SetParamEntityParsing(XML_PARAM_ENTITY_PARSING_NEVER)
    p.buffer_text = True
    p.buffer_size = _CHUNK
    return p


def _prefix_filter(handler: Callable[..., None], prefix: str) -> Callable[..., None]:
    """Wrap a handler for a document that writes its elements with a prefix (<x:c>)."""
    n = len(prefix)

    def wrapped(name: str, *args: object) -> None:
        if name.startswith(prefix):
            handler(name[n:], *args)

    return wrapped


def _chunks(stream: IO[bytes], p: XMLParserType) -> Iterator[bytes]:
    """Read a part for expat: 64 KiB at a time, doubling while the parser makes no progress.

    Expat (before 2.6's reparse deferral) rescans an unfinished token from its start on
    every Parse call, so one huge comment or attribute value fed in small chunks costs
    quadratic time (a 64 MB comment: ~30 s). When a chunk produced no parse event the
    next one is twice as large (up to _MAX_CHUNK), which makes that cost about linear.
    """
    size = _CHUNK
    last = None
    while chunk := stream.read(size):
        yield chunk
        now = p.CurrentByteIndex
        size = min(size * 2, _MAX_CHUNK) if now == last else _CHUNK
        last = now


# --- sniffing ------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _scan_for(path: Path, needles: list[bytes], limit: int) -> set[bytes]:
    """Which needles occur in the first `limit` bytes of the file (chunked, overlapping)."""
    found: set[bytes] = set()
    overlap = max(len(n) for n in needles) - 1
    tail = b""
    read = 0
    with open(path, "rb") as fh:
        while read < limit:
            chunk = fh.read(min(_MiB, limit - read))
            if not chunk:
                break
            read += len(chunk)
            window = tail + chunk
            for n in needles:
                if n in window:
                    found.add(n)
            tail = window[-overlap:]
    return found


def _classify_ole(path: Path, limits: Limits) -> SourceError:
    needles = [_utf16("EncryptedPackage"), _utf16("EncryptionInfo"), _utf16("WordDocument"), _utf16("PowerPoint Document")]
    found = _scan_for(path, needles, limits.max_file_bytes)
    if needles[0] in found or needles[1] in found:
        return _fail("berkas terenkripsi (dilindungi kata sandi); buka, hapus kata sandi, simpan ulang")
    if needles[2] in found:
        return _fail("dokumen Word 97-2003 (.doc), bukan buku kerja Excel")
    if needles[3] in found:
        return _fail("presentasi PowerPoint 97-2003 (.ppt), bukan buku kerja Excel")
    return _fail("format Excel 97-2003 (.xls); buka di Excel/LibreOffice lalu simpan sebagai .xlsx")


def _classify_text(head: bytes) -> SourceError:
    """A file that is not a zip: text (CSV, HTML, XML) or unknown binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    elif b"\x00" in head:
        text = None
    else:
        try:
            text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            text = head.decode("cp1252", "replace")
    if text is not None:
        controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f")
        if controls > len(text) // 100:
            text = None
    if text is None:
        return _fail("bukan buku kerja Excel (.xlsx): format berkas tidak dikenal")
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<!doctype html") or "<html" in start[:2048] or "<table" in start[:2048]:
        return _fail("berkas HTML (halaman web), bukan .xlsx; buka di Excel lalu simpan sebagai .xlsx")
    if "urn:schemas-microsoft-com:office:spreadsheet" in start:
        return _fail("format XML Spreadsheet 2003, bukan .xlsx; buka di Excel lalu simpan sebagai .xlsx")
    if start.startswith("<"):
        return _fail("berkas teks/XML, bukan .xlsx; buka di Excel lalu simpan sebagai .xlsx")
    return _fail("berkas teks/CSV, bukan .xlsx; buka di Excel lalu simpan sebagai .xlsx")


def _zip_entry_count(path: Path, size: int) -> int | None:
    """Entries declared by the end-of-central-directory record; None when zip64 or not found."""
    with open(path, "rb") as fh:
        back = min(size, 22 + 65_535)
        fh.seek(size - back)
        tail = fh.read(back)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    total = struct.unpack_from("<H", tail, at + 10)[0]
    return None if total == 0xFFFF else total


# --- the workbook -----------------------------------------------------------------------

_FORMATS_CACHE: dict[bytes, list[str]] = {}  # styles part content -> format code by cellXfs index (never mutated)
_FORMATS_CACHE_ENTRIES = 32
_FORMATS_CACHE_PART_BYTES = 1 << 17

_REL_OFFICE_DOCUMENT = "/officeDocument"


class XlsxSource:
    """An open workbook; use open_xlsx. A context manager: closing it closes the zip."""

    def __init__(self, path: Path, zf: zipfile.ZipFile, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self._zf = zf
        self._names = {name.lower(): name for name in zf.namelist()}
        self.has_macros = any(name.endswith("vbaproject.bin") for name in self._names)
        self.sheets: list[SheetInfo] = []
        self._styles_part: str | None = None
        self._strings_part: str | None = None
        self._formats: list[str] | None = None
        self._strings: tuple[list[str], set[int]] | None = None
        self._load_workbook()

    # -- context manager --

    def close(self) -> None:
        self._zf.close()

    def __enter__(self) -> XlsxSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- zip access --

    def _member(self, name: str) -> str | None:
        """The zip member for a part path, matched case-insensitively."""
        return self._names.get(name.lstrip("/").lower())

    def _stream(self, member: str, start: Callable[[str, dict[str, str]], None], end: Callable[[str], None] | None = None) -> None:
        """Stream a part through the defused, namespace-aware expat parser.

        Names reach the handlers as "namespace}local" (or "local"); a handler
        may raise _Stop to end early.
        """
        p = _expat(namespaces=True)
        p.StartElementHandler = start
        if end is not None:
            p.EndElementHandler = end
        try:
            _parse_member(self._zf, member, p)
        except _Stop:
            pass
        except Exception as exc:  # noqa: BLE001 - every failure of the input is a SourceError
            raise _xml_error(member, exc) from None

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationships of a part: Id -> (Type, resolved target part). Missing file -> {}."""
        folder, base = posixpath.split(part)
        member = self._member(posixpath.join(folder, "_rels", base + ".rels"))
        if member is None:
            return {}
        rels: dict[str, tuple[str, str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) != "Relationship":
                return
            rid, kind, target = attrs.get("Id"), attrs.get("Type") or "", attrs.get("Target")
            if not rid or not target or (attrs.get("TargetMode") or "").lower() == "external":
                return
            target = target.replace("\\", "/")
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            rels[rid] = (kind, posixpath.normpath(resolved).lstrip("/"))

        self._stream(member, start)
        return rels

    def _load_workbook(self) -> None:
        workbook = None
        for kind, target in self._rels("").values():
            if kind.endswith(_REL_OFFICE_DOCUMENT):
                workbook = self._member(target)
                break
        if workbook is None:
            workbook = self._member("xl/workbook.xml")
        if workbook is None:
            raise _not_a_workbook(self._names)
        rels = self._rels(workbook)
        for kind, target in rels.values():
            if kind.endswith("/styles"):
                self._styles_part = self._member(target)
            elif kind.endswith("/sharedStrings"):
                self._strings_part = self._member(target)
        folder = posixpath.dirname(workbook)
        self._styles_part = self._styles_part or self._member(posixpath.join(folder, "styles.xml"))
        self._strings_part = self._strings_part or self._member(posixpath.join(folder, "sharedStrings.xml"))

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "definedNames":
                raise _Stop  # comes after <sheets>; may be huge in bloated workbooks
            if local != "sheet":
                return
            name = attrs.get("name")
            if name is None:
                raise _fail(f"daftar lembar di {workbook} rusak (lembar tanpa nama)")
            state = attrs.get("state") or "visible"
            if state not in ("visible", "hidden", "veryHidden"):
                state = "visible"
            rid = next((v for k, v in attrs.items() if "}" in k and _local(k) == "id"), None)
            rel = rels.get(rid or "")
            part = self._member(rel[1]) if rel else None
            if part is None:
                raise _fail(f'lembar "{name}" tidak punya isi di dalam berkas (relasi {rid or "?"} rusak)')
            self.sheets.append(SheetInfo(name=name, state=state, part=part))

        self._stream(workbook, start)

    # -- lookups --

    def sheet(self, name: str) -> SheetInfo | None:
        """A sheet by exact name, else by trimmed case-insensitive name."""
        for info in self.sheets:
            if info.name == name:
                return info
        wanted = name.strip().casefold()
        for info in self.sheets:
            if info.name.strip().casefold() == wanted:
                return info
        return None

    # -- styles and shared strings (read once, on first use) --

    def _number_formats(self) -> list[str]:
        """Format code by cellXfs index."""
        if self._formats is not None:
            return self._formats
        formats: list[str] = []
        # Workbooks filled from one template usually share their styles part byte for byte:
        # its formats are parsed once per process (the key is the content itself).
        key = self._small_part(self._styles_part) if self._styles_part and FAST_PATHS else None
        if key is not None and key in _FORMATS_CACHE:
            self._formats = _FORMATS_CACHE[key]
            return self._formats
        if self._styles_part:
            custom: dict[int, str] = {}
            xf_ids: list[int] = []
            inside = ""  # "numFmts" or "cellXfs" (dxfs and cellStyleXfs hold lookalikes)

            def start(tag: str, attrs: dict[str, str]) -> None:
                nonlocal inside
                local = _local(tag)
                if local == "numFmt" and inside == "numFmts":
                    try:
                        custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode") or "General"
                    except ValueError:
                        pass
                elif local == "xf" and inside == "cellXfs":
                    try:
                        xf_ids.append(int(attrs.get("numFmtId") or 0))
                    except ValueError:
                        xf_ids.append(0)
                elif local in ("numFmts", "cellXfs"):
                    inside = local

            def end(tag: str) -> None:
                nonlocal inside
                if _local(tag) == inside:
                    inside = ""

            self._stream(self._styles_part, start, end)
            formats = [custom.get(fid) or BUILTIN_FORMATS.get(fid, "General") for fid in xf_ids]
        if key is not None:
            if len(_FORMATS_CACHE) >= _FORMATS_CACHE_ENTRIES:
                _FORMATS_CACHE.clear()
            _FORMATS_CACHE[key] = formats
        self._formats = formats
        return formats

    def _small_part(self, member: str) -> bytes | None:
        """A part's bytes when it is small (for caching by content); None otherwise or on any error."""
        try:
            if self._zf.getinfo(member).file_size > _FORMATS_CACHE_PART_BYTES:
                return None
            return self._zf.read(member)
        except Exception:  # noqa: BLE001 - the normal path reports it
            return None

    def _shared_strings(self) -> tuple[list[str], set[int]]:
        """The shared string table (cut at max_text_chars) and the indexes that were cut."""
        if self._strings is not None:
            return self._strings
        strings: list[str] = []
        cut: set[int] = set()
        if self._strings_part:
            strings, cut = _read_shared_strings(self, self._strings_part)
        self._strings = (strings, cut)
        return self._strings

    # -- sheets --

    def rows(self, sheet: SheetInfo) -> Iterator[list[RawCell]]:
        """Stream a sheet's rows with data, in order (at most Limits.max_rows rows)."""
        return self._scan(sheet, SheetData(rows=[], truncated=False), tail=False)

    def read_sheet(self, sheet: SheetInfo) -> SheetData:
        """All rows (bounded by the limits) plus truncation, merges, hidden rows/cols, cut texts."""
        data = SheetData(rows=[], truncated=False)
        data.rows = list(self._scan(sheet, data, tail=True))
        return data

    def _scan(self, sheet: SheetInfo, meta: SheetData, tail: bool) -> Iterator[list[RawCell]]:
        """The sheet streamer: expat callbacks fill `pending`; rows are yielded between chunks.

        meta collects truncation, hidden rows/cols, merges and cut texts. With
        tail=False parsing stops at </sheetData>; with tail=True it goes on to
        <mergeCells> (which comes after the cells) unless reading was truncated.
        """
        member = self._member(sheet.part)
        if member is None:
            raise _fail(f'isi lembar "{sheet.name}" ({sheet.part}) tidak ada di dalam berkas')
        strings, cut_strings = self._shared_strings()
        formats = self._number_formats()
        limits = self.limits
        max_rows = limits.max_rows
        max_cols = limits.max_cells_per_row
        max_chars = limits.max_text_chars
        general = formats[0] if formats else "General"
        format_cache: dict[str | None, str] = {None: general}
        hidden_rows = meta.hidden_rows
        cut_texts = meta.cut_texts
        new_cell = RawCell
        columns = _COLUMNS

        pending: list[list[RawCell]] = []
        text: list[str] = []
        clear_text = text.clear
        join = "".join

        # Budgets so that junk cannot make a scan slow: empty (styled) rows and
        # cells cost a callback each even though nothing is kept.
        row_budget = 4 * max_rows
        cell_budget = max_rows * max_cols

        row_no = 0
        col = 0
        cells: list[RawCell] = []
        n_rows = 0
        c_type: str | None = None
        c_style: str | None = None
        c_value: str | None = None
        c_formula: str | None = None
        c_inline: list[str] | None = None
        in_phonetic = False

        def number_format(style: str | None) -> str:
            fmt = format_cache.get(style)
            if fmt is None:
                try:
                    index = int(style or "")
                    fmt = formats[index] if 0 <= index < len(formats) else general
                except ValueError:
                    fmt = general
                format_cache[style] = fmt
            return fmt

        def cut(value: str) -> str:
            if len(value) > max_chars:
                cut_texts.append(_a1(row_no, col))
                return value[:max_chars]
            return value

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_no, col, cells, c_type, c_style, c_value, c_formula, c_inline, in_phonetic
            nonlocal row_budget, cell_budget
            if name == "c":
                cell_budget -= 1
                if cell_budget < 0:
                    meta.truncated = True
                    meta.stopped_at_row = row_no  # this row's cells are not yielded
                    raise _Stop
                r = attrs.get("r")
                if r is None:
                    col += 1
                else:
                    letters = r.rstrip(_DIGITS)
                    col = columns.get(letters) or _column_of(letters) or col + 1
                c_type = attrs.get("t")
                c_style = attrs.get("s")
                c_value = c_formula = c_inline = None
            elif name == "v" or name == "f" or name == "t":
                clear_text()
            elif name == "row":
                r = attrs.get("r")
                try:
                    n = int(r) if r is not None else 0
                except ValueError:
                    n = 0
                row_no = n if 0 < n <= _MAX_ROW else row_no + 1
                row_budget -= 1
                if row_budget < 0:
                    meta.truncated = True
                    meta.stopped_at_row = row_no
                    raise _Stop
                col = 0
                cells = []
                clear_text()
                if attrs.get("hidden") in ("1", "true") and len(hidden_rows) < max_rows:
                    hidden_rows.add(row_no)
            elif name == "is":
                c_inline = []
            elif name == "rPh":
                in_phonetic = True
            elif name == "col":
                if _truthy(attrs.get("hidden")):
                    try:
                        lo, hi = int(attrs.get("min", "")), int(attrs.get("max", ""))
                    except ValueError:
                        return
                    meta.hidden_cols.update(range(max(lo, 1), min(hi, max_cols) + 1))
            elif name == "mergeCell":
                a, _, b = (attrs.get("ref") or "").partition(":")
                r1, c1 = split_ref(a)
                r2, c2 = split_ref(b) if b else (r1, c1)
                if r1 and c1 and r2 and c2:
                    meta.merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))

        def end(name: str) -> None:
            nonlocal c_value, c_formula, in_phonetic, n_rows
            if name == "v":
                c_value = join(text)
            elif name == "c":
                raw = c_value
                if col > max_cols:  # ignored, but noted when it holds something
                    if raw or c_formula is not None or c_inline:
                        meta.truncated = True
                        if meta.first_cut_cell is None:
                            meta.first_cut_cell = _a1(row_no, col)
                    return
                t = c_type
                value: object
                if t is None or t == "n":
                    value = _number(raw) if raw else None
                elif t == "s":
                    value = None
                    if raw:
                        try:
                            index = int(raw)
                            if index < 0:
                                raise IndexError(index)
                            value = strings[index]
                        except (ValueError, IndexError):
                            raise _fail(f'sel {_a1(row_no, col)} di lembar "{sheet.name}" merujuk teks bersama nomor "{raw}" yang tidak ada (berkas rusak)') from None
                        if index in cut_strings:
                            cut_texts.append(_a1(row_no, col))
                elif t == "str" or t == "inlineStr":
                    if c_inline is not None:
                        raw = join(c_inline)
                    value = None if raw is None else cut(_xunescape(raw))
                elif t == "b":
                    flag = (raw or "").strip().lower()
                    value = True if flag in ("1", "true") else False if flag in ("0", "false") else (raw or None)
                elif t == "e":
                    value = CellError(raw.strip()) if raw else None
                elif t == "d":
                    value = _iso_date(raw) if raw else None
                else:  # unknown type: keep the text
                    value = None if raw is None else cut(raw)
                if value is None and c_formula is None:
                    return
                cells.append(new_cell(row_no, col, value, format_cache.get(c_style) or number_format(c_style), c_formula))
            elif name == "row":
                if cells:
                    if n_rows >= max_rows:
                        meta.truncated = True
                        meta.stopped_at_row = row_no
                        raise _Stop
                    n_rows += 1
                    pending.append(cells)
            elif name == "f":
                c_formula = join(text)
            elif name == "t":
                if c_inline is not None and not in_phonetic:
                    c_inline.append(join(text))
            elif name == "rPh":
                in_phonetic = False
            elif name == "sheetData":
                if not tail:
                    raise _Stop
                p.CharacterDataHandler = None  # nothing after the cells needs text
            elif name == "mergeCells":
                raise _Stop

        p = _expat()

        unprefixed = False  # set by root(): only then are empty cells filtered out before expat

        def root(name: str, attrs: dict[str, str]) -> None:
            nonlocal unprefixed
            # <x:worksheet xmlns:x="..."> writes every element with the prefix.
            prefix = name.partition(":")[0] + ":" if ":" in name else ""
            unprefixed = not prefix
            p.StartElementHandler = _prefix_filter(start, prefix) if prefix else start
            p.EndElementHandler = _prefix_filter(end, prefix) if prefix else end

        p.StartElementHandler = root
        p.CharacterDataHandler = text.append
        first = True
        filtering = FAST_PATHS  # off for good once a CDATA section shows up
        filtered = False  # whether anything was removed (then expat's error positions are off)
        last = b""

        try:
            stream = self._zf.open(member)
        except Exception as exc:  # noqa: BLE001
            raise _zip_error(member, exc) from None
        with stream:
            chunks = _chunks(stream, p)
            done = False
            while not done:
                try:
                    chunk = next(chunks, b"")
                    if chunk:
                        if first:  # the root element's start tag tells whether filtering applies
                            first = False
                            tag = _FIRST_TAG.search(chunk, 0, _HEAD)
                            head = tag.end() if tag else _HEAD
                            last = chunk[:head][-8:]
                            p.Parse(chunk[:head], False)
                            chunk = chunk[head:]
                        ending = (last + chunk)[-8:] if len(chunk) < 8 else chunk[-8:]
                        if unprefixed and filtering and chunk:
                            if b"<![CDATA[" in chunk or b"<![CDATA[" in last + chunk[:8]:
                                filtering = False
                            elif cell_budget > len(chunk) // 4 and row_budget > len(chunk) // 6:
                                # No budget can run out inside this chunk, so counting here is exact.
                                chunk, removed_cells = _EMPTY_CELLS.subn(b"", chunk)
                                cell_budget -= removed_cells
                                chunk, removed_rows = _EMPTY_ROWS.subn(b"", chunk)
                                row_budget -= removed_rows
                                filtered = filtered or removed_cells > 0 or removed_rows > 0
                        last = ending
                        p.Parse(chunk, False)
                    else:
                        done = True
                        p.Parse(b"", True)
                except _Stop:
                    done = True
                except SourceError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    if filtered and isinstance(exc, ExpatError):  # report the place in the part as it is
                        exc = self._first_xml_error(member) or exc
                    raise _xml_error(member, exc) from None
                if pending:
                    yield from pending
                    pending.clear()

    def _first_xml_error(self, member: str) -> BaseException | None:
        """The error a plain parse of the whole part meets first (None if it meets none)."""
        p = _expat()
        try:
            _parse_member(self._zf, member, p)
        except Exception as exc:  # noqa: BLE001
            return exc
        return None


def _parse_member(zf: zipfile.ZipFile, member: str, p: XMLParserType) -> None:
    """Feed a whole zip member to an expat parser, in chunks (see _chunks)."""
    with zf.open(member) as stream:
        for chunk in _chunks(stream, p):
            p.Parse(chunk, False)
        p.Parse(b"", True)


def _read_shared_strings(src: XlsxSource, member: str) -> tuple[list[str], set[int]]:
    """Stream xl/sharedStrings.xml: <si><t> or rich text <si><r><t>..., phonetic <rPh> ignored."""
    max_chars = src.limits.max_text_chars
    strings: list[str] = []
    cut: set[int] = set()
    text: list[str] = []
    parts: list[str] = []
    in_phonetic = False
    join = "".join

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal in_phonetic
        if name == "t":
            text.clear()
        elif name == "si":
            parts.clear()
            text.clear()
        elif name == "rPh":
            in_phonetic = True

    def end(name: str) -> None:
        nonlocal in_phonetic
        if name == "t":
            if not in_phonetic:
                parts.append(join(text))
        elif name == "si":
            s = _xunescape(join(parts))
            if len(s) > max_chars:
                cut.add(len(strings))
                s = s[:max_chars]
            strings.append(s)
        elif name == "rPh":
            in_phonetic = False

    p = _expat()

    def root(name: str, attrs: dict[str, str]) -> None:
        prefix = name.partition(":")[0] + ":" if ":" in name else ""
        p.StartElementHandler = _prefix_filter(start, prefix) if prefix else start
        p.EndElementHandler = _prefix_filter(end, prefix) if prefix else end

    p.StartElementHandler = root
    p.CharacterDataHandler = text.append
    try:
        _parse_member(src._zf, member, p)
    except Exception as exc:  # noqa: BLE001
        raise _xml_error(member, exc) from None
    return strings, cut


# --- errors ----------------------------------------------------------------------------


def _zip_error(member: str, exc: BaseException) -> SourceError:
    if isinstance(exc, SourceError):
        return exc
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc).lower():
        return _fail("berkas terenkripsi (dilindungi kata sandi); buka, hapus kata sandi, simpan ulang")
    if isinstance(exc, NotImplementedError):
        return _fail(f"bagian {member} memakai metode kompresi yang tidak didukung; buka di Excel lalu simpan ulang sebagai .xlsx")
    return _fail(f"berkas rusak atau terpotong (bagian {member}: {exc})")


def _xml_error(member: str, exc: BaseException) -> SourceError:
    if isinstance(exc, SourceError):
        return exc
    if isinstance(exc, DefusedXmlException):
        return _fail(f"bagian {member} berisi deklarasi DTD/entitas XML yang tidak diizinkan (demi keamanan tidak diproses)")
    if isinstance(exc, ExpatError):
        return _fail(f"XML rusak di bagian {member} (baris {exc.lineno}, kolom {exc.offset}): {exc}")
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)):
        return _zip_error(member, exc)
    return _fail(f"bagian {member} tidak dapat dibaca ({type(exc).__name__}: {exc})")


def _not_a_workbook(names: dict[str, str]) -> SourceError:
    if "xl/workbook.bin" in names:
        return _fail("format Excel biner (.xlsb); buka di Excel lalu simpan sebagai .xlsx")
    if "word/document.xml" in names:
        return _fail("dokumen Word (.docx), bukan buku kerja Excel (.xlsx)")
    if "ppt/presentation.xml" in names:
        return _fail("presentasi PowerPoint (.pptx), bukan buku kerja Excel (.xlsx)")
    return _fail("bukan buku kerja Excel (.xlsx): arsip zip tanpa xl/workbook.xml")


# --- entry point -------------------------------------------------------------------------


def open_xlsx(path: str | Path, limits: Limits = Limits()) -> XlsxSource:  # noqa: B008 - Limits is frozen
    """Open a workbook for reading. Raises SourceError (message in Bahasa Indonesia)."""
    path = Path(path)
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise SourceError(UNREADABLE, f"Berkas tidak dapat dibuka: {exc.strerror or exc}.") from None
    if size == 0 or not head:
        raise _fail("berkas kosong (0 byte)")
    try:
        if head.startswith(_OLE_MAGIC):
            if size > limits.max_file_bytes:
                raise _too_big(size, limits)
            raise _classify_ole(path, limits)
        if head.startswith(b"%PDF"):
            raise _fail("berkas PDF, bukan buku kerja")
        if not head.startswith(_ZIP_MAGICS):
            raise _classify_text(head)
        if size > limits.max_file_bytes:
            raise _too_big(size, limits)
        count = _zip_entry_count(path, size)
        if count is not None and count > _MAX_ZIP_MEMBERS:
            raise _fail(f"arsip berisi {count} bagian, melebihi batas {_MAX_ZIP_MEMBERS} (bukan buku kerja yang wajar)")
        zf = zipfile.ZipFile(path)
    except SourceError:
        raise
    except OSError as exc:
        raise SourceError(UNREADABLE, f"Berkas tidak dapat dibuka: {exc.strerror or exc}.") from None
    except Exception:  # noqa: BLE001 - BadZipFile, struct.error, EOFError, ValueError...
        raise _fail("berkas rusak atau terpotong (arsip zip tidak lengkap); minta kirim ulang berkas aslinya") from None
    try:
        _check_directory(zf, limits)
        _check_not_ods(zf)
        return XlsxSource(path, zf, limits)
    except SourceError:
        zf.close()
        raise
    except Exception as exc:  # noqa: BLE001
        zf.close()
        raise _xml_error("?", exc) from None


def _too_big(size: int, limits: Limits) -> SourceError:
    return _fail(f"ukuran berkas {_mb(size)} melebihi batas {_mb(limits.max_file_bytes)}; batas dapat dinaikkan lewat Limits(max_file_bytes=...)")


def _check_directory(zf: zipfile.ZipFile, limits: Limits) -> None:
    """Zip-bomb defence from the zip directory alone: nothing is decompressed here."""
    infos = zf.infolist()
    if len(infos) > _MAX_ZIP_MEMBERS:
        raise _fail(f"arsip berisi {len(infos)} bagian, melebihi batas {_MAX_ZIP_MEMBERS} (bukan buku kerja yang wajar)")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _MiB:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise _fail(
                    f"bagian {info.filename} memampat {format_number(ratio, 0)}:1 ({_mb(info.file_size)} bila dibuka), "
                    f"melebihi batas rasio {format_number(limits.max_ratio, None)}:1 (kemungkinan bom zip); "
                    "batas dapat dinaikkan lewat Limits(max_ratio=...)"
                )
    if total > limits.max_uncompressed_bytes:
        raise _fail(f"isi arsip bila dibuka {_mb(total)}, melebihi batas {_mb(limits.max_uncompressed_bytes)} (kemungkinan bom zip); batas dapat dinaikkan lewat Limits(max_uncompressed_bytes=...)")


def _check_not_ods(zf: zipfile.ZipFile) -> None:
    try:
        info = zf.getinfo("mimetype")
    except KeyError:
        return
    if info.file_size > 200:
        return
    try:
        mimetype = zf.read(info).decode("ascii", "replace").strip()
    except Exception:  # noqa: BLE001
        return
    if mimetype.startswith("application/vnd.oasis.opendocument.spreadsheet"):
        raise _fail("berkas OpenDocument (.ods); simpan sebagai .xlsx")
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        raise _fail("dokumen OpenDocument, bukan buku kerja Excel (.xlsx)")
