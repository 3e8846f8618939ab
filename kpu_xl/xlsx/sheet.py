"""Sheets of a workbook as a kind reads them: grid, header row, identity block, typed values.

The building blocks every kind's reader uses (kinds/*.py), so that all of them find
columns by header text (contract.header_key), never by position, find identity values
by their label in column A, parse values the same way, and report what they cannot
read as findings at its cell. Nothing here raises for bad data.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from ..core import contract as C
from ..core import findings as F
from ..core.cells import column_letter, split_ref
from ..core.cells import ref as a1
from ..core.findings import finding
from ..core.values import INVISIBLE, CellError, Number, ParseError, display, format_number, is_date_format, parse_money, parse_value, tanggal
from ..model import Document, Identity
from .source import RawCell, SheetData, SourceError, XlsxSource

if TYPE_CHECKING:
    from ..core.values import Value
    from .source import SheetInfo

# C0 controls except tab, line feed and carriage return; DEL; C1 controls (U+0080-U+009F,
# e.g. U+009B, a terminal escape). Excel cannot store the C0 ones; none belongs in a form.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Either kind of character the grid drops: the control characters and the invisible ones (values.INVISIBLE).
_DROPPED = re.compile(f"{_CONTROL.pattern}|{INVISIBLE.pattern}")
EXCEL_EPOCH = dt.date(1899, 12, 30)
# No number, percent, grade or rupiah amount is longer than this; a longer text in a value
# cell is rejected without parsing (values.parse_* overflow on hundreds of digits).
MAX_VALUE_TEXT = 100
# No target, realisasi or rupiah amount of a satker comes near this (the whole national
# budget is ~3e15 rupiah); beyond it a value is an error, and it keeps capaian finite.
MAX_ABS_VALUE = 1e15


class Sheet:
    """One sheet's cells as a grid lookup, with helpers that turn cells into findings.

    Text with control characters is cleaned here, once, for every reader of the
    grid; the teks-dibersihkan finding (and the one for a text cut at 32,767
    characters) is reported when a reader first uses the cell, so only cells
    that matter are reported, each once.

    Invisible characters (values.INVISIBLE: zero-width space, ZWNJ/ZWJ, BOM, direction
    marks) are dropped here too, as spaces are folded: a code "IK2.1<U+200B>" looks like
    IK2.1 on screen and is read as IK2.1, everywhere (headers, labels, codes, values), and the
    cell gets a teks-dibersihkan warning that shows what was dropped. Non-breaking spaces are
    spaces (str.split folds them) and are not reported.
    """

    def __init__(self, name: str, data: SheetData, doc: Document, max_text: int) -> None:
        self.name = name
        self.max_text = max_text
        self.data = data
        self.doc = doc
        self.grid: dict[tuple[int, int], RawCell] = {}
        self._cleaned: set[tuple[int, int]] = set()  # text had control characters
        self._invisible: dict[tuple[int, int], str] = {}  # text had invisible characters: the text before dropping them
        self._cut = {split_ref(ref) for ref in data.cut_texts}  # text was cut at max_text_chars
        self._reported: set[tuple[int, int]] = set()
        for row in data.rows:
            for cell in row:
                if isinstance(cell.value, str) and _DROPPED.search(cell.value):
                    text = _CONTROL.sub("", cell.value)
                    if text != cell.value:
                        self._cleaned.add((cell.row, cell.col))
                    folded = INVISIBLE.sub("", text)
                    if folded != text:
                        self._invisible[(cell.row, cell.col)] = text
                    cell = replace(cell, value=folded)
                self.grid[(cell.row, cell.col)] = cell
        self.rows = sorted({r for r, _ in self.grid})
        # Merged ranges: the value lives in the top-left cell; readers look it up there.
        self.merged_origin: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in data.merged:
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.merged_origin[(r, c)] = (r1, c1)

    def add(self, code: F.Code, message: str, cell: str | None = None) -> None:
        self.doc.findings.append(finding(code, message, self.doc.display_name, self.name, cell))

    def cell(self, row: int, col: int) -> RawCell | None:
        found = self.grid.get((row, col))
        if found is None and (row, col) in self.merged_origin:
            found = self.grid.get(self.merged_origin[(row, col)])
        if found is not None:
            self._report_cleaning(found)
        return found

    def _report_cleaning(self, c: RawCell) -> None:
        at = (c.row, c.col)
        if at in self._reported or (at not in self._cleaned and at not in self._cut and at not in self._invisible):
            return
        self._reported.add(at)
        if at in self._cleaned:
            self.add(F.TEKS_DIBERSIHKAN, f"Sel {c.ref} berisi karakter kendali yang tidak terlihat; karakter itu dibuang.", c.ref)
        if at in self._invisible:
            before = self._invisible[at]
            marks = sorted({f"<U+{ord(ch):04X}>" for ch in INVISIBLE.findall(before)})
            self.add(
                F.TEKS_DIBERSIHKAN,
                f'Sel {c.ref} berisi karakter tak terlihat {", ".join(marks)}: "{display(before)}" dibaca "{display(c.value)}"; karakter itu dibuang. Ketik ulang isinya bila hasil salin-tempel.',
                c.ref,
            )
        if at in self._cut:
            self.add(
                F.TEKS_DIBERSIHKAN,
                f"Teks di sel {c.ref} melebihi {format_number(self.max_text)} karakter; hanya {format_number(self.max_text)} karakter pertama yang dibaca.",
                c.ref,
            )

    def value(self, row: int, col: int) -> object:
        """The cell's value; a formula without a cached value is reported and read as empty."""
        c = self.cell(row, col)
        if c is None:
            return None
        if c.formula is not None and c.value is None:
            self.report_formula(c)
            return None
        return c.value

    def report_formula(self, c: RawCell) -> None:
        """formula-tanpa-nilai, once per cell."""
        key = ("formula", c.row, c.col)
        if key in self._reported:
            return
        self._reported.add(key)
        self.add(
            F.FORMULA_TANPA_NILAI,
            f"Sel {c.ref} berisi formula ={display(c.formula)} tanpa nilai hasil hitung; buka dan simpan ulang di Excel/LibreOffice agar nilainya terhitung, atau ketik nilainya langsung.",
            c.ref,
        )

    def is_formula_without_value(self, row: int, col: int) -> bool:
        c = self.cell(row, col)
        return c is not None and c.formula is not None and c.value is None

    def text(self, row: int, col: int) -> str:
        """Cell content as clean text: trimmed, inner whitespace collapsed."""
        v = self.value(row, col)
        if v is None:
            return ""
        if isinstance(v, CellError):
            return v.code
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return " ".join(str(v).split())


