"""The Renstra: its template, the new finding codes at their cells, and BAB III's comparisons.

The sample Renstra (samples/build.py) is the seed's Renstra 2020-2024: Riwayat Anggaran holds the
seed's real 2020-2022 budget, and the stated earlier results (SAKIP BB in 2022 after C, WTP, zona
integritas 100% in 2021 and 2022). Positions: Target Jangka Menengah and Riwayat Realisasi list the
13 indicators in rows 2..14 in PK order (IK1.1 row 2, IK6.1 row 9, IK6.2 row 10, IK8.1 row 14);
Target Jangka Menengah columns A Kode Sasaran .. H Kondisi Awal, I..M Target 2020..2024,
N Target Akhir Periode, O Target Nasional; Riwayat Realisasi C..G Realisasi 2020..2024;
Riwayat Anggaran rows 2..4 are 2020..2022. In the PK, IK1.1 is row 2, target J, Identitas Tahun B3.
"""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from helpers import PK, edit, write
from typer.testing import CliRunner

from kpu_xl.api import consolidate, validate
from kpu_xl.cli import app
from kpu_xl.kinds import KINDS
from kpu_xl.kinds import renstra as renstra_kind
from kpu_xl.pipeline.read import read_document

RENSTRA = "renstra-2020-2024.xlsx"
runner = CliRunner()


def found(report, code):
    return [(f.file.rsplit("/", 1)[-1], f.sheet, f.cell, f.severity) for f in report.findings if f.code == code]


def only_codes(report, *codes):
    got = sorted({f.code for f in report.findings})
    assert got == sorted(codes), [(f.code, f.sheet, f.cell, f.message) for f in report.findings]


def sheet_rows(path, name):
    ws = openpyxl.load_workbook(path)[name]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


# --- the template ---------------------------------------------------------------------------------


