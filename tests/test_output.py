"""The consolidated workbook (output.write), read back with openpyxl and as raw XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import write
from seed_fixture import PAGU_TOTAL, PK_FILE, REALISASI_TOTAL, SATKER, SEED, Seed, consolidated, pk_document, ra_file

from kpu_xl.compute.satker import compute
from kpu_xl.core import contract as C
from kpu_xl.core.errors import InternalError
from kpu_xl.core.files import OutputError
from kpu_xl.core.findings import CODES, finding
from kpu_xl.core.policy import Band, Policy
from kpu_xl.kinds import PK
from kpu_xl.kinds import ra as ra_kind
from kpu_xl.kinds.pk import PKData
from kpu_xl.pipeline.bundle import Group
from kpu_xl.pipeline.resolve import Resolved
from kpu_xl.report import xlsx as output
from kpu_xl.report.xlsx import SHEETS

SHEET_NAMES = [
    "Ringkasan",
    "Pengukuran Kinerja",
    "Capaian Sasaran",
    "Rencana Aksi",
    "Progres Triwulan",
    "Anggaran",
    "Lampiran PK",
    "Temuan",
    "Sumber",
]
TABLE_SHEETS = ["Pengukuran Kinerja", "Capaian Sasaran", "Rencana Aksi", "Progres Triwulan", "Anggaran", "Temuan", "Sumber"]
PENGUKURAN_HEADERS = [
    "No",
    "Kode Sasaran",
    "Sasaran Strategis",
    "Kode Indikator",
    "Indikator Kinerja",
    "Satuan",
    "Target",
    "Realisasi",
    "Capaian (%)",
    "Kategori",
    "Status",
    "Realisasi Tahun Lalu",
    "Target Renstra",
    "Pelaksana",
    "Catatan",
    "Sumber",
]
# The seed's capaian (DOMAIN.md): 100/90, 75/78, grades met -> 100, the rest 100/100.
SEED_CAPAIAN = {
    "IK1.1": 100 / 90 * 100,
    "IK1.2": 100 / 90 * 100,
    "IK2.1": 100,
    "IK3.1": 100,
    "IK3.2": 100,
    "IK4.1": 100,
    "IK5.1": 100,
    "IK6.1": 75 / 78 * 100,
    "IK6.2": 100,
    "IK6.3": 100,
    "IK6.4": 100,
    "IK7.1": 100,
    "IK8.1": 100 / 90 * 100,
}
HYPERLINK = '=HYPERLINK("http://x","y")'
MARK = "FFE4DFEC"


def book(tmp_path: Path, **changes) -> tuple[Path, openpyxl.Workbook]:
    result = consolidated(Seed(folder=tmp_path, **changes))
    path = write(result, tmp_path / "konsolidasi.xlsx")
    return path, openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    result = consolidated(Seed(folder=folder))
    path = write(result, folder / "konsolidasi.xlsx")
    return path, openpyxl.load_workbook(path), result


@pytest.fixture(scope="module")
def wb(seed_book):
    return seed_book[1]


def headers(ws, row: int = 1) -> list:
    return [c.value for c in ws[row]]


def table(ws, header_row: int = 1) -> list[dict]:
    """Rows below the header as dicts, with the cell objects under '_cells'."""
    names = headers(ws, header_row)
    out = []
    for cells in ws.iter_rows(min_row=header_row + 1):
        row = {n: c.value for n, c in zip(names, cells) if n}
        row["_cells"] = {n: c for n, c in zip(names, cells) if n}
        out.append(row)
    return out


def by_kode(ws, key: str = "Kode Indikator") -> dict[str, dict]:
    return {r[key]: r for r in table(ws) if r.get(key)}


def ringkasan_facts(ws) -> dict[str, object]:
    return {a.value: b.value for a, b in ws.iter_rows(min_col=1, max_col=2) if isinstance(a.value, str)}


def sheet_xml(path: Path, sheet: str) -> str:
    index = SHEET_NAMES.index(sheet) + 1
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode()


# --- structure ---------------------------------------------------------------------------


def test_sheets_are_named_and_ordered(wb):
    assert wb.sheetnames == SHEET_NAMES
    assert list(SHEETS) == SHEET_NAMES


def test_pengukuran_headers_are_exact(wb):
    # the result columns together, notes and sources last (printed across one A4 page)
    assert headers(wb["Pengukuran Kinerja"]) == PENGUKURAN_HEADERS


# --- Pengukuran Kinerja ----------------------------------------------------------------------


@pytest.mark.parametrize("kode, expected", SEED_CAPAIAN.items())
def test_seed_capaian_per_indicator(wb, kode, expected):
    row = by_kode(wb["Pengukuran Kinerja"])[kode]
    assert row["Capaian (%)"] == pytest.approx(expected, abs=1e-9)
    assert row["Kategori"] == "Sangat Baik"


def test_capaian_prints_like_the_report(wb):
    rows = by_kode(wb["Pengukuran Kinerja"])
    assert round(rows["IK1.1"]["Capaian (%)"]) == 111
    assert round(rows["IK6.1"]["Capaian (%)"], 2) == 96.15
    assert rows["IK1.1"]["_cells"]["Capaian (%)"].number_format == "0.00"  # the policy's 2 display decimals


def test_all_thirteen_indicators_in_pk_order(wb):
    rows = table(wb["Pengukuran Kinerja"])
    assert [r["Kode Indikator"] for r in rows] == [s[2] for s in SEED]
    assert [r["No"] for r in rows] == list(range(1, 14))


def test_ordinal_indicators_show_grades_and_status(wb):
    rows = by_kode(wb["Pengukuran Kinerja"])
    sakip, bpk = rows["IK6.2"], rows["IK6.3"]
    assert (sakip["Target"], sakip["Realisasi"], sakip["Status"], sakip["Capaian (%)"]) == ("B", "BB", "Tercapai", 100)
    assert (bpk["Target"], bpk["Realisasi"], bpk["Status"], bpk["Capaian (%)"]) == ("WTP", "WTP", "Tercapai", 100)
    assert rows["IK1.1"]["Status"] is None  # numeric indicators have no status


def test_ordinal_not_met_says_tidak_tercapai(tmp_path):
    _, wb = book(tmp_path, realisasi={"IK6.2": "C"})
    row = by_kode(wb["Pengukuran Kinerja"])["IK6.2"]
    assert row["Realisasi"] == "C"
    assert row["Status"] == "Tidak tercapai"
    assert row["Capaian (%)"] == pytest.approx(2 / 4 * 100)  # rank C / rank B
    assert row["Kategori"] == "Sangat Kurang"


def test_numeric_targets_are_numbers_in_percent_points(wb):
    rows = by_kode(wb["Pengukuran Kinerja"])
    persen, indeks = rows["IK1.1"], rows["IK6.1"]
    assert (persen["Target"], persen["Realisasi"], persen["Satuan"]) == (90, 100, "%")
    assert (indeks["Target"], indeks["Realisasi"], indeks["Satuan"]) == (78, 75, None)
    assert persen["Target Renstra"] == 100
    assert persen["_cells"]["Target"].data_type == "n"
    assert persen["_cells"]["Target"].number_format == "#,##0"


def test_capaian_header_says_percent_points(wb):
    prompts = {str(dv.sqref): dv.prompt for dv in wb["Pengukuran Kinerja"].data_validations.dataValidation}
    assert prompts["I1"] == "Capaian dalam poin persen: 111,11 berarti 111,11%"


def test_sumber_names_file_sheet_and_cell_of_each_realisasi(seed_book):
    path, wb, result = seed_book
    rows = by_kode(wb["Pengukuran Kinerja"])
    for r in result.indicators:
        assert rows[r.indicator.kode]["Sumber"] == "; ".join(str(s) for s in r.sumber)
    ra = path.parent / ra_file(C.DIVISI[0])
    assert f"{ra} › Rencana Aksi!L2" in rows["IK1.1"]["Sumber"]  # Realisasi TW IV of RA row 2


def test_not_computable_capaian_is_blank_with_reason(tmp_path):
    _, wb = book(tmp_path, unfilled={"IK7.1"})
    row = by_kode(wb["Pengukuran Kinerja"])["IK7.1"]
    assert row["Capaian (%)"] is None
    assert row["Kategori"] is None
    assert "realisasi belum diisi" in row["Catatan"]
    facts = ringkasan_facts(wb["Ringkasan"])
    assert facts["Indikator yang capaiannya tidak dapat dihitung"] == 1
    assert facts["Tidak dapat dihitung"] == 1  # the kategori count table


def test_cap_policy_is_shown_in_catatan(tmp_path):
    _, wb = book(tmp_path, policy=Policy(batas_atas=100))
    row = by_kode(wb["Pengukuran Kinerja"])["IK1.1"]
    assert row["Capaian (%)"] == 100
    assert "Dibatasi 100%" in row["Catatan"] and "111,11%" in row["Catatan"]
    assert "batas atas 100%" in ringkasan_facts(wb["Ringkasan"])["Kebijakan perhitungan capaian"]


def test_display_decimals_follow_the_policy(tmp_path):
    _, wb = book(tmp_path, policy=Policy(desimal_tampilan=0))
    ws = wb["Pengukuran Kinerja"]
    assert ws["I2"].number_format == "0"
    assert {str(dv.sqref): dv.prompt for dv in ws.data_validations.dataValidation}["I1"] == "Capaian dalam poin persen: 111 berarti 111%"


# --- errors and findings ---------------------------------------------------------------------


def _target_berbeda(tmp_path: Path):
    """The seed's real mistake: the RA gives zona integritas 100% where the PK says 90%."""
    probe = consolidated(Seed(folder=tmp_path))
    entry = next(e for e in probe.ra_entries if e.row.kode_indikator == "IK8.1")
    cell = entry.row.cells[C.H_TARGET_TAHUNAN]
    f = finding(CODES["target-berbeda"], "Target Tahunan RA 100% berbeda dengan target PK 90%.", entry.row.source.file, ra_kind.TABLE.name, cell)
    return f, entry