def find_header_row(sheet: Sheet, table: C.TableSheet) -> tuple[int, dict[str, int]] | None:
    wanted = {C.header_key(h): h for h in table.headers}
    best: tuple[int, dict[str, int]] | None = None
    for r in sheet.rows[: C.HEADER_SEARCH_ROWS * 4]:
        if r > C.HEADER_SEARCH_ROWS:
            break
        found: dict[str, int] = {}
        for (row, col), cell in sheet.grid.items():
            if row == r and isinstance(cell.value, str):
                key = C.header_key(cell.value)
                if key in wanted and wanted[key] not in found:
                    found[wanted[key]] = col
        if found and (best is None or len(found) > len(best[1])):
            best = (r, found)
    return best


def report_duplicate_headers(sheet: Sheet, table: C.TableSheet, header_row: int, columns: dict[str, int]) -> None:
    """kolom-ganda at every further cell of the header row holding a header already found there.

    The first column with a header is the one read (find_header_row); a value typed under the
    second would otherwise be ignored without a word.
    """
    wanted = {C.header_key(h): h for h in table.headers}
    for col in sorted(c for (r, c) in sheet.grid if r == header_row):
        cell = sheet.grid[(header_row, col)]
        header = wanted.get(C.header_key(cell.value)) if isinstance(cell.value, str) else None
        if header is None or columns.get(header) in (None, col):
            continue
        first = a1(header_row, columns[header])
        sheet.add(
            F.KOLOM_GANDA,
            f'Judul kolom "{header}" ada dua kali di baris judul lembar "{sheet.name}": sel {first} dan {cell.ref}; '
            f"hanya kolom di {first} yang dibaca, isi di bawah {cell.ref} diabaikan. Hapus kolom yang berlebih atau beri judul lain.",
            cell.ref,
        )


