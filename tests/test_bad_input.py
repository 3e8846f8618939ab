"""Bad and hostile input: a clear Indonesian answer and a stable code for each, bounded cost,
nothing lost, inputs never modified, and nothing of an input live in what kpu-xl writes.

Every bad file is generated here (from the real templates via the `samples` fixture, or
byte by byte), never committed. Most cases run the real command (`kpu-xl validate --format
json`) on the bad file together with the seven samples and check that the samples were
still read and checked exactly as in a clean run.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import struct
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import PK, RA_HUKUM, RA_KURT, RA_RENDATIN, RA_SEMUA, RA_SOSDIK, RA_TEKNIS, edit, identity_row, run, run_json
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from kpu_xl.api import Options, validate
from kpu_xl.cli import app
from kpu_xl.xlsx.source import Limits, open_xlsx

SAMPLE_KINDS = {PK: "PK", RA_HUKUM: "RA", RA_TEKNIS: "RA", RA_SOSDIK: "RA", RA_RENDATIN: "RA", RA_KURT: "RA", RA_SEMUA: "RA"}
PAYLOADS = (
    '=HYPERLINK("http://contoh.invalid/x","klik")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "@SUM(A1)",
    "http://contoh.invalid/unduh",
    "-2+3",
)


# --- running the command ----------------------------------------------------------------------


def of_file(doc: dict, path: Path) -> list[tuple]:
    return sorted((f["sheet"] or "", f["cell"] or "", f["code"]) for f in doc["findings"] if f["file"] == str(path))


def the_finding(doc: dict, path: Path, code: str) -> dict:
    hits = [f for f in doc["findings"] if f["file"] == str(path) and f["code"] == code]
    assert len(hits) == 1, [(f["file"], f["code"], f["cell"], f["message"]) for f in doc["findings"]]
    return hits[0]


def file_entry(doc: dict, path: Path) -> dict:
    (entry,) = [f for f in doc["files"] if f["file"] == str(path)]
    return entry


@pytest.fixture(scope="session")
def clean(built_samples) -> dict:
    """A clean run of the samples: each sample's findings (by file name) and row count."""
    code, doc = run_json(built_samples)
    assert code == 0
    return {
        "findings": {name: of_file(doc, built_samples / name) for name in SAMPLE_KINDS},
        "rows": {name: file_entry(doc, built_samples / name)["rows"] for name in SAMPLE_KINDS},
    }


def assert_samples_checked(doc: dict, samples: Path, clean: dict, skip: tuple[str, ...] = ()) -> None:
    """The other files of the run were read and checked exactly as in a clean run."""
    for name, kind in SAMPLE_KINDS.items():
        if name in skip:
            continue
        entry = file_entry(doc, samples / name)
        assert (entry["kind"], entry["readable"], entry["rows"]) == (kind, True, clean["rows"][name]), entry
        assert of_file(doc, samples / name) == clean["findings"][name], name


def figures(result) -> list[tuple]:
    """What consolidation computed, per indicator."""
    return [(r.indicator.kode, r.capaian.value, str(r.realisasi)) for r in result.indicators]


@pytest.fixture(scope="session")
def clean_figures(built_samples) -> list[tuple]:
    from kpu_xl.api import consolidate

    return figures(consolidate([built_samples]))


# --- building bad files ---------------------------------------------------------------------------


def sheet_part(path: Path, sheet: str) -> str:
    with open_xlsx(path) as src:
        return src.sheet(sheet).part


