"""What staff type -> typed values.

Turns a cell's content (a Python value as a reader gives it, plus the cell's
number format) into a typed value or a ParseError with a reason in Bahasa
Indonesia. No Excel objects here: only plain values and format strings.

Conventions (Indonesian number writing, DOMAIN.md):
- "." groups thousands and "," is the decimal mark: "19.651.888.000", "96,23";
- a form that is only ever valid one way is read that way ("96.23" has a
  two-digit tail, so it cannot be thousands grouping: 96.23);
- a single separator followed by exactly three digits ("1.234", "1,234") is
  read by Indonesian convention and flagged with a warning (ambiguous);
- "90%" and "90 %" are 90 percent points; a numeric 0.9 in a cell with a
  percent number format is 90 too (that is how Excel stores a typed "90%");
- garbage is rejected with a reason, never guessed ("T8%", "9O%", "1OO").
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass

from .contract import BPK_OPINIONS, SAKIP_GRADES


@dataclass(frozen=True)
class ParseError:
    """A cell that could not be read as the expected kind; reason in Indonesian."""

    reason: str


@dataclass(frozen=True)
class Number:
    """A numeric reading. For percents, value is in percent points (90 = 90%)."""

    value: float
    warning: str | None = None  # set when read by convention but ambiguous


@dataclass(frozen=True)
class Grade:
    """An ordinal reading: a SAKIP predikat or a BPK opinion."""

    scale: str  # "sakip" or "bpk"
    code: str  # canonical code: "BB", "WTP"

    @property
    def rank(self) -> int:
        return ORDINAL_SCALES[self.scale].index(self.code) + 1


ORDINAL_SCALES: dict[str, tuple[str, ...]] = {"sakip": SAKIP_GRADES, "bpk": BPK_OPINIONS}

EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!")


@dataclass(frozen=True)
class CellError:
    """An Excel error value stored in a cell (t="e"), e.g. #REF!."""

    code: str


# Characters that show nothing in a cell but make two texts differ: zero-width space, ZWNJ, ZWJ,
# word joiner and invisible operators, the byte-order mark, the soft hyphen, and the marks that
# only change the direction text is shown in (LRM, RLM, ALM, embeddings, overrides, isolates).
# The reader drops them (xlsx/sheet.py) as it folds spaces; messages show them as <U+200B>.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# What display() also shows by its code point: the invisible characters and any control character.
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CUT_MARK = re.compile(r"<(U(\+[0-9A-F]{0,4})?)?$")
DISPLAY_MAX = 60  # characters of a value quoted in a message


def visible(text: str) -> str:
    """Text with every invisible or control character written as its code point: "IK2.1<U+200B>"."""
    return _UNSEEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def display(raw: object) -> str:
    """A short, safe rendering of raw cell content for messages: spaces folded, invisible characters
    shown by code point, and anything longer than DISPLAY_MAX characters cut with "..."."""
    if raw is None:
        return "(kosong)"
    if isinstance(raw, CellError):
        return raw.code
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return "NaN" if math.isnan(raw) else ("-" if raw < 0 else "") + "tak terhingga"
        return format_number(raw, decimals=None)
    text = str(raw)
    if len(text) > 4 * DISPLAY_MAX:  # never fold or scan 32,767 characters to show 60
        text = text[: 4 * DISPLAY_MAX]
        cut = True
    else:
        cut = False
    text = visible(" ".join(text.split()))
    if cut or len(text) > DISPLAY_MAX:
        text = _CUT_MARK.sub("", text[: DISPLAY_MAX - 3]) + "..."
    return text


# --- number formats -----------------------------------------------------------

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _format_core(number_format: str | None) -> str:
    if not number_format:
        return ""
    return _QUOTED.sub("", number_format.split(";")[0])


def is_percent_format(number_format: str | None) -> bool:
    return "%" in _format_core(number_format)


def is_date_format(number_format: str | None) -> bool:
    """True for Excel date/time formats (d, m, y, h, s outside quotes and brackets)."""
    core = _format_core(number_format).lower()
    if not core or core == "general":
        return False
    return bool(re.search(r"[dmyhs]", core))


