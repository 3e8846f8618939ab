"""Hardening (issue 15), findings: invisible characters, findings missing at validate time, one fault
reported once (not cascading), message composition, and a figure of Capaian Sasaran.

Workbooks are the samples edited as a user would (helpers.edit). Positions: the PK's indicators
are rows 2..14 of `Perjanjian Kinerja` (IK1.1 row 2 ... IK8.1 row 14; D Kode Indikator, H
Polaritas, J Target, M Pelaksana); the RAs' rows start at row 2 (see tests/test_validate.py).
"""

from __future__ import annotations

import pytest
from helpers import PK, RA_HUKUM, RA_SEMUA, RA_TEKNIS, Text, edit
from openpyxl import load_workbook

from kpu_xl.api import validate
from kpu_xl.core.values import display


def found(report, code=None):
    return [(f.file.rsplit("/", 1)[-1], f.sheet, f.cell, f.code) for f in report.findings if code is None or f.code == code]


RENSTRA = "renstra-2020-2024.xlsx"


def without_renstra(samples):
    """The samples without their Renstra: a changed PK target would also differ from Target 2023 there."""
    (samples / RENSTRA).unlink()
    return samples


def messages(report, code):
    return [f.message for f in report.findings if f.code == code]


# --- invisible characters ---------------------------------------------------------------------


def test_display_shows_invisible_characters_by_code_point():
    assert display("IK2.1\u200b") == "IK2.1<U+200B>"
    assert display("\ufeffIK2.1") == "<U+FEFF>IK2.1"
    assert display("IK\u200d2.1\u202e") == "IK<U+200D>2.1<U+202E>"
    assert display("Divisi\u00a0Hukum") == "Divisi Hukum"  # a non-breaking space is a space


@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"])
def test_invisible_character_in_an_ra_code_is_read_as_the_code_and_shown(samples, mark):
    # pasted from a web page or chat: looks exactly like IK1.2 in the PK
    ra = samples / RA_HUKUM
    edit(ra, "Rencana Aksi", {"A3": Text(f"IK1.2{mark}")})
    report = validate([samples])
    assert found(report) == [(RA_HUKUM, "Rencana Aksi", "A3", "teks-dibersihkan")], [f.message for f in report.findings]
    (message,) = messages(report, "teks-dibersihkan")
    shown = f"<U+{ord(mark):04X}>"
    assert f'"IK1.2{shown}" dibaca "IK1.2"' in message


def test_invisible_characters_in_pk_names_and_choices_are_folded(samples):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {"M2": "Divisi Hukum\u200b dan Pengawasan\u200e", "H3": "\ufeffPositif", "D4": "IK2.1\u2060"})
    report = validate([samples])
    assert {f.code for f in report.findings} == {"teks-dibersihkan"}, [(f.code, f.cell, f.message) for f in report.findings]
    assert sorted(f.cell for f in report.findings) == ["D4", "H3", "M2"]


def test_nbsp_is_a_space_without_a_note(samples):
    edit(samples / PK, "Perjanjian Kinerja", {"M2": "Divisi\u00a0Hukum dan\u00a0Pengawasan"})
    assert validate([samples]).findings == []


def test_a_cell_of_only_invisible_characters_is_empty(samples):
    ra = samples / RA_HUKUM
    edit(ra, "Rencana Aksi", {"C3": "\u200b\u200b"})  # Kegiatan
    report = validate([samples])
    assert ("Rencana Aksi", "C3", "nilai-wajib-kosong") in [(s, c, k) for _, s, c, k in found(report)]


# --- findings missing at validate time --------------------------------------------------------


def test_zero_target_for_a_positive_indicator_is_reported_at_its_target(samples):
    without_renstra(samples)
    # IK6.1 Indeks Reformasi Birokrasi (row 9, Positif); the RA follows the PK, as it should
    edit(samples / PK, "Perjanjian Kinerja", {"J9": 0})
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D2": 0})
    report = validate([samples])
    assert found(report) == [(PK, "Perjanjian Kinerja", "J9", "nilai-tidak-wajar")], [f.message for f in report.findings]
    (message,) = messages(report, "nilai-tidak-wajar")
    assert "Target 0 untuk indikator IK6.1 berpolaritas Positif" in message and "tidak dapat dihitung" in message
    assert report.exit_code == 0  # a warning: the workbook is still consolidated