def test_rows_with_errors_are_marked(tmp_path):
    f, entry = _target_berbeda(tmp_path)
    _, wb = book(tmp_path, ra_targets={"IK8.1": 100}, findings=[f])
    rows = by_kode(wb["Pengukuran Kinerja"])
    zi = rows["IK8.1"]
    assert "target-berbeda" in zi["Catatan"] and "Temuan" in zi["Catatan"]
    assert zi["_cells"]["Indikator Kinerja"].fill.fgColor.rgb == MARK
    assert rows["IK1.1"]["_cells"]["Indikator Kinerja"].fill.fgColor.rgb != MARK
    ra = [r for r in table(wb["Rencana Aksi"]) if r["Kode Indikator"] == "IK8.1"]
    assert len(ra) == 1 and "target-berbeda" in ra[0]["Catatan"]
    assert ra[0]["_cells"]["Kegiatan"].fill.fgColor.rgb == MARK
    assert ra[0]["Target Tahunan"] == 100


def test_ringkasan_lists_errors_and_status(tmp_path):
    f, _ = _target_berbeda(tmp_path)
    _, wb = book(tmp_path, ra_targets={"IK8.1": 100}, findings=[f])
    facts = ringkasan_facts(wb["Ringkasan"])
    assert facts["Jumlah galat"] == 1
    assert facts["Status validasi"].startswith("Ada 1 galat")
    assert f.message in facts["target-berbeda"] and f.cell in facts["target-berbeda"]
    assert "lembar Temuan" in facts["Selengkapnya"]


