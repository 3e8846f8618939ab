"""`kpu-xl consolidate` end to end on the samples: the seed's BAB III figures in the written workbook."""

from __future__ import annotations

import pytest
from helpers import PK, RA_HUKUM, RA_SEMUA, Text, edit
from openpyxl import load_workbook
from typer.testing import CliRunner

from kpu_xl import api
from kpu_xl.api import ConsolidateError, Options, consolidate, load_policy
from kpu_xl.cli import app

# DOMAIN.md: printed capaian per indicator (whole percents), and the status of ordinal ones.
SEED_PRINTED = {
    "IK1.1": 111,
    "IK1.2": 111,
    "IK2.1": 100,
    "IK3.1": 100,
    "IK3.2": 100,
    "IK4.1": 100,
    "IK5.1": 100,
    "IK6.1": 96,
    "IK6.2": 100,
    "IK6.3": 100,
    "IK6.4": 100,
    "IK7.1": 100,
    "IK8.1": 111,
}
SEED_STATUS = {"IK6.2": ("B", "BB", "Tercapai"), "IK6.3": ("WTP", "WTP", "Tercapai")}


def table(ws, header_row=1):
    headers = [c.value for c in ws[header_row]]
    return headers, [dict(zip(headers, r)) for r in ws.iter_rows(min_row=header_row + 1, values_only=True) if any(v is not None for v in r)]


def run(args):
    return CliRunner().invoke(app, ["consolidate", *map(str, args)])


def test_main_job_writes_the_seed_figures(samples, tmp_path):
    out = tmp_path / "konsolidasi.xlsx"
    result = run([samples, "-o", out])
    assert result.exit_code == 0, result.stdout
    assert "96,23%" in result.stdout and "Ditulis" in result.stdout
    wb = load_workbook(out)
    _, rows = table(wb["Pengukuran Kinerja"])
    by_kode = {r["Kode Indikator"]: r for r in rows}
    assert set(by_kode) == set(SEED_PRINTED)
    for kode, printed in SEED_PRINTED.items():
        assert round(by_kode[kode]["Capaian (%)"]) == printed, kode
    for kode, (target, realisasi, status) in SEED_STATUS.items():
        r = by_kode[kode]
        assert (r["Target"], r["Realisasi"], r["Status"]) == (target, realisasi, status)
    # the realisasi of IK1.1 (Posisi Akhir) came from the Hukum RA's TW IV cell
    assert "ra-hukum-dan-pengawasan.xlsx" in by_kode["IK1.1"]["Sumber"] and "!L2" in by_kode["IK1.1"]["Sumber"]
    # budget absorption 18.911.211.426 / 19.651.888.000 = 96,23%
    _, programs = table(load_workbook(out, data_only=True)["Anggaran"])  # totals are formulas with cached values
    total = [r for r in programs if r["Kode Program"] not in ("WA", "DH")][0]
    assert total["Pagu (Rp)"] == 19_651_888_000 and total["Total Realisasi (Rp)"] == 18_911_211_426
    assert round(total["Serapan (%)"], 2) == 96.23


def test_every_ra_row_is_accounted_for(samples, tmp_path):
    # add a row with a code the PK does not know: it must still be in the output, and in Temuan
    edit(samples / RA_HUKUM, "Rencana Aksi", {"A4": "IK9.9", "C4": "Kegiatan tambahan", "D4": "100%"})
    out = tmp_path / "k.xlsx"
    assert run([samples, "-o", out, "--izinkan-galat"]).exit_code == 0
    wb = load_workbook(out)
    _, ra_rows = table(wb["Rencana Aksi"])
    expected = []
    for path in sorted(samples.glob("ra-*.xlsx")):
        ws = load_workbook(path)["Rencana Aksi"]
        expected += [(ws.cell(r, 1).value, ws.cell(r, 3).value) for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value]
    got = [(r["Kode Indikator"], r["Kegiatan"]) for r in ra_rows]
    assert sorted(got) == sorted(expected) and len(got) == 14
    _, temuan = table(wb["Temuan"])
    assert any(t["Kode"] == "indikator-tidak-dikenal" and t["Sel"] == "A4" for t in temuan)


def test_errors_stop_the_write_unless_allowed(samples, tmp_path):
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D5": "100%"})  # the seed's zona integritas mismatch
    out = tmp_path / "k.xlsx"
    refused = run([samples, "-o", out])
    assert refused.exit_code == 1 and not out.exists()
    assert "target-berbeda" in refused.stdout
    allowed = run([samples, "-o", out, "--izinkan-galat"])
    assert allowed.exit_code == 0 and out.exists()
    wb = load_workbook(out)
    _, rows = table(wb["Pengukuran Kinerja"])
    ik81 = next(r for r in rows if r["Kode Indikator"] == "IK8.1")
    assert "target-berbeda" in (ik81["Catatan"] or "")
    ws = wb["Ringkasan"]
    facts = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    assert facts["Jumlah galat"] == 1 and facts["Status validasi"].startswith("Ada 1 galat")
    assert "target-berbeda" in facts  # the error itself is listed, by its code


def test_user_text_stays_text(samples, tmp_path):
    evil = Text('=HYPERLINK("http://x","y")')
    edit(samples / PK, "Perjanjian Kinerja", {"E2": evil})
    edit(samples / RA_HUKUM, "Rencana Aksi", {"B2": evil, "N2": "http://contoh.go.id/bukti"})
    out = tmp_path / "k.xlsx"
    assert run([samples, "-o", out, "--izinkan-galat"]).exit_code == 0
    wb = load_workbook(out)
    cell = next(c for row in wb["Pengukuran Kinerja"].iter_rows() for c in row if c.value == evil)
    assert cell.data_type == "s" and cell.hyperlink is None
    assert all(not ws._hyperlinks for ws in wb.worksheets)


def test_policy_file_changes_the_figures(samples, tmp_path):
    policy = tmp_path / "k.toml"
    policy.write_text("[capaian]\nbatas_atas = 100\n", encoding="utf-8")
    result = consolidate([samples], Options(policy=load_policy(policy)))
    assert max(r.capaian.value for r in result.indicators) == 100
    out = tmp_path / "k.xlsx"
    assert run([samples, "-o", out, "--kebijakan", policy]).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[capaian]\nrumus_negatif = "X"\n', encoding="utf-8")
    assert run([samples, "-o", tmp_path / "x.xlsx", "--kebijakan", bad]).exit_code == 2


def test_cannot_run_without_pk(samples, tmp_path):
    (samples / PK).unlink()
    with pytest.raises(ConsolidateError):
        consolidate([samples])
    assert run([samples, "-o", tmp_path / "k.xlsx"]).exit_code == 2
    assert run([tmp_path / "tidak-ada", "-o", tmp_path / "k.xlsx"]).exit_code == 2


def test_output_over_an_input_is_refused(samples):
    before = (samples / PK).read_bytes()
    result = run([samples, "-o", samples / PK])
    assert result.exit_code == 2
    assert (samples / PK).read_bytes() == before


def test_frames_for_notebooks(samples):
    frames = api.frames(consolidate([samples]))
    df = frames["Pengukuran Kinerja"]
    assert list(df["Kode Indikator"])[:2] == ["IK1.1", "IK1.2"]
    assert round(df.loc[df["Kode Indikator"] == "IK6.1", "Capaian (%)"].item(), 2) == 96.15
