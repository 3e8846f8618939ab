"""Render the README pictures: pages of the consolidated sample and of the sample's Laporan Kinerja.

Builds the samples from the shipped templates in a temporary folder, consolidates them as the
README's quick start does (`kpu-xl consolidate samples/tanjabtim-2023`), exports the workbook to
PDF with headless LibreOffice and renders the first page of each sheet to PNG with pdftoppm.

    python docs/render.py [OUT_DIR]        (default: docs/)

The report (kpu-xl laporan) is opened in LibreOffice Writer through its Python bridge, its table of
contents updated, and exported (tests/lo_update.py; Debian: libreoffice-writer-nogui, python3-uno);
the pages of the first sasaran section of BAB III and of Lampiran 1 (the PK) are rendered.

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
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import lo  # noqa: E402  (tests/lo.py: soffice with a throw-away profile)
from helpers import builder  # noqa: E402  (samples/build.py)

from kpu_xl.api import consolidate, recap, render  # noqa: E402
from kpu_xl.report.tables import SHEET_PENGUKURAN, SHEET_RINGKASAN  # noqa: E402

PICTURES = {SHEET_RINGKASAN: "ringkasan", SHEET_PENGUKURAN: "pengukuran-kinerja"}
# Report pages, found by the text they start with: the first sasaran section and the signed PK.
REPORT_PICTURES = {"Sasaran 1:": "laporan-bab-iii", "Lampiran 1. Perjanjian Kinerja": "laporan-lampiran-pk"}
DPI = 100
LOCALE = "id-ID"  # numbers as an Indonesian user sees them: 19.651.888.000 and 96,23
MAX_BYTES = 300_000


def page_sheets(pdf: Path) -> list[str]:
    """The sheet of each page: kpu-xl prints the sheet name as the centred page header."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    return [next(line for line in p.splitlines() if line.strip()).strip() for p in pages]


def pictures(out_dir: Path) -> list[Path]:
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
            result = consolidate(["samples/tanjabtim-2023"])
            book = render(result, work / "konsolidasi.xlsx").path
            report = render(result, work / "laporan.docx").path
        finally:
            os.chdir(cwd)
        report_pdf = work / "laporan.pdf"
        subprocess.run(["/usr/bin/python3", str(ROOT / "tests" / "lo_update.py"), str(report), str(report_pdf), str(work / "profile-writer")], check=True, timeout=300)
        text = subprocess.run(["pdftotext", "-layout", str(report_pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
        # the recap of four satker made from the samples under other names (one without an RA)
        provinsi = work / "provinsi"
        for name in ("KPU Kabupaten Alfa", "KPU Kota Beta", "KPU Kabupaten Gamma", "KPU Provinsi Jambi"):
            folder = provinsi / name.split()[-1].lower()
            folder.mkdir(parents=True)
            for src in sorted((work / "samples" / "tanjabtim-2023").glob("*.xlsx")):
                with zipfile.ZipFile(src) as zin, zipfile.ZipFile(folder / src.name, "w", zipfile.ZIP_DEFLATED) as zout:
                    for item in zin.infolist():
                        zout.writestr(item, zin.read(item.filename).replace(b"KPU Kabupaten Tanjung Jabung Timur", name.encode()))
        (provinsi / "beta" / "ra-semua-divisi.xlsx").unlink()
        rekap_book = render(recap([provinsi]), work / "rekap.xlsx").path
        (rekap_pdf,) = lo.convert([rekap_book], work / "pdf-rekap", lo.PDF, work / "profile-rekap", locale=LOCALE)
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(rekap_pdf), str(out_dir / "rekap-satker")], check=True, timeout=120)
        written.append(out_dir / "rekap-satker.png")
        print(out_dir / "rekap-satker.png")
        for start, name in REPORT_PICTURES.items():
            page = next(i for i, p in enumerate(text, 1) if start in p and "....." not in p)  # not the table of contents
            target = out_dir / name
            subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", str(report_pdf), str(target)], check=True, timeout=120)
            print(f"{target.with_suffix('.png')} (laporan page {page})")
            written.append(target.with_suffix(".png"))
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
    pictures(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
