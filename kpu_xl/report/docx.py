"""Consolidated figures -> the draft Laporan Kinerja (LKjIP) as a Word document (python-docx).

The order is PermenPAN-RB 53/2014's and KPU practice: cover, Kata Pengantar, Ringkasan
Eksekutif, Daftar Isi, BAB I Pendahuluan, BAB II Perencanaan Kinerja (Renstra, PK), BAB III
Akuntabilitas Kinerja (capaian per sasaran with the comparisons, the analysis, efficiency,
budget), BAB IV Penutup, Lampiran (the PK as signed, the Rencana Aksi of each division).

Every table is a table of report/tables.py and every sentence comes from report/narrative.py,
both built from the same computed values as the workbook, so tables and sentences cannot
disagree. What only people can write is a placeholder, highlighted the same way everywhere
(PLACEHOLDER_COLOUR) and counted. Layout: A4 portrait, landscape sections for wide tables,
page numbers, table header rows repeated on every page, rows never split, numbers right-aligned,
real heading styles (navigation pane and table of contents), Calibri (Carlito in LibreOffice).
User text always goes in as text: python-docx writes runs, never fields or links.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .. import __version__
from ..compute.satker import Consolidated
from ..core import contract as C
from ..core.errors import KpuXlError
from ..core.files import OUTPUT_MARK
from ..core.values import format_number, tanggal_teks
from ..kinds.pk import KIND as PK_KIND
from . import narrative as N
from . import tables as T

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
    from docx.table import Table as DocxTable
    from docx.table import _Cell, _Row
    from docx.text.paragraph import Paragraph
    from lxml import etree

    from ..compute.satker import IndicatorResult, SasaranResult

FONT = "Calibri"  # metric twin in LibreOffice: Carlito
PLACEHOLDER_COLOUR = WD_COLOR_INDEX.YELLOW
PAGE_PORTRAIT = (Mm(210), Mm(297))
MARGIN = Mm(25)
MARGIN_SIDE = Mm(20)
HEADER_FILL = "1F4E78"


class TemplateLaporanError(KpuXlError):
    """The office's Word template (--templat-laporan) cannot be used; the message says why."""


class _Doc:
    """The document under construction, and the placeholders put in it."""

    def __init__(self, result: Consolidated, base: Path | None) -> None:
        self.result = result
        self.d = result.policy.desimal_tampilan
        self.placeholders: list[str] = []
        self.doc = _open_base(base)
        _ensure_styles(self.doc)

    # --- paragraphs ---------------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level)

    def para(self, text: str, *, bold: bool = False, align: WD_PARAGRAPH_ALIGNMENT | None = None, size: float | None = None, space_after: float | None = None, keep_with_next: bool = False) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.keep_with_next = keep_with_next
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        if space_after is not None:
            p.paragraph_format.space_after = Pt(space_after)

    def placeholder(self, what: str, who: str = "Bagian Perencanaan") -> None:
        """A visible, highlighted note of what a person must write here (and who)."""
        text = f"[Diisi oleh {who}: {what}]"
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.font.highlight_color = PLACEHOLDER_COLOUR
        run.italic = True
        self.placeholders.append(text)

    def quote(self, label: str, text: str) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.left_indent = Mm(5)
        head = p.add_run(f"{label}: ")
        head.bold = True
        p.add_run(text)

    # --- sections -----------------------------------------------------------------------------------

    def landscape(self) -> None:
        _new_section(self.doc, landscape=True)

    def portrait(self) -> None:
        _new_section(self.doc, landscape=False)

    def page_break(self) -> None:
        self.doc.add_page_break()

    # --- tables -------------------------------------------------------------------------------------

    def table(self, table: T.Table, widths_mm: list[float] | None = None, caption: str | None = None, merge: tuple[int, ...] = ()) -> None:
        """A report table: header row repeated on every page, rows never split, numbers right-aligned.
        merge: columns whose equal consecutive cells are merged (a sasaran over its indicators)."""
        if caption:
            self.para(caption, bold=True, space_after=2, keep_with_next=True)
        rows = table.rows or [[table.empty or "-"] + [None] * (len(table.columns) - 1)]
        t = self.doc.add_table(rows=1 + len(rows), cols=len(table.columns))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        widths = widths_mm or _widths(table, _usable_mm(self.doc))
        for c, col in enumerate(table.columns):
            cell = t.rows[0].cells[c]
            _cell_text(cell, col.header, bold=True, colour="FFFFFF", align=WD_ALIGN_PARAGRAPH.CENTER)
            _shade(cell, HEADER_FILL)
        _repeat_header(t.rows[0])
        for r, row in enumerate(rows, 1):
            bold = (r - 1) in table.bold_rows
            for c, (col, value) in enumerate(zip(table.columns, row)):
                text, align = self.shown(value, col.kind)
                _cell_text(t.rows[r].cells[c], text, bold=bold, align=align)
            _cant_split(t.rows[r])
        for c in merge:
            _merge_runs(t, c, [row[c] for row in rows])
        for c, w in enumerate(widths):
            t.columns[c].width = Mm(w)  # the grid: what LibreOffice lays out by
            for row in t.rows:
                row.cells[c].width = Mm(w)  # the cells: what Word lays out by
        self.doc.add_paragraph()

    def shown(self, value: object, kind: str) -> tuple[str, WD_PARAGRAPH_ALIGNMENT | None]:
        text, align = N.cell_text(value, kind, self.d)
        return text, {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}.get(align)


