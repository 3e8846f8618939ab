"""Value parsing: what staff type -> typed values (issue: foundation)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpu_xl.core.contract import JENIS_ANGKA, JENIS_INDEKS, JENIS_OPINI, JENIS_PERSEN, JENIS_PREDIKAT
from kpu_xl.core.values import (
    CellError,
    Grade,
    Number,
    ParseError,
    format_number,
    format_rupiah,
    is_date_format,
    is_percent_format,
    parse_grade,
    parse_money,
    parse_number,
    parse_opinion,
    parse_percent,
    parse_value,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("96,23", 96.23),
        ("96.23", 96.23),
        ("19.651.888.000", 19_651_888_000),
        ("1.234,5", 1234.5),
        ("Rp 2.028.429.000,-", 2_028_429_000),
        ("Rp2.028.429.000", 2_028_429_000),
        ("Rp. 18.911.211.426,-", 18_911_211_426),
        (" 90 ", 90),
        ("0", 0),
        ("-5", -5),
        ("1,234.5", 1234.5),
        ("75", 75),
        (78, 78),
        (96.5, 96.5),
    ],
)
def test_numbers(raw, expected):
    result = parse_number(raw)
    assert isinstance(result, Number), result
    assert result.value == pytest.approx(expected)
    assert result.warning is None


@pytest.mark.parametrize(
    "raw, expected",
    [("90%", 90), ("90 %", 90), ("0,2%", 0.2), ("100%", 100), ("96,23 %", 96.23), ("111%", 111), ("90", 90)],
)
def test_percent_text(raw, expected):
    result = parse_percent(raw)
    assert isinstance(result, Number), result
    assert result.value == pytest.approx(expected)
    assert result.warning is None


def test_percent_from_excel_percent_format():
    # Typing "90%" in Excel stores 0.9 with a percent number format: that is 90.
    assert parse_percent(0.9, "0%") == Number(90.0)
    assert parse_percent(1, "0.00%") == Number(100.0)
    assert parse_percent(0.785, "0.0%;[Red]-0.0%") == Number(78.5)
    # a number in a plain cell is percent points already
    assert parse_percent(90, "General") == Number(90.0)


def test_percent_bare_fraction_is_flagged_ambiguous():
    result = parse_percent("0,9")
    assert isinstance(result, Number) and result.value == pytest.approx(0.9)
    assert result.warning and "90" in result.warning


@pytest.mark.parametrize("raw, expected", [("1.234", 1234), ("1,234", 1.234)])
def test_ambiguous_single_separator_read_by_indonesian_convention_with_warning(raw, expected):
    result = parse_percent(raw)
    assert isinstance(result, Number)
    assert result.value == pytest.approx(expected)
    assert result.warning, "an ambiguous form must carry a warning"


@pytest.mark.parametrize("raw", ["T8%", "9O%", "1OO", "-", "n/a", "", "   ", "±90", "90%%", "1.2.3", "12.34.567", "abc", "9 0", "%"])
def test_garbage_is_rejected_with_a_reason(raw):
    for parse in (parse_number, parse_percent):
        result = parse(raw)
        assert isinstance(result, ParseError), (parse.__name__, raw, result)
        assert result.reason


def test_very_long_digit_strings_are_rejected_not_crashing():
    for parse in (parse_number, parse_percent):
        assert isinstance(parse("9" * 400), ParseError)
        assert isinstance(parse("1" * 5000 + "%"), ParseError)


def test_letter_o_hint():
    assert "huruf O" in parse_number("1OO").reason


@pytest.mark.parametrize(
    "raw, fmt, words",
    [
        (None, None, "kosong"),
        (CellError("#DIV/0!"), None, "#DIV/0!"),
        ("#REF!", None, "#REF!"),
        ("#N/A", None, "#N/A"),
        (True, None, "benar/salah"),
        (dt.datetime(2023, 9, 20), None, "tanggal"),
        (45189, "dd/mm/yyyy", "tanggal"),
    ],
)
def test_non_numbers_are_rejected(raw, fmt, words):
    result = parse_percent(raw, fmt)
    assert isinstance(result, ParseError)
    assert words in result.reason


def test_formats():
    assert is_percent_format("0%") and is_percent_format("0.00%")
    assert not is_percent_format('"%" 0') and not is_percent_format("General") and not is_percent_format(None)
    assert is_date_format("dd/mm/yyyy") and is_date_format("mm-dd-yy") and is_date_format("[$-421]d mmmm yyyy")
    assert not is_date_format("General") and not is_date_format("#,##0") and not is_date_format("0%")
    assert not is_date_format('"Rp" #,##0')


@pytest.mark.parametrize("raw, code", [("AA", "AA"), ("bb", "BB"), (" B B ", "BB"), ("cc", "CC"), ("D", "D"), ("Predikat BB", "BB")])
def test_grades(raw, code):
    assert parse_grade(raw) == Grade("sakip", code)


def test_grade_ranks_ascend():
    assert parse_grade("D").rank < parse_grade("C").rank < parse_grade("CC").rank < parse_grade("B").rank
    assert parse_grade("B").rank < parse_grade("BB").rank < parse_grade("A").rank < parse_grade("AA").rank


@pytest.mark.parametrize(
    "raw, code",
    [
        ("WTP", "WTP"),
        ("wdp", "WDP"),
        ("TW", "TW"),
        ("TMP", "TMP"),
        ("Wajar Tanpa Pengecualian", "WTP"),
        ("wajar  dengan pengecualian", "WDP"),
        ("Tidak Wajar", "TW"),
        ("Tidak Menyatakan Pendapat", "TMP"),
        ("Wajar Tanpa Pengecualian (WTP)", "WTP"),
    ],
)
def test_opinions(raw, code):
    assert parse_opinion(raw) == Grade("bpk", code)


@pytest.mark.parametrize("raw", ["BBB", "E", "A+", "90", 90, ""])
def test_bad_grades(raw):
    assert isinstance(parse_grade(raw), ParseError)


@pytest.mark.parametrize("raw", ["WTPP", "Wajar", "B", 4])
def test_bad_opinions(raw):
    assert isinstance(parse_opinion(raw), ParseError)


def test_parse_value_by_jenis():
    assert parse_value("90%", JENIS_PERSEN) == Number(90.0)
    assert parse_value("78", JENIS_INDEKS) == Number(78.0)
    assert parse_value("1", JENIS_ANGKA) == Number(1.0)
    assert parse_value("B", JENIS_PREDIKAT) == Grade("sakip", "B")
    assert parse_value("WTP", JENIS_OPINI) == Grade("bpk", "WTP")
    grade_in_persen = parse_value("BB", JENIS_PERSEN)
    assert isinstance(grade_in_persen, ParseError) and "Persen" in grade_in_persen.reason
    assert isinstance(parse_value("90%", JENIS_PREDIKAT), ParseError)
    # "78%" typed for an Indeks indicator: the number is read, the unit is warned about
    indeks = parse_value("78%", JENIS_INDEKS)
    assert isinstance(indeks, Number) and indeks.value == 78 and indeks.warning


def test_money():
    assert parse_money("Rp 17.623.459.000,-") == Number(17_623_459_000.0)
    assert parse_money(2028429000, "#,##0") == Number(2_028_429_000.0)
    assert isinstance(parse_money("90%"), ParseError)


def test_format_number_indonesian():
    assert format_number(19_651_888_000) == "19.651.888.000"
    assert format_number(96.2309, 2) == "96,23"
    assert format_number(-1234.5, 1) == "-1.234,5"
    assert format_number(0.2, None) == "0,2"
    assert format_rupiah(19_651_888_000) == "Rp 19.651.888.000,-"


# --- properties ---------------------------------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
    st.builds(CellError, st.sampled_from(["#REF!", "#DIV/0!", "#N/A"])),
)
formats = st.one_of(st.none(), st.sampled_from(["General", "0%", "0.00%", "dd/mm/yyyy", "#,##0", "@", '"%"']), st.text(max_size=10))


@settings(max_examples=400, deadline=None)
@given(cell_values, formats, st.sampled_from([JENIS_PERSEN, JENIS_ANGKA, JENIS_INDEKS, JENIS_PREDIKAT, JENIS_OPINI]))
def test_parser_never_raises(raw, fmt, jenis):
    result = parse_value(raw, jenis, fmt)
    assert isinstance(result, (Number, Grade, ParseError))
    if isinstance(result, ParseError):
        assert isinstance(result.reason, str) and result.reason


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**13), max_value=10**13), st.integers(min_value=0, max_value=4))
def test_indonesian_format_round_trips(cents, decimals):
    value = cents / 10**decimals
    text = format_number(value, decimals)
    parsed = parse_number(text)
    assert isinstance(parsed, Number), (text, parsed)
    assert parsed.value == pytest.approx(value, rel=1e-12, abs=10 ** -(decimals + 1))