def load_sheet(src: XlsxSource, info: SheetInfo, doc: Document) -> Sheet:
    """Read a sheet (bounded by the limits) and report where reading stopped, if it did."""
    try:
        data = src.read_sheet(info)
    except SourceError as exc:
        exc.sheet = info.name  # read_document names the sheet in the finding
        raise
    sheet = Sheet(info.name, data, doc, src.limits.max_text_chars)
    if data.stopped_at_row is not None:
        n = data.stopped_at_row
        sheet.add(
            F.DATA_TERPOTONG,
            f'Lembar "{info.name}" terlalu panjang: pembacaan berhenti di baris {format_number(n)}, baris itu dan '
            f"selanjutnya diabaikan (batas: {format_number(src.limits.max_rows)} baris berisi data). Bila data sebenarnya "
            "berakhir di atasnya, hapus baris sisa di bawah data (isian atau format yang tersalin sampai bawah lembar).",
            a1(n, 1),
        )
    if data.first_cut_cell is not None:
        max_cols = src.limits.max_cells_per_row
        sheet.add(
            F.DATA_TERPOTONG,
            f'Sel {data.first_cut_cell} lembar "{info.name}" dan isi lain di kanan kolom {column_letter(max_cols)} diabaikan (batas: {format_number(max_cols)} kolom).',
            data.first_cut_cell,
        )
    return sheet


def open_table(src: XlsxSource, doc: Document, table: C.TableSheet) -> tuple[Sheet, int, dict[str, int]] | None:
    info = src.sheet(table.name)
    if info is None:
        doc.findings.append(finding(F.KOLOM_HILANG, f'Lembar "{table.name}" tidak ada; jangan mengganti nama atau menghapus lembar templat.', doc.display_name, table.name))
        return None
    sheet = load_sheet(src, info, doc)
    located = find_header_row(sheet, table)
    if located is None:
        sheet.add(F.KOLOM_HILANG, f'Baris judul kolom lembar "{info.name}" tidak ditemukan di {C.HEADER_SEARCH_ROWS} baris pertama; judul yang diharapkan: {", ".join(table.headers)}.')
        return None
    header_row, columns = located
    report_duplicate_headers(sheet, table, header_row, columns)
    missing = [c.header for c in table.columns if c.required and c.header not in columns]
    for header in missing:
        sheet.add(F.KOLOM_HILANG, f'Kolom "{header}" tidak ditemukan di baris judul (baris {header_row}) lembar "{info.name}".', a1(header_row, 1))
    if missing:
        return None
    return sheet, header_row, columns


# The columns that make a row a row of the table: below the last row holding one of
# them, a sheet that had to be cut short holds only junk (a fill-down to the bottom).
def data_rows(sheet: Sheet, header_row: int, columns: dict[str, int], table: C.TableSheet) -> list[int]:
    """Rows below the header that hold anything in the known columns (blank rows are skipped).

    When reading stopped at a row limit (data-terpotong), the rows after the last one that holds
    any of the table's key columns are junk: they are left out and reported as one range,
    not as thousands of rows with empty required cells.
    """
    cols = set(columns.values())
    rows = [r for r in sheet.rows if r > header_row and any((r, c) in sheet.grid for c in cols)]
    if sheet.data.stopped_at_row is None or not rows:
        return rows
    keys = [h for h in table.row_keys if h in columns]
    key_cols = [columns[h] for h in keys]
    last = max((i for i, r in enumerate(rows) if any(sheet.grid.get((r, c)) is not None for c in key_cols)), default=-1)
    junk = rows[last + 1 :]
    if junk:
        sheet.add(
            F.DATA_TERPOTONG,
            f'Baris {format_number(junk[0])} sampai {format_number(junk[-1])} lembar "{sheet.name}" ({format_number(len(junk))} baris) '
            f"tidak berisi {' maupun '.join(keys)}; dianggap sisa di bawah data dan diabaikan. Hapus isi baris-baris itu.",
            a1(junk[0], 1),
        )
    return rows[: last + 1]


# --- identity ----------------------------------------------------------------------