def rezip(src: Path, dst: Path, change: dict | None = None, add: dict | None = None, level: int = 6) -> Path:
    """Copy a workbook's zip, changing members (name -> new bytes/str, or a function of the old text)."""
    change, add = change or {}, add or {}
    data = {}
    with zipfile.ZipFile(src) as zin:
        for info in zin.infolist():
            data[info.filename] = zin.read(info)
    tmp = dst.with_name(dst.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zout:
        for name, body in data.items():
            new = change.get(name, body)
            if callable(new):
                new = new(body.decode("utf-8"))
            zout.writestr(name, new.encode("utf-8") if isinstance(new, str) else new)
        for name, body in add.items():
            zout.writestr(name, body.encode("utf-8") if isinstance(body, str) else body)
    tmp.replace(dst)
    return dst


def in_sheet(path: Path, sheet: str, fn) -> Path:  # noqa: ANN001
    """Edit one sheet's XML text in place."""
    return rezip(path, path, {sheet_part(path, sheet): fn})


def cell_xml(ref: str, inner: str, kind: str = "inlineStr"):  # noqa: ANN201
    """A function for in_sheet: replace cell `ref` (keeping its style) by a cell of this type and content."""

    def change(xml: str) -> str:
        pattern = re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', re.S)
        match = pattern.search(xml)
        assert match, ref
        style = re.search(r's="\d+"', match.group("attrs"))
        new = f'<c r="{ref}" {style.group(0) if style else ""} t="{kind}">{inner}</c>'
        return xml[: match.start()] + new + xml[match.end() :]

    return change


def put_text(path: Path, sheet: str, cells: dict[str, str]) -> None:
    """Typed as text by a user (a leading apostrophe in Excel): stays text even when it starts with '='."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for ref, text in cells.items():
        ws[ref].value = text
        ws[ref].data_type = "s"
    wb.save(path)


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE2 compound file (CFB v3, 512-byte sectors) holding these streams.

    Sector 0 is the FAT, sector 1 the directory; each stream (a multiple of 512 bytes,
    at least 4096 so it lives in regular sectors, not the mini stream) follows.
    """
    free, end, fatsect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # directory order
    assert len(names) <= 3
    fat, body = [fatsect, end], b""
    starts = []
    for name in names:
        data = streams[name]
        assert len(data) >= 4096 and len(data) % 512 == 0
        start = len(fat)
        count = len(data) // 512
        fat += [*range(start + 1, start + count), end]
        starts.append(start)
        body += data
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, right: int = free, child: int = free, start: int = end, size: int = 0) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, free, right, child)
            + b"\0" * 16  # CLSID
            + b"\0" * 4  # state bits
            + b"\0" * 16  # creation and modification times
            + struct.pack("<IQ", start, size)
        )

    entries = [entry("Root Entry", 5, child=1)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else free  # a chain of right siblings, in name order
        entries.append(entry(name, 2, right=right, start=starts[i], size=len(streams[name])))
    entries += [b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, free, free, free) + b"\0" * 48] * (4 - len(entries))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
    ) + struct.pack("<109I", 0, *([free] * 108))
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + b"".join(entries) + body


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE file, not a zip."""
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", 123_456) + os.urandom(4088)
    return cfb({"EncryptionInfo": info.ljust(4096, b"\0"), "EncryptedPackage": package})


def legacy_xls() -> bytes:
    return cfb({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00".ljust(4096, b"\0")})


def ods() -> bytes:
    from io import BytesIO

    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")  # stored, first
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
        zf.writestr("content.xml", '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    return buf.getvalue()


def xlsm(src: Path, dst: Path) -> Path:
    """A macro-enabled copy: a vbaProject.bin part, its relationship and the macro content types."""
    vba = cfb({"dir": b'Attribute VB_Name = "Modul1"\r\nSub Auto_Open()\r\nShell "calc.exe"\r\nEnd Sub\r\n'.ljust(4096, b"\0")})
    return rezip(
        src,
        dst,
        change={
            "[Content_Types].xml": lambda x: x.replace(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            ).replace('<Default Extension="xml"', '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject" /><Default Extension="xml"'),
            "xl/_rels/workbook.xml.rels": lambda x: x.replace(
                "</Relationships>",
                '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin" /></Relationships>',
            ),
        },
        add={"xl/vbaProject.bin": vba},
    )


@pytest.fixture
def opened(monkeypatch) -> list[tuple[str, str]]:
    """Every (file name, zip member) read (decompressed) during the test."""
    log: list[tuple[str, str]] = []
    real = zipfile.ZipFile.open

    def spy(self, name, mode="r", *args, **kwargs):  # noqa: ANN001, ANN202
        if mode == "r":
            member = name if isinstance(name, str) else name.filename
            log.append((Path(str(self.filename)).name, member))
        return real(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return log


# File opens seen by the interpreter's audit hook (an audit hook cannot be removed, so one
# module-level hook watches only the paths a test puts in _WATCHED).
_WATCHED: set[str] = set()
_OPENED: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if _WATCHED and event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        if os.fsdecode(args[0]) in _WATCHED:
            _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


# --- files that are not workbooks ------------------------------------------------------------------


def _truncated(samples: Path) -> bytes:
    data = (samples / PK).read_bytes()
    return data[: len(data) * 2 // 3]


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("kosong.xlsx", lambda s: b"", "berkas kosong (0 byte)"),
        ("data.xlsx", lambda s: b"Kode;Indikator;Target\nIK1.1;Persentase;90%\n", "berkas teks/CSV, bukan .xlsx"),
        ("laporan.xlsx", lambda s: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", "berkas PDF, bukan buku kerja"),
        ("terpotong.xlsx", _truncated, "berkas rusak atau terpotong"),
        ("sandi.xlsx", lambda s: encrypted_xlsx(), "berkas terenkripsi (dilindungi kata sandi); buka, hapus kata sandi, simpan ulang"),
        ("lama.xls", lambda s: legacy_xls(), "format Excel 97-2003 (.xls); buka di Excel/LibreOffice lalu simpan sebagai .xlsx"),
        ("calc.ods", lambda s: ods(), "berkas OpenDocument (.ods); simpan sebagai .xlsx"),
    ],
)
def test_not_a_readable_workbook(samples, tmp_path, name, content, says, clean):
    bad = tmp_path / "masuk" / name
    bad.parent.mkdir()
    bad.write_bytes(content(samples))
    before = bad.read_bytes()
    code, doc = run_json(bad.parent, samples)  # the bad file is found in its folder, like any other
    f = the_finding(doc, bad, "berkas-tidak-terbaca")
    assert (f["sheet"], f["cell"], f["severity"]) == (None, None, "error")
    assert f["message"].startswith("Berkas tidak dapat dibaca: ") and says in f["message"]
    assert of_file(doc, bad) == [("", "", "berkas-tidak-terbaca")]
    assert (file_entry(doc, bad)["kind"], file_entry(doc, bad)["readable"]) == (None, False)
    assert code == 1
    assert_samples_checked(doc, samples, clean)
    assert bad.read_bytes() == before


def test_encrypted_file_is_a_real_ole_compound_file():
    # The test file is a well-formed compound file: header, FAT, directory; a reader that
    # walked the directory would find the stream named EncryptedPackage.
    data = encrypted_xlsx()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and len(data) % 512 == 0
    directory = data[1024:1536]
    names = [directory[i : i + 64].decode("utf-16-le").split("\0")[0] for i in range(0, 512, 128)]
    assert names[:3] == ["Root Entry", "EncryptionInfo", "EncryptedPackage"]
    fat = struct.unpack("<128I", data[512:1024])
    start = struct.unpack("<I", directory[2 * 128 + 116 : 2 * 128 + 120])[0]
    chain = [start]
    while fat[chain[-1]] != 0xFFFFFFFE:
        chain.append(fat[chain[-1]])
    assert len(chain) * 512 == 4096


def test_an_unexpected_failure_on_one_file_does_not_stop_the_others(samples, monkeypatch, clean):
    # A bug in kpu-xl (none is known: the fuzz tests hunt for them) must cost one file, not the run.
    import dataclasses

    from kpu_xl.kinds import KINDS

    real = KINDS["PK"]

    def broken(src, doc):  # noqa: ANN001, ANN202
        if doc.path.name == "pk-rusak.xlsx":
            raise OverflowError("int too large to convert to float")
        return real.read(src, doc)

    monkeypatch.setitem(KINDS, "PK", dataclasses.replace(real, read=broken))
    bad = samples.parent / "pk-rusak.xlsx"
    shutil.copy(samples / PK, bad)
    edit(bad, "Perjanjian Kinerja", {"J2": "80%"})
    code, doc = run_json(bad, samples)
    f = the_finding(doc, bad, "berkas-tidak-terbaca")
    assert (f["sheet"], f["cell"]) == (None, None)
    assert "galat di kpu-xl (OverflowError: int too large to convert to float)" in f["message"] and "berkas lain tetap diperiksa" in f["message"]
    assert code == 1
    assert_samples_checked(doc, samples, clean)


# --- macros ---------------------------------------------------------------------------------------


def test_xlsm_values_read_macros_never_run(samples, tmp_path, opened, clean_figures, clean):
    pk = samples / PK
    macro = xlsm(pk, samples / "pk-2023-perubahan.xlsm")
    pk.unlink()  # the satker sent its PK as .xlsm
    out = tmp_path / "anotasi"
    code, doc = run_json(samples, "--annotate", out)
    f = the_finding(doc, macro, "makro-diabaikan")
    assert (f["sheet"], f["cell"], f["severity"]) == (None, None, "warning")
    assert "makro tidak pernah dijalankan" in f["message"]
    assert of_file(doc, macro) == [("", "", "makro-diabaikan")]  # every value read, nothing else to say
    entry = file_entry(doc, macro)
    assert (entry["kind"], entry["readable"], entry["rows"]) == ("PK", True, clean["rows"][PK])
    assert code == 0  # a warning
    assert_samples_checked(doc, samples, clean, skip=(PK,))
    # the macro part was never even decompressed, by the reader or the annotator
    assert not [m for m in opened if m[1].lower().endswith("vbaproject.bin")]
    # the annotated copy is a plain .xlsx: no macros, no macro content type
    with zipfile.ZipFile(out / "pk-2023-perubahan.temuan.xlsx") as z:
        assert not any("vba" in n.lower() for n in z.namelist())
        assert b"macroEnabled" not in z.read("[Content_Types].xml")
    # and consolidation computes the same figures from it
    from kpu_xl.api import consolidate

    assert figures(consolidate([samples])) == clean_figures


# --- zip bombs and XML attacks ----------------------------------------------------------------------


def _bomb(samples: Path, tmp_path: Path, mib: int = 64) -> Path:
    """The PK with `mib` MiB of XML comment inside its main sheet: 64 MiB is ~100 KB on disk."""
    pk = samples / PK
    part = sheet_part(pk, "Perjanjian Kinerja")
    padding = "<!--" + " " * (mib * 2**20) + "-->"
    return rezip(pk, tmp_path / "bom.xlsx", {part: lambda x: x.replace("<sheetData>", padding + "<sheetData>", 1)}, level=9)


def test_zip_bomb_refused_from_the_zip_directory(samples, tmp_path, opened, clean):
    bomb = _bomb(samples, tmp_path)
    assert bomb.stat().st_size < 2**20
    start = time.perf_counter()
    code, doc = run_json(bomb, samples)
    assert time.perf_counter() - start < 5
    f = the_finding(doc, bomb, "berkas-tidak-terbaca")
    assert (f["sheet"], f["cell"]) == (None, None)
    assert "kemungkinan bom zip" in f["message"] and "xl/worksheets/sheet3.xml" in f["message"]
    assert "Limits(max_ratio=...)" in f["message"]  # says which limit, and that it can be raised
    assert not [m for m in opened if m[0] == bomb.name]  # refused before anything was decompressed
    assert code == 1
    assert_samples_checked(doc, samples, clean)


def test_zip_limits_are_settable(samples, tmp_path):
    bomb = _bomb(samples, tmp_path, mib=8)
    assert "kemungkinan bom zip" in validate([bomb]).findings[0].message
    report = validate([bomb], Options(limits=Limits(max_ratio=5_000)))
    assert report.findings == [] and report.files[0]["kind"] == "PK"  # read in full when allowed
    report = validate([samples / PK], Options(limits=Limits(max_uncompressed_bytes=100_000)))
    (f,) = report.findings
    assert f.code == "berkas-tidak-terbaca" and "Limits(max_uncompressed_bytes=...)" in f.message
    report = validate([samples / PK], Options(limits=Limits(max_file_bytes=10_000)))
    (f,) = report.findings
    assert f.code == "berkas-tidak-terbaca" and "Limits(max_file_bytes=...)" in f.message


LAUGHS = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>"


@pytest.mark.parametrize("attack", ["entity-expansion", "external-entity", "external-dtd"])
def test_xml_attacks_refused_and_nothing_outside_read(samples, tmp_path, attack, clean):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("KATA-SANDI-RAHASIA-123")
    if attack == "entity-expansion":  # a billion laughs: 10^10 characters if expanded
        doctype, ref = LAUGHS, "&j;"
    elif attack == "external-entity":
        doctype, ref = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>', "&xxe;"
    else:
        doctype, ref = f'<!DOCTYPE worksheet SYSTEM "{secret.as_uri()}">', "x"
    pk = tmp_path / "pk-diserang.xlsx"
    shutil.copy(samples / PK, pk)

    def inject(xml: str) -> str:
        xml = xml.replace("<t>IK1.1</t>", f"<t>{ref}</t>", 1)
        return doctype + xml if not xml.startswith("<?xml") else xml.replace("?>", "?>" + doctype, 1)

    in_sheet(pk, "Perjanjian Kinerja", inject)
    _WATCHED.add(str(secret))
    try:
        start = time.perf_counter()
        result = run("validate", pk, samples, "--format", "json")
        elapsed = time.perf_counter() - start
    finally:
        _WATCHED.discard(str(secret))
    assert _OPENED == []  # the file named by the document was never opened
    assert "KATA-SANDI" not in result.output
    assert elapsed < 5
    doc = json.loads(result.stdout)
    f = the_finding(doc, pk, "berkas-tidak-terbaca")
    assert (f["sheet"], f["cell"]) == ("Perjanjian Kinerja", None)  # which sheet, not just which file
    assert "deklarasi DTD/entitas XML yang tidak diizinkan" in f["message"] and 'lembar "Perjanjian Kinerja"' in f["message"]
    assert result.exit_code == 1
    assert_samples_checked(doc, samples, clean)


# --- not a kpu-xl template -------------------------------------------------------------------------


def test_workbook_that_is_not_a_template(samples, tmp_path, clean):
    other = tmp_path / "rekap-lain.xlsx"
    wb = Workbook()
    wb.active.title = "Rekap"
    wb.active["A1"] = "Bukan templat"
    wb.create_sheet("Data")
    wb.save(other)
    code, doc = run_json(other, samples)
    f = the_finding(doc, other, "templat-tidak-dikenal")
    assert (f["sheet"], f["cell"]) == (None, None)
    assert 'lembar Identitas tidak ada (lembar yang ada: "Rekap", "Data")' in f["message"]
    assert "kpu-xl template pk" in f["message"]
    assert code == 1
    assert_samples_checked(doc, samples, clean)


@pytest.mark.parametrize(
    "marker, says",
    [
        ("kpu-xl:PK:2", "Templat Perjanjian Kinerja (PK) versi 2 tidak dikenal rilis kpu-xl ini (versi yang dikenal: 1); perbarui kpu-xl"),
        ("kpu-xl:RA:7", "Templat Rencana Aksi (RA) versi 7 tidak dikenal"),
        ("kpu-xl:RKT:1", 'berisi "kpu-xl:RKT:1", bukan penanda templat kpu-xl'),
        ("Templat PK 2023", 'berisi "Templat PK 2023", bukan penanda templat kpu-xl'),
    ],
)
def test_unknown_template_kind_or_version(samples, tmp_path, marker, says, clean):
    bad = tmp_path / "pk-baru.xlsx"
    shutil.copy(samples / PK, bad)
    row = identity_row(load_workbook(bad)["Identitas"], "Kode Templat")
    edit(bad, "Identitas", {f"B{row}": marker})
    code, doc = run_json(bad, samples)
    f = the_finding(doc, bad, "templat-tidak-dikenal")
    assert (f["sheet"], f["cell"]) == ("Identitas", f"B{row}")
    assert says in f["message"]
    assert of_file(doc, bad) == [("Identitas", f"B{row}", "templat-tidak-dikenal")]  # nothing else is guessed
    entry = file_entry(doc, bad)
    assert entry["readable"] is False and entry["rows"] == 0
    if marker.startswith("kpu-xl:PK:") or marker.startswith("kpu-xl:RA:"):
        assert (entry["kind"], entry["template_version"]) == (marker.split(":")[1], int(marker.split(":")[2]))
    assert code == 1
    assert_samples_checked(doc, samples, clean)


# --- a million rows of junk, a used range to XFD1048576 ---------------------------------------------


def _stream_rows(src: Path, dst: Path, sheet: str, rows) -> Path:  # noqa: ANN001
    """Write rows of XML into a sheet, streaming into the zip (never a whole sheet in memory)."""
    part = sheet_part(src, sheet)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            if info.filename != part:
                zout.writestr(info.filename, zin.read(info))
                continue
            head, tail = zin.read(info).decode("utf-8").split("</sheetData>")
            with zout.open(part, "w", force_zip64=True) as fh:
                fh.write(head.encode())
                batch: list[str] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == 10_000:
                        fh.write("".join(batch).encode())
                        batch.clear()
                fh.write("".join(batch).encode())
                fh.write(("</sheetData>" + tail).encode())
    return dst


JUNK_ROWS = 1_000_000
FIRST_JUNK = 152  # the template prepares rows 2..151


@pytest.fixture(scope="session")
def junk_ra(built_samples, tmp_path_factory) -> dict[str, Path]:
    """RA_HUKUM with a million rows of junk below its data: in a far column, or filled down a known one."""
    out = tmp_path_factory.mktemp("sampah")
    src = built_samples / RA_HUKUM
    rows = range(FIRST_JUNK, FIRST_JUNK + JUNK_ROWS)
    (out / "z").mkdir()
    (out / "n").mkdir()
    return {
        "far-column": _stream_rows(src, out / "z" / RA_HUKUM, "Rencana Aksi", (f'<row r="{r}"><c r="Z{r}" t="inlineStr"><is><t>sampah {r}</t></is></c></row>' for r in rows)),
        "filled-down": _stream_rows(src, out / "n" / RA_HUKUM, "Rencana Aksi", (f'<row r="{r}"><c r="N{r}" t="inlineStr"><is><t>lihat folder bukti</t></is></c></row>' for r in rows)),
    }


@pytest.mark.parametrize("kind", ["far-column", "filled-down"])
def test_a_million_rows_of_junk(samples, junk_ra, kind, clean_figures, clean):
    from kpu_xl.api import consolidate

    ra = samples / RA_HUKUM
    shutil.copy(junk_ra[kind], ra)
    data_rows_before_junk = 3  # header and two RA rows
    stop = FIRST_JUNK + Limits().max_rows - data_rows_before_junk
    tracemalloc.start()
    try:
        start = time.perf_counter()
        result = run("validate", samples, "--format", "json")
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 20 and peak < 100 * 2**20, (elapsed, peak)  # measured ~1.5 s and ~10 MB
    doc = json.loads(result.stdout)
    cut = {f["cell"]: f for f in doc["findings"] if f["file"] == str(ra)}
    stopped = cut.pop(f"A{stop}")
    assert (stopped["code"], stopped["sheet"]) == ("data-terpotong", "Rencana Aksi")
    assert f"pembacaan berhenti di baris {stop:,}".replace(",", ".") in stopped["message"]
    if kind == "far-column":
        assert cut == {}
    else:  # the filled-down rows are one range, not 20,000 rows with empty required cells
        (junk,) = cut.values()
        assert (junk["code"], junk["cell"]) == ("data-terpotong", f"A{FIRST_JUNK}")
        assert f"Baris {FIRST_JUNK} sampai {stop - 1:,}".replace(",", ".") in junk["message"]
    assert result.exit_code == 0  # warnings: the real data was all read
    assert file_entry(doc, ra)["rows"] == clean["rows"][RA_HUKUM]
    assert_samples_checked(doc, samples, clean, skip=(RA_HUKUM,))
    assert figures(consolidate([samples])) == clean_figures  # nothing of the real data lost


@pytest.mark.parametrize("last_cell", ["", "x"])
def test_used_range_to_xfd1048576(samples, last_cell, clean):
    pk = samples / PK
    value = f'<c r="XFD1048576" t="inlineStr"><is><t>{last_cell}</t></is></c>' if last_cell else '<c r="XFD1048576" s="1"/>'

    def used_range(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace("</sheetData>", f'<row r="1048576">{value}</row></sheetData>')

    in_sheet(pk, "Perjanjian Kinerja", used_range)
    start = time.perf_counter()
    code, doc = run_json(samples)
    assert time.perf_counter() - start < 5
    if last_cell:  # something beyond the columns read: said, at that cell
        f = the_finding(doc, pk, "data-terpotong")
        assert (f["sheet"], f["cell"]) == ("Perjanjian Kinerja", "XFD1048576")
        assert "kanan kolom GR" in f["message"]
    assert of_file(doc, pk) == ([("Perjanjian Kinerja", "XFD1048576", "data-terpotong")] if last_cell else [])
    assert code == 0
    assert_samples_checked(doc, samples, clean, skip=(PK,))


def test_terminal_output_is_bounded(capsys):
    from rich.console import Console

    from kpu_xl.cli import _print_findings
    from kpu_xl.core.findings import CODES, MAX_SHOWN_PER_FILE, Report, finding

    many = [finding(CODES["nilai-wajib-kosong"], f"Kode Indikator belum diisi (sel A{r}).", "ra.xlsx", "Rencana Aksi", f"A{r}") for r in range(2, 5002)]
    start = time.perf_counter()
    _print_findings(Report([], many, 1), Console(highlight=False, width=120))
    assert time.perf_counter() - start < 10
    out = capsys.readouterr().out
    assert f"... dan {5000 - MAX_SHOWN_PER_FILE} temuan lain di berkas ini tidak ditampilkan (nilai-wajib-kosong {5000 - MAX_SHOWN_PER_FILE})" in out
    assert "A501" in out and "A503 " not in out


# --- cells: formulas without values, wrong types, merges, hidden things ---------------------------


def test_formulas_without_cached_values(samples, clean):
    pk, ra = samples / PK, samples / RA_HUKUM
    edit(pk, "Perjanjian Kinerja", {"J2": "=0.5+0.4", "K3": "=J3"})  # openpyxl saves no cached value
    edit(pk, "Anggaran", {"C2": "=2000000000+28429000"})
    edit(ra, "Rencana Aksi", {"I3": "=1-0"})
    code, doc = run_json(samples)
    assert of_file(doc, pk) == [("Anggaran", "C2", "formula-tanpa-nilai"), ("Perjanjian Kinerja", "J2", "formula-tanpa-nilai"), ("Perjanjian Kinerja", "K3", "formula-tanpa-nilai")]
    assert of_file(doc, ra) == [("Rencana Aksi", "I3", "formula-tanpa-nilai")]
    (f,) = [f for f in doc["findings"] if f["file"] == str(pk) and f["cell"] == "J2"]
    assert "=0.5+0.4" in f["message"] and "simpan ulang" in f["message"]
    assert code == 0  # warnings
    assert_samples_checked(doc, samples, clean, skip=(PK, RA_HUKUM))


@pytest.mark.parametrize(
    "sheet, cell, value, says",
    [
        ("Perjanjian Kinerja", "J2", dt.datetime(2023, 9, 20), 'Target "20 September 2023" tidak valid: sel berformat tanggal'),
        ("Perjanjian Kinerja", "J3", True, 'Target "TRUE" tidak valid: nilai TRUE (benar/salah) bukan angka'),
        ("Perjanjian Kinerja", "J4", "#REF!", 'Target "#REF!" tidak valid: sel berisi galat Excel #REF!'),
        ("Perjanjian Kinerja", "J9", "#DIV/0!", "sel berisi galat Excel #DIV/0!"),
        ("Anggaran", "C2", "#VALUE!", 'Pagu (Rp) "#VALUE!" tidak valid'),
        ("Anggaran", "C3", False, 'Pagu (Rp) "FALSE" tidak valid'),
        ("Anggaran", "C2", "9" * 400, "teks 400 karakter, terlalu panjang untuk sebuah nilai"),  # never parsed
        ("Perjanjian Kinerja", "J9", 1e300, "angka di luar jangkauan"),  # would make capaian infinite
    ],
)
def test_dates_booleans_and_errors_where_numbers_belong_pk(samples, sheet, cell, value, says, clean):
    pk = samples / PK
    edit(pk, sheet, {cell: value})
    code, doc = run_json(samples)
    f = the_finding(doc, pk, "nilai-tidak-valid")
    assert (f["sheet"], f["cell"]) == (sheet, cell)
    assert says in f["message"]
    assert code == 1
    assert_samples_checked(doc, samples, clean, skip=(PK,))


@pytest.mark.parametrize(
    "name, sheet, cell, value, says",
    [
        (RA_KURT, "Rencana Aksi", "I2", dt.date(2023, 3, 31), '"31 Maret 2023" tidak valid'),
        (RA_KURT, "Rencana Aksi", "L3", False, '"FALSE" tidak valid'),
        (RA_KURT, "Rencana Aksi", "D2", "#N/A", "sel berisi galat Excel #N/A"),
        (RA_KURT, "Realisasi Anggaran", "D2", "#REF!", "sel berisi galat Excel #REF!"),
        (RA_HUKUM, "Rencana Aksi", "K2", 1e308, "angka di luar jangkauan"),  # a percent cell: 1e308 x 100 is infinite
    ],
)
def test_dates_booleans_and_errors_where_numbers_belong_ra(samples, name, sheet, cell, value, says, clean):
    ra = samples / name
    edit(ra, sheet, {cell: value})
    code, doc = run_json(samples)
    hits = [f for f in doc["findings"] if f["file"] == str(ra) and f["code"] == "nilai-tidak-valid"]
    assert [(f["sheet"], f["cell"]) for f in hits] == [(sheet, cell)]
    assert says in hits[0]["message"]
    assert code == 1
    assert_samples_checked(doc, samples, clean, skip=(name, PK))  # the PK may now miss a realisasi


def _merge_sasaran(path: Path) -> None:
    # Sasaran 1 has two indicators (rows 2-3): users merge its code and name cells
    wb = load_workbook(path)
    ws = wb["Perjanjian Kinerja"]
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:C3")
    wb.save(path)


def _merge_ra(path: Path) -> None:
    # one Target Tahunan (90% for both) and one Pelaksana for two rows
    wb = load_workbook(path)
    ws = wb["Rencana Aksi"]
    ws.merge_cells("D2:D3")
    ws.merge_cells("M2:M3")
    wb.save(path)


def _hide_rows(path: Path) -> None:
    wb = load_workbook(path)
    wb["Perjanjian Kinerja"].row_dimensions[3].hidden = True
    wb["Anggaran"].row_dimensions[2].hidden = True
    wb.save(path)


def _hide_sheets(path: Path) -> None:
    wb = load_workbook(path)
    wb["Perjanjian Kinerja"].sheet_state = "hidden"
    wb["Anggaran"].sheet_state = "veryHidden"
    wb.active = 0
    wb.save(path)


def _extra_sheets(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb.create_sheet("Catatan Saya", 0)
    ws["A1"] = "Kode Indikator"  # a lookalike header on another sheet changes nothing
    ws["A2"] = "IK9.9"
    ws["B2"] = "=1/0"
    wb.create_sheet("perjanjian kinerja (2)")
    wb.save(path)


@pytest.mark.parametrize("change", [_merge_sasaran, _hide_rows, _hide_sheets, _extra_sheets])
def test_merged_hidden_and_extra_are_read_correctly(samples, change, clean_figures, clean):
    from kpu_xl.api import consolidate

    change(samples / PK)
    code, doc = run_json(samples)
    assert doc["findings"] == [] and code == 0
    assert_samples_checked(doc, samples, clean)
    result = consolidate([samples])
    assert figures(result) == clean_figures
    sasaran = {r.indicator.kode: (r.indicator.kode_sasaran, r.indicator.sasaran) for r in result.indicators}
    assert sasaran["IK1.2"] == sasaran["IK1.1"] and sasaran["IK1.2"][0] == "S1"


def test_merged_cells_in_the_rencana_aksi(samples, clean_figures):
    from kpu_xl.api import consolidate

    _merge_ra(samples / RA_HUKUM)
    code, doc = run_json(samples)
    assert doc["findings"] == [] and code == 0
    result = consolidate([samples])
    assert figures(result) == clean_figures
    rows = {e.row.row: e.row for e in result.ra_entries if e.document.path.name == RA_HUKUM}
    assert rows[3].target_tahunan == rows[2].target_tahunan and rows[3].pelaksana == rows[2].pelaksana != ""


# --- formula-like text stays text in every output ---------------------------------------------------


def _no_live_payload(xlsx: Path) -> list[str]:
    """The payloads found as text cells; fails if any is a formula, a link or a DDE/external part."""
    seen = []
    with zipfile.ZipFile(xlsx) as z:
        names = z.namelist()
        assert not any(n.startswith(("xl/externalLinks", "xl/connections")) for n in names), names
        for n in names:
            if n.endswith(".xml") or n.endswith(".rels"):
                text = z.read(n).decode("utf-8", "replace")
                for f in re.findall(r"<(?:\w+:)?f(?:\s[^>]*)?>(.*?)</(?:\w+:)?f>", text, re.S):
                    assert not any(p.lstrip("=+-@") in html.unescape(f) for p in PAYLOADS), (n, f)  # never a formula
                if n.endswith(".rels"):
                    assert "contoh.invalid" not in text, n  # no link target from user text
    wb = load_workbook(xlsx)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(p in cell.value for p in PAYLOADS):
                    assert cell.data_type == "s" and cell.hyperlink is None, (ws.title, cell.coordinate, cell.data_type)
                    seen.extend(p for p in PAYLOADS if p == cell.value or f'"{p}"' in cell.value)
    return seen


def test_formula_like_text_is_plain_text_in_every_output(samples, tmp_path):
    pk, ra = samples / PK, samples / RA_HUKUM
    put_text(pk, "Perjanjian Kinerja", {f"E{r}": p for r, p in zip(range(2, 8), PAYLOADS)})
    put_text(pk, "Perjanjian Kinerja", {"J10": "=cmd|' /C calc'!A0"})  # in a value cell: quoted in a message
    put_text(ra, "Rencana Aksi", {"C2": PAYLOADS[1], "N2": PAYLOADS[4], "N3": PAYLOADS[3]})
    before = {p: p.read_bytes() for p in (pk, ra)}
    annotated = tmp_path / "anotasi"
    result = run("validate", samples, "--format", "json", "--annotate", annotated)
    doc = json.loads(result.stdout)
    f = the_finding(doc, pk, "nilai-tidak-valid")
    assert f["cell"] == "J10" and "\"=cmd|' /C calc'!A0\"" in f["message"]  # JSON: a string, verbatim
    assert result.exit_code == 1
    assert {p: p.read_bytes() for p in (pk, ra)} == before
    # the annotated copy: every payload still a text cell, nothing live
    copy = annotated / "pk-2023-perubahan.temuan.xlsx"
    assert set(_no_live_payload(copy)) == set(PAYLOADS)
    # the terminal: shown literally
    text = run("validate", samples).stdout
    assert "=cmd|' /C calc'!A0" in text
    # the consolidated workbook
    out = tmp_path / "konsolidasi.xlsx"
    made = run("consolidate", samples, "-o", out, "--izinkan-galat")
    assert made.exit_code == 0, made.output
    assert set(_no_live_payload(out)) == set(PAYLOADS)


# --- long text and control characters ---------------------------------------------------------------


def test_text_over_32767_characters(samples, tmp_path, clean_figures, clean):
    from helpers import write

    from kpu_xl.api import consolidate

    pk = samples / PK
    long = "Persentase " + "sangat panjang " * 3000  # 45,011 characters; openpyxl would cut it, other programs do not
    in_sheet(pk, "Perjanjian Kinerja", cell_xml("E2", f"<is><t>{long}</t></is>"))
    code, doc = run_json(samples, "--annotate", tmp_path / "anotasi")
    f = the_finding(doc, pk, "teks-dibersihkan")
    assert (f["sheet"], f["cell"]) == ("Perjanjian Kinerja", "E2")
    assert "melebihi 32.767 karakter" in f["message"]
    # the cut text is no longer the Renstra's wording for IK1.1: that is said too, and nothing else
    assert of_file(doc, pk) == [("Perjanjian Kinerja", "E2", "indikator-di-luar-renstra"), ("Perjanjian Kinerja", "E2", "teks-dibersihkan")]
    assert code == 0
    assert_samples_checked(doc, samples, clean, skip=(PK,))
    result = consolidate([samples])
    assert len(result.indicators[0].indicator.nama) == 32_767
    assert figures(result) == clean_figures
    written = write(result, tmp_path / "k.xlsx")
    ws = load_workbook(written)["Pengukuran Kinerja"]
    assert all(len(c.value) <= 32_767 for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert (tmp_path / "anotasi" / "pk-2023-perubahan.temuan.xlsx").exists()


def test_control_characters_cleaned(samples, tmp_path, clean_figures, clean):
    # openpyxl refuses control characters, Excel writes them as _xHHHH_ escapes: so does this test
    from kpu_xl.api import consolidate

    ra, pk = samples / RA_HUKUM, samples / PK
    in_sheet(ra, "Rencana Aksi", lambda x: x.replace("<t>Sengketa</t>", "<t>Seng_x0007_keta_x0000_</t>"))
    in_sheet(ra, "Rencana Aksi", cell_xml("I2", "<is><t>25%_x0008_</t></is>"))
    in_sheet(pk, "Perjanjian Kinerja", cell_xml("J2", "<is><t>T8%_x001B_[2J_x009B_</t></is>"))
    code, doc = run_json(samples, "--annotate", tmp_path / "anotasi")
    assert of_file(doc, ra) == [("Rencana Aksi", "C3", "teks-dibersihkan"), ("Rencana Aksi", "I2", "teks-dibersihkan")]
    (kegiatan,) = [f for f in doc["findings"] if f["file"] == str(ra) and f["cell"] == "C3"]
    assert kegiatan["message"] == "Sel C3 berisi karakter kendali yang tidak terlihat; karakter itu dibuang."
    assert of_file(doc, pk) == [("Perjanjian Kinerja", "J2", "nilai-tidak-valid"), ("Perjanjian Kinerja", "J2", "teks-dibersihkan")]
    bad = the_finding(doc, pk, "nilai-tidak-valid")
    assert 'Target "T8%[2J"' in bad["message"]  # cleaned before it is quoted
    assert code == 1
    assert_samples_checked(doc, samples, clean, skip=(PK, RA_HUKUM))
    # no control character reaches the terminal, the JSON text or the annotated copies
    for args in (("--format", "json"), ()):
        out = run("validate", samples, *args).stdout
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out) and "\\u001b" not in out and "\\u0007" not in out
    for name in (PK, RA_HUKUM):
        assert (tmp_path / "anotasi" / name.replace(".xlsx", ".temuan.xlsx")).exists()
    # the cleaned value was read: the RA's 25% still counts
    edit(pk, "Perjanjian Kinerja", {"J2": 0.9}, number_format={"J2": "0%"})
    result = consolidate([samples])
    assert figures(result) == clean_figures
    (row,) = [e.row for e in result.ra_entries if e.document.path.name == RA_HUKUM and e.row.row == 3]
    assert row.kegiatan == "Sengketa"


def test_file_names_are_shown_literally(samples, tmp_path):
    odd = tmp_path / "[bold]pk\x1b[31m\x9b.xlsx"  # rich markup and terminal escapes in a file name
    shutil.copy(samples / PK, odd)
    edit(odd, "Perjanjian Kinerja", {"J2": "T8%"})
    out = run("validate", odd).stdout
    assert "[bold]pk" in out and "nilai-tidak-valid" in out
    assert not re.search(r"[\x1b\x9b]", out)


# --- where outputs go -----------------------------------------------------------------------------


def _with_error(samples: Path) -> None:
    edit(samples / PK, "Perjanjian Kinerja", {"J2": "T8%"})  # so the PK gets an annotated copy


def test_annotate_never_overwrites_an_input(samples, tmp_path):
    _with_error(samples)
    out = tmp_path / "anotasi"
    out.mkdir()
    victim = out / "pk-2023-perubahan.temuan.xlsx"  # also an input of this run
    shutil.copy(samples / PK, victim)
    edit(victim, "Perjanjian Kinerja", {"E2": "Diubah di salinan"})
    before = victim.read_bytes()
    result = run("validate", samples, victim, "--format", "json", "--annotate", out)
    assert result.exit_code == 2
    assert "akan menimpa berkas masukan" in result.stderr and "Traceback" not in result.stderr
    assert victim.read_bytes() == before
    doc = json.loads(result.stdout)  # the report is still complete, and valid JSON
    assert the_finding(doc, victim, "pk-ganda")["cell"] == "B2"


def test_annotate_into_a_missing_folder_creates_it(samples, tmp_path):
    _with_error(samples)
    out = tmp_path / "belum" / "ada" / "anotasi"
    result = run("validate", samples, "--annotate", out)
    assert result.exit_code == 1  # the report's status: a copy was written
    (copy,) = out.iterdir()
    assert copy.name == "pk-2023-perubahan.temuan.xlsx"
    assert oct(copy.stat().st_mode & 0o777) == oct(0o666 & ~_umask())  # an ordinary file, not 0600
    assert "Salinan beranotasi:" in result.stdout


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("how", ["a-file", "no-permission", "disk-full"])
def test_annotate_folder_not_writable(samples, tmp_path, monkeypatch, how):
    import errno

    import kpu_xl.core.files

    _with_error(samples)
    out = tmp_path / "anotasi"
    if how == "a-file":
        out.write_text("bukan folder")
        says = "jalurnya berupa berkas, bukan folder"
    else:  # tests run as root here, so a read-only folder would still be writable: simulate the refusal
        error = PermissionError(errno.EACCES, "Permission denied") if how == "no-permission" else OSError(errno.ENOSPC, "No space left on device")
        says = "tidak ada izin menulis" if how == "no-permission" else "ruang disk penuh"

        def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            raise error

        monkeypatch.setattr(kpu_xl.core.files, "_temp_beside", refuse)  # creating the temporary copy fails
    before = (samples / PK).read_bytes()
    result = run("validate", samples, "--format", "json", "--annotate", out)
    assert result.exit_code == 2
    assert "Salinan beranotasi" in result.stderr and says in result.stderr and "Traceback" not in result.stderr
    json.loads(result.stdout)  # the report is intact
    assert (samples / PK).read_bytes() == before
    if out.is_dir():
        assert list(out.iterdir()) == []


def test_interrupted_annotate_leaves_nothing_behind(samples, tmp_path, monkeypatch):
    from kpu_xl.api import annotate, validate

    edit(samples / PK, "Perjanjian Kinerja", {"J2": "T8%"})  # a finding: the PK gets an annotated copy
    report = validate([samples])
    out = tmp_path / "anotasi"
    out.mkdir()
    old = out / "pk-2023-perubahan.temuan.xlsx"
    old.write_bytes(b"salinan lama")  # a copy from an earlier run survives an interrupted one
    before = (samples / PK).read_bytes()

    def interrupted_save(self, filename):  # noqa: ANN001, ANN202
        Path(filename).write_bytes(b"PK\x03\x04setengah")
        raise KeyboardInterrupt

    monkeypatch.setattr(openpyxl.Workbook, "save", interrupted_save)
    with pytest.raises(KeyboardInterrupt):
        annotate(report, out, overwrite=True)  # the old file is not kpu-xl's: replacing it is asked for
    assert sorted(p.name for p in out.iterdir()) == [old.name] and old.read_bytes() == b"salinan lama"
    assert (samples / PK).read_bytes() == before


def test_interrupted_consolidate_leaves_nothing_behind(samples, tmp_path, monkeypatch):
    import xlsxwriter

    out = tmp_path / "hasil"
    out.mkdir()
    real_close = xlsxwriter.Workbook.close

    def interrupted_close(self):  # noqa: ANN001, ANN202
        real_close(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(xlsxwriter.Workbook, "close", interrupted_close)
    result = CliRunner().invoke(app, ["consolidate", str(samples), "-o", str(out / "k.xlsx")])
    assert result.exit_code != 0
    assert list(out.iterdir()) == []


def test_consolidate_output_equal_to_an_input(samples):
    before = (samples / PK).read_bytes()
    result = run("consolidate", samples, "-o", samples / PK)
    assert result.exit_code == 2
    assert "akan menimpa berkas masukan" in result.output
    assert (samples / PK).read_bytes() == before


def test_consolidate_into_a_missing_folder(samples, tmp_path):
    out = tmp_path / "belum" / "ada" / "k.xlsx"
    result = run("consolidate", samples, "-o", out)
    # a clear error rather than folders made from a mistyped path
    assert result.exit_code == 2 and "tidak ada" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "belum").exists()


def test_consolidate_output_folder_is_a_file(samples, tmp_path):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    result = run("consolidate", samples, "-o", blocker / "k.xlsx")
    assert result.exit_code == 2 and "Hasil tidak dapat ditulis" in result.output
    assert blocker.read_text() == "x"


# --- the same file twice, two PKs --------------------------------------------------------------------


def test_same_file_given_twice(samples, clean_figures):
    from kpu_xl.api import consolidate

    code, doc = run_json(samples, samples / PK)  # the folder, and a file in it
    f = the_finding(doc, samples / PK, "berkas-ganda")
    assert (f["sheet"], f["cell"]) == (None, None)
    assert "diberikan lebih dari sekali" in f["message"]
    assert len(doc["files"]) == 8  # read once
    assert code == 1
    assert [x for x in doc["findings"] if x["code"] != "berkas-ganda"] == []
    assert figures(consolidate([samples, samples / PK], allow_errors=True)) == clean_figures


def test_identical_copy_is_not_counted_twice(samples, tmp_path, clean_figures, clean):
    from kpu_xl.api import consolidate

    copy = tmp_path / "kiriman-ulang" / RA_HUKUM
    copy.parent.mkdir()
    shutil.copy(samples / RA_HUKUM, copy)
    entries = len(consolidate([samples]).ra_entries)
    code, doc = run_json(samples, copy)
    f = the_finding(doc, copy, "berkas-ganda")
    assert f["cell"] is None and f"sama persis dengan {samples / RA_HUKUM}" in f["message"]
    assert [x["code"] for x in doc["findings"]] == ["berkas-ganda"]  # no realisasi-ganda: not read twice
    assert code == 1
    assert_samples_checked(doc, samples, clean)
    result = consolidate([samples, copy], allow_errors=True)
    assert figures(result) == clean_figures
    assert len(result.ra_entries) == entries == 13
    assert len({(e.document.path.name, e.row.row) for e in result.ra_entries}) == len(result.ra_entries)


def test_two_pks_for_one_satker(samples, tmp_path, clean_figures, clean):
    from kpu_xl.api import consolidate

    second = tmp_path / "pk-awal.xlsx"
    shutil.copy(samples / PK, second)
    edit(second, "Perjanjian Kinerja", {"J2": "80%"})  # the PK before its Perubahan
    code, doc = run_json(samples, second)
    f = the_finding(doc, second, "pk-ganda")
    assert (f["sheet"], f["cell"]) == ("Identitas", "B2")
    assert str(samples / PK) in f["message"] and "hanya yang pertama dipakai" in f["message"]
    assert of_file(doc, second) == [("Identitas", "B2", "pk-ganda")]
    assert code == 1
    assert_samples_checked(doc, samples, clean)
    result = consolidate([samples, second], allow_errors=True)
    assert figures(result) == clean_figures  # the first PK's targets, once
    assert len(result.indicators) == 13
