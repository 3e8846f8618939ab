"""Hardening (issue 15): inputs that are not regular files, unreadable paths, .xlsb, kpu-xl's own
outputs and editor leftovers among the inputs, outputs that are not regular files or not kpu-xl's,
annotated copies of merged cells, of renamed sheets and of Strict Open XML, and duplicated headers.

Workbooks are the samples, edited as a user would (helpers.edit, openpyxl), or built byte by byte
where no spreadsheet program makes them (a FIFO, an .xlsb, a Strict Open XML file).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import zipfile
from pathlib import Path

import pytest
from helpers import PK, RA_HUKUM, edit, run, run_json
from openpyxl import load_workbook

from kpu_xl.core import files
from kpu_xl.core.files import OutputError, atomic_write, kpu_xl_output, refuse_foreign, workbook_marks
from kpu_xl.pipeline.collect import collect


class Hung(BaseException):
    """Raised by the alarm: not an OSError or Exception, so no handler in kpu-xl swallows it."""


@pytest.fixture(autouse=True)
def _never_hang():
    """A hang (reading a FIFO or /dev/zero) fails the test instead of stopping the suite."""

    def expired(signum, frame):  # noqa: ANN001, ANN202
        signal.alarm(5)  # again, should the first one be swallowed
        raise Hung("kpu-xl macet: berkas yang bukan berkas biasa dibaca")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def of(doc: dict, path: Path, code: str | None = None) -> list[dict]:
    return [f for f in doc["findings"] if f["file"] == str(path) and (code is None or f["code"] == code)]


def the(doc: dict, path: Path, code: str) -> dict:
    hits = of(doc, path, code)
    assert len(hits) == 1, [(f["file"], f["code"], f["cell"], f["message"]) for f in doc["findings"]]
    return hits[0]


def count(samples: Path) -> int:
    """How many workbooks the samples folder holds before a test adds anything."""
    return len(list(samples.glob("*.xlsx")))


def sample_entries(doc: dict, samples: Path) -> list[str]:
    return sorted(Path(f["file"]).name for f in doc["files"] if f["readable"] and Path(f["file"]).parent == samples)


# --- 1. inputs that hang, and unreadable paths ---------------------------------------------------


def test_fifo_device_and_symlink_to_dev_zero_are_never_opened(samples, tmp_path):
    clean = sample_entries(run_json(samples)[1], samples)
    os.mkfifo(samples / "pipa.xlsx")  # found in the folder
    (samples / "nol.xlsx").symlink_to("/dev/zero")  # found in the folder
    given_fifo = tmp_path / "pipa-langsung"
    os.mkfifo(given_fifo)
    link = tmp_path / "nol-langsung.xlsx"
    link.symlink_to("/dev/zero")
    code, doc = run_json(samples, given_fifo, link, "/dev/null")
    assert code == 1
    for path, what in (
        (samples / "pipa.xlsx", "pipa bernama (FIFO)"),
        (given_fifo, "pipa bernama (FIFO)"),
        (samples / "nol.xlsx", "perangkat karakter"),
        (link, "perangkat karakter"),
        (Path("/dev/null"), "perangkat karakter"),
    ):
        f = the(doc, path, "berkas-tidak-terbaca")
        assert "bukan berkas biasa" in f["message"] and what in f["message"], f["message"]
    assert "tautan simbolik ke /dev/zero" in the(doc, link, "berkas-tidak-terbaca")["message"]
    assert sample_entries(doc, samples) == clean  # the rest was checked
    assert not [f for f in doc["findings"] if f["code"] != "berkas-tidak-terbaca"]


def test_fifo_is_not_opened_by_any_command(samples, tmp_path):
    n = count(samples)
    os.mkfifo(samples / "pipa.xlsx")
    inputs = collect([samples])
    assert samples / "pipa.xlsx" not in [p for p, _ in inputs.files] and len(inputs.files) == n
    assert [f.file for f in inputs.findings] == [str(samples / "pipa.xlsx")]
    result = run("consolidate", samples, "-o", tmp_path / "k.xlsx", "--izinkan-galat")  # returns, does not hang
    assert result.exit_code in (0, 1, 2)


def _refuse_reading(monkeypatch, victim: Path) -> None:
    """Tests run as root, which reads any file whatever its mode: simulate a file without read permission."""
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        if os.fspath(path) == str(victim) and not flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied", str(victim))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    real_builtin_open = open

    def guarded_builtin(file, mode="r", *args, **kwargs):  # noqa: ANN001, ANN202
        if isinstance(file, (str, os.PathLike)) and os.fspath(file) == str(victim) and "r" in mode:
            raise PermissionError(errno.EACCES, "Permission denied", str(victim))
        return real_builtin_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_builtin)


def test_unreadable_file_given_directly_is_a_finding_and_the_rest_is_checked(samples, tmp_path, monkeypatch):
    clean = sample_entries(run_json(samples)[1], samples)
    victim = tmp_path / "rahasia.xlsx"
    shutil.copy(samples / PK, victim)
    _refuse_reading(monkeypatch, victim)
    code, doc = run_json(victim, samples)
    f = the(doc, victim, "berkas-tidak-terbaca")
    assert "tidak ada izin membaca" in f["message"] and "Permission denied" not in f["message"], f["message"]
    assert code == 1 and sample_entries(doc, samples) == clean


def test_unreadable_subfolder_is_a_finding_not_silence(samples, monkeypatch):
    n = count(samples)
    hidden = samples / "arsip"
    hidden.mkdir()
    shutil.copy(samples / PK, hidden / "pk-lama.xlsx")
    real_scandir = os.scandir

    def guarded(path="."):  # noqa: ANN001, ANN202 - root lists any folder: simulate one without permission
        if os.fspath(path) == str(hidden):
            raise PermissionError(errno.EACCES, "Permission denied", str(hidden))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    code, doc = run_json(samples)
    f = the(doc, hidden, "berkas-tidak-terbaca")
    assert f["message"].startswith("Subfolder tidak dapat dibaca") and "tidak ada izin membaca" in f["message"]
    assert code == 1  # it was exit 0: the sub-folder was skipped silently
    assert len(doc["files"]) == n


def test_broken_symlink_and_symlink_loop_in_a_folder(samples):
    n = count(samples)
    (samples / "rusak.xlsx").symlink_to(samples / "tidak-ada.xlsx")
    (samples / "putar.xlsx").symlink_to(samples / "putar.xlsx")
    code, doc = run_json(samples)
    assert "Tautan simbolik rusak" in the(doc, samples / "rusak.xlsx", "berkas-tidak-terbaca")["message"]
    assert "berputar" in the(doc, samples / "putar.xlsx", "berkas-tidak-terbaca")["message"]
    assert code == 1 and len(doc["files"]) == n


# --- 2. Excel binary workbooks -----------------------------------------------------------------------


def _xlsb(path: Path) -> Path:
    """The parts an .xlsb starts with: the relationships point at xl/workbook.bin, a binary part."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            '<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.bin"/></Relationships>',
        )
        z.writestr("xl/workbook.bin", b"\x83\x01\x00\x80\x01\x00\x84\x01\x00")
        z.writestr(
            "xl/_rels/workbook.bin.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.bin"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00\x82\x01\x00")
    return path


def test_xlsb_in_a_folder_or_given_is_told_to_save_as_xlsx(samples, tmp_path):
    clean = sample_entries(run_json(samples)[1], samples)
    found = _xlsb(samples / "ra-lama.XLSB")  # any case of the suffix
    given = _xlsb(tmp_path / "pk-lama.xlsb")
    code, doc = run_json(samples, given)
    for path in (found, given):
        message = the(doc, path, "berkas-tidak-terbaca")["message"]
        assert "Excel biner (.xlsb)" in message and "simpan sebagai .xlsx" in message, message
    assert code == 1 and sample_entries(doc, samples) == clean


# --- 3. kpu-xl's own outputs and editor leftovers among the inputs ---------------------------------


def test_annotated_copies_in_the_input_folder_are_skipped_with_a_note(samples):
    n = count(samples)
    edit(samples / PK, "Perjanjian Kinerja", {"J2": "T8%"})
    first = run("validate", samples, "--annotate", samples)  # the copies land among the inputs
    assert first.exit_code == 1
    copy = samples / "pk-2023-perubahan.temuan.xlsx"
    assert copy.exists()
    # an annotated copy from an earlier release (no mark in its properties), under another name
    older = samples / "a-salinan-lama.xlsx"
    wb = load_workbook(copy)
    wb.properties.description = None
    wb.save(older)
    code, doc = run_json(samples)
    for path in (copy, older):
        note = the(doc, path, "berkas-keluaran-dilewati")
        assert note["severity"] == "warning" and "salinan beranotasi kpu-xl" in note["message"], note
        assert of(doc, path) == [note]
    assert not [f for f in doc["findings"] if f["code"] == "pk-ganda"]
    assert [(f["cell"], f["code"]) for f in of(doc, samples / PK)] == [("J2", "nilai-tidak-valid")]
    assert len(doc["files"]) == n and code == 1
    again = run("validate", samples, "--annotate", samples)  # rerunning replaces its own copies
    assert again.exit_code == 1 and "tidak ditulis" not in again.stderr


def test_a_copy_that_is_not_annotated_is_still_an_input(samples, tmp_path):
    # named like an annotated copy, but its content is a PK: it is read (and is a second PK)
    twin = samples / "pk-2023-perubahan.temuan.xlsx"
    shutil.copy(samples / PK, twin)
    edit(twin, "Perjanjian Kinerja", {"E2": "Diubah di salinan"})
    code, doc = run_json(samples)
    assert not of(doc, twin, "berkas-keluaran-dilewati")
    (entry,) = [f for f in doc["files"] if f["file"] == str(twin)]
    assert entry["kind"] == "PK" and entry["readable"]
    assert the(doc, samples / PK, "pk-ganda")["cell"] == "B2"  # the twin sorts first: it is the first PK


def test_consolidated_workbook_in_the_input_folder_is_skipped_and_replaced(samples):
    n = count(samples)
    out = samples / "konsolidasi.xlsx"
    first = run("consolidate", samples, "-o", out)
    assert first.exit_code == 0, first.output
    code, doc = run_json(samples)
    note = the(doc, out, "berkas-keluaran-dilewati")
    assert "hasil konsolidasi kpu-xl" in note["message"] and of(doc, out) == [note]
    assert code == 0 and len(doc["files"]) == n  # it was templat-tidak-dikenal, exit 1
    before = out.stat().st_mtime_ns
    again = run("consolidate", samples, "-o", out)  # rerunning into the input folder replaces its own output
    assert again.exit_code == 0, again.output
    assert out.stat().st_mtime_ns != before and kpu_xl_output(out) == "hasil konsolidasi kpu-xl"


def test_editor_leftovers_and_temporary_files_are_skipped_with_a_note(samples, tmp_path):
    clean = sample_entries(run_json(samples)[1], samples)
    lock = samples / "~$pk-2023-perubahan.xlsx"
    lock.write_bytes(b"\x05Admin" + b" " * 48 + b"\x00" * 110)  # Excel's owner file: 165 bytes
    apple = samples / "._pk-2023-perubahan.xlsx"
    apple.write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 4000)
    temp = samples / ".konsolidasi.0a1b2c3d.tmp.xlsx"
    temp.write_bytes(b"")  # left by a killed consolidate
    old_temp = samples / ".ra-hukum.tmp.xlsx"
    old_temp.write_bytes(b"PK\x03\x04setengah")
    lo_lock = tmp_path / ".~lock.pk-2023-perubahan.xlsx#"
    lo_lock.write_text(",Admin,pc,28.11.2026 10:00,file:///home/admin/.config/libreoffice/4;")
    code, doc = run_json(samples, lo_lock)
    for path in (lock, apple, temp, old_temp, lo_lock):
        note = the(doc, path, "berkas-keluaran-dilewati")
        assert note["severity"] == "warning" and "dilewati" in note["message"]
        assert of(doc, path) == [note]
    assert code == 0 and sample_entries(doc, samples) == clean  # notes never make an error


