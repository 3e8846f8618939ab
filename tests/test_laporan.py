"""`kpu-xl laporan`: the draft Laporan Kinerja as a Word document, from the same figures as the workbook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm
from helpers import PK, RA_HUKUM, RA_SEMUA, RA_TEKNIS, Text, edit, write
from typer.testing import CliRunner

from kpu_xl.api import consolidate, render
from kpu_xl.cli import app
from kpu_xl.core import contract as C

runner = CliRunner()
HERE = Path(__file__).resolve().parent


def tables_by_caption(document) -> dict[str, list[list[str]]]:
    """Each table under the caption paragraph right above it, as rows of cell texts."""
    out, caption = {}, None
    body = document.element.body
    tables = {t._tbl: t for t in document.tables}
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")).strip()
            if text:
                caption = text
        elif child.tag.endswith("}tbl") and caption:
            out.setdefault(caption, [[c.text for c in row.cells] for row in tables[child].rows])
    return out


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


@pytest.fixture
def laporan(samples, tmp_path):
    out = tmp_path / "laporan.docx"
    result = runner.invoke(app, ["laporan", str(samples), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output, docx.Document(out)


def test_cli_writes_the_report_and_says_what_people_still_write(laporan):
    out, output, document = laporan
    assert f"Ditulis: {out}" in " ".join(output.split())
    highlighted = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert f"{len(highlighted)} bagian masih perlu ditulis orang" in output
    assert len(highlighted) == 16  # Kata Pengantar, 4 in BAB I, 10 indicators without analysis, BAB IV
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for expected in ("KATA PENGANTAR", "RINGKASAN EKSEKUTIF", "DAFTAR ISI", "BAB I PENDAHULUAN", "BAB II PERENCANAAN KINERJA", "BAB III AKUNTABILITAS KINERJA", "BAB IV PENUTUP", "LAMPIRAN"):
        assert expected in headings
    assert "Kesiapan evaluasi" in output and "Perbandingan dengan standar nasional: belum" in " ".join(output.split())


def test_bab_iii_tables_carry_the_seed_capaian_and_equal_the_workbook(laporan, samples, tmp_path):
    _, _, document = laporan
    table = tables_by_caption(document)["Tabel 3.1 Capaian Indikator Kinerja"]
    header, rows = table[0], table[1:]
    got = {r[header.index("Kode Indikator")]: r[header.index("Capaian (%)")] for r in rows}
    # the seed's 13 capaian, printed with two decimals (111% = 100/90, 96% = 75/78, BB and WTP met)
    assert got == {
        "IK1.1": "111,11", "IK1.2": "111,11", "IK2.1": "100,00", "IK3.1": "100,00", "IK3.2": "100,00", "IK4.1": "100,00", "IK5.1": "100,00",
        "IK6.1": "96,15", "IK6.2": "100,00", "IK6.3": "100,00", "IK6.4": "100,00", "IK7.1": "100,00", "IK8.1": "111,11",
    }  # fmt: skip
    # and every figure equals the consolidated workbook's
    wb = openpyxl.load_workbook(write(consolidate([samples]), tmp_path / "k.xlsx"))
    ws = wb["Pengukuran Kinerja"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2, values_only=True):
        kode = row[head.index("Kode Indikator")]
        assert got[kode] == f"{row[head.index('Capaian (%)')]:.2f}".replace(".", ","), kode
    years = tables_by_caption(document)["Tabel 3.4 Realisasi Anggaran Antar Tahun"]
    assert [(r[0], r[3]) for r in years[1:]] == [("2020", "81,40"), ("2021", "96,30"), ("2022", "90,41"), ("2023", "96,23")]
    ws = wb["Anggaran Antar Tahun"]
    assert [f"{r[3]:.2f}".replace(".", ",") for r in ws.iter_rows(min_row=2, values_only=True) if r[0]] == [r[3] for r in years[1:]]


def test_sentences_say_what_the_tables_say(samples, tmp_path):
    # IK2.1 realised 80% of its 100% target; IK6.1 fell against 2022 (98,67% -> 96,15%)
    edit(samples / RA_TEKNIS, "Rencana Aksi", {"L2": 0.8}, {"L2": "0%"})
    out = tmp_path / "l.docx"
    assert runner.invoke(app, ["laporan", str(samples), "-o", str(out)]).exit_code == 0
    text = "\n".join(paragraphs(docx.Document(out)))
    assert 'Indikator IK2.1 "Persentase Calon Peserta Pemilu yang dapat difasilitasi" dengan target 100% terealisasi 80%, capaian 80,00%: belum mencapai target.' in text
    assert "Dibanding 2022 (realisasi 74, capaian 98,67%), capaian turun 2,51 poin." in text
    assert "capaian 111,11%: melampaui target" in text and "capaian 100,00%: mencapai target" in text
    assert 'Indikator IK6.2 "Nilai Akuntabilitas Kinerja" dengan target B terealisasi BB: tercapai.' in text
    assert "yang belum: IK2.1, IK6.1." in text  # Ringkasan Eksekutif
    assert "Pagu anggaran Rp 19.651.888.000 terealisasi Rp 18.911.211.426, serapan 96,23%" in text


def test_analysis_from_the_divisions_is_quoted_as_text_else_a_placeholder_names_the_division(samples, tmp_path):
    edit(samples / RA_HUKUM, "Rencana Aksi", {(3, C.H_FAKTOR_PENGHAMBAT): Text('=HYPERLINK("http://x","klik")')})
    out = tmp_path / "l.docx"
    assert runner.invoke(app, ["laporan", str(samples), "-o", str(out)]).exit_code == 0
    text = "\n".join(paragraphs(docx.Document(out)))
    assert "Faktor Pendukung: Semua tahapan Pemilu terlaksana dengan baik tanpa gugatan atau sengketa." in text
    assert 'Faktor Penghambat: =HYPERLINK("http://x","klik")' in text  # user text stays text
    assert "[Diisi oleh Divisi Teknis Penyelenggara Pemilu: faktor pendukung, faktor penghambat dan upaya tindak lanjut indikator IK2.1" in text
    assert "<w:fldSimple" not in (out.read_bytes().decode("latin-1"))


def test_old_ra_workbooks_without_the_analysis_columns_still_validate(samples):
    for name in (RA_HUKUM, RA_SEMUA):
        wb = openpyxl.load_workbook(samples / name)
        ws = wb["Rencana Aksi"]
        ws.protection.sheet = False
        headers = [c.value for c in ws[1]]
        for header in reversed(C.H_ANALISIS):
            ws.delete_cols(headers.index(header) + 1)
        wb.save(samples / name)
    result = runner.invoke(app, ["validate", str(samples)])
    assert result.exit_code == 0 and "0 galat, 0 peringatan" in result.output


def test_the_ra_template_has_the_three_analysis_columns(tmp_path):
    out = tmp_path / "ra.xlsx"
    assert runner.invoke(app, ["template", "ra", "-o", str(out)]).exit_code == 0
    headers = [c.value for c in openpyxl.load_workbook(out)["Rencana Aksi"][1]]
    assert headers[-3:] == ["Faktor Pendukung", "Faktor Penghambat", "Upaya Tindak Lanjut"]


def test_same_gates_as_consolidate(samples, tmp_path):
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D5": 1.0}, {"D5": "0%"})  # target-berbeda: an error
    out = tmp_path / "l.docx"
    refused = runner.invoke(app, ["laporan", str(samples), "-o", str(out)])
    assert refused.exit_code == 1 and not out.exists()
    allowed = runner.invoke(app, ["laporan", str(samples), "-o", str(out), "--izinkan-galat"])
    assert allowed.exit_code == 0 and out.exists()
    before = (samples / PK).read_bytes()
    over = runner.invoke(app, ["laporan", str(samples), "-o", str(samples / PK), "--izinkan-galat"])
    assert over.exit_code == 2 and (samples / PK).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left


def test_without_a_renstra_the_comparisons_say_what_is_missing(samples, tmp_path):
    (samples / "renstra-2020-2024.xlsx").unlink()
    result = consolidate([samples])
    written = render(result, tmp_path / "l.docx", "laporan")
    text = "\n".join(paragraphs(docx.Document(written.path)))
    assert "Renstra tidak disertakan di antara masukan" in text
    assert "Perbandingan dengan tahun-tahun sebelumnya dan dengan target jangka menengah: Renstra tidak disertakan" in text


def test_office_template_is_the_base(samples, tmp_path):
    office = tmp_path / "kop.docx"
    base = docx.Document()
    base.sections[0].header.paragraphs[0].text = "KOMISI PEMILIHAN UMUM KABUPATEN TANJUNG JABUNG TIMUR"
    base.add_paragraph("Isi lama yang tidak ikut")
    base.save(office)
    out = tmp_path / "l.docx"
    result = runner.invoke(app, ["laporan", str(samples), "-o", str(out), "--templat-laporan", str(office)])
    assert result.exit_code == 0, result.output
    document = docx.Document(out)
    assert document.sections[0].header.paragraphs[0].text == "KOMISI PEMILIHAN UMUM KABUPATEN TANJUNG JABUNG TIMUR"
    assert "Isi lama yang tidak ikut" not in paragraphs(document)
    missing = runner.invoke(app, ["laporan", str(samples), "-o", str(out), "--templat-laporan", str(tmp_path / "tidak-ada.docx")])
    assert missing.exit_code == 2


def test_layout_a4_repeated_headers_rows_kept_tables_within_the_page(laporan):
    _, _, document = laporan
    for s in document.sections:
        assert {round(s.page_width / Mm(1)), round(s.page_height / Mm(1))} == {210, 297}
    xml = document.element.xml
    assert xml.count("<w:tblHeader") == len(document.tables)  # every table repeats its header row
    assert "<w:cantSplit" in xml
    # every table fits the usable width of its section
    body = document.element.body
    sections = iter(document.sections)
    section = next(sections)
    for child in body.iterchildren():
        if child.tag.endswith("}tbl"):
            width = sum(int(g.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w")) for g in child.iter() if g.tag.endswith("}gridCol"))
            usable = (section.page_width - section.left_margin - section.right_margin) / 635  # EMU -> twips
            assert width <= usable + 5
        elif child.tag.endswith("}p") and child.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr") is not None:
            section = next(sections, section)
    headings = {p.style.name for p in document.paragraphs if p.text.startswith("BAB")}
    assert headings == {"Heading 1"}


def _pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def test_libreoffice_converts_it_to_pdf_and_fills_the_table_of_contents(laporan, tmp_path):
    from lo import LibreOfficeError, soffice

    if soffice() is None or not shutil.which("pdfinfo") or subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have LibreOffice Writer, python3-uno and poppler-utils (.ci/run installs them)")
        pytest.skip("LibreOffice Writer with python3-uno and poppler-utils are needed")
    out, _, _ = laporan
    pdf = tmp_path / "laporan.pdf"
    done = subprocess.run(["/usr/bin/python3", str(HERE / "lo_update.py"), str(out), str(pdf), str(tmp_path / "profil")], capture_output=True, text=True, timeout=240)
    if done.returncode != 0 or not pdf.exists():
        raise LibreOfficeError(done.stderr)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 12 <= pages <= 40
    assert "A4" in info
    text = _pdf_pages(pdf)
    toc = next(p for p in text if "DAFTAR ISI" in p and "BAB III AKUNTABILITAS KINERJA" in p)
    assert "BAB III AKUNTABILITAS KINERJA....." in toc.replace(" ", "") or "BAB III AKUNTABILITAS KINERJA" in toc  # an entry, with dots
    assert "Sasaran 6: Terwujudnya sumber daya manusia" in toc
    assert any(p.rstrip().endswith(str(n)) for n, p in enumerate(text, 1) if p.strip())  # page numbers printed
    assert sys.platform.startswith("linux")


def test_a_report_written_despite_errors_says_so(samples, tmp_path):
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D5": 1.0}, {"D5": "0%"})  # target-berbeda
    out = tmp_path / "l.docx"
    assert runner.invoke(app, ["laporan", str(samples), "-o", str(out), "--izinkan-galat"]).exit_code == 0
    document = docx.Document(out)
    text = "\n".join(paragraphs(document))
    assert "DRAF DENGAN GALAT: masukan laporan ini berisi 1 galat validasi" in text
    assert "Lampiran 3. Temuan Validasi" in text
    assert any("target-berbeda" in c.text for t in document.tables for row in t.rows for c in row.cells)


def test_an_office_template_without_the_table_style_works(samples, tmp_path):
    import re
    import zipfile

    plain = tmp_path / "polos.docx"
    docx.Document().save(plain)
    office = tmp_path / "kop-tanpa-tabel.docx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(office, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/styles.xml":  # as Word saves a letterhead that never held a table
                data = re.sub(rb'<w:style w:type="table"[^>]*w:styleId="TableGrid".*?</w:style>', b"", data, flags=re.S)
                assert b"TableGrid" not in data
            zout.writestr(item, data)
    out = tmp_path / "l.docx"
    result = runner.invoke(app, ["laporan", str(samples), "-o", str(out), "--templat-laporan", str(office)])
    assert result.exit_code == 0, result.output
    assert docx.Document(out).tables[0].style.name == "Table Grid"