def test_template_headers_follow_the_period(tmp_path):
    out = tmp_path / "renstra.xlsx"
    result = runner.invoke(app, ["template", "renstra", "-o", str(out), "--satker", "KPU Kabupaten X", "--periode", "2020-2024"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert [s for s in wb.sheetnames if s != "Daftar"] == ["Petunjuk", "Identitas", "Target Jangka Menengah", "Riwayat Realisasi", "Riwayat Anggaran"]
    assert [c.value for c in wb["Target Jangka Menengah"][1]][:15] == [
        "Kode Sasaran", "Sasaran Strategis", "Kode Indikator", "Indikator Kinerja", "Satuan", "Jenis Nilai", "Polaritas", "Kondisi Awal",
        "Target 2020", "Target 2021", "Target 2022", "Target 2023", "Target 2024", "Target Akhir Periode", "Target Nasional",
    ]  # fmt: skip
    assert [c.value for c in wb["Riwayat Realisasi"][1]][:7] == ["Kode Indikator", "Indikator Kinerja", *(f"Realisasi {y}" for y in range(2020, 2025))]
    assert [c.value for c in wb["Riwayat Anggaran"][1]][:3] == ["Tahun", "Pagu (Rp)", "Realisasi (Rp)"]
    ident = wb["Identitas"]
    assert [ident.cell(r, 1).value for r in range(2, 6)] == ["Satuan Kerja", "Periode", "Dasar Penetapan", "Kode Templat"]
    assert (ident["B2"].value, ident["B3"].value, ident["B5"].value) == ("KPU Kabupaten X", "2020-2024", "kpu-xl:RENSTRA:1")
    # one year and ten years work; eleven do not, with a message
    for periode, last in (("2027-2027", "Target 2027"), ("2021-2030", "Target 2030")):
        path = tmp_path / f"r-{periode}.xlsx"
        assert runner.invoke(app, ["template", "renstra", "-o", str(path), "--periode", periode]).exit_code == 0
        headers = [c.value for c in openpyxl.load_workbook(path)["Target Jangka Menengah"][1]]
        assert headers[headers.index("Target Akhir Periode") - 1] == last
    bad = runner.invoke(app, ["template", "renstra", "-o", str(tmp_path / "x.xlsx"), "--periode", "2020-2030"])
    assert bad.exit_code == 2 and "paling panjang 10 tahun" in bad.output and not (tmp_path / "x.xlsx").exists()


def test_template_dari_pk_prefills_sasaran_indicators_and_the_year_target(samples, tmp_path):
    out = tmp_path / "renstra.xlsx"
    result = runner.invoke(app, ["template", "renstra", "-o", str(out), "--periode", "2020-2024", "--dari", str(samples / PK)])
    assert result.exit_code == 0 and "13 indikator" in result.output, result.output
    rows = sheet_rows(out, "Target Jangka Menengah")
    assert [r["Kode Indikator"] for r in rows] == ["IK1.1", "IK1.2", "IK2.1", "IK3.1", "IK3.2", "IK4.1", "IK5.1", "IK6.1", "IK6.2", "IK6.3", "IK6.4", "IK7.1", "IK8.1"]
    ws = openpyxl.load_workbook(out)["Target Jangka Menengah"]
    assert (ws["L2"].value, ws["L2"].number_format) == (0.9, "0%")  # Target 2023 = the PK's 90%, kept as typed
    assert (ws["L10"].value, ws["F10"].value) == ("B", "Predikat SAKIP")
    assert openpyxl.load_workbook(out)["Identitas"]["B2"].value == "KPU Kabupaten Tanjung Jabung Timur"


def test_the_sample_renstra_reads_clean_and_joins_its_year(samples):
    doc = read_document(samples / RENSTRA)
    assert (doc.kind, doc.readable, doc.findings) == ("RENSTRA", True, [])
    assert (doc.identity.awal, doc.identity.akhir) == (2020, 2024)
    assert len(doc.data.indicators) == 13 and len(doc.data.anggaran) == 3
    report = validate([samples])
    assert report.findings == [] and len(report.files) == 8


# --- the new codes, each at its cell ----------------------------------------------------------------


def test_indikator_di_luar_renstra(samples):
    edit(samples / RENSTRA, "Target Jangka Menengah", {"C13": "IK7.9"})  # IK7.1 renamed in the Renstra
    edit(samples / RENSTRA, "Riwayat Realisasi", {"A13": "IK7.9"})
    edit(samples / RENSTRA, "Target Jangka Menengah", {"D8": "Jumlah badan adhoc yang dibentuk"})  # the seed's RKT wording
    report = validate([samples])
    only_codes(report, "indikator-di-luar-renstra")
    assert found(report, "indikator-di-luar-renstra") == [(PK, "Perjanjian Kinerja", "E8", "warning"), (PK, "Perjanjian Kinerja", "D13", "warning")]
    messages = [f.message for f in report.findings]
    assert any('"Persentase terbentuknya badan adhoc" berbeda dengan Renstra "Jumlah badan adhoc yang dibentuk"' in m for m in messages)
    assert any(m.startswith("Indikator IK7.1") and "tidak ada di Renstra" in m for m in messages)
    assert report.exit_code == 0  # warnings


def test_target_renstra_berbeda(samples):
    edit(samples / RENSTRA, "Target Jangka Menengah", {"L2": 0.95}, {"L2": "0%"})  # Target 2023 of IK1.1: 95%, the PK says 90%
    report = validate([samples])
    only_codes(report, "target-renstra-berbeda")
    assert found(report, "target-renstra-berbeda") == [(PK, "Perjanjian Kinerja", "J2", "warning")]
    assert "Target 90% berbeda dengan Target 2023 Renstra 95% untuk IK1.1" in report.findings[0].message


def test_target_di_bawah_nasional_numbers_grades_and_negative_polarity(samples):
    edit(samples / RENSTRA, "Target Jangka Menengah", {"O2": 0.95, "O10": "BB", "O9": 70}, {"O2": "0%"})
    report = validate([samples])
    only_codes(report, "target-di-bawah-nasional")
    # IK1.1 90% < 95%; IK6.2 B ranks below BB; IK6.1 78 is above a national 70 (positive: fine)
    assert found(report, "target-di-bawah-nasional") == [(PK, "Perjanjian Kinerja", "J2", "error"), (PK, "Perjanjian Kinerja", "J10", "error")]
    assert report.exit_code == 1
    # negative polarity: lower is better, so a PK target above the national one falls short
    edit(samples / PK, "Perjanjian Kinerja", {"H9": "Negatif"})
    edit(samples / RENSTRA, "Target Jangka Menengah", {"G9": "Negatif", "O2": None, "O10": None})
    report = validate([samples])
    assert found(report, "target-di-bawah-nasional") == [(PK, "Perjanjian Kinerja", "J9", "error")]
    assert "lebih longgar dari Target Nasional 70" in next(f.message for f in report.findings if f.code == "target-di-bawah-nasional")


def test_tahun_di_luar_periode(samples):
    edit(samples / RENSTRA, "Identitas", {"B3": "2025-2029"})
    report = validate([samples])
    assert found(report, "tahun-di-luar-periode") == [(PK, "Identitas", "B3", "error")]
    assert "Tahun PK 2023 di luar periode Renstra KPU Kabupaten Tanjung Jabung Timur yang diberikan (2025-2029)" in report.findings[0].message or any(
        "di luar periode Renstra" in f.message for f in report.findings
    )
    # and nothing is compared against a Renstra that does not cover the year
    assert not found(report, "target-renstra-berbeda") and not found(report, "indikator-di-luar-renstra")


def test_riwayat_berbeda(samples):
    # the Riwayat also holds 2023: 90% for IK1.1 where the RA realised 100%, and a 2023 budget row that differs
    edit(samples / RENSTRA, "Riwayat Realisasi", {"F2": 0.9}, {"F2": "0%"})
    edit(samples / RENSTRA, "Riwayat Anggaran", {"A5": 2023, "B5": 19_651_888_000, "C5": 18_000_000_000})
    report = validate([samples])
    only_codes(report, "riwayat-berbeda")
    assert found(report, "riwayat-berbeda") == [(RENSTRA, "Riwayat Anggaran", "C5", "warning"), (RENSTRA, "Riwayat Realisasi", "F2", "warning")]
    result = consolidate([samples])
    budget = {b.tahun: b.realisasi for b in result.history.budget}
    assert budget[2023] == 18_911_211_426  # the RAs' figure is the one used


def test_renstra_ganda(samples):
    copy = samples / "renstra-kedua.xlsx"
    shutil.copy(samples / RENSTRA, copy)
    edit(copy, "Identitas", {"B3": "2023-2027", "B4": "Renstra lain"})
    report = validate([samples])
    assert found(report, "renstra-ganda") == [("renstra-kedua.xlsx", "Identitas", "B3", "error")]
    assert "bertumpang tindih" in next(f.message for f in report.findings if f.code == "renstra-ganda")


def test_invalid_period_is_a_finding_at_its_cell(samples):
    edit(samples / RENSTRA, "Identitas", {"B3": "2020 sampai 2024"})
    report = validate([samples / RENSTRA])
    assert ("nilai-tidak-valid", "Identitas", "B3") in [(f.code, f.sheet, f.cell) for f in report.findings]


def test_pk_columns_that_disagree_with_the_renstra_are_said(samples):
    # the PK's optional Target Renstra (K) and Realisasi Tahun Lalu (L) against the Renstra
    edit(samples / PK, "Perjanjian Kinerja", {"K2": 0.95, "L2": 0.8}, {"K2": "0%", "L2": "0%"})
    report = validate([samples])
    assert ("target-renstra-berbeda", "Perjanjian Kinerja", "K2") in [(f.code, f.sheet, f.cell) for f in report.findings]
    assert ("riwayat-berbeda", "Perjanjian Kinerja", "L2") in [(f.code, f.sheet, f.cell) for f in report.findings]


# --- the comparisons ---------------------------------------------------------------------------------


@pytest.fixture
def consolidated(samples, tmp_path):
    result = consolidate([samples])
    return result, write(result, tmp_path / "konsolidasi.xlsx")


def test_budget_over_the_years_reproduces_the_seed(consolidated):
    result, path = consolidated
    # BAB III C of the seed: 81,40% / 96,30% / 90,41% / 96,23%
    assert [(b.tahun, b.pagu, b.realisasi, round(b.serapan, 2)) for b in result.history.budget] == [
        (2020, 29_175_062_000, 23_748_447_046, 81.40),
        (2021, 4_719_276_000, 4_544_787_159, 96.30),
        (2022, 3_761_359_000, 3_400_502_284, 90.41),
        (2023, 19_651_888_000, 18_911_211_426, 96.23),
    ]
    rows = sheet_rows(path, "Anggaran Antar Tahun")
    assert [(r["Tahun"], round(r["Serapan (%)"], 2)) for r in rows] == [("2020", 81.40), ("2021", 96.30), ("2022", 90.41), ("2023", 96.23)]
    assert round(result.history.serapan_lalu, 2) == 90.41


def test_each_year_capaian_by_that_years_target(consolidated):
    result, path = consolidated
    rows = {r["Kode Indikator"]: r for r in sheet_rows(path, "Perbandingan Antar Tahun")}
    ik61 = rows["IK6.1"]  # Indeks RB: targets 70, 72, 75, 78; realisasi 70, 72, 74, 75
    assert [ik61[f"Capaian {y} (%)"] for y in (2020, 2021)] == [100, 100]
    assert ik61["Capaian 2022 (%)"] == pytest.approx(74 / 75 * 100)
    assert ik61["Capaian 2023 (%)"] == pytest.approx(75 / 78 * 100)
    assert ik61["Perubahan Capaian (poin)"] == pytest.approx(75 / 78 * 100 - 74 / 75 * 100)  # fell 2,51 points
    ik62 = rows["IK6.2"]  # SAKIP grade: C against CC (2/3), C against B (2/4), then BB against B: met
    assert (ik62["Realisasi 2020"], ik62["Capaian 2020 (%)"]) == ("C", pytest.approx(2 / 3 * 100))
    assert ik62["Capaian 2021 (%)"] == pytest.approx(50)
    assert (ik62["Realisasi 2022"], ik62["Capaian 2022 (%)"], ik62["Capaian 2023 (%)"]) == ("BB", 100, 100)
    assert rows["IK1.1"]["Capaian 2020 (%)"] == pytest.approx(80 / 85 * 100)
    h = result.history
    assert (h.naik, h.turun, h.tetap) == (0, 1, 9)  # IK6.1 fell; IK2.1, IK3.1 and IK3.2 have no 2022 figure
    assert (h.with_previous, h.with_end_target) == (10, 13)


def test_negative_polarity_each_year(samples, tmp_path):
    # IK6.1 made lower-is-better in the PK and the Renstra: capaian (2T - R) / T each year
    edit(samples / PK, "Perjanjian Kinerja", {"H9": "Negatif"})
    edit(samples / RENSTRA, "Target Jangka Menengah", {"G9": "Negatif"})
    path = write(consolidate([samples]), tmp_path / "k.xlsx")
    ik61 = {r["Kode Indikator"]: r for r in sheet_rows(path, "Perbandingan Antar Tahun")}["IK6.1"]
    assert ik61["Capaian 2022 (%)"] == pytest.approx((2 * 75 - 74) / 75 * 100)
    assert ik61["Capaian 2023 (%)"] == pytest.approx((2 * 78 - 75) / 78 * 100)


def test_medium_term_status_and_pengukuran_columns(consolidated):
    result, path = consolidated
    rows = {r["Kode Indikator"]: r for r in sheet_rows(path, "Capaian Jangka Menengah")}
    assert (rows["IK6.1"]["Target Akhir Periode"], rows["IK6.1"]["Realisasi s.d. 2023"]) == (80, 75)
    assert rows["IK6.1"]["Capaian terhadap Target Akhir (%)"] == pytest.approx(75 / 80 * 100)
    assert rows["IK6.1"]["Status"] == "Perlu upaya lebih"  # 93,75% of the end target, and 2023's target (78) missed
    assert rows["IK1.1"]["Status"] == "Tercapai"  # 100% realised, end target 100%
    assert rows["IK6.4"]["Status"] == "Tercapai"
    pengukuran = {r["Kode Indikator"]: r for r in sheet_rows(path, "Pengukuran Kinerja")}
    assert (pengukuran["IK6.1"]["Realisasi Tahun Lalu"], pengukuran["IK6.1"]["Target Renstra"]) == (74, 80)
    assert (pengukuran["IK6.2"]["Realisasi Tahun Lalu"], pengukuran["IK6.2"]["Target Renstra"]) == ("BB", "BB")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames.index("Perbandingan Antar Tahun") == 3 and "Anggaran Antar Tahun" in wb.sheetnames
    sumber = [r["Berkas"] for r in sheet_rows(path, "Sumber")]
    assert any(s.endswith(RENSTRA) for s in sumber)
    assert wb["Anggaran Antar Tahun"]._charts, "a native chart of serapan per year"


def test_status_rule_lives_in_the_policy(samples, tmp_path):
    policy = tmp_path / "k.toml"
    policy.write_text("[jangka_menengah]\nsesuai_jalur_minimum = 95\n", encoding="utf-8")
    result = runner.invoke(app, ["consolidate", str(samples), "-o", str(tmp_path / "k.xlsx"), "--kebijakan", str(policy)])
    assert result.exit_code == 0, result.output
    rows = {r["Kode Indikator"]: r for r in sheet_rows(tmp_path / "k.xlsx", "Capaian Jangka Menengah")}
    assert rows["IK6.1"]["Status"] == "Sesuai jalur"  # 96,15% this year >= 95
    assert "sesuai_jalur_minimum" in runner.invoke(app, ["kebijakan"]).output


def test_ringkasan_and_terminal_carry_the_comparison(samples, tmp_path):
    out = tmp_path / "k.xlsx"
    result = runner.invoke(app, ["consolidate", str(samples), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Dibanding 2022 (Renstra 2020-2024)" in result.output and "0 indikator naik, 1 turun" in " ".join(result.output.split())
    ws = openpyxl.load_workbook(out)["Ringkasan"]
    facts = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert round(facts["Serapan anggaran 2022 (%)"], 2) == 90.41
    assert facts["Indikator dengan target akhir Renstra"] == "13 dari 13"
    assert facts["Capaian kinerja satker 2022 (%)"] is not None


def test_without_a_renstra_everything_works_as_before(samples, tmp_path):
    (samples / RENSTRA).unlink()
    result = consolidate([samples])
    assert result.history is None and round(result.satker_capaian, 2) == 102.66
    wb = openpyxl.load_workbook(write(result, tmp_path / "k.xlsx"))
    assert "Perbandingan Antar Tahun" not in wb.sheetnames
    assert {c.value for c in wb["Ringkasan"]["A"]} >= {"Pembandingan dengan Renstra"}


def test_the_renstra_kind_is_registered_once():
    assert KINDS["RENSTRA"] is renstra_kind.KIND and renstra_kind.KIND.shipped == "renstra.xlsx"


# --- what a hostile tester found: repeated rows, disagreeing rules, an older Renstra -----------------


def test_a_repeated_riwayat_code_is_reported_and_the_first_row_is_used(samples):
    edit(samples / RENSTRA, "Riwayat Realisasi", {"A16": "IK6.1", "B16": "Indeks Reformasi Birokrasi", "E16": 10})
    report = validate([samples])
    assert found(report, "indikator-ganda") == [(RENSTRA, "Riwayat Realisasi", "A16", "error")]
    result = consolidate([samples], allow_errors=True)
    ik61 = next(h for h in result.history.indicators if h.kode == "IK6.1")
    assert [f.realisasi.value for f in ik61.years[:3]] == [70, 72, 74]  # row 9's history, not row 16's


def test_a_repeated_target_code_keeps_the_first_row_as_its_message_says(samples):
    edit(samples / RENSTRA, "Target Jangka Menengah", {"C16": "IK6.1", "D16": "Indeks Reformasi Birokrasi", "F16": "Indeks", "G16": "Positif", "L16": 10, "N16": 10})
    report = validate([samples])
    # the code and the text are both repeated: each said at its cell
    assert found(report, "indikator-ganda") == [(RENSTRA, "Target Jangka Menengah", "C16", "error"), (RENSTRA, "Target Jangka Menengah", "D16", "error")]
    assert not found(report, "target-renstra-berbeda")  # row 9's Target 2023 (78) equals the PK's
    result = consolidate([samples], allow_errors=True)
    assert next(m for m in result.history.medium_term if m.kode == "IK6.1").target_akhir.value == 80


def test_polarity_or_jenis_that_differ_from_the_renstra_are_said(samples):
    edit(samples / RENSTRA, "Target Jangka Menengah", {"G9": "Negatif"})
    report = validate([samples])
    assert found(report, "indikator-di-luar-renstra") == [(PK, "Perjanjian Kinerja", "H9", "warning")]
    assert "Polaritas IK6.1 di PK Positif berbeda dengan Renstra Negatif" in report.findings[0].message


def test_an_older_renstra_of_the_same_satker_does_not_block_consolidate(samples):
    older = samples / "renstra-2015-2019.xlsx"
    shutil.copy(samples / RENSTRA, older)
    edit(older, "Identitas", {"B3": "2015-2019", "B4": "Renstra lama"})
    result = consolidate([samples], allow_errors=True)
    assert [f.code for f in result.findings if f.code == "satker-tahun-berbeda"] == []
    assert result.history is not None and result.history.renstra.display_name.endswith(RENSTRA)