def read_identity_block(src: XlsxSource, doc: Document) -> tuple[Sheet, dict[str, int]] | None:
    """The Identitas sheet and the row of each label found in column A."""
    info = src.sheet(C.IDENTITAS)
    if info is None:
        return None
    sheet = load_sheet(src, info, doc)
    label_rows: dict[str, int] = {}
    for (row, col), cell in sorted(sheet.grid.items()):
        if col == 1 and isinstance(cell.value, str):
            label_rows.setdefault(C.header_key(cell.value), row)
    return sheet, label_rows


def read_marker(sheet: Sheet, label_rows: dict[str, int], kinds: Mapping[str, object]) -> tuple[str, int] | tuple[str, str | None]:
    """(kind, version) for a kind among kinds (codes, the first one named as the example), or (what is wrong, the cell it is about)."""
    row = label_rows.get(C.header_key(C.MARKER_LABEL))
    if row is None:
        return f'label "{C.MARKER_LABEL}" tidak ada di kolom A lembar Identitas', None
    raw = sheet.cell(row, 2)
    parsed = C.parse_marker(raw.value if raw else None, kinds)
    if parsed is None:
        found = display(raw.value if raw else None)
        return f'sel {a1(row, 2)} "{C.MARKER_LABEL}" berisi "{found}", bukan penanda templat kpu-xl (mis. {C.marker_value(next(iter(kinds)), 1)})', a1(row, 2)
    return parsed


def read_identity(sheet: Sheet, label_rows: dict[str, int], spec: C.IdentitySheet, identity: Identity) -> Identity:
    """Fill identity (a kind's Identity class) from the labels of spec, reporting what is missing or invalid."""
    for f in spec.fields:
        row = label_rows.get(C.header_key(f.label))
        if row is None:
            if f.in_template:  # a label the user may add (in_template=False) is simply absent
                sheet.add(F.KOLOM_HILANG, f'Label "{f.label}" tidak ditemukan di kolom A lembar Identitas.')
            continue
        ref = a1(row, 2)
        identity.cells[f.label] = ref
        raw = sheet.value(row, 2)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.required and not sheet.is_formula_without_value(row, 2):
                sheet.add(F.NILAI_WAJIB_KOSONG, f"{f.label} belum diisi (sel {ref}).", ref)
            continue
        if f.how == C.YEAR:
            value: object = read_year(sheet, raw, ref)
        elif f.how == C.DATE:
            value = date_text(sheet, raw, ref)
        elif f.how == C.CHOICE:
            value = choice(sheet, sheet.text(row, 2), f.options, f.label, ref)
        else:
            value = sheet.text(row, 2)
        setattr(identity, f.attr, value)
    return identity


def read_year(sheet: Sheet, raw: object, ref: str) -> int | None:
    year = None
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) == 4:
        year = int(raw.strip())
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw) and float(raw).is_integer():
        year = int(raw)
    cell = sheet.grid.get(split_ref(ref))
    fmt = cell.number_format if cell else None
    if isinstance(raw, (dt.date, dt.datetime)) or (year is not None and not isinstance(raw, str) and is_date_format(fmt)):
        # a date typed or formatted as one: 1/1/2023 is stored as 44927, not as the year
        sheet.add(F.NILAI_TIDAK_VALID, f'Tahun "{_shown(raw, fmt)}" berupa tanggal; tulis tahun saja, empat angka, misalnya 2023, di sel berformat teks atau angka.', ref)
        return None
    if year is not None and 2000 <= year <= 2100:
        return year
    sheet.add(F.NILAI_TIDAK_VALID, f'Tahun "{display(raw)}" tidak valid; tulis tahun empat angka, misalnya 2023.', ref)
    return None


def date_text(sheet: Sheet, raw: object, ref: str) -> str:
    cell = sheet.grid.get(split_ref(ref))
    if isinstance(raw, (dt.date, dt.datetime)):
        return tanggal(raw if isinstance(raw, dt.date) else raw.date())
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and cell and is_date_format(cell.number_format):
        if 1 <= raw < 2_958_466:
            return tanggal(EXCEL_EPOCH + dt.timedelta(days=int(raw)))
    if isinstance(raw, str) and raw.strip():
        return " ".join(raw.split())
    sheet.add(F.NILAI_TIDAK_VALID, f'Tanggal "{display(raw)}" tidak valid; tulis misalnya 20 September 2023 atau 20/09/2023.', ref)
    return ""