def test_zero_percent_target_is_reported_too(samples):
    without_renstra(samples)
    edit(samples / PK, "Perjanjian Kinerja", {"J2": "0%"})
    edit(samples / RA_HUKUM, "Rencana Aksi", {"D2": "0%"})
    assert found(validate([samples])) == [(PK, "Perjanjian Kinerja", "J2", "nilai-tidak-wajar")]


def test_negative_target_is_reported_at_its_target(samples):
    without_renstra(samples)
    edit(samples / PK, "Perjanjian Kinerja", {"J9": -5})
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D2": -5})
    report = validate([samples])
    assert found(report) == [(PK, "Perjanjian Kinerja", "J9", "nilai-tidak-wajar")]
    assert "bernilai negatif" in report.findings[0].message


def test_negative_percent_target_is_reported_once(samples):
    without_renstra(samples)
    edit(samples / PK, "Perjanjian Kinerja", {"J2": "-10%"})
    pk_findings = [x for x in found(validate([samples])) if x[0] == PK]
    assert pk_findings == [(PK, "Perjanjian Kinerja", "J2", "nilai-tidak-wajar")]


def test_zero_target_for_a_negative_indicator_is_a_rule_not_a_fault(samples):
    without_renstra(samples)
    # Negatif with target 0: realisasi 0 is 100% (core/capaian.py); nothing to report
    edit(samples / PK, "Perjanjian Kinerja", {"J9": 0, "H9": "Negatif"})
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D2": 0})
    assert validate([samples]).findings == []


def test_ra_reporting_another_divisions_indicator(samples):
    # IK2.1's pelaksana is Divisi Teknis Penyelenggara Pemilu; the legal division's RA reports it
    ra = samples / RA_HUKUM
    edit(ra, "Rencana Aksi", {(4, "Kode Indikator"): "IK2.1", (4, "Kegiatan"): "Fasilitasi calon peserta", (4, "Target Tahunan"): "100%"})
    report = validate([samples])
    assert found(report) == [(RA_HUKUM, "Rencana Aksi", "A4", "pelaksana-berbeda")], [f.message for f in report.findings]
    (message,) = messages(report, "pelaksana-berbeda")
    assert "IK2.1 dilaksanakan Divisi Teknis Penyelenggara Pemilu" in message and "Rencana Aksi Divisi Hukum dan Pengawasan" in message
    assert report.exit_code == 0


def test_semua_divisi_indicator_may_be_in_any_ra_but_the_shared_ra_keeps_to_its_own(samples):
    # IK6.1 is Semua Divisi: any RA may report it; the Semua Divisi RA reporting IK1.1 (legal division) may not
    edit(samples / RA_HUKUM, "Rencana Aksi", {(4, "Kode Indikator"): "IK6.1", (4, "Kegiatan"): "Survei", (4, "Target Tahunan"): 78})
    edit(samples / RA_SEMUA, "Rencana Aksi", {(6, "Kode Indikator"): "IK1.1", (6, "Kegiatan"): "Pengamanan", (6, "Target Tahunan"): "90%"})
    assert found(validate([samples])) == [(RA_SEMUA, "Rencana Aksi", "A6", "pelaksana-berbeda")]


# --- one fault, reported once -----------------------------------------------------------------


def _delete_column(path, sheet, header):
    from helpers import header_col

    wb = load_workbook(path)
    ws = wb[sheet]
    ws.delete_cols(header_col(ws, header))
    wb.save(path)


def test_pk_without_polaritas_column_is_one_fault_not_one_per_ra_code(samples):
    _delete_column(samples / PK, "Perjanjian Kinerja", "Polaritas")
    report = validate([samples])
    assert found(report) == [(PK, "Perjanjian Kinerja", None, "pemeriksaan-dilewati"), (PK, "Perjanjian Kinerja", "A1", "kolom-hilang")], [f.message for f in report.findings]
    (note,) = messages(report, "pemeriksaan-dilewati")
    assert "6 Rencana Aksi" in note and "tidak diperiksa" in note


