"""`kpu-xl validate`: each finding code, at its sheet and cell, on workbooks filled from the real templates.

Row/column positions: the PK's indicators are in rows 2..14 of `Perjanjian Kinerja`
(IK1.1 in row 2 ... IK8.1 in row 14), columns A No .. J Target .. N Kode Program; the
RAs' rows start at row 2 (see samples/build.py).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile

import pytest
from helpers import PK, RA_HUKUM, RA_KURT, RA_RENDATIN, RA_SEMUA, RA_TEKNIS, edit, identity_row
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from kpu_xl.api import validate
from kpu_xl.cli import app


def codes(report, code=None):
    found = [(f.code, f.sheet, f.cell) for f in report.findings]
    return [x for x in found if code is None or x[0] == code]


def only(report, code):
    """Exactly this code is reported (and nothing else)."""
    got = sorted({f.code for f in report.findings})
    assert got == [code], [(f.code, f.sheet, f.cell, f.message) for f in report.findings]
    return [f for f in report.findings if f.code == code]


# --- the shipped samples ----------------------------------------------------------------


def test_samples_validate_clean(samples):
    report = validate([samples])
    assert report.findings == [], [(f.code, f.file, f.cell, f.message) for f in report.findings]
    assert len(report.files) == 8
    assert report.exit_code == 0
    assert report.summary_line() == "0 galat, 0 peringatan dalam 8 berkas"


def test_committed_samples_validate_clean_and_are_current(built_samples):
    from helpers import SAMPLES

    report = validate([SAMPLES])
    assert report.errors == 0 and report.warnings == 0
    # the committed samples hold the same cell values as a fresh build
    for fresh in sorted(built_samples.iterdir()):
        a = load_workbook(fresh)
        b = load_workbook(SAMPLES / fresh.name)
        for name in a.sheetnames:
            va = [tuple(r) for r in a[name].iter_rows(values_only=True)]
            vb = [tuple(r) for r in b[name].iter_rows(values_only=True)]
            assert va == vb, f"samples/{fresh.name} [{name}] is stale: run python samples/build.py"


# --- single-file codes ------------------------------------------------------------------


def test_berkas_tidak_terbaca(tmp_path, samples):
    bad = tmp_path / "rusak.xlsx"
    bad.write_text("No;Indikator;Target\n1;Persentase;90%\n", encoding="utf-8")
    report = validate([bad, samples / PK])
    hits = [f for f in report.findings if f.code == "berkas-tidak-terbaca"]
    assert [(f.file, f.cell) for f in hits] == [(str(bad), None)]
    assert "teks" in hits[0].message.lower() or "csv" in hits[0].message.lower()
    # the other file was still checked
    assert any(f["file"] == str(samples / PK) and f["kind"] == "PK" for f in report.files)
    assert report.exit_code == 1


def test_templat_tidak_dikenal_plain_workbook(tmp_path):
    path = tmp_path / "lain.xlsx"
    wb = Workbook()
    wb.active["A1"] = "Bukan templat"
    wb.save(path)
    (f,) = only(validate([path]), "templat-tidak-dikenal")
    assert f.cell is None


def test_templat_tidak_dikenal_newer_version(samples):
    pk = samples / PK
    wb = load_workbook(pk)
    row = identity_row(wb["Identitas"], "Kode Templat")
    edit(pk, "Identitas", {f"B{row}": "kpu-xl:PK:9"})
    (f,) = only(validate([pk]), "templat-tidak-dikenal")
    assert (f.sheet, f.cell) == ("Identitas", f"B{row}")
    assert "versi 9" in f.message


def test_kolom_hilang_header(samples):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {"J1": "Sasaran Kinerja"})
    (f,) = only(validate([pk]), "kolom-hilang")
    assert f.sheet == "Perjanjian Kinerja" and '"Target"' in f.message


def test_kolom_hilang_sheet(samples):
    pk = samples / PK
    wb = load_workbook(pk)
    del wb["Anggaran"]
    wb.save(pk)
    (f,) = only(validate([pk]), "kolom-hilang")
    assert (f.sheet, f.cell) == ("Anggaran", None)


def test_reordered_and_inserted_columns_still_read(samples):
    pk = samples / PK
    wb = load_workbook(pk)
    ws = wb["Perjanjian Kinerja"]
    ws.insert_cols(2)  # a user inserts a column: every header moves one to the right
    ws["B1"] = "Catatan saya"
    ws.column_dimensions["E"].hidden = True
    wb.save(pk)
    report = validate([samples])
    assert report.errors == 0, codes(report)


def test_blank_rows_and_surrounding_spaces_are_tolerated(samples):
    pk = samples / PK
    wb = load_workbook(pk)
    ws = wb["Perjanjian Kinerja"]
    ws.insert_rows(5, amount=2)  # blank rows between entries
    ws["J1"] = "  target "  # header with spaces and another case
    ws["J3"] = " 90 % "
    ws["G3"] = " persen"
    wb.save(pk)
    report = validate([pk])
    assert report.findings == [], codes(report)
    from kpu_xl.pipeline.read import read_document

    doc = read_document(pk)
    assert [i.row for i in doc.data.indicators][:4] == [2, 3, 4, 7]
    assert doc.data.indicators[1].target.value == 90 and doc.data.indicators[1].jenis == "Persen"


def test_nilai_wajib_kosong(samples):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {"J3": None})
    (f,) = only(validate([pk]), "nilai-wajib-kosong")
    assert (f.sheet, f.cell) == ("Perjanjian Kinerja", "J3")


def test_nilai_wajib_kosong_identity(samples):
    pk = samples / PK
    wb = load_workbook(pk)
    row = identity_row(wb["Identitas"], "Satuan Kerja")
    edit(pk, "Identitas", {f"B{row}": None})
    (f,) = only(validate([pk]), "nilai-wajib-kosong")
    assert (f.sheet, f.cell) == ("Identitas", f"B{row}")


@pytest.mark.parametrize(
    "cell, value, words",
    [
        ("J2", "T8%", "T8%"),  # OCR garbage from the seed
        ("J3", "9O%", "9O%"),
        ("J4", dt.datetime(2023, 1, 1), "tanggal"),
        ("J2", "BB", "Persen"),  # a grade in a Persen row
        ("G2", "Persentase", "Jenis Nilai"),  # unknown dropdown value
        ("J10", "90%", "predikat"),  # a percent for a Predikat SAKIP indicator
    ],
)
def test_nilai_tidak_valid(samples, cell, value, words):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {cell: value})
    (f,) = only(validate([pk]), "nilai-tidak-valid")
    assert (f.sheet, f.cell) == ("Perjanjian Kinerja", cell)
    assert words.lower() in f.message.lower()


def test_message_says_what_is_expected(samples):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {"J2": "T8%"})
    (f,) = validate([pk]).findings
    assert f.message.startswith('Target "T8%"') and "78%" in f.message


def test_nilai_ambigu(samples):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {"J9": "1.234"})  # Indeks Reformasi Birokrasi
    (f,) = only(validate([pk]), "nilai-ambigu")
    assert (f.sheet, f.cell) == ("Perjanjian Kinerja", "J9")
    assert "1.234" in f.message


def test_nilai_tidak_wajar(samples):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {"J2": "1009%"})  # OCR "1009" for "100%"
    (f,) = only(validate([pk]), "nilai-tidak-wajar")
    assert (f.sheet, f.cell) == ("Perjanjian Kinerja", "J2")


def test_indikator_ganda_same_code(samples):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {"D3": "IK1.1"})
    (f,) = only(validate([pk]), "indikator-ganda")
    assert (f.sheet, f.cell) == ("Perjanjian Kinerja", "D3")


def test_indikator_ganda_same_text(samples):
    # the seed's BAB II lists the first indicator twice under sasaran 1
    pk = samples / PK
    wb = load_workbook(pk)
    first = wb["Perjanjian Kinerja"]["E2"].value
    edit(pk, "Perjanjian Kinerja", {"E3": first})
    (f,) = only(validate([pk]), "indikator-ganda")
    assert (f.sheet, f.cell) == ("Perjanjian Kinerja", "E3")


def test_program_ganda(samples):
    # the same Kode Program twice on the PK's Anggaran sheet: its own code, not indikator-ganda
    pk = samples / PK
    wb = load_workbook(pk)
    first = wb["Anggaran"]["A2"].value
    edit(pk, "Anggaran", {"A3": first})
    (f,) = only(validate([pk]), "program-ganda")
    assert (f.sheet, f.cell) == ("Anggaran", "A3")
    assert f.severity == "error" and f'"{first}" sudah dipakai di baris 2' in f.message


def test_sasaran_tidak_konsisten_two_names(samples):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {"C3": "Sasaran lain"})
    (f,) = only(validate([pk]), "sasaran-tidak-konsisten")
    assert (f.sheet, f.cell) == ("Perjanjian Kinerja", "C3")


def test_sasaran_tidak_konsisten_indicator_is_sasaran_name(samples):
    # the seed's sasaran 8: its "indicator" is the sasaran's own name
    pk = samples / PK
    wb = load_workbook(pk)
    name = wb["Perjanjian Kinerja"]["C14"].value
    edit(pk, "Perjanjian Kinerja", {"E14": name})
    (f,) = only(validate([pk]), "sasaran-tidak-konsisten")
    assert (f.sheet, f.cell) == ("Perjanjian Kinerja", "E14")


def test_formula_tanpa_nilai(samples):
    ra = samples / RA_HUKUM
    edit(ra, "Rencana Aksi", {"I2": "=0.1+0.15"})  # openpyxl saves formulas without a cached value
    report = validate([samples])
    (f,) = only(report, "formula-tanpa-nilai")
    assert (f.file, f.sheet, f.cell) == (str(ra), "Rencana Aksi", "I2")


# --- set codes ------------------------------------------------------------------------


def test_indikator_tidak_dikenal(samples):
    ra = samples / RA_HUKUM
    edit(ra, "Rencana Aksi", {(4, "Kode Indikator"): "IK9.9", (4, "Kegiatan"): "Kegiatan baru", (4, "Target Tahunan"): "100%"})
    (f,) = only(validate([samples]), "indikator-tidak-dikenal")
    assert (f.file, f.sheet, f.cell) == (str(ra), "Rencana Aksi", "A4")


def test_indikator_tanpa_rencana_aksi(samples):
    (samples / RA_RENDATIN).unlink()
    (f,) = only(validate([samples]), "indikator-tanpa-rencana-aksi")
    assert (f.file, f.sheet, f.cell) == (str(samples / PK), "Perjanjian Kinerja", "D13")
    assert "IK7.1" in f.message


def test_target_berbeda(samples):
    # the seed's RA gives zona integritas a target of 100% while the PK says 90%
    ra = samples / RA_SEMUA
    edit(ra, "Rencana Aksi", {"D5": "100%"})
    (f,) = only(validate([samples]), "target-berbeda")
    assert (f.file, f.sheet, f.cell) == (str(ra), "Rencana Aksi", "D5")
    assert "90%" in f.message and "100%" in f.message


def test_realisasi_ganda(samples):
    ra = samples / RA_TEKNIS
    # IK6.4 is Semua Divisi's, so another RA may carry it (no pelaksana-berbeda); its TW I is reported twice
    edit(ra, "Rencana Aksi", {(5, "Kode Indikator"): "IK6.4", (5, "Kegiatan"): "Dukungan", (5, "Target Tahunan"): "100%", (5, "Realisasi TW I"): "20%"})
    (f,) = only(validate([samples]), "realisasi-ganda")
    assert (f.file, f.sheet, f.cell) == (str(ra), "Rencana Aksi", "I5")
    assert RA_SEMUA in f.message


def test_triwulan_tidak_konsisten_gap(samples):
    ra = samples / RA_HUKUM
    edit(ra, "Rencana Aksi", {"J2": None})  # TW II empty between TW I and TW III
    (f,) = only(validate([samples]), "triwulan-tidak-konsisten")
    assert (f.file, f.sheet, f.cell) == (str(ra), "Rencana Aksi", "L2")


def test_triwulan_tidak_konsisten_kumulatif_sum(samples):
    edit(samples / PK, "Perjanjian Kinerja", {"I2": "Kumulatif"})  # IK1.1 becomes Kumulatif
    report = validate([samples])
    (f,) = only(report, "triwulan-tidak-konsisten")
    assert (f.file, f.sheet, f.cell) == (str(samples / RA_HUKUM), "Rencana Aksi", "H2")


def test_anggaran_melebihi_pagu(samples):
    ra = samples / RA_KURT
    edit(ra, "Realisasi Anggaran", {"G2": 2_000_000_000})
    (f,) = only(validate([samples]), "anggaran-melebihi-pagu")
    assert (f.file, f.sheet, f.cell) == (str(ra), "Realisasi Anggaran", "G2")


def test_anggaran_melebihi_pagu_across_workbooks(samples):
    # a second RA reports spending on WA too: together above the PK's pagu
    edit(samples / RA_HUKUM, "Realisasi Anggaran", {"A2": "WA", "B2": "Program Dukungan Manajemen", "D2": 100_000_000})
    (f,) = only(validate([samples]), "anggaran-melebihi-pagu")
    # reported once, at the TW IV realisasi of the last RA row that spends on WA (files in name order)
    assert (f.file, f.sheet, f.cell) == (str(samples / RA_KURT), "Realisasi Anggaran", "G2")
    assert 'Realisasi program "WA" dari semua RA Rp 2.062.310.450 melebihi pagu PK Rp 2.028.429.000.' == f.message


def test_pk_tidak_ada(samples):
    (samples / PK).unlink()
    report = validate([samples])
    hits = only(report, "pk-tidak-ada")
    assert len(hits) == 6 and all(f.sheet == "Identitas" for f in hits)
    assert report.exit_code == 0  # a warning


def test_satker_tahun_berbeda_in_consolidate(samples):
    from kpu_xl.api import consolidate

    ra = samples / RA_KURT
    wb = load_workbook(ra)
    row = identity_row(wb["Identitas"], "Tahun")
    edit(ra, "Identitas", {f"B{row}": 2024})
    result = consolidate([samples], allow_errors=True)
    hits = [f for f in result.findings if f.code == "satker-tahun-berbeda"]
    assert [(f.file, f.cell) for f in hits] == [(str(ra), "B2")]
    # validate groups by satker and year instead: the 2024 RA is simply a group without a PK
    assert {f.code for f in validate([samples]).findings} == {"pk-tidak-ada", "indikator-tanpa-rencana-aksi"}


def test_berkas_ganda_and_pk_ganda(samples, tmp_path):
    copy = tmp_path / "salinan-pk.xlsx"
    shutil.copy(samples / PK, copy)
    report = validate([samples, copy])
    (f,) = only(report, "berkas-ganda")
    assert f.file == str(copy)
    # a second, different PK for the same satker and year
    edit(copy, "Perjanjian Kinerja", {"E2": "Indikator yang diubah"})
    report = validate([samples, copy])
    (f,) = only(report, "pk-ganda")
    assert f.file == str(copy)


def test_program_tidak_dikenal_and_pagu_berbeda(samples):
    ra = samples / RA_KURT
    edit(ra, "Realisasi Anggaran", {"A3": "XX"})
    (f,) = only(validate([samples]), "program-tidak-dikenal")
    assert f.cell == "A3"
    edit(ra, "Realisasi Anggaran", {"A3": "DH", "C3": 17_000_000_000})
    (f,) = only(validate([samples]), "pagu-berbeda")
    assert f.cell == "C3"


# --- the command --------------------------------------------------------------------------


def test_cli_json_document(samples):
    edit(samples / PK, "Perjanjian Kinerja", {"J2": "T8%"})
    result = CliRunner().invoke(app, ["validate", str(samples), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert set(doc) == {"files", "findings", "summary"}
    assert doc["summary"] == {"errors": 1, "warnings": 0, "files": 8}
    (finding,) = doc["findings"]
    assert set(finding) == {"file", "sheet", "cell", "severity", "code", "message"}
    assert finding["cell"] == "J2" and finding["severity"] == "error" and finding["code"] == "nilai-tidak-valid"


def test_cli_text_and_exit_codes(samples, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", str(samples)])
    assert ok.exit_code == 0 and "0 galat, 0 peringatan dalam 8 berkas" in ok.stdout
    edit(samples / PK, "Perjanjian Kinerja", {"J2": "T8%"})
    bad = runner.invoke(app, ["validate", str(samples)])
    assert bad.exit_code == 1 and "nilai-tidak-valid" in bad.stdout and "1 galat, 0 peringatan dalam 8 berkas" in bad.stdout
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert runner.invoke(app, ["validate", str(empty)]).exit_code == 2
    assert runner.invoke(app, ["validate", str(tmp_path / "tidak-ada.xlsx")]).exit_code == 2


def test_annotate_writes_copy_and_never_touches_input(samples, tmp_path):
    pk = samples / PK
    edit(pk, "Perjanjian Kinerja", {"J2": "T8%", "E3": '=HYPERLINK("http://x","y")'})
    before = pk.read_bytes()
    out = tmp_path / "anotasi"
    result = CliRunner().invoke(app, ["validate", str(pk), "--annotate", str(out)])
    assert result.exit_code == 1
    assert pk.read_bytes() == before
    copy = out / "pk-2023-perubahan.temuan.xlsx"
    wb = load_workbook(copy)
    cell = wb["Perjanjian Kinerja"]["J2"]
    assert cell.comment is not None and "nilai-tidak-valid" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    listing = wb["Temuan kpu-xl"]
    rows = list(listing.iter_rows(min_row=2, values_only=True))
    assert ("Perjanjian Kinerja", "J2", "galat", "nilai-tidak-valid") == rows[0][:4]
    with zipfile.ZipFile(copy) as z:
        assert not any(n.startswith("xl/externalLinks") for n in z.namelist())