def choice(sheet: Sheet, text: str, options: tuple[str, ...], label: str, ref: str) -> str:
    found = C.canonical(text, options)
    if found is None:
        sheet.add(F.NILAI_TIDAK_VALID, f'{label} "{display(text)}" tidak ada dalam daftar; pilih salah satu: {"; ".join(options)}.', ref)
        return ""
    return found


def row_choice(sheet: Sheet, text: dict[str, str], cells: dict[str, str], header: str, options: tuple[str, ...]) -> str | None:
    """A table row's closed-list cell: None when empty; not in the list: nilai-tidak-valid at its cell, None."""
    if not text[header]:
        return None
    return choice(sheet, text[header], options, header, cells[header]) or None


# --- PK ----------------------------------------------------------------------------

_HINTS = {
    C.JENIS_PERSEN: "tulis misalnya 78 atau 78%",
    C.JENIS_ANGKA: "tulis angka, misalnya 78 atau 96,23",
    C.JENIS_INDEKS: "tulis angka indeks, misalnya 78",
    C.JENIS_PREDIKAT: "tulis salah satu: AA, A, BB, B, CC, C, D",
    C.JENIS_OPINI: "tulis salah satu: WTP, WDP, TW, TMP",
}


def value_hint(jenis: str | None) -> str:
    return _HINTS.get(jenis or "", "tulis angka, persen, predikat atau opini sesuai Jenis Nilai")


def parse_cell_value(
    sheet_add: Callable[[F.Code, str, str | None], None],
    header: str,
    cell: RawCell | None,
    jenis: str | None,
    *,
    required: bool,
    ref: str,
) -> Value | None:
    """Parse a target/realisasi cell by Jenis Nilai, reporting at ref. Returns Value or None.

    jenis None means "unknown" (an RA read without its PK): the form decides.
    """
    raw = cell.value if cell else None
    fmt = cell.number_format if cell else None
    if cell is not None and cell.formula is not None and raw is None:
        return None  # reported as formula-tanpa-nilai by the reader
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            sheet_add(F.NILAI_WAJIB_KOSONG, f"{header} belum diisi (sel {ref}).", ref)
        return None
    result = _in_range(_too_long(raw) or (parse_value(raw, jenis, fmt) if jenis else _parse_any(raw, fmt)))
    if isinstance(result, ParseError):
        sheet_add(F.NILAI_TIDAK_VALID, f"{header} {_invalid(_shown(raw, fmt), result.reason, value_hint(jenis))}.", ref)
        return None
    if isinstance(result, Number):
        if result.warning:
            sheet_add(F.NILAI_AMBIGU, f"{header} di sel {ref}: {result.warning}.", ref)
        if jenis == C.JENIS_PERSEN and not 0 <= result.value <= 100:
            sheet_add(
                F.NILAI_TIDAK_WAJAR,
                f'{header} "{display(raw)}" dibaca {display(result.value)}%, di luar 0-100%; periksa apakah salah ketik (mis. 1009 untuk 100%).',
                ref,
            )
        return Number(result.value)
    return result


def _invalid(shown: str, reason: str, hint: str) -> str:
    """'"<value>" <why>; <what to write>' with the value and the hint said once each: a reason may
    already quote the value ("\"Z\" bukan opini BPK") or carry its own hint ("tulis salah satu: ...")."""
    quoted = f'"{shown}"'
    what = reason if reason.startswith(quoted) else f"{quoted} tidak valid: {reason}"
    return what if "; tulis " in reason or "; ketik " in reason else f"{what}; {hint}"