def test_a_real_workbook_named_like_a_mac_leftover_is_read(samples):
    n = count(samples)
    shutil.move(samples / RA_HUKUM, samples / f"._{RA_HUKUM}")
    code, doc = run_json(samples)
    assert code == 0 and len(doc["files"]) == n and not doc["findings"]


# --- 4. writing outputs ------------------------------------------------------------------------------


def test_an_output_that_is_a_fifo_or_a_device_is_refused(tmp_path):
    fifo = tmp_path / "hasil.xlsx"
    os.mkfifo(fifo)
    link = tmp_path / "nol.xlsx"
    link.symlink_to("/dev/null")
    built = []
    for dest, what in ((fifo, "pipa bernama (FIFO)"), (link, "perangkat karakter")):
        with pytest.raises(OutputError) as refused:
            atomic_write(dest, built.append)
        assert "bukan berkas biasa" in str(refused.value) and what in str(refused.value) and "tidak diganti" in str(refused.value)
    assert built == []  # nothing was even built
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hasil.xlsx", "nol.xlsx"]  # no temporary file left


def test_template_over_a_fifo_is_refused_by_the_command(tmp_path):
    fifo = tmp_path / "pk.xlsx"
    os.mkfifo(fifo)
    result = run("template", "pk", "-o", fifo)
    assert result.exit_code == 2 and "bukan berkas biasa" in result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_refuse_foreign_keeps_files_kpu_xl_did_not_write(samples, tmp_path):
    refuse_foreign(tmp_path / "baru.xlsx")  # a new path
    filled = samples / RA_HUKUM  # a filled RA: made from a kpu-xl template, but an input
    with pytest.raises(OutputError) as refused:
        refuse_foreign(filled)
    assert "dari templat kpu-xl, mungkin sudah diisi" in str(refused.value) and "--timpa" in str(refused.value)
    other = tmp_path / "catatan.txt"
    other.write_text("milik pengguna")
    with pytest.raises(OutputError, match="tidak dibuat oleh kpu-xl"):
        refuse_foreign(other)
    refuse_foreign(filled, overwrite=True)  # asked explicitly
    refuse_foreign(other, ours=lambda p: p.suffix == ".txt")  # the caller decides what is its own
    fifo = tmp_path / "pipa.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="bukan berkas biasa"):
        refuse_foreign(fifo, overwrite=True)  # never, even when asked


