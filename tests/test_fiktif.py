"""The fictional sample (samples/fiktif-2024, clearly marked as such): every capaian rule end to end.

Built from the shipped templates by samples/build.py (build_fiktif) and run through the CLI as a
user would; every figure is checked against arithmetic done here, not against kpu-xl's output.
"""

from __future__ import annotations

import openpyxl
import pytest
from helpers import ROOT, builder
from typer.testing import CliRunner

from kpu_xl.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fiktif") / "fiktif-2024"
    builder.build_fiktif(folder)
    out = folder.parent / "konsolidasi.xlsx"
    result = runner.invoke(app, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def rows(wb, sheet):
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None]


# capaian of each indicator, by the README's rules, computed here
KUMULATIF = (20 + 30 + 25 + 15) / 100 * 100  # F1.1: sum of quarters 90 against 100 -> 90
NEGATIF = (2 * 10 - 12) / 10 * 100  # F1.2: lower is better, (2T - R) / T -> 80 (the division misses its target)
RATA_RATA = ((70 + 80 + 90 + 60) / 4) / 80 * 100  # F2.1: mean 75 against 80 -> 93,75
NEGATIF_NOL = 100.0  # F2.2: target 0, negative polarity, realisasi 0 -> 100
PREDIKAT = 5 / 6 * 100  # F3.1: BB (rank 5) below A (rank 6) -> 83,33
OPINI = 3 / 4 * 100  # F3.2: WDP (rank 3) below WTP (rank 4) -> 75


def test_each_rule_gives_the_arithmetic_figure(workbook):
    got = {r["Kode Indikator"]: r for r in rows(workbook, "Pengukuran Kinerja")}
    expected = {"F1.1": KUMULATIF, "F1.2": NEGATIF, "F2.1": RATA_RATA, "F2.2": NEGATIF_NOL, "F3.1": PREDIKAT, "F3.2": OPINI}
    assert {k: round(v["Capaian (%)"], 9) for k, v in got.items()} == {k: round(v, 9) for k, v in expected.items()}
    assert got["F1.1"]["Realisasi"] == 90 and got["F2.1"]["Realisasi"] == 75 and got["F1.2"]["Realisasi"] == 12
    assert (got["F3.1"]["Realisasi"], got["F3.1"]["Status"]) == ("BB", "Tidak tercapai")
    assert (got["F3.2"]["Realisasi"], got["F3.2"]["Status"]) == ("WDP", "Tidak tercapai")
    assert got["F1.2"]["Kategori"] == "Baik" and got["F3.2"]["Kategori"] == "Cukup"  # 80 >= 76; 75 >= 66


def test_sasaran_satker_budget_and_efisiensi(workbook):
    sasaran = {r["Kode Sasaran"]: r for r in rows(workbook, "Capaian Sasaran")}
    s1, s2, s3 = (KUMULATIF + NEGATIF) / 2, (RATA_RATA + NEGATIF_NOL) / 2, (PREDIKAT + OPINI) / 2
    assert sasaran["S1"]["Capaian (%)"] == pytest.approx(s1) and sasaran["S2"]["Capaian (%)"] == pytest.approx(s2)
    assert sasaran["S3"]["Capaian (%)"] == pytest.approx(s3)
    satker = (s1 + s2 + s3) / 3
    assert sasaran["Satker"]["Capaian (%)"] == pytest.approx(satker)  # 87,01
    anggaran = rows(workbook, "Anggaran")[0]
    assert anggaran["Total Realisasi (Rp)"] == 850_000_000 and anggaran["Serapan (%)"] == pytest.approx(85.0)
    assert anggaran["Efisiensi (poin)"] == pytest.approx(sum((KUMULATIF, NEGATIF, RATA_RATA, NEGATIF_NOL, PREDIKAT, OPINI)) / 6 - 85.0)
    ringkasan = workbook["Ringkasan"]
    facts = {ringkasan.cell(r, 1).value: ringkasan.cell(r, 2).value for r in range(1, ringkasan.max_row + 1)}
    assert facts["Satuan Kerja"] == "KPU Kabupaten Contoh (FIKTIF, bukan data nyata)"
    assert facts["Efisiensi (poin: capaian kinerja - serapan)"] == pytest.approx(satker - 85.0)


def test_the_committed_fictional_sample_is_current(tmp_path):
    fresh = tmp_path / "fiktif-2024"
    for path in builder.build_fiktif(fresh):
        committed = openpyxl.load_workbook(ROOT / "samples" / "fiktif-2024" / path.name)
        built = openpyxl.load_workbook(path)
        for name in built.sheetnames:
            a = [tuple(r) for r in built[name].iter_rows(values_only=True)]
            b = [tuple(r) for r in committed[name].iter_rows(values_only=True)]
            assert a == b, f"samples/fiktif-2024/{path.name} [{name}] is stale: run python samples/build.py"