def _shown(raw: object, fmt: str | None) -> str:
    """Raw content for a message; a date serial in a date-formatted cell shown as the date it is."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and is_date_format(fmt) and 1 <= raw < 2_958_466:
        return tanggal(EXCEL_EPOCH + dt.timedelta(days=int(raw)))
    if isinstance(raw, dt.datetime):
        return tanggal(raw.date())
    if isinstance(raw, dt.date):
        return tanggal(raw)
    return display(raw)


def _too_long(raw: object) -> ParseError | None:
    if isinstance(raw, str) and len(raw.strip()) > MAX_VALUE_TEXT:
        return ParseError(f"teks {format_number(len(raw.strip()))} karakter, terlalu panjang untuk sebuah nilai")
    return None


def _in_range(result: Value | ParseError) -> Value | ParseError:
    """A Number that is not finite or beyond MAX_ABS_VALUE becomes a ParseError."""
    if isinstance(result, Number) and not (math.isfinite(result.value) and abs(result.value) <= MAX_ABS_VALUE):
        return ParseError(f"angka di luar jangkauan (lebih dari {format_number(MAX_ABS_VALUE)})")
    return result


def _parse_any(raw: object, fmt: str | None) -> Value | ParseError:
    """Without the PK's Jenis Nilai: a grade or opinion when it reads as one, else a number/percent."""
    from ..core.values import is_percent_format, parse_grade, parse_opinion, parse_percent

    if isinstance(raw, str):
        for parse in (parse_grade, parse_opinion):
            got = parse(raw)
            if not isinstance(got, ParseError):
                return got
        if raw.strip().endswith("%"):
            return parse_percent(raw)
    if is_percent_format(fmt):
        return parse_percent(raw, fmt)
    return parse_value(raw, C.JENIS_ANGKA, fmt)


def table_unread(doc: Document, sheet_name: str) -> bool:
    """The reader could not read the table sheet sheet_name of doc (missing sheet, header row or required column).

    open_table reports each such fault as kolom-hilang at the sheet and reads no row of it: that
    finding is the document's record that the table is unread, so a set check comparing against
    it skips, with one note, instead of reporting every row compared as a further fault.
    """
    name = F.sheet_key(sheet_name)
    return any(f.code == F.KOLOM_HILANG and f.sheet is not None and F.sheet_key(f.sheet) == name for f in doc.findings)


def read_table(src: XlsxSource, doc: Document, table: C.TableSheet, make_row: Callable) -> list:
    """The rows of one table sheet, each made by make_row(sheet, row, columns); [] when unreadable."""
    opened = open_table(src, doc, table)
    if not opened:
        return []
    sheet, header_row, cols = opened
    return [make_row(sheet, r, cols) for r in data_rows(sheet, header_row, cols, table)]


def row_value(sheet: Sheet, r: int, cols: dict[str, int], header: str, jenis: str | None, *, required: bool = False, parse: bool = True) -> Value | None:
    """The target/realisasi cell of one row under header, parsed by Jenis Nilai (parse_cell_value);
    None when the column is absent. A formula without a cached value is reported here, once, even
    when parse is False (the row's Jenis Nilai is invalid and that is reported already)."""
    if header not in cols:
        return None
    c = cols[header]
    sheet.value(r, c)
    if not parse:
        return None
    return parse_cell_value(sheet.add, header, sheet.cell(r, c), jenis, required=required, ref=a1(r, c))


def texts(sheet: Sheet, r: int, cols: dict[str, int], headers: tuple[str, ...], required: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for h in headers:
        if h not in cols:
            out[h] = ""
            continue
        out[h] = sheet.text(r, cols[h])
        if not out[h] and h in required and not sheet.is_formula_without_value(r, cols[h]):
            sheet.add(F.NILAI_WAJIB_KOSONG, f"{h} belum diisi (sel {a1(r, cols[h])}).", a1(r, cols[h]))
    return out


def money(sheet: Sheet, r: int, cols: dict[str, int], header: str, required: bool) -> float | None:
    if header not in cols:
        return None
    ref = a1(r, cols[header])
    raw = sheet.value(r, cols[header])
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required and not sheet.is_formula_without_value(r, cols[header]):
            sheet.add(F.NILAI_WAJIB_KOSONG, f"{header} belum diisi (sel {ref}).", ref)
        return None
    cell = sheet.cell(r, cols[header])
    result = _in_range(_too_long(raw) or parse_money(raw, cell.number_format if cell else None))
    if isinstance(result, ParseError):
        sheet.add(F.NILAI_TIDAK_VALID, f"{header} {_invalid(display(raw), result.reason, 'tulis rupiah, misalnya 2.028.429.000')}.", ref)
        return None
    if result.warning:
        sheet.add(F.NILAI_AMBIGU, f"{header} di sel {ref}: {result.warning}.", ref)
    if result.value < 0:
        sheet.add(F.NILAI_TIDAK_WAJAR, f'{header} "{display(raw)}" bernilai negatif.', ref)
    return result.value