def test_refuse_foreign_replaces_kpu_xl_outputs(samples, tmp_path):
    edit(samples / PK, "Perjanjian Kinerja", {"J2": "T8%"})
    out = tmp_path / "anotasi"
    run("validate", samples, "--annotate", out)
    copy = out / "pk-2023-perubahan.temuan.xlsx"
    refuse_foreign(copy)  # an annotated copy is kpu-xl's own
    assert kpu_xl_output(copy).startswith("salinan beranotasi kpu-xl")
    assert kpu_xl_output(samples / PK) is None


def test_refuse_foreign_replaces_a_consolidated_workbook(samples, tmp_path):
    out = tmp_path / "konsolidasi.xlsx"
    assert run("consolidate", samples, "-o", out).exit_code == 0
    refuse_foreign(out)


def test_properties_are_read_safely(samples, tmp_path):
    entity = '<!DOCTYPE x [<!ENTITY a "Dibuat oleh kpu-xl">]><cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:description>&a;</dc:description></cp:coreProperties>'
    hostile = tmp_path / "entitas.xlsx"
    big = tmp_path / "besar.xlsx"
    with zipfile.ZipFile(samples / PK) as zin, zipfile.ZipFile(hostile, "w") as h, zipfile.ZipFile(big, "w") as b:  # stored: no zip-bomb ratio
        for item in zin.infolist():
            data = zin.read(item)
            h.writestr(item.filename, entity if item.filename == "docProps/core.xml" else data)
            if item.filename == "docProps/core.xml":  # an output's mark, in a part over the size limit
                data = b'<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:description>Dibuat oleh kpu-xl' + b" " * files.MAX_MARK_PART_BYTES + b"</dc:description></cp:coreProperties>"
            b.writestr(item.filename, data)
    assert workbook_marks(hostile).properties == {} and kpu_xl_output(hostile) is None  # no entity expanded
    assert workbook_marks(big).properties == {} and kpu_xl_output(big) is None  # not read past the limit
    with pytest.raises(OutputError):
        refuse_foreign(hostile)