def test_pk_whose_tahun_is_a_date_is_one_fault_not_pk_tidak_ada_on_every_ra(samples):
    import datetime as dt

    edit(samples / PK, "Identitas", {"B3": dt.datetime(2023, 1, 1)}, {"B3": "dd/mm/yyyy"})
    report = validate([samples])
    assert found(report) == [(PK, "Identitas", "B3", "nilai-tidak-valid"), (PK, "Identitas", "B3", "pemeriksaan-dilewati")], [f.message for f in report.findings]
    assert 'Tahun "1 Januari 2023" berupa tanggal' in messages(report, "nilai-tidak-valid")[0]
    assert "6 Rencana Aksi" in messages(report, "pemeriksaan-dilewati")[0]


def test_ra_whose_tahun_is_unreadable_does_not_leave_its_indicators_uncovered(samples):
    edit(samples / RA_TEKNIS, "Identitas", {"B3": "2O23"})
    report = validate([samples])
    assert found(report) == [(PK, "Perjanjian Kinerja", None, "pemeriksaan-dilewati"), (RA_TEKNIS, "Identitas", "B3", "nilai-tidak-valid")], [f.message for f in report.findings]


def test_ra_without_its_table_does_not_leave_its_indicators_uncovered(samples):
    _delete_column(samples / RA_HUKUM, "Rencana Aksi", "Kegiatan")
    report = validate([samples])
    assert {x[3] for x in found(report)} == {"kolom-hilang", "pemeriksaan-dilewati"}, [f.message for f in report.findings]
    assert "Cakupan 2 indikator" in messages(report, "pemeriksaan-dilewati")[0]


def test_pk_without_its_anggaran_table_is_one_fault_not_one_per_ra_program(samples):
    _delete_column(samples / PK, "Anggaran", "Pagu (Rp)")
    report = validate([samples])
    assert {x[3] for x in found(report)} == {"kolom-hilang", "pemeriksaan-dilewati"}, [f.message for f in report.findings]
    assert [x for x in found(report) if x[3] == "pemeriksaan-dilewati"] == [(PK, "Anggaran", None, "pemeriksaan-dilewati")]


def test_renstra_without_its_target_table_is_one_fault_not_one_per_pk_indicator(samples):
    _delete_column(samples / RENSTRA, "Target Jangka Menengah", "Polaritas")
    report = validate([samples])
    assert [x for x in found(report) if x[0] == PK] == []  # no indikator-di-luar-renstra on every PK row
    assert found(report, "pemeriksaan-dilewati") == [(RENSTRA, "Target Jangka Menengah", None, "pemeriksaan-dilewati")]
    assert found(report, "kolom-hilang") == [(RENSTRA, "Target Jangka Menengah", "A1", "kolom-hilang")]


# --- message composition ----------------------------------------------------------------------


def test_hint_is_said_once(samples):
    without_renstra(samples)
    # IK6.2 (row 10) is Predikat SAKIP, IK6.3 (row 11) Opini BPK
    edit(samples / PK, "Perjanjian Kinerja", {"J10": "Baik", "J11": "WT"})
    report = validate([samples])
    by_cell = {f.cell: f.message for f in report.findings if f.code == "nilai-tidak-valid"}
    assert by_cell["J10"] == 'Target "Baik" bukan predikat SAKIP; tulis salah satu: AA, A, BB, B, CC, C, D.'
    assert by_cell["J11"] == 'Target "WT" bukan opini BPK; tulis salah satu: WTP, WDP, TW, TMP.'
    for message in by_cell.values():
        assert message.count("tulis") == 1, message


def test_invalid_rupiah_says_the_value_once(samples):
    edit(samples / PK, "Anggaran", {"C2": "dua miliar"})
    (f,) = [f for f in validate([samples]).findings if f.code == "nilai-tidak-valid"]
    assert f.message == 'Pagu (Rp) "dua miliar" bukan angka; tulis rupiah, misalnya 2.028.429.000.'