def test_temuan_lists_every_finding(tmp_path):
    f, _ = _target_berbeda(tmp_path)
    warning = finding(CODES["nilai-ambigu"], '"1.234" dibaca sebagai 1.234.', "ra.xlsx", "Rencana Aksi", "E7")
    _, wb = book(tmp_path, findings=[f, warning])
    rows = table(wb["Temuan"])
    got = [(r["Kode"], r["Tingkat"], r["Berkas"], r["Lembar"], r["Sel"], r["Pesan"]) for r in rows]
    assert got == [
        ("target-berbeda", "galat", f.file, "Rencana Aksi", f.cell, f.message),
        ("nilai-ambigu", "peringatan", "ra.xlsx", "Rencana Aksi", "E7", '"1.234" dibaca sebagai 1.234.'),
    ]


def test_temuan_says_when_there_is_nothing(wb):
    assert wb["Temuan"]["A2"].value == "Tidak ada temuan."


def test_ra_row_with_unknown_kode_is_flagged(tmp_path):
    _, wb = book(tmp_path, extra_ra_codes=["IK9.9"])
    rows = table(wb["Rencana Aksi"])
    unknown = [r for r in rows if r["Kode Indikator"] == "IK9.9"]
    assert len(unknown) == 1 and unknown[0]["Catatan"] == "Kode tidak ada di PK — lihat Temuan"
    assert all(not r["Catatan"] for r in rows if r["Kode Indikator"] != "IK9.9")