# --- numbers ------------------------------------------------------------------

_RP_PREFIX = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_MONEY_SUFFIX = re.compile(r"(,-|,—|,–|\.-)$")
_DIGITS = re.compile(r"^\d+$")
_GROUPED_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_ID_DECIMAL = re.compile(r"^\d{1,3}(\.\d{3})*,\d+$")  # 1.234,5
_EN_DECIMAL = re.compile(r"^\d{1,3}(,\d{3})*\.\d+$")  # 1,234.5
_PLAIN_COMMA = re.compile(r"^\d+,\d+$")
_PLAIN_DOT = re.compile(r"^\d+\.\d+$")
_SCI = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$")


def _bad(text: str) -> ParseError:
    hint = ""
    if re.search(r"[OoIl]", text) and re.search(r"\d", text):
        hint = " (huruf O/I/l di antara angka?)"
    return ParseError(f'"{display(text)}" bukan angka{hint}')


def _parse_number_text(text: str, rupiah: bool = False) -> Number | ParseError:
    """Parse the digits part of a number written the Indonesian (or plain) way.

    rupiah: the text was written as an amount ("Rp 400.000", "400.000,-"); a rupiah amount has
    no decimals, so "400.000" is four hundred thousand without a doubt.
    """
    sign = 1.0
    t = text
    if t.startswith("-") or t.startswith("−"):
        sign, t = -1.0, t[1:].strip()
    elif t.startswith("+"):
        t = t[1:].strip()
    if not t:
        return _bad(text)
    if len(t) > 40:  # no figure in a PK or RA needs more digits; also keeps int() and float() bounded
        return ParseError(f'"{display(text)}" terlalu panjang untuk sebuah angka')
    value: float
    warning = None
    if _DIGITS.match(t):
        value = float(int(t))
    elif _GROUPED_DOT.match(t):
        value = float(int(t.replace(".", "")))
        if t.count(".") == 1 and not rupiah:
            warning = f'"{text}" dibaca sebagai {sign * value:.0f} (titik = pemisah ribuan); jika maksudnya desimal, tulis dengan koma, misalnya {t.replace(".", ",")}'
    elif _GROUPED_COMMA.match(t):
        if t.count(",") == 1:
            value = float(t.replace(",", "."))
            warning = f'"{text}" dibaca sebagai {format_number(sign * value, None)} (koma = desimal); jika maksudnya ribuan, tulis dengan titik, misalnya {t.replace(",", ".")}'
        else:  # 1,234,567: English thousands grouping, not a decimal
            value = float(int(t.replace(",", "")))
    elif _ID_DECIMAL.match(t):
        value = float(t.replace(".", "").replace(",", "."))
    elif _PLAIN_COMMA.match(t):
        value = float(t.replace(",", "."))
    elif _EN_DECIMAL.match(t) or _PLAIN_DOT.match(t):
        value = float(t.replace(",", ""))
    elif _SCI.match(t):
        value = float(t)
    else:
        return _bad(text)
    if not math.isfinite(value):
        return _bad(text)
    return Number(sign * value, warning)


def _common_rejects(raw: object, number_format: str | None) -> ParseError | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ParseError("sel kosong")
    if isinstance(raw, CellError):
        return ParseError(f"sel berisi galat Excel {raw.code}")
    if isinstance(raw, bool):
        return ParseError(f"nilai {display(raw)} (benar/salah) bukan angka")
    if isinstance(raw, (_dt.date, _dt.datetime, _dt.time, _dt.timedelta)):
        return ParseError("sel berisi tanggal/waktu, bukan angka")
    if isinstance(raw, (int, float)) and is_date_format(number_format):
        return ParseError(f"sel berformat tanggal ({number_format}), bukan angka")
    if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
        return ParseError(f"sel berisi galat Excel {raw.strip().upper()}")
    return None


def _clean_text(raw: str) -> str:
    return " ".join(raw.replace("\u00a0", " ").split())


