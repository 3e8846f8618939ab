"""`kpu-xl rekap`: many satker at once, each computed exactly as `consolidate` computes it.

Four satker are made from the bundled samples (their PK, RAs and Renstra under another satker
name): Alfa as it is; Beta without the RA of Semua Divisi (incomplete); Gamma with an RA target that
differs from the PK (an error); KPU Provinsi Jambi with IK6.1 made lower-is-better.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import PK, RA_SEMUA, SAMPLES, edit
from typer.testing import CliRunner

from kpu_xl import api
from kpu_xl.api import Options, consolidate, recap
from kpu_xl.cli import app
from kpu_xl.compute.recap import provinsi, tingkat

runner = CliRunner()
SATKER = "KPU Kabupaten Tanjung Jabung Timur"
NAMES = {"alfa": "KPU Kabupaten Alfa", "beta": "KPU Kota Beta", "gamma": "KPU Kabupaten Gamma", "jambi": "KPU Provinsi Jambi"}


def _copy_as(folder: Path, name: str) -> None:
    folder.mkdir(parents=True)
    for src in sorted(SAMPLES.glob("*.xlsx")):
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(folder / src.name, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                zout.writestr(item, zin.read(item.filename).replace(SATKER.encode(), name.encode()))


@pytest.fixture(scope="module")
def provinsi_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rekap") / "berkas"
    for key, name in NAMES.items():
        _copy_as(root / "deep" / key if key == "jambi" else root / key, name)  # any folder layout
    (root / "beta" / RA_SEMUA).unlink()
    edit(root / "alfa" / PK, "Identitas", {"A10": "Provinsi", "B10": "Jambi"})  # the optional label a user adds
    edit(root / "gamma" / RA_SEMUA, "Rencana Aksi", {"D5": 1.0}, {"D5": "0%"})  # target-berbeda
    edit(root / "deep" / "jambi" / PK, "Perjanjian Kinerja", {"H9": "Negatif"})
    edit(root / "deep" / "jambi" / "renstra-2020-2024.xlsx", "Target Jangka Menengah", {"G9": "Negatif"})
    return root


@pytest.fixture(scope="module")
def written(provinsi_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("rekap-out") / "rekap.xlsx"
    result = runner.invoke(app, ["rekap", str(provinsi_folder), "-o", str(out)])
    assert result.exit_code == 0, result.output  # findings are content, not failures
    return out, result.output


def rows(path, sheet, header_row=1):
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[header_row]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=header_row + 1, values_only=True) if r[0] is not None]


def test_every_satker_is_computed_as_consolidate_computes_it(provinsi_folder, written):
    out, _ = written
    got = {r["Satuan Kerja"]: r for r in rows(out, "Rekap Satker")}
    assert set(got) == set(NAMES.values())
    for key, name in NAMES.items():
        folder = provinsi_folder / "deep" / key if key == "jambi" else provinsi_folder / key
        alone = consolidate([folder], allow_errors=True)
        assert got[name]["Capaian Satker (%)"] == pytest.approx(alone.satker_capaian), name
        assert got[name]["Serapan (%)"] == pytest.approx(alone.serapan_total), name
        assert got[name]["Galat"] == len(alone.errors)


def test_figures_by_arithmetic_and_the_ranking(written):
    out, _ = written
    got = {r["Satuan Kerja"]: r for r in rows(out, "Rekap Satker")}
    sasaran = [100 / 90 * 100, 100, 100, 100, 100, (75 / 78 * 100 + 100 + 100 + 100) / 4, 100, 100 / 90 * 100]  # the seed's S1..S8
    alfa = sum(sasaran) / 8
    assert got["KPU Kabupaten Alfa"]["Capaian Satker (%)"] == pytest.approx(alfa)  # 102,66
    # with its Renstra: 2022's satker capaian from the Riwayat, and the change
    assert got["KPU Kabupaten Alfa"]["Capaian Tahun Lalu (%)"] == pytest.approx(consolidate_history_2022())
    assert got["KPU Kabupaten Alfa"]["Perubahan (poin)"] == pytest.approx(alfa - consolidate_history_2022())
    negative = sasaran[:5] + [((2 * 78 - 75) / 78 * 100 + 300) / 4] + sasaran[6:]  # IK6.1 lower-is-better: (2T - R) / T
    assert got["KPU Provinsi Jambi"]["Capaian Satker (%)"] == pytest.approx(sum(negative) / 8)
    assert got["KPU Provinsi Jambi"]["Capaian S6 (%)"] == pytest.approx(negative[5])
    assert (got["KPU Provinsi Jambi"]["Tingkat"], got["KPU Provinsi Jambi"]["Provinsi"]) == ("KPU Provinsi", "Jambi")
    assert (got["KPU Kota Beta"]["Tingkat"], got["KPU Kota Beta"]["Provinsi"]) == ("KPU Kabupaten/Kota", None)  # never guessed
    assert got["KPU Kabupaten Alfa"]["Provinsi"] == "Jambi"  # from the Provinsi label added to its PK's Identitas
    # Jambi highest; Alfa and Gamma tie (same figures), sharing rank 2; Beta, without Semua Divisi's realisasi, last
    assert [got[n]["Peringkat"] for n in ("KPU Provinsi Jambi", "KPU Kabupaten Alfa", "KPU Kabupaten Gamma", "KPU Kota Beta")] == [1, 2, 2, 4]
    assert got["KPU Kabupaten Gamma"]["Galat"] == 1 and got["KPU Kabupaten Gamma"]["Status Validasi"].startswith("Ada 1 galat")


def test_the_follow_up_list_names_what_is_missing(written):
    out, output = written
    items = {(r["Satuan Kerja"], r["Yang Kurang"]) for r in rows(out, "Belum Lengkap")}
    assert ("KPU Kota Beta", "tidak ada Rencana Aksi Semua Divisi (pelaksana di PK)") in items
    assert ("KPU Kota Beta", "capaian tidak dapat dihitung: IK6.1, IK6.2, IK6.4, IK8.1") in items
    assert ("KPU Kabupaten Gamma", "1 galat validasi (lihat lembar Temuan)") in items
    assert not any(s == "KPU Kabupaten Alfa" for s, _ in items)
    assert "2 belum lengkap" in output


def test_shared_indicators_spread(written):
    out, _ = written
    ik61 = next(r for r in rows(out, "Indikator") if r["Kode Indikator"] == "IK6.1")
    assert ik61["Jumlah Satker"] == 4
    assert ik61["Minimum (%)"] == pytest.approx(75 / 78 * 100)
    assert ik61["Maksimum (%)"] == pytest.approx((2 * 78 - 75) / 78 * 100)
    assert ik61["Satker Tertinggi"] == "KPU Provinsi Jambi"
    assert ik61["Rata-rata (%)"] == pytest.approx((75 / 78 * 100 * 2 + (2 * 78 - 75) / 78 * 100) / 3)  # Beta has no realisasi


def test_sheets_sources_and_json(provinsi_folder, written, tmp_path):
    out, _ = written
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Rekap Satker", "Indikator", "Sebaran Kategori", "Belum Lengkap", "Temuan", "Sumber"]
    assert wb["Sebaran Kategori"]._charts
    ws = wb["Sebaran Kategori"]
    per = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 8)}
    assert per["Sangat Baik"] == 4 and per["Baik"] == 0 and per["Tidak dapat dihitung"] == 0
    provinces = {ws.cell(r, 1).value: (ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Jambi"}
    assert provinces["Jambi"][0] == 2  # KPU Provinsi Jambi (by name) and Alfa (by its label)
    sumber = rows(out, "Sumber")
    assert len(sumber) == 31 and all(r["Dipakai"] == "Ya" for r in sumber)
    done = runner.invoke(app, ["rekap", str(provinsi_folder), "-o", str(tmp_path / "r.xlsx"), "--format", "json"])
    doc = json.loads(done.stdout)
    # 1 target-berbeda (Gamma) + 4 indikator-tanpa-rencana-aksi (Beta: IK6.1, IK6.2, IK6.4, IK8.1 have no RA)
    assert done.exit_code == 0 and doc["summary"] == {"satker": 4, "belum_lengkap": 2, "files": 31, "findings": 5}
    frames = api.frames(recap([provinsi_folder]))
    assert list(frames["Rekap Satker"]["Satuan Kerja"]) == sorted(NAMES.values(), key=str.casefold)


def consolidate_history_2022() -> float:
    """2022's satker capaian from the sample Renstra, by hand: the sasaran with a 2022 figure are S1
    (100/90 twice), S4 and S5 (100), S6 (74/75, then BB against B, WTP, 100%: 100 each), S7 (100) and
    S8 (100/90); S2 and S3 have no 2022 realisasi. 621,89 / 6 = 103,65."""
    s6 = (74 / 75 * 100 + 100 + 100 + 100) / 4
    return (100 / 90 * 100 + 100 + 100 + s6 + 100 + 100 / 90 * 100) / 6


def test_levels_from_names():
    assert tingkat("KPU") == tingkat("KPU RI") == "KPU RI"
    assert tingkat("KPU Provinsi Jawa Tengah") == "KPU Provinsi" and provinsi("KPU Provinsi Jawa Tengah") == "Jawa Tengah"
    assert tingkat("KPU Kota Semarang") == tingkat("KPU Kabupaten Demak") == "KPU Kabupaten/Kota"
    assert tingkat("Sekretariat") is None and provinsi("KPU Kota Semarang") is None


def test_parallel_and_serial_give_the_same_recap(provinsi_folder):
    # 31 files: read by worker processes, each computing the satker it holds; one process: the same
    assert recap([provinsi_folder], Options(workers=2)).as_dict() == recap([provinsi_folder], Options(workers=1)).as_dict()