# --- other sheets -----------------------------------------------------------------------------


def test_ringkasan_figures(wb, seed_book):
    result = seed_book[2]
    facts = ringkasan_facts(wb["Ringkasan"])
    assert facts["Satuan Kerja"] == SATKER
    assert facts["Tahun"] == "2023"
    assert facts["Dokumen PK"] == "PK Perubahan, Muara Sabak, 20 September 2023"
    assert facts["Pagu anggaran (Rp)"] == PAGU_TOTAL
    assert facts["Realisasi anggaran (Rp)"] == REALISASI_TOTAL
    assert round(facts["Serapan anggaran (%)"], 2) == 96.23
    assert facts["Serapan anggaran (%)"] == pytest.approx(REALISASI_TOTAL / PAGU_TOTAL * 100)
    sasaran = [111.111111, 100, 100, 100, 100, (75 / 78 * 100 + 300) / 4, 100, 111.111111]
    assert facts["Capaian kinerja satker (%)"] == pytest.approx(sum(sasaran) / 8, abs=1e-4)
    assert facts["Efisiensi (poin: capaian kinerja - serapan)"] == pytest.approx(result.efisiensi_total)
    assert facts["Kategori capaian satker"] == "Sangat Baik"
    assert facts["Kebijakan perhitungan capaian"] == result.policy.describe()
    assert facts["Status validasi"] == "Lolos validasi tanpa temuan"
    assert (facts["Sangat Baik"], facts["Baik"], facts["Sangat Kurang"]) == (13, 0, 0)
    assert wb.properties.title == f"Konsolidasi Kinerja {SATKER} Tahun 2023"


def test_capaian_sasaran(wb):
    rows = table(wb["Capaian Sasaran"])
    assert [r["Kode Sasaran"] for r in rows] == ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "Satker"]
    s6 = rows[5]
    assert (s6["Jumlah Indikator"], s6["Capaian (%)"]) == (4, pytest.approx((75 / 78 * 100 + 300) / 4))
    assert rows[-1]["Jumlah Indikator"] == 13 and rows[-1]["Kategori"] == "Sangat Baik"
    assert rows[-1]["_cells"]["Capaian (%)"].font.b


def test_progres_triwulan_cumulative_capaian(wb):
    row = by_kode(wb["Progres Triwulan"])["IK1.1"]
    assert row["Cara Menghitung Realisasi"] == "Posisi Akhir"
    assert [row[f"Realisasi TW {q}"] for q in ("I", "II", "III", "IV")] == [30, 55, 80, 100]
    assert row["Capaian s.d. TW I (%)"] == pytest.approx(30 / 90 * 100)
    assert row["Capaian s.d. TW IV (%)"] == pytest.approx(100 / 90 * 100)
    assert row["Target Tahunan"] == 90
    assert by_kode(wb["Progres Triwulan"])["IK6.2"]["Realisasi TW IV"] == "BB"


def test_rencana_aksi_rows(wb):
    rows = table(wb["Rencana Aksi"])
    assert len(rows) == 13
    zi = next(r for r in rows if r["Kode Indikator"] == "IK8.1")
    assert (zi["Divisi"], zi["Kegiatan"], zi["Target Tahunan"]) == ("Semua Divisi", "Pembangunan zona integritas", 90)
    assert zi["Sumber"].endswith(f"{ra_file('Semua Divisi')} › Rencana Aksi baris 5")
    assert zi["Bukti Dukung"] == "Laporan Pembangunan zona integritas"