def parse_number(raw: object, number_format: str | None = None) -> Number | ParseError:
    """A plain or Indonesian number ("96,23", "19.651.888.000", "Rp 2.028.429.000,-")."""
    rejected = _common_rejects(raw, number_format)
    if rejected:
        return rejected
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            return _not_finite(raw)
        value = float(raw)
        if is_percent_format(number_format):
            value = _pct_points(value)
        return Number(value)
    if not isinstance(raw, str):
        return ParseError(f"jenis isi sel tidak dikenal ({type(raw).__name__})")
    text = _clean_text(raw)
    rupiah = bool(_RP_PREFIX.match(text) or _MONEY_SUFFIX.search(text))
    text = _RP_PREFIX.sub("", text)
    text = _MONEY_SUFFIX.sub("", text).strip()
    if text.endswith("%"):
        return ParseError(f'"{display(raw)}" berupa persen, padahal yang diminta angka')
    return _parse_number_text(text, rupiah)


def _not_finite(raw: float) -> ParseError:
    """A stored NaN is not a number at all; only an infinity is "tidak terhingga"."""
    if math.isnan(raw):
        return ParseError("sel berisi bukan angka (NaN), biasanya hasil rumus yang gagal; ketik nilainya langsung")
    return ParseError("angka tidak terhingga")


def _pct_points(fraction: float) -> float:
    # 0.9 stored by Excel for "90%": 0.9 * 100 = 90.00000000000001 in floats.
    return round(fraction * 100, 10)


def parse_percent(raw: object, number_format: str | None = None) -> Number | ParseError:
    """A percent in percent points: "90%", "90 %", "0,2%", 90, and 0.9 formatted as %."""
    rejected = _common_rejects(raw, number_format)
    if rejected:
        return rejected
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            return _not_finite(raw)
        if is_percent_format(number_format):
            return Number(_pct_points(float(raw)))
        return _fraction_warning(float(raw), display(raw))
    if not isinstance(raw, str):
        return ParseError(f"jenis isi sel tidak dikenal ({type(raw).__name__})")
    text = _clean_text(raw)
    if text.endswith("%"):
        body = text[:-1].strip()
        if "%" in body:
            return _bad(text)
        parsed = _parse_number_text(body)
        if isinstance(parsed, ParseError):
            return ParseError(f'"{display(raw)}" bukan persen yang sah')
        return parsed
    parsed = _parse_number_text(text)
    if isinstance(parsed, ParseError):
        return parsed
    if parsed.warning:
        return parsed
    return _fraction_warning(parsed.value, text)


def _fraction_warning(value: float, shown: str) -> Number:
    """A bare number in a percent column is read as percent points; 0 < x <= 1 is suspicious."""
    if 0 < value <= 1:
        return Number(
            value,
            f'"{shown}" dibaca sebagai {format_number(value, None)}%; jika maksudnya {format_number(value * 100, None)}%, tulis {format_number(value * 100, None)}%',
        )
    return Number(value)


# --- ordinal values -------------------------------------------------------------

_OPINION_LONG = {
    "wajar tanpa pengecualian": "WTP",
    "wajar dengan pengecualian": "WDP",
    "tidak wajar": "TW",
    "tidak menyatakan pendapat": "TMP",
    "disclaimer": "TMP",
}


def parse_grade(raw: object) -> Grade | ParseError:
    """A SAKIP predikat: AA, A, BB, B, CC, C, D (case and spaces ignored)."""
    rejected = _common_rejects(raw, None)
    if rejected:
        return rejected
    if not isinstance(raw, str):
        return ParseError(f'"{display(raw)}" bukan predikat SAKIP; tulis salah satu: {", ".join(reversed(SAKIP_GRADES))}')
    code = "".join(raw.split()).upper()
    if code.startswith("PREDIKAT"):
        code = code[len("PREDIKAT") :]
    if code in SAKIP_GRADES:
        return Grade("sakip", code)
    return ParseError(f'"{display(raw)}" bukan predikat SAKIP; tulis salah satu: {", ".join(reversed(SAKIP_GRADES))}')


