"""The Python API gives what the CLI gives; importing the CLI stays light."""

import subprocess
import sys

import kpu_xl


def test_public_api_matches_cli_figures(samples, tmp_path):
    report = kpu_xl.validate([samples])
    assert report.exit_code == 0 and len(report.files) == 8  # the PK, six division RAs and the Renstra
    result = kpu_xl.consolidate([samples])
    assert round(result.serapan_total, 2) == 96.23
    written = kpu_xl.render(result, tmp_path / "k.xlsx")
    assert written.path.exists() and written.format.name == "konsolidasi"
    assert kpu_xl.frames(result)["Pengukuran Kinerja"]["Capaian (%)"].round(2).tolist()[:2] == [111.11, 111.11]  # 100 / 90


def test_cli_import_does_not_load_pandas_or_writers():
    code = "import sys, kpu_xl.cli; print(sorted(m for m in ('pandas', 'openpyxl', 'xlsxwriter') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