def _cached(path, ref, formula, cached):
    """A formula cell with the cached value `cached` written as a spreadsheet program stores it."""
    import re
    import shutil
    import zipfile

    edit(path, "Perjanjian Kinerja", {ref: f"={formula}"})
    tmp = path.with_suffix(".tmp")
    shutil.move(path, tmp)
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename.startswith("xl/worksheets/") and formula.encode() in body:
                body = re.sub(rf'<c r="{ref}"[^>]*>.*?</c>'.encode(), f'<c r="{ref}"><f>{formula}</f><v>{cached}</v></c>'.encode(), body)
            zout.writestr(info, body)
    tmp.unlink()


def test_cached_nan_is_called_not_a_number(samples):
    without_renstra(samples)
    _cached(samples / PK, "J9", "SQRT(-1)", "NaN")
    (f,) = [f for f in validate([samples]).findings if f.cell == "J9"]
    assert f.code == "nilai-tidak-valid"
    assert "bukan angka (NaN)" in f.message and "terhingga" not in f.message
    assert f.message.startswith('Target "NaN" tidak valid: ')


def test_a_32767_character_code_is_cut_in_the_message(samples):
    ra = samples / RA_HUKUM
    code = "IK" + "9" * 32_765
    edit(ra, "Rencana Aksi", {"A3": code})
    report = validate([samples])
    (f,) = [f for f in report.findings if f.code == "indikator-tidak-dikenal"]
    assert f.cell == "A3"
    assert len(f.message) < 100 + len(str(samples / PK)), len(f.message)  # the code cut, the PK named by its path
    assert 'Kode Indikator "IK999' in f.message and '..." tidak ada di PK' in f.message
    assert all(len(x.message) < 400 for x in report.findings)


@pytest.mark.parametrize("written", ["Rp 400.000,-", "Rp 400.000", "400.000,-", "Rp. 400.000,00"])
def test_rupiah_amount_is_never_read_as_a_decimal(samples, written):
    from kpu_xl.core.values import Number, parse_money

    assert parse_money(written) == Number(400_000.0)
    edit(samples / "ra-keuangan-umum-logistik.xlsx", "Realisasi Anggaran", {"D2": written})
    report = validate([samples])
    assert not [f for f in report.findings if f.code == "nilai-ambigu"], [f.message for f in report.findings]


def test_bare_thousands_without_rp_is_still_flagged():
    from kpu_xl.core.values import parse_money

    assert parse_money("400.000").warning is not None


# --- a wrong figure ---------------------------------------------------------------------------


def _sasaran_rows(samples, tmp_path):
    from helpers import write

    from kpu_xl.api import consolidate

    out = write(consolidate([samples]), tmp_path / "konsolidasi.xlsx")
    ws = load_workbook(out)["Capaian Sasaran"]
    header = [c.value for c in ws[1]]
    return {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


def test_satker_row_counts_computable_indicators_not_sasaran(samples, tmp_path):
    rows = _sasaran_rows(samples, tmp_path)
    satker = rows["Satker"]
    # 13 indicators in 8 sasaran, all computable on the samples: 13, not 8
    assert (satker["Jumlah Indikator"], satker["Indikator Terhitung"]) == (13, 13)
    assert satker["Indikator Terhitung"] == sum(r["Indikator Terhitung"] for k, r in rows.items() if k != "Satker")


def test_satker_row_leaves_out_an_indicator_without_realisasi(samples, tmp_path):
    # IK1.2's realisasi emptied: S1 has 1 of 2 computable, the satker 12 of 13 (still 8 sasaran with a capaian)
    edit(samples / RA_HUKUM, "Rencana Aksi", {"I3": None, "J3": None, "K3": None, "L3": None})
    rows = _sasaran_rows(samples, tmp_path)
    assert rows["S1"]["Indikator Terhitung"] == 1
    assert (rows["Satker"]["Jumlah Indikator"], rows["Satker"]["Indikator Terhitung"]) == (13, 12)