# --- the document ---------------------------------------------------------------------------------


def render_report(result: Consolidated, path: Path, base: str | Path | None = None) -> list[str]:
    """Build the draft LKjIP at path (report/formats.py writes it); base: an office's own .docx
    (letterhead, styles, margins). Returns the placeholders: what still needs a person's words."""
    w = _Doc(result, Path(base) if base else None)
    _build(w)
    props = w.doc.core_properties
    props.author = "kpu-xl"
    props.title = f"Laporan Kinerja {result.identity.satker} Tahun {result.identity.tahun}"
    props.comments = f"{OUTPUT_MARK} {__version__}: draf Laporan Kinerja"  # recognised as kpu-xl's own output
    w.doc.save(str(path))
    return w.placeholders


def _build(w: _Doc) -> None:
    r = w.result
    ident = r.identity
    _setup_first_section(w.doc)
    _page_numbers(w.doc)
    _cover(w)
    if r.errors:
        _errors_notice(w)
    w.page_break()
    w.heading("KATA PENGANTAR", 1)
    w.placeholder("kata pengantar: maksud laporan, ucapan terima kasih, harapan", "Sekretaris")
    signatory = [x for x in (", ".join(y for y in (ident.tempat, tanggal_teks(ident.tanggal)) if y), ident.jabatan_penandatangan, "", "", ident.nama_penandatangan) if x is not None]
    for i, line in enumerate(signatory):
        w.para(line, align=WD_ALIGN_PARAGRAPH.RIGHT, bold=i == len(signatory) - 1, space_after=0)
    w.page_break()
    w.heading("RINGKASAN EKSEKUTIF", 1)
    for text in N.executive_summary(r):
        w.para(text)
    w.page_break()
    w.heading("DAFTAR ISI", 1)
    _toc(w.doc)
    w.page_break()
    _bab_i(w)
    _bab_ii(w)
    _bab_iii(w)
    _bab_iv(w)
    _lampiran(w)