def test_anggaran_per_program_and_total(wb, seed_book):
    rows = table(wb["Anggaran"])
    wa, dl, total = rows
    assert (wa["Kode Program"], wa["Pagu (Rp)"], wa["Total Realisasi (Rp)"]) == ("WA", 2_028_429_000, 1_962_318_426)
    assert dl["Pagu (Rp)"] == 17_623_459_000
    assert wa["Serapan (%)"] == pytest.approx(1_962_318_426 / 2_028_429_000 * 100)
    s6 = (75 / 78 * 100 + 300) / 4
    wa_kinerja = (s6 * 4 + 100 / 90 * 100) / 5  # IK6.1-6.4 and IK8.1 are linked to WA
    assert wa["Capaian Kinerja (%)"] == pytest.approx(wa_kinerja)
    assert wa["Efisiensi (poin)"] == pytest.approx(wa_kinerja - wa["Serapan (%)"])
    assert total["Program"] == "Jumlah"
    assert wa["_cells"]["Pagu (Rp)"].number_format == "#,##0"


def test_totals_are_formulas_with_cached_values(seed_book):
    path = seed_book[0]
    xml = sheet_xml(path, "Anggaran")
    formulas = re.findall(r"<c [^>]*>(<f>.*?</f>)(<v>[^<]*</v>)?</c>", xml)
    assert len(formulas) == 7
    assert all(v and v != "<v></v>" for _, v in formulas)
    cached = openpyxl.load_workbook(path, data_only=True)["Anggaran"]
    assert (cached["C4"].value, cached["H4"].value) == (PAGU_TOTAL, REALISASI_TOTAL)
    assert cached["I4"].value == pytest.approx(REALISASI_TOTAL / PAGU_TOTAL * 100)
    assert openpyxl.load_workbook(path)["Anggaran"]["C4"].value == "=SUM(C2:C3)"


