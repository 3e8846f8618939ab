"""The capaian engine against the seed's BAB III figures and arithmetic (issue: foundation)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpu_xl.core.capaian import (
    Capaian,
    aggregate_quarters,
    cumulative_quarters,
    efisiensi,
    indicator_capaian,
    mean_capaian,
    serapan,
)
from kpu_xl.core.contract import CARA_KUMULATIF, CARA_POSISI_AKHIR, CARA_RATA_RATA
from kpu_xl.core.policy import Policy
from kpu_xl.core.values import Grade, Number, parse_grade, parse_opinion, parse_percent
from kpu_xl.report.narrative import pct as printed_pct


def pct(text):
    return parse_percent(text)


# The seed's BAB III (DOMAIN.md table): target, realisasi, printed capaian (whole percents).
SEED_NUMERIC = [
    ("Pemilu aman dan damai", "90%", "100%", "111%"),
    ("sengketa hukum", "90%", "100%", "111%"),
    ("calon peserta difasilitasi", "100%", "100%", "100%"),
    ("kampanye", "100%", "100%", "100%"),
    ("dana kampanye", "100%", "100%", "100%"),
    ("pendidikan pemilih", "100%", "100%", "100%"),
    ("badan adhoc", "100%", "100%", "100%"),
    ("keterbukaan informasi", "100%", "100%", "100%"),
    ("data pemilih tepat waktu", "100%", "100%", "100%"),
    ("zona integritas", "90%", "100%", "111%"),
]


@pytest.mark.parametrize("name, target, realisasi, printed", SEED_NUMERIC)
def test_seed_percent_indicators(name, target, realisasi, printed):
    c = indicator_capaian(pct(target), pct(realisasi), "Positif")
    assert printed_pct(c.value, 0) == printed


def test_seed_indeks_reformasi_birokrasi():
    # Target 78 (index), realisasi 75: printed 96%.
    c = indicator_capaian(Number(78), Number(75), "Positif")
    assert c.value == pytest.approx(75 / 78 * 100)
    assert printed_pct(c.value, 0) == "96%"


def test_seed_sakip_grade_met():
    c = indicator_capaian(parse_grade("B"), parse_grade("BB"))
    assert c.met is True and c.value == 100


def test_seed_bpk_opinion_met():
    c = indicator_capaian(parse_opinion("WTP"), parse_opinion("Wajar Tanpa Pengecualian"))
    assert c.met is True and c.value == 100


def test_ordinal_not_met_uses_rank_ratio():
    c = indicator_capaian(parse_grade("BB"), parse_grade("B"))  # ranks 5 and 4
    assert c.met is False and c.value == pytest.approx(4 / 5 * 100)
    c = indicator_capaian(parse_opinion("WTP"), parse_opinion("WDP"))  # ranks 4 and 3
    assert c.met is False and c.value == pytest.approx(75)


def test_ordinal_mixed_with_number_is_not_computable():
    c = indicator_capaian(parse_grade("B"), Number(80))
    assert c.value is None and c.reason


@pytest.mark.parametrize(
    "pagu, realisasi, printed",
    [
        (29_175_062_000, 23_748_447_046, "81,40%"),
        (4_719_276_000, 4_544_787_159, "96,30%"),
        (3_761_359_000, 3_400_502_284, "90,41%"),
        (19_651_888_000, 18_911_211_426, "96,23%"),
    ],
)
def test_seed_budget_absorption(pagu, realisasi, printed):
    assert printed_pct(serapan(pagu, realisasi), 2) == printed


def test_negative_polarity_default_and_alternative():
    # lower is better: target 10, realisasi 8 -> (20 - 8) / 10 = 120%; T/R = 125%
    assert indicator_capaian(Number(10), Number(8), "Negatif").value == pytest.approx(120)
    alt = Policy(rumus_negatif="T/R")
    assert indicator_capaian(Number(10), Number(8), "Negatif", alt).value == pytest.approx(125)
    # realisasi worse than target
    assert indicator_capaian(Number(10), Number(12), "Negatif").value == pytest.approx(80)


def test_target_zero_is_explicit_never_division_by_zero():
    assert indicator_capaian(Number(0), Number(0), "Negatif").value == 100
    c = indicator_capaian(Number(0), Number(3), "Negatif")
    assert c.value is None and "target 0" in c.reason
    c = indicator_capaian(Number(0), Number(5), "Positif")
    assert c.value is None and "target 0" in c.reason
    c = indicator_capaian(Number(10), Number(0), "Negatif", Policy(rumus_negatif="T/R"))
    assert c.value is None and c.reason


def test_overflowing_capaian_is_not_computable():
    c = indicator_capaian(Number(5e-324), Number(100))
    assert c.value is None and c.reason


def test_missing_values_are_not_computable():
    assert indicator_capaian(None, Number(5)).reason == "target kosong"
    assert indicator_capaian(Number(5), None).reason == "realisasi belum diisi"


def test_cap_is_a_policy_and_keeps_the_uncapped_figure():
    c = indicator_capaian(Number(90), Number(100), "Positif", Policy(batas_atas=100))
    assert c.value == 100 and c.uncapped == pytest.approx(111.111, rel=1e-4) and c.capped
    assert not indicator_capaian(Number(90), Number(100)).capped


def test_kategori_bands_default():
    p = Policy()
    assert p.kategori_for(111.1) == "Sangat Baik"  # above 100 stays in the top band
    assert p.kategori_for(91) == "Sangat Baik"
    assert p.kategori_for(90.99) == "Baik"
    assert p.kategori_for(76) == "Baik"
    assert p.kategori_for(75.5) == "Cukup"
    assert p.kategori_for(66) == "Cukup"
    assert p.kategori_for(65) == "Kurang"
    assert p.kategori_for(51) == "Kurang"
    assert p.kategori_for(50) == "Sangat Kurang"
    assert p.kategori_for(-20) == "Sangat Kurang"


def test_quarterly_aggregation():
    q = [Number(20), Number(30), None, Number(25)]
    assert aggregate_quarters(q, CARA_KUMULATIF).value == 75
    assert aggregate_quarters(q, CARA_POSISI_AKHIR).value == 25
    assert aggregate_quarters(q, CARA_RATA_RATA).value == pytest.approx(25)
    partial = [Number(40), Number(60), None, None]
    assert aggregate_quarters(partial, CARA_KUMULATIF).value == 100
    assert aggregate_quarters(partial, CARA_POSISI_AKHIR).value == 60
    assert aggregate_quarters([None] * 4, CARA_KUMULATIF) is None
    grades = [None, parse_grade("B"), parse_grade("BB"), None]
    assert aggregate_quarters(grades, CARA_KUMULATIF) == Grade("sakip", "BB")
    running = cumulative_quarters([Number(10), Number(20), Number(30), Number(40)], CARA_KUMULATIF)
    assert [r.value for r in running] == [10, 30, 60, 100]


def test_sasaran_and_satker_means():
    # Sasaran 6 of the seed: 96.15% (IRB), met (SAKIP), met (BPK), 100% (KIP)
    irb = indicator_capaian(Number(78), Number(75))
    sakip = indicator_capaian(parse_grade("B"), parse_grade("BB"))
    bpk = indicator_capaian(parse_opinion("WTP"), parse_opinion("WTP"))
    kip = indicator_capaian(pct("100%"), pct("100%"))
    s6 = mean_capaian([irb, sakip, bpk, kip])
    assert s6 == pytest.approx((75 / 78 * 100 + 300) / 4)
    assert mean_capaian([Capaian(None, reason="x"), 80.0]) == 80
    assert mean_capaian([]) is None


def test_serapan_and_efisiensi():
    assert serapan(0, 10) is None and serapan(None, 10) is None
    assert efisiensi(100, 96.23) == pytest.approx(3.77)
    assert efisiensi(None, 96) is None


@settings(max_examples=300, deadline=None)
@given(
    st.floats(min_value=0.01, max_value=1e6),
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=0.001, max_value=1e6),
)
def test_capaian_monotonic_in_realisasi(target, realisasi, delta):
    lo, hi = Number(realisasi), Number(realisasi + delta)
    pos_lo = indicator_capaian(Number(target), lo, "Positif").value
    pos_hi = indicator_capaian(Number(target), hi, "Positif").value
    assert pos_hi >= pos_lo
    neg_lo = indicator_capaian(Number(target), lo, "Negatif").value
    neg_hi = indicator_capaian(Number(target), hi, "Negatif").value
    assert neg_hi <= neg_lo
    alt = Policy(rumus_negatif="T/R")
    a_lo = indicator_capaian(Number(target), lo, "Negatif", alt).value
    a_hi = indicator_capaian(Number(target), hi, "Negatif", alt).value
    if a_lo is not None:
        assert a_hi <= a_lo


@settings(max_examples=200, deadline=None)
@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.sampled_from(["Positif", "Negatif"]),
)
def test_capaian_never_raises(target, realisasi, polaritas):
    c = indicator_capaian(Number(target), Number(realisasi), polaritas)
    assert (c.value is None) == (c.reason is not None)