def _cover(w: _Doc) -> None:
    ident = w.result.identity
    for _ in range(6):
        w.para("")
    w.para("LAPORAN KINERJA", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=26)
    w.para("(LKjIP)", align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    w.para(f"TAHUN {ident.tahun or ''}".strip(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=20)
    for _ in range(8):
        w.para("")
    w.para(ident.satker.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=16)


def _errors_notice(w: _Doc) -> None:
    """Written with --izinkan-galat: said on the cover and listed in a last appendix."""
    n = len(w.result.errors)
    p = w.doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(f"DRAF DENGAN GALAT: masukan laporan ini berisi {n} galat validasi (daftarnya di Lampiran Temuan Validasi); angka indikator yang terdampak belum dapat dipakai.")
    run.bold = True
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _bab_i(w: _Doc) -> None:
    w.heading("BAB I PENDAHULUAN", 1)
    for title, what in (
        ("A. Latar Belakang", "latar belakang penyusunan laporan kinerja dan dasar hukumnya"),
        ("B. Tugas, Fungsi dan Wewenang", "tugas, fungsi dan wewenang satker"),
        ("C. Struktur Organisasi", "struktur organisasi dan sumber daya manusia"),
        ("D. Isu Strategis", "isu strategis yang dihadapi pada tahun ini"),
    ):
        w.heading(title, 2)
        w.placeholder(what)


def _bab_ii(w: _Doc) -> None:
    r = w.result
    w.heading("BAB II PERENCANAAN KINERJA", 1)
    w.heading("A. Rencana Strategis", 2)
    renstra = T.renstra_targets(r)
    if renstra is None:
        w.para("Renstra tidak disertakan di antara masukan; sasaran, indikator dan target jangka menengah belum dapat disajikan di sini (buat dengan: kpu-xl template renstra).")
    else:
        h = r.history
        w.para(
            f"Renstra {ident_satker(r)} periode {h.renstra.identity.periode}"
            + (f" ({h.renstra.identity.dasar_penetapan})" if h.renstra.identity.dasar_penetapan else "")
            + " menetapkan sasaran, indikator dan target berikut."
        )
        w.landscape()
        w.table(renstra.select([c.header for c in renstra.columns if c.header not in (C.H_SASARAN,)]), caption="Tabel 2.1 Target Jangka Menengah")
        w.portrait()
    w.heading("B. Perjanjian Kinerja", 2)
    ident = r.identity
    w.para(
        f"Perjanjian Kinerja Tahun {ident.tahun} ({ident.jenis_dokumen or PK_KIND.short}) ditandatangani di {ident.tempat or '-'} pada {tanggal_teks(ident.tanggal) or '-'} oleh {ident.nama_penandatangan or '-'} ({ident.jabatan_penandatangan or '-'}), memuat {len(r.indicators)} indikator dari {len(r.sasaran)} sasaran strategis."
    )
    w.table(T.lampiran_pk(r), [12, 55, 75, 28], caption="Tabel 2.2 Perjanjian Kinerja", merge=(0, 1))
    w.table(T.lampiran_program(r), [12, 110, 48], caption="Tabel 2.3 Program dan Anggaran")


def ident_satker(r: Consolidated) -> str:
    return r.identity.satker


_CAPAIAN_COLUMNS = [C.H_KODE_INDIKATOR, C.H_INDIKATOR, C.H_SATUAN, C.H_TARGET, "Realisasi", T.H_CAPAIAN, T.H_KATEGORI]


def _bab_iii(w: _Doc) -> None:
    r = w.result
    d = w.d
    w.heading("BAB III AKUNTABILITAS KINERJA", 1)
    w.heading("A. Capaian Kinerja Organisasi", 2)
    w.para(f"Capaian kinerja dihitung dengan kebijakan: {r.policy.describe()}.")
    pengukuran = T.pengukuran(r)
    w.table(pengukuran.select(_CAPAIAN_COLUMNS), [20, 58, 16, 18, 18, 18, 22], caption="Tabel 3.1 Capaian Indikator Kinerja")
    antar = T.perbandingan_antar_tahun(r)
    jangka = T.capaian_jangka_menengah(r)
    hist = {h.kode: h for h in r.history.indicators} if r.history else {}
    for no, s in enumerate(r.sasaran, 1):
        w.heading(f"Sasaran {no}: {s.nama}", 3)
        w.para(f"Capaian sasaran {s.kode}: {N.pct(s.capaian, d)} (kategori {s.kategori or '-'}), rata-rata {len(s.indicators)} indikator.")
        w.table(_sasaran_rows(pengukuran, s), [20, 58, 16, 18, 18, 18, 22])
        for ind in s.indicators:
            w.para(N.indicator_paragraph(ind, hist.get(ind.indicator.kode), d))
        if antar is None:
            w.para("Perbandingan dengan tahun-tahun sebelumnya dan dengan target jangka menengah: Renstra tidak disertakan, sehingga belum dapat disajikan.")
        else:
            codes = {i.indicator.kode for i in s.indicators}
            # realisasi and capaian per year fit a portrait page (the yearly targets are in BAB II A)
            years = r.history.years
            headers = [C.H_KODE_INDIKATOR, C.H_INDIKATOR, *(h for y in years for h in (f"Realisasi {y}", f"Capaian {y} (%)")), "Perubahan Capaian (poin)"]
            w.table(
                _rows_of(antar.select(headers), codes),
                [14, 156 - 14 * (2 * len(years) + 1), *([14] * (2 * len(years) + 1))],
                caption=f"Perbandingan realisasi dan capaian antar tahun, sasaran {s.kode}",
            )
            w.table(
                _rows_of(jangka.select([c.header for c in jangka.columns if c.header != "Sumber"]), codes),
                [18, 52, 18, 18, 18, 22, 24],
                caption=f"Capaian terhadap target jangka menengah, sasaran {s.kode}",
            )
        w.para("Analisis penyebab keberhasilan atau kegagalan dan upaya yang dilakukan:", bold=True)
        for ind in s.indicators:
            _analysis(w, ind)
    w.heading("B. Efisiensi Penggunaan Sumber Daya", 2)
    anggaran = T.anggaran(r)
    w.table(anggaran.select([C.H_PROGRAM, C.H_PAGU, T.H_TOTAL_REALISASI, T.H_SERAPAN, T.H_CAPAIAN_KINERJA, T.H_EFISIENSI]), [60, 28, 28, 18, 18, 18], caption="Tabel 3.2 Efisiensi per Program")
    w.para(
        f"Efisiensi dihitung sebagai capaian kinerja dikurangi serapan anggaran (poin). Untuk satker: capaian {N.pct(r.satker_capaian, d)}, serapan {N.pct(r.serapan_total, d)}, efisiensi "
        f"{format_number(r.efisiensi_total, d) + ' poin' if r.efisiensi_total is not None else '-'}."
    )
    w.heading("C. Realisasi Anggaran", 2)
    w.table(anggaran.select([C.H_KODE_PROGRAM, C.H_PROGRAM, C.H_PAGU, T.H_TOTAL_REALISASI, T.H_SERAPAN]), [18, 80, 28, 28, 16], caption=f"Tabel 3.3 Realisasi Anggaran Tahun {r.identity.tahun}")
    years = T.anggaran_antar_tahun(r)
    if years is None:
        w.para("Realisasi anggaran tahun-tahun sebelumnya: Renstra (lembar Riwayat Anggaran) tidak disertakan.")
    else:
        w.table(years.select(["Tahun", C.H_PAGU, "Realisasi (Rp)", T.H_SERAPAN]), [25, 50, 50, 30], caption="Tabel 3.4 Realisasi Anggaran Antar Tahun")
    _readiness(w)


def _sasaran_rows(pengukuran: T.Table, s: SasaranResult) -> T.Table:
    return _rows_of(pengukuran.select(_CAPAIAN_COLUMNS), {i.indicator.kode for i in s.indicators})


def _rows_of(table: T.Table, codes: set[str]) -> T.Table:
    at = table.index(C.H_KODE_INDIKATOR)
    return T.Table(table.name, table.columns, [row for row in table.rows if row[at] in codes], empty=table.empty)


def _analysis(w: _Doc, ind: IndicatorResult) -> None:
    """The divisions' analysis of an indicator, quoted; a placeholder naming the division where none was written."""
    texts: dict[str, list[str]] = {}
    for row in ind.ra_rows:
        for header, text in row.analisis.items():
            texts.setdefault(header, [])
            if text not in texts[header]:
                texts[header].append(text)
    w.para(f"{ind.indicator.kode} {ind.indicator.nama}", bold=True, space_after=0)
    if not texts:
        who = ind.indicator.pelaksana or "divisi pelaksana"
        w.placeholder(f"faktor pendukung, faktor penghambat dan upaya tindak lanjut indikator {ind.indicator.kode} (kolom {', '.join(C.H_ANALISIS)} di Rencana Aksi)", who)
        return
    for header in C.H_ANALISIS:
        if header in texts:
            w.quote(header, " ".join(texts[header]))


def _readiness(w: _Doc) -> None:
    """What the data answers of criterion 3.b of the SAKIP evaluation (PermenPAN-RB 88/2021)."""
    w.heading("D. Kesiapan Evaluasi (kriteria 3.b SAKIP)", 2)
    for item, answer in N.readiness(w.result):
        w.quote(item, answer)


def _bab_iv(w: _Doc) -> None:
    w.heading("BAB IV PENUTUP", 1)
    for text in N.closing_summary(w.result):
        w.para(text)
    w.placeholder("kesimpulan, permasalahan yang dihadapi, dan rencana perbaikan tahun berikutnya", "Sekretaris")


def _lampiran(w: _Doc) -> None:
    r = w.result
    ident = r.identity
    w.page_break()
    w.heading("LAMPIRAN", 1)
    w.heading("Lampiran 1. Perjanjian Kinerja", 2)
    w.para(f"PERJANJIAN KINERJA TAHUN {ident.tahun}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    w.para(ident.satker.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    w.para(ident.jenis_dokumen, align=WD_ALIGN_PARAGRAPH.CENTER)
    w.table(T.lampiran_pk(r), [12, 55, 75, 28], merge=(0, 1))
    w.table(T.lampiran_program(r), [12, 110, 48])
    place = ", ".join(x for x in (ident.tempat, tanggal_teks(ident.tanggal)) if x)
    for i, line in enumerate((place, ident.jabatan_penandatangan, "", "", "", ident.nama_penandatangan)):
        p = w.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.keep_with_next = True
        run = p.add_run(line)
        if i == 5:
            run.bold = True
            run.underline = True
    ra = T.rencana_aksi(r)
    divisions = list(dict.fromkeys(row[ra.index("Divisi")] for row in ra.rows))
    w.landscape()
    w.heading("Lampiran 2. Rencana Aksi", 2)
    columns = ["Kode Indikator", C.H_KEGIATAN, C.H_TARGET_TAHUNAN, *C.H_TARGET_TW, *C.H_REALISASI_TW, C.H_PELAKSANA]
    for no, divisi in enumerate(divisions, 1):
        w.heading(f"{no}. {divisi}", 3)
        w.table(ra.select(["Divisi", *columns]).where("Divisi", divisi).select(columns), [18, 50, 16, 15, 15, 15, 15, 15, 15, 15, 15, 43])
    if r.findings:
        w.heading("Lampiran 3. Temuan Validasi", 2)
        temuan = T.temuan(r)
        w.table(temuan.select(["Kode", "Tingkat", "Berkas", "Lembar", "Sel", "Pesan"]), [30, 18, 40, 28, 12, 119])


# --- python-docx details --------------------------------------------------------------------------


def _open_base(base: Path | None) -> DocxDocument:
    """A new document, or an office's own .docx emptied of its body (its styles, headers and margins kept)."""
    if base is None:
        doc = new_document()
        normal = doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(11)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        return doc
    doc = _open_office_template(base)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def check_base(base: Path) -> None:
    """TemplateLaporanError when the office's template is not a file."""
    if not base.is_file():
        what = "adalah folder, bukan dokumen Word" if base.is_dir() else "tidak ditemukan"
        raise TemplateLaporanError(f"Templat laporan {base} {what}.")


def _open_office_template(base: Path) -> DocxDocument:
    """An office's .docx, or TemplateLaporanError saying why it cannot be used (only opening it is the
    user's affair: a failure while building the report is a bug, and stays one)."""
    check_base(base)
    try:
        return new_document(str(base))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds for a file that is no .docx
        raise TemplateLaporanError(f"Templat laporan {base.name} tidak dapat dipakai: bukan dokumen Word (.docx) yang dapat dibuka; simpan ulang di Word sebagai .docx.") from None


def _ensure_styles(doc: DocxDocument) -> None:
    """Heading 1-3 and Table Grid, added to an office template that lacks them (a localised Word names them otherwise)."""
    from docx.enum.style import WD_STYLE_TYPE

    names = {s.name for s in doc.styles}
    for level in (1, 2, 3):
        name = f"Heading {level}"
        if name not in names:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
            style.font.bold = True
            style.font.size = Pt({1: 16, 2: 13, 3: 11}[level])
            pPr = style.element.get_or_add_pPr()
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level - 1))
            pPr.append(outline)
    if "Table Grid" not in names:  # Word saves it only once a table was used: many letterheads lack it
        style = doc.styles.add_style("Table Grid", WD_STYLE_TYPE.TABLE)
        tblPr = style.element.find(qn("w:tblPr"))
        if tblPr is None:
            tblPr = OxmlElement("w:tblPr")
            style.element.append(tblPr)
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            borders.append(el)
        tblPr.append(borders)
    for level in (1, 2, 3):
        style = doc.styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.color.rgb = RGBColor(0x1F, 0x4E, 0x78)


def _setup_first_section(doc: DocxDocument) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = PAGE_PORTRAIT
    s.top_margin = s.bottom_margin = MARGIN
    s.left_margin = s.right_margin = MARGIN_SIDE


def _new_section(doc: DocxDocument, landscape: bool) -> None:
    s = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = PAGE_PORTRAIT
    s.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = (height, width) if landscape else (width, height)
    s.top_margin = s.bottom_margin = MARGIN_SIDE if landscape else MARGIN
    s.left_margin = s.right_margin = MARGIN if landscape else MARGIN_SIDE


def _usable_mm(doc: DocxDocument) -> float:
    s = doc.sections[-1]
    return (s.page_width - s.left_margin - s.right_margin) / Mm(1)


def _widths(table: T.Table, usable: float) -> list[float]:
    """Column widths (mm) that fill the page: text columns share what the others leave."""
    fixed = {"center": 18, "int": 12, "value": 17, "capaian": 18, "money": 28}
    widths = [fixed.get(c.kind) for c in table.columns]
    free = [i for i, w in enumerate(widths) if w is None]
    rest = usable - sum(w for w in widths if w is not None)
    if free:
        share = max(20.0, rest / len(free))
        widths = [w if w is not None else share for w in widths]
    total = sum(widths)
    return [w * usable / total for w in widths] if total > usable else widths


def _cell_text(cell: _Cell, text: str, bold: bool = False, colour: str | None = None, align: WD_PARAGRAPH_ALIGNMENT | None = None) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(9)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    if align is not None:
        p.alignment = align


def _merge_runs(t: DocxTable, col: int, values: list) -> None:
    """Merge vertically the cells of col that repeat the value above them (the text stays in the first)."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1:
                first, last = t.rows[1 + start].cells[col], t.rows[i].cells[col]
                for r in range(start + 1, i):  # empty the repeats, then merge
                    t.rows[1 + r].cells[col].paragraphs[0].text = ""
                first.merge(last)
                for extra in first.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            start = i


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: _Row) -> None:
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)
    _cant_split(row)


def _cant_split(row: _Row) -> None:
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A complex field (PAGE, TOC, ...) whose cached result is shown until Word or LibreOffice updates it."""

    def el(tag: str, **attrs: str) -> etree._Element:
        e = OxmlElement(tag)
        for k, v in attrs.items():
            e.set(qn(k), v)
        return e

    run = paragraph.add_run()
    run._r.append(el("w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"}))
    instr = paragraph.add_run()
    text = el("w:instrText", **{"xml:space": "preserve"})
    text.text = f" {instruction} "
    instr._r.append(text)
    sep = paragraph.add_run()
    sep._r.append(el("w:fldChar", **{"w:fldCharType": "separate"}))
    paragraph.add_run(shown)
    end = paragraph.add_run()
    end._r.append(el("w:fldChar", **{"w:fldCharType": "end"}))


def _toc(doc: DocxDocument) -> None:
    """A table-of-contents field that Word and LibreOffice fill (Word asks to update fields on opening)."""
    p = doc.add_paragraph()
    _field(p, 'TOC \\o "1-3" \\h \\z \\u', "Daftar isi: perbarui bidang (Word: klik kanan > Perbarui Bidang; LibreOffice: Alat > Perbarui > Semua).")
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _page_numbers(doc: DocxDocument) -> None:
    """Page numbers centred in the footer of every section (later sections link to the first)."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("Halaman ")
    _field(p, "PAGE", "1")
