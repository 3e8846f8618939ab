"""Render the README pictures: the Ringkasan and Pengukuran Kinerja pages of the consolidated sample.

Builds the samples from the shipped templates in a temporary folder, consolidates them as the
README's quick start does (`kpu-xl consolidate samples/tanjabtim-2023`), exports the workbook to
PDF with headless LibreOffice and renders the first page of each sheet to PNG with pdftoppm.

    python docs/render.py [OUT_DIR]        (default: docs/)

Needs LibreOffice Calc (soffice) and poppler-utils. For the look an Excel user gets, install
fonts-crosextra-carlito (metric-compatible with Calibri); without it LibreOffice substitutes a
wider font and the pictures show more wrapped lines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import lo  # noqa: E402  (tests/lo.py: soffice with a throw-away profile)
from helpers import builder  # noqa: E402  (samples/build.py)

from kpu_xl.compute.satker import consolidate  # noqa: E402
from kpu_xl.report.xlsx import SHEET_PENGUKURAN, SHEET_RINGKASAN, write  # noqa: E402

PICTURES = {SHEET_RINGKASAN: "ringkasan", SHEET_PENGUKURAN: "pengukuran-kinerja"}
DPI = 100
LOCALE = "id-ID"  # numbers as an Indonesian user sees them: 19.651.888.000 and 96,23
MAX_BYTES = 300_000


def page_sheets(pdf: Path) -> list[str]:
    """The sheet of each page: kpu-xl prints the sheet name as the centred page header."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    return [next(line for line in p.splitlines() if line.strip()).strip() for p in pages]


def render(out_dir: Path) -> list[Path]:
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: apt-get install poppler-utils")
    if lo.soffice() is None:
        raise SystemExit("soffice not found: apt-get install libreoffice-calc-nogui")
    if subprocess.run(["fc-list", "Carlito"], capture_output=True, text=True).stdout.strip() == "":
        print("warning: font Carlito not installed (fonts-crosextra-carlito); the pictures will not look like Excel's", file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        builder.build(work / "samples" / "tanjabtim-2023")
        cwd = os.getcwd()
        os.chdir(work)  # relative input paths, as in the README: Sumber reads samples/tanjabtim-2023/...
        try:
            book = write(consolidate(["samples/tanjabtim-2023"]), work / "konsolidasi.xlsx")
        finally:
            os.chdir(cwd)
        (pdf,) = lo.convert([book], work / "pdf", lo.PDF, work / "profile", locale=LOCALE)
        sheets = page_sheets(pdf)
        for sheet, name in PICTURES.items():
            page = sheets.index(sheet) + 1
            target = out_dir / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(target)],
                check=True,
                timeout=120,
            )
            png = target.with_suffix(".png")
            size = png.stat().st_size
            print(f"{png} (page {page}, {sheet}, {size // 1000} KB)")
            if size > MAX_BYTES:
                print(f"warning: {png.name} is larger than {MAX_BYTES // 1000} KB", file=sys.stderr)
            written.append(png)
    return written


if __name__ == "__main__":
    render(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