# --- 5. annotated copies ---------------------------------------------------------------------------------


def test_annotate_marks_the_top_left_cell_of_a_merged_range(samples, tmp_path):
    wb = load_workbook(samples / PK)
    ws = wb["Perjanjian Kinerja"]
    ws["J2"] = "T8%"
    ws.merge_cells("J2:J3")  # one target typed for two rows
    wb.save(samples / PK)
    out = tmp_path / "anotasi"
    result = run("validate", samples, "--format", "json", "--annotate", out)
    doc = json.loads(result.stdout)
    assert {f["cell"] for f in of(doc, samples / PK, "nilai-tidak-valid")} == {"J2", "J3"}
    assert result.exit_code == 1, result.stderr  # was 2: "'MergedCell' object attribute 'comment' is read-only"
    copy = load_workbook(out / "pk-2023-perubahan.temuan.xlsx")["Perjanjian Kinerja"]
    assert copy["J2"].comment.text.count("[nilai-tidak-valid]") == 2  # J3's finding is on J2, the range's top-left cell


def test_annotate_finds_a_sheet_whose_title_differs_in_case(samples, tmp_path):
    wb = load_workbook(samples / PK)
    wb["Perjanjian Kinerja"].title = "Sementara"  # openpyxl, like Excel, refuses a rename that only changes case
    wb["Sementara"].title = "perjanjian kinerja"
    wb["perjanjian kinerja"]["D6"] = wb["perjanjian kinerja"]["D5"].value  # a duplicated Kode Indikator
    wb.save(samples / PK)
    out = tmp_path / "anotasi"
    result = run("validate", samples, "--format", "json", "--annotate", out)
    f = the(json.loads(result.stdout), samples / PK, "indikator-ganda")
    assert (f["sheet"], f["cell"]) == ("Perjanjian Kinerja", "D6")  # the check names the sheet as the template does
    copy = load_workbook(out / "pk-2023-perubahan.temuan.xlsx")["perjanjian kinerja"]
    assert copy["D6"].comment is not None and "indikator-ganda" in copy["D6"].comment.text