def test_lampiran_pk(wb):
    ws = wb["Lampiran PK"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts[0] == "PERJANJIAN KINERJA TAHUN 2023"
    assert SATKER.upper() in texts
    targets = [ws.cell(r, 4).value for r in range(6, 19)]
    assert targets == ["90%", "90%", "100%", "100%", "100%", "100%", "100%", "78", "B", "WTP", "100%", "100%", "90%"]
    assert "Program Dukungan Manajemen" in texts and "Jumlah" in texts
    assert PAGU_TOTAL in [c.value for row in ws.iter_rows() for c in row]
    i = texts.index("Muara Sabak, 20 September 2023")
    assert texts[i + 1 : i + 3] == ["Ketua KPU Kabupaten Tanjung Jabung Timur", "Hodijatul Qubro"]
    assert "A6:A7" in {str(r) for r in ws.merged_cells.ranges}  # sasaran 1 spans its two indicators
    assert ws.print_area is not None and ws.page_setup.orientation == "portrait"


def test_sumber_sheet_lists_inputs(wb):
    rows = table(wb["Sumber"])
    assert len(rows) == 7  # the PK and six division RAs
    pk = rows[0]
    assert pk["Berkas"].endswith(PK_FILE)
    assert (pk["Jenis"], pk["SHA-256"], pk["Jumlah Baris"]) == ("PK", "a" * 64, 15)
    assert {r["Jenis"] for r in rows[1:]} == {"RA"}
    assert {r["Divisi"] for r in rows[1:]} == set(C.DIVISI)


def test_pk_without_rows_still_writes_every_sheet(tmp_path):
    pk = pk_document(Seed(folder=tmp_path))
    pk.data = PKData()
    result = compute(Resolved(Group(SATKER, 2023, {PK: [pk]})), findings=[])
    path = write(result, tmp_path / "kosong.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEET_NAMES
    assert wb["Pengukuran Kinerja"]["A2"].value == "Tidak ada indikator di PK."
    assert wb["Rencana Aksi"]["A2"].value == "Tidak ada baris Rencana Aksi di antara masukan."
    assert wb["Anggaran"]["A2"].value == "Tidak ada program di lembar Anggaran PK."
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/charts/")]


# --- formatting, charts, printing ----------------------------------------------------------------


def test_charts_exist_and_read_the_right_sheets(seed_book):
    with zipfile.ZipFile(seed_book[0]) as z:
        names = set(z.namelist())
        capaian, serapan = z.read("xl/charts/chart1.xml").decode(), z.read("xl/charts/chart2.xml").decode()
        drawing_rels = z.read("xl/drawings/_rels/drawing1.xml.rels").decode()
        sheet_rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= names and "xl/charts/chart3.xml" not in names
    assert "<c:barChart>" in capaian and "<c:lineChart>" in capaian  # columns plus the 100% line
    assert "Ringkasan!$B$" in capaian and "Ringkasan!$C$" in capaian
    assert "Anggaran!$I$2:$I$3" in serapan and "Anggaran!$A$2:$A$3" in serapan
    assert "chart1.xml" in drawing_rels and "chart2.xml" in drawing_rels
    assert "drawing1.xml" in sheet_rels  # sheet1 is Ringkasan


def test_chart_data_matches_pengukuran(wb):
    ws = wb["Ringkasan"]
    start = next(c.row for c in ws["A"] if c.value == "Kode Indikator")
    data = {ws.cell(r, 1).value: (ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(start + 1, start + 14)}
    assert data["IK1.1"] == (pytest.approx(100 / 90 * 100), 100)
    assert set(data) == set(SEED_CAPAIAN)


def _anchors(path: Path) -> list[tuple[int, int, int, int]]:
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/drawings/drawing1.xml").decode()
    out = []
    for anchor in re.findall(r"<xdr:twoCellAnchor.*?</xdr:twoCellAnchor>", xml, re.S):
        (c1, r1), (c2, r2) = re.findall(r"<xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>", anchor, re.S)[:2]
        out.append((int(r1), int(c1), int(r2), int(c2)))
    return out


def test_charts_do_not_overlap_cells_or_each_other(seed_book):
    path, wb, _ = seed_book
    ws = wb["Ringkasan"]
    anchors = _anchors(path)
    assert len(anchors) == 2
    filled = [(c.row - 1, c.column - 1) for row in ws.iter_rows() for c in row if c.value is not None]
    for r1, c1, r2, c2 in anchors:
        assert not [rc for rc in filled if r1 <= rc[0] <= r2 and c1 <= rc[1] <= c2]
    (a1, _, a2, _), (b1, _, b2, _) = anchors
    assert a2 < b1


def test_kategori_conditional_formats(wb):
    rules = {str(cf.sqref): cf.rules for cf in wb["Pengukuran Kinerja"].conditional_formatting}
    capaian, kategori = rules["I2:I14"], rules["J2:J14"]
    first_band = next(r for r in capaian if r.type == "cellIs")
    assert (first_band.operator, first_band.formula, first_band.dxf.fill.bgColor.rgb) == ("greaterThanOrEqual", ["91"], "FF63BE7B")
    assert capaian[0].type == "containsBlanks"  # blank (not computable) cells stay uncoloured
    by_name = {r.formula[0]: r.dxf.fill.bgColor.rgb for r in kategori}
    assert by_name['"Sangat Baik"'] == "FF63BE7B" and by_name['"Sangat Kurang"'] == "FFFF7C80"
    assert {str(cf.sqref) for cf in wb["Capaian Sasaran"].conditional_formatting} == {"E2:E10", "F2:F10"}


def test_custom_bands_map_onto_the_colour_scale(tmp_path):
    policy = Policy(kategori=(Band(100, "Tercapai"), Band(80, "Hampir"), Band(float("-inf"), "Belum")))
    _, wb = book(tmp_path, policy=policy)
    rules = {str(cf.sqref): cf.rules for cf in wb["Pengukuran Kinerja"].conditional_formatting}
    colours = {r.formula[0]: r.dxf.fill.bgColor.rgb for r in rules["J2:J14"]}
    assert colours == {'"Tercapai"': "FF63BE7B", '"Hampir"': "FFFFEB84", '"Belum"': "FFFF7C80"}


@pytest.mark.parametrize("name", SHEET_NAMES)
def test_print_setup(wb, name):
    ws = wb[name]
    assert int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.orientation == ("portrait" if name == "Lampiran PK" else "landscape")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
    assert ws.oddFooter.left.text == SATKER
    assert ws.oddFooter.right.text == "Halaman &P dari &N"
    assert name in ws.oddHeader.center.text


@pytest.mark.parametrize("name", TABLE_SHEETS)
def test_table_sheets_freeze_filter_and_repeat_header(wb, name):
    ws = wb[name]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert ws.print_title_rows == "$1:$1"
    assert all(c.font.b and c.alignment.wrap_text for c in ws[1] if c.value)


def test_autofilter_covers_the_table(wb):
    assert wb["Pengukuran Kinerja"].auto_filter.ref == "A1:P14"
    assert wb["Anggaran"].auto_filter.ref == "A1:L3"  # the total row stays out of the filter


def test_footer_escapes_ampersand(tmp_path):
    path, wb = book(tmp_path, satker="KPU A & B")
    assert wb["Temuan"].oddFooter.left.text == "KPU A && B"
    assert "&amp;LKPU A &amp;&amp; B&amp;R" in sheet_xml(path, "Temuan")


def test_wrapped_rows_get_room(wb):
    ws = wb["Pengukuran Kinerja"]
    assert ws.row_dimensions[2].height and ws.row_dimensions[2].height >= 3 * 13  # long sasaran text
    assert ws.column_dimensions["E"].width < 35  # long indicator names wrap instead of widening


# --- safety ---------------------------------------------------------------------------------


def test_formula_like_text_stays_text(tmp_path):
    path, wb = book(tmp_path, names={"IK1.1": HYPERLINK}, satker=HYPERLINK)
    hits = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == HYPERLINK]
    assert len(hits) >= 5  # Pengukuran, Rencana Aksi, Progres Triwulan, Lampiran PK, Ringkasan
    assert all(c.data_type == "s" for c in hits)
    assert all(not ws._hyperlinks for ws in wb)
    for name in SHEET_NAMES:
        if name != "Anggaran":
            assert "<f>" not in sheet_xml(path, name)


def test_write_replaces_its_own_earlier_output_but_not_a_foreign_file(tmp_path):
    target = tmp_path / "keluar.xlsx"
    result = consolidated(Seed(folder=tmp_path))
    write(result, target)
    returned = write(result, target)  # rerunning consolidate -o replaces kpu-xl's own output
    assert returned == target.resolve()
    assert openpyxl.load_workbook(target).sheetnames == SHEET_NAMES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keluar.xlsx"]
    target.write_bytes(b"file lama")  # a file kpu-xl did not write: kept unless --timpa
    with pytest.raises(OutputError, match="tidak ditimpa"):
        write(result, target)
    assert target.read_bytes() == b"file lama"
    write(result, target, overwrite=True)
    assert openpyxl.load_workbook(target).sheetnames == SHEET_NAMES


def test_refuses_to_overwrite_an_input(tmp_path):
    result = consolidated(Seed(folder=tmp_path))
    with pytest.raises(OutputError, match="masukan"):
        write(result, tmp_path / PK_FILE)
    with pytest.raises(OutputError, match="masukan"):
        write(result, tmp_path / "a.xlsx", protect=[tmp_path / "sub" / ".." / "a.xlsx"])
    assert list(tmp_path.iterdir()) == []


def test_failure_leaves_no_half_written_file(tmp_path, monkeypatch):
    target = tmp_path / "keluar.xlsx"
    target.write_bytes(b"versi sebelumnya")

    def broken(*args):
        raise RuntimeError("gagal di tengah")

    monkeypatch.setattr(output, "_lampiran", broken)
    with pytest.raises(InternalError, match=r"Galat internal kpu-xl saat menulis keluar\.xlsx \(RuntimeError: gagal di tengah\)") as raised:
        write(consolidated(Seed(folder=tmp_path)), target, overwrite=True)
    assert raised.value.exit_code == 70 and isinstance(raised.value.__cause__, RuntimeError)  # a bug, said as one
    assert target.read_bytes() == b"versi sebelumnya"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keluar.xlsx"]