def parse_opinion(raw: object) -> Grade | ParseError:
    """A BPK opinion: WTP, WDP, TW, TMP or its long form ("Wajar Tanpa Pengecualian")."""
    rejected = _common_rejects(raw, None)
    if rejected:
        return rejected
    if isinstance(raw, str):
        words = " ".join(raw.replace("(", " ").replace(")", " ").split()).casefold()
        code = words.replace(" ", "").upper()
        if code in BPK_OPINIONS:
            return Grade("bpk", code)
        for long, short in _OPINION_LONG.items():
            if words == long or words == f"{long} {short.casefold()}":
                return Grade("bpk", short)
    return ParseError(f'"{display(raw)}" bukan opini BPK; tulis salah satu: WTP, WDP, TW, TMP')


# --- by Jenis Nilai ---------------------------------------------------------------

Value = Number | Grade


def parse_value(raw: object, jenis: str, number_format: str | None = None) -> Value | ParseError:
    """Parse a target or realisasi cell by the indicator's Jenis Nilai."""
    from .contract import JENIS_OPINI, JENIS_PERSEN, JENIS_PREDIKAT

    if jenis == JENIS_PERSEN:
        result = parse_percent(raw, number_format)
        if isinstance(result, ParseError) and isinstance(raw, str) and _looks_ordinal(raw):
            return ParseError(f'"{display(raw)}" adalah predikat/opini, padahal Jenis Nilai baris ini Persen')
        return result
    if jenis == JENIS_PREDIKAT:
        return parse_grade(raw)
    if jenis == JENIS_OPINI:
        return parse_opinion(raw)
    result = parse_number(raw, number_format)
    if isinstance(result, ParseError) and isinstance(raw, str) and raw.strip().endswith("%"):
        # "78%" for an Indeks/Angka indicator: the number is clear, the unit is not.
        body = parse_percent(raw)
        if isinstance(body, Number):
            return Number(body.value, f'"{display(raw)}" ditulis sebagai persen untuk Jenis Nilai {jenis}; dibaca {format_number(body.value, None)}')
    return result


def _looks_ordinal(text: str) -> bool:
    return isinstance(parse_grade(text), Grade) or isinstance(parse_opinion(text), Grade)


def parse_money(raw: object, number_format: str | None = None) -> Number | ParseError:
    """Rupiah: "Rp 2.028.429.000,-", "2.028.429.000", 2028429000."""
    result = parse_number(raw, number_format)
    if isinstance(result, ParseError):
        return result
    if is_percent_format(number_format):
        return ParseError(f'"{display(raw)}" berformat persen, padahal yang diminta rupiah')
    return result


# --- formatting (display only; data keeps full precision) ---------------------------


def format_number(value: float, decimals: int | None = 0) -> str:
    """Indonesian writing: 19651888000 -> "19.651.888.000", 96.234 (2) -> "96,23".

    decimals=None writes as many decimals as needed (up to 10) and no more.
    """
    if decimals is None:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.{decimals}f}"
    negative = text.startswith("-")
    if negative:
        text = text[1:]
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups) + (f",{frac}" if frac else "")
    if negative and out.strip("0.,"):
        out = "-" + out
    return out


def format_rupiah(value: float) -> str:
    return f"Rp {format_number(value, 0)},-"


BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember")


def tanggal(d: _dt.date) -> str:
    """A date as Indonesian writing has it: "20 September 2023"."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def tanggal_teks(text: str) -> str:
    """A date held as ISO text ("2023-09-20", how the reader keeps a date cell) written the Indonesian
    way; any other text as written."""
    try:
        d = _dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return text
    return tanggal(d)


def same_value(a: Value | None, b: Value | None) -> bool:
    """Two targets or realisasi are the same figure (numbers within rounding, grades equal)."""
    if isinstance(a, Number) and isinstance(b, Number):
        return abs(a.value - b.value) <= 1e-9 * max(1.0, abs(a.value), abs(b.value))
    if isinstance(a, Grade) and isinstance(b, Grade):
        return a == b
    return False


def show(v: Value | None, jenis: str | None = None) -> str:
    """A target or realisasi as messages and tables print it: "90%", "78", "BB"."""
    from .contract import JENIS_PERSEN

    if v is None:
        return "(kosong)"
    if isinstance(v, Grade):
        return v.code
    suffix = "%" if jenis == JENIS_PERSEN else ""
    return f"{format_number(v.value, None)}{suffix}"