def _strict(src: Path, dst: Path) -> Path:
    """The workbook in Strict Open XML: the same parts, with the Strict namespaces (as Excel saves it)."""
    swap = (
        (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
        (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships", b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
    )
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith((".xml", ".rels")):
                for old, new in swap:
                    data = data.replace(old, new)
            zout.writestr(item, data)
    return dst


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl's, about the Strict parts it cannot place
def test_annotated_copy_keeps_every_sheet_or_is_not_written(samples, tmp_path):
    edit(samples / PK, "Perjanjian Kinerja", {"J2": "T8%"})
    _strict(samples / PK, samples / "pk-ketat.xlsx")
    (samples / PK).unlink()
    out = tmp_path / "anotasi"
    result = run("validate", samples, "--format", "json", "--annotate", out)
    doc = json.loads(result.stdout)
    assert the(doc, samples / "pk-ketat.xlsx", "nilai-tidak-valid")["cell"] == "J2"  # kpu-xl reads Strict
    assert result.exit_code == 2
    assert "pk-ketat.temuan.xlsx tidak ditulis" in result.stderr and "Strict Open XML" in result.stderr and '"Perjanjian Kinerja"' in result.stderr
    assert not out.exists() or list(out.iterdir()) == []  # was: a copy with only the Temuan sheet


def test_annotated_copy_has_the_input_sheets_and_the_mark(samples, tmp_path):
    edit(samples / PK, "Perjanjian Kinerja", {"J2": "T8%"})
    out = tmp_path / "anotasi"
    assert run("validate", samples, "--annotate", out).exit_code == 1
    marks = workbook_marks(out / "pk-2023-perubahan.temuan.xlsx")
    assert marks.sheets == ["Temuan kpu-xl", *workbook_marks(samples / PK).sheets]
    assert marks.properties["description"].startswith(files.OUTPUT_MARK)


# --- 6. two columns with the same header ------------------------------------------------------------------


def test_two_columns_with_the_same_header(samples):
    wb = load_workbook(samples / PK)
    ws = wb["Perjanjian Kinerja"]
    extra = ws.max_column + 1
    ws.cell(1, extra).value = " target "  # the same header, as the reader compares headers
    ws.cell(2, extra).value = "95%"  # typed in the second column: it was ignored without a word
    wb.save(samples / PK)
    first = next(c.coordinate for c in ws[1] if c.value == "Target")
    second = ws.cell(1, extra).coordinate
    code, doc = run_json(samples)
    f = the(doc, samples / PK, "kolom-ganda")
    assert (f["sheet"], f["cell"], f["severity"]) == ("Perjanjian Kinerja", second, "error")
    assert first in f["message"] and second in f["message"] and '"Target"' in f["message"]
    assert of(doc, samples / PK) == [f]  # the table is still read, from the first column
    assert code == 1
