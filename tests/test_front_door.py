"""The front door (api.py): work reaches worker processes with what it needs, whatever the start
method or the way files fall into processes; Ctrl-C at any moment; help in Bahasa Indonesia through
click's public classes; one error type, a bug said as a bug.

Each test here failed before the front door was built:
- the policy travelled to the recap's workers in a module global, so under forkserver (what a
  running progress bar makes kpu-xl choose) they computed with the default policy;
- workers checked the groups of the files they happened to read together, so an RA whose Tahun
  could not be read, in another folder than its PK, gave other findings in two processes;
- the signal handlers were installed after `import typer`: Ctrl-C in the first ~0.2 s printed a
  traceback;
- help was made Indonesian by replacing methods inside typer's private copy of click.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import PK, RA_SEMUA, identity_row

from kpu_xl import api
from kpu_xl.core.policy import Band, Policy

# A policy far from the default: every indicator capped at 100%, and two bands only.
CAPPED = Policy(batas_atas=100, kategori=(Band(99.9, "Penuh"), Band(float("-inf"), "Belum Penuh")))
# The seed's satker capaian under it, by hand: S1 and S8 (100/90 = 111,11%) are capped at 100; S6 is
# (75/78 x 100 + 100 + 100 + 100) / 4 = 99,04; the other five sasaran are 100. (7 x 100 + 99,04) / 8.
SATKER_CAPPED = (7 * 100 + (75 / 78 * 100 + 300) / 4) / 8  # 99,88
SATKER_DEFAULT = (2 * 100 / 90 * 100 + 5 * 100 + (75 / 78 * 100 + 300) / 4) / 8  # 102,66


def _renamed(src: Path, dst: Path, name: str) -> None:
    """The sample workbooks as another satker's: the satker name replaced inside every part."""
    dst.mkdir(parents=True)
    for f in sorted(src.glob("*.xlsx")):
        with zipfile.ZipFile(f) as zin, zipfile.ZipFile(dst / f.name, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                zout.writestr(item, zin.read(item.filename).replace(b"KPU Kabupaten Tanjung Jabung Timur", name.encode()))


def _unreadable_year(ra: Path) -> None:
    wb = openpyxl.load_workbook(ra)
    ws = wb["Identitas"]
    ws.cell(identity_row(ws, "Tahun"), 2).value = "dua ribu dua puluh tiga"
    wb.save(ra)


@pytest.fixture(scope="module")
def corpus(built_samples, tmp_path_factory) -> dict[str, Path]:
    """Six satker made from the samples, one of them split: its RA Semua Divisi, whose Tahun cannot be
    read, in a folder of its own (the case the issue reproduced)."""
    root = tmp_path_factory.mktemp("front-door")
    for n in range(6):
        _renamed(built_samples, root / "satker" / f"s{n}", f"KPU Kabupaten Uji {n}")
    split = root / "terpisah"
    shutil.copytree(built_samples, split / "a")
    (split / "b").mkdir()
    shutil.move(split / "a" / RA_SEMUA, split / "b" / RA_SEMUA)
    _unreadable_year(split / "b" / RA_SEMUA)
    return {"satker": root / "satker", "a": split / "a", "b": split / "b"}


def _everything(corpus: dict[str, Path], options: api.Options) -> dict:
    """What validate, consolidate and recap give with these options, as plain data."""
    report = api.validate([corpus["satker"], corpus["a"], corpus["b"]], options).as_dict()
    split = api.consolidate([corpus["a"], corpus["b"]], options, allow_errors=True)
    recap = api.recap([corpus["satker"]], options)
    return {
        "validate": report,
        "consolidate": {
            "satker": split.satker_capaian,
            "kategori": split.satker_kategori,
            "indicators": [(r.indicator.kode, r.capaian.value, r.kategori) for r in split.indicators],
            "findings": [f.as_dict() for f in split.findings],
        },
        "recap": recap.as_dict(),
    }


class _AnotherThread:
    """A second thread running, as rich's progress bar runs one (kpu-xl then never forks by itself)."""

    def __enter__(self) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.stop.wait, daemon=True)
        self.thread.start()

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()


@pytest.fixture(scope="module")
def serial(corpus) -> dict:
    return _everything(corpus, api.Options(policy=CAPPED, workers=1))


def test_one_process_gives_the_policys_figures_and_the_split_satkers_findings(serial):
    # The split satker is consolidated without its unplaced RA (it reports IK6.1, IK6.2, IK6.4 and IK8.1):
    # S8 has no capaian, S6 is IK6.3's (WTP, met: 100), and every other sasaran is capped at 100.
    figures = dict((kode, capaian) for kode, capaian, _ in serial["consolidate"]["indicators"])
    assert [k for k, c in figures.items() if c is None] == ["IK6.1", "IK6.2", "IK6.4", "IK8.1"]
    assert max(figures.values(), key=lambda c: c or 0) == 100 and figures["IK1.1"] == 100  # 100 / 90 capped
    assert serial["consolidate"]["satker"] == 100 and serial["consolidate"]["kategori"] == "Penuh"
    rows = serial["recap"]["satker"]
    assert len(rows) == 6 and all(r["capaian"] == pytest.approx(SATKER_CAPPED) and r["kategori"] == "Belum Penuh" for r in rows)
    # The split satker: its RA's Tahun is said at its cell, and the PK is not blamed for indicators
    # that RA may well cover (it is only not placed): a note that the check was skipped instead.
    split = [(Path(f["file"]).name, f["code"], f["cell"]) for f in serial["validate"]["findings"] if "terpisah" in f["file"]]
    assert split == [(PK, "pemeriksaan-dilewati", None), (RA_SEMUA, "nilai-tidak-valid", "B3")]


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_several_processes_give_the_same_findings_and_figures_under_every_start_method(corpus, serial, method):
    with _AnotherThread():
        parallel = _everything(corpus, api.Options(policy=CAPPED, workers=2, start_method=method))
    assert parallel == serial


def test_the_default_policy_is_the_default_in_workers_too(corpus):
    with _AnotherThread():
        recap = api.recap([corpus["satker"]], api.Options(workers=2, start_method="forkserver"))
    assert all(s.capaian == pytest.approx(SATKER_DEFAULT) for s in recap.satker)


def _kpu_xl() -> list[str]:
    script = Path(sys.executable).with_name("kpu-xl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kpu_xl"]


def test_rekap_kebijakan_is_used_by_the_workers_of_the_cli(corpus, tmp_path):
    # The reproduction: the real command, whose progress bar runs a thread while files are read.
    policy = tmp_path / "kebijakan.toml"
    policy.write_text("[capaian]\nbatas_atas = 100\n", encoding="utf-8")
    said = {}
    for workers in ("1", "2"):
        out = tmp_path / f"rekap-{workers}.xlsx"
        done = subprocess.run(
            [*_kpu_xl(), "rekap", str(corpus["satker"]), "-o", str(out), "--kebijakan", str(policy), "--format", "json"],
            capture_output=True,
            text=True,
            env={**os.environ, "KPU_XL_WORKERS": workers},
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        said[workers] = json.loads(done.stdout)
        ws = openpyxl.load_workbook(out)["Rekap Satker"]
        column = [c.value for c in ws[1]].index("Capaian Satker (%)")
        assert {round(row[column], 6) for row in ws.iter_rows(min_row=2, values_only=True)} == {round(SATKER_CAPPED, 6)}
    assert said["1"] == said["2"]
    assert {round(s["capaian"], 2) for s in said["2"]["satker"]} == {99.88}


def test_validate_of_the_split_folders_is_the_same_in_one_process_and_in_two(corpus):
    docs = {}
    for workers in ("1", "2"):
        done = subprocess.run(
            [*_kpu_xl(), "validate", str(corpus["a"]), str(corpus["b"]), "--format", "json"], capture_output=True, text=True, env={**os.environ, "KPU_XL_WORKERS": workers}, timeout=300
        )
        docs[workers] = json.loads(done.stdout)
    assert docs["1"] == docs["2"]
    assert [f["code"] for f in docs["2"]["findings"]] == ["pemeriksaan-dilewati", "nilai-tidak-valid"]


# --- Ctrl-C at any moment ---------------------------------------------------------------------------

# Loaded by Python at start-up (sitecustomize, from PYTHONPATH), before kpu-xl's own code runs: it
# watches the process's own audit events and sends it SIGINT (or the signal asked for) at the moment
# asked for, once. So each interrupt lands at a known point of the run, whatever the machine's speed.
_INTERRUPTER = """
import os, signal, sys, time

_AT = os.environ["KPU_XL_INTERRUPT_AT"]  # "import:<module>" or "open:<file name part>[#<nth time>]"
_KIND, _, _WANTED = _AT.partition(":")
_WANTED, _, _NTH = _WANTED.partition("#")
_GROUP = os.environ.get("KPU_XL_INTERRUPT_GROUP") == "1"  # to the process group, as a terminal's Ctrl-C
_IN_WORKER = os.environ.get("KPU_XL_INTERRUPT_IN_WORKER") == "1"  # only in a process started after this one
_PID = os.getpid()
_START = time.monotonic()
_SEEN = []


def _hook(event, args):
    if event != _KIND or len(_SEEN) >= int(_NTH or 1) or (_IN_WORKER and os.getpid() == _PID):
        return
    what = args[0] if event == "import" else os.fspath(args[0]) if isinstance(args[0], (str, bytes, os.PathLike)) else ""
    if what == _WANTED if event == "import" else _WANTED in str(what):
        _SEEN.append(1)
        if len(_SEEN) == int(_NTH or 1):
            os.write(2, f"[signal at {_AT}, {time.monotonic() - _START:.3f} s]\\n".encode())
            sig = int(os.environ.get("KPU_XL_INTERRUPT_SIGNAL", signal.SIGINT))
            os.killpg(os.getpgid(0), sig) if _GROUP else os.kill(os.getpid(), sig)


sys.addaudithook(_hook)
"""

# From the start to the end of a `consolidate`: the CLI's own import (typer, the first thing imported
# after the handler), the library's, the progress bar, the first and a later input file opened,
# the workbook writer's import, and the temporary output file being written. Typically 0.05 to 0.5 s.
MOMENTS = [
    "import:typer",
    "import:kpu_xl.api",
    "import:rich.progress",
    f"open:{PK}",
    f"open:{RA_SEMUA}",
    "import:xlsxwriter",
    "open:.konsolidasi.",  # the temporary output being created
    "open:.konsolidasi.#2",  # and being written
]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_or_sigterm_at_any_moment_stops_cleanly_without_a_traceback(built_samples, tmp_path, moment, sig):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_INTERRUPTER, encoding="utf-8")
    out, system_temp = tmp_path / "hasil", tmp_path / "tmp"
    out.mkdir()
    system_temp.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]),
        "KPU_XL_INTERRUPT_AT": moment,
        "KPU_XL_INTERRUPT_SIGNAL": str(int(sig)),
        "KPU_XL_WORKERS": "1",
        "TMPDIR": str(system_temp),
    }
    done = subprocess.run([*_kpu_xl(), "consolidate", str(built_samples), "-o", str(out / "konsolidasi.xlsx")], capture_output=True, text=True, env=env, timeout=120)
    assert f"[signal at {moment}, " in done.stderr, f"nothing was interrupted: {done.stderr}"
    assert done.returncode == 128 + sig, done.stderr  # 130 for Ctrl-C, 143 for SIGTERM
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
    assert done.stderr.rstrip().endswith("Dibatalkan."), done.stderr
    assert list(out.iterdir()) == [] and list(system_temp.iterdir()) == []  # no output, no temporary file left anywhere


def _in_session(session: int) -> list[int]:
    """The processes (zombies aside) of a session: a run's leftover workers."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == session:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to see the workers")
@pytest.mark.parametrize(("moment", "in_worker"), [(f"open:{PK}", True), (f"open:{RA_SEMUA}", True), (f"open:{PK}#2", False), ("open:.konsolidasi.#2", False)])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_to_the_whole_process_group_with_workers_stops_once_and_cleanly(built_samples, tmp_path, moment, in_worker, sig):
    # A terminal's Ctrl-C reaches every process of the foreground group, the workers too. Before: the
    # progress bar's thread made kpu-xl start its workers through a forkserver, and Ctrl-C printed the
    # forkserver's and the resource tracker's tracebacks and "leaked semaphore" warnings.
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_INTERRUPTER, encoding="utf-8")
    out = tmp_path / "hasil"
    out.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]),
        "KPU_XL_INTERRUPT_AT": moment,
        "KPU_XL_INTERRUPT_SIGNAL": str(int(sig)),
        "KPU_XL_INTERRUPT_GROUP": "1",
        "KPU_XL_INTERRUPT_IN_WORKER": "1" if in_worker else "",  # a worker reading, or the main process
        "KPU_XL_WORKERS": "2",
    }
    run = subprocess.Popen(
        [*_kpu_xl(), "consolidate", str(built_samples), "-o", str(out / "konsolidasi.xlsx")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    _, stderr = run.communicate(timeout=120)
    assert f"[signal at {moment}, " in stderr, f"nothing was interrupted: {stderr}"
    assert run.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr and "leaked" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stderr.count("Dibatalkan.") == 1 and stderr.rstrip().endswith("Dibatalkan."), stderr
    assert list(out.iterdir()) == []
    for _ in range(300):  # waited for, not timed: a worker ends as soon as it sees its parent gone
        if not _in_session(run.pid):
            break
        time.sleep(0.1)
    assert not _in_session(run.pid)


# --- help in Bahasa Indonesia, through public interfaces -----------------------------------------------

_ENGLISH = ("Usage:", "Options:", "Arguments:", "Commands:", "Show this message", "[required]", "[default:", "[OPTIONS]", "COMMAND [ARGS]")
HELP_PAGES = [
    [],
    ["validate"],
    ["periksa"],
    ["consolidate"],
    ["gabungkan"],
    ["laporan"],
    ["rekap"],
    ["kebijakan"],
    ["web"],
    ["template"],
    ["templat"],
    ["template", "pk"],
    ["template", "ra"],
    ["templat", "renstra"],
]


@pytest.mark.parametrize("args", HELP_PAGES, ids=lambda a: " ".join(a) or "kpu-xl")
def test_every_help_page_is_in_bahasa_indonesia(args):
    from typer.testing import CliRunner

    from kpu_xl.cli import app

    done = CliRunner().invoke(app, [*args, "--help"], prog_name="kpu-xl")
    assert done.exit_code == 0, done.output
    assert "Pemakaian: kpu-xl" in done.stdout and "Opsi:" in done.stdout and "Tampilkan bantuan ini lalu keluar." in done.stdout
    for english in _ENGLISH:
        assert english not in done.stdout, (english, done.stdout)


def test_the_help_of_the_console_script_is_in_bahasa_indonesia():
    done = subprocess.run([*_kpu_xl(), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Pemakaian: kpu-xl [OPSI] PERINTAH [ARGUMEN]..." in done.stdout, done.stdout
    assert "validate (periksa)" in done.stdout and "consolidate (gabungkan)" in done.stdout and "template (templat)" in done.stdout


_NOTHING_PATCHED = """
import typer, typer.core
classes = [typer.Context, typer.Context.formatter_class, typer.core.TyperCommand, typer.core.TyperGroup, *typer.core.TyperGroup.__mro__[1:-1], *typer.core.TyperCommand.__mro__[1:-1]]
before = {c: dict(vars(c)) for c in classes}
from typer.testing import CliRunner
import kpu_xl.cli
for args in (["--help"], ["consolidate", "--help"], ["template", "ra", "--help"]):
    CliRunner().invoke(kpu_xl.cli.app, args)
changed = [f"{c.__qualname__}.{name}" for c in classes for name in set(vars(c)) | set(before[c]) if vars(c).get(name) is not before[c].get(name)]
print(changed)
"""


def test_help_is_indonesian_without_changing_typer_or_click():
    # The help comes from kpu-xl's own command classes (cls=): typer's and click's classes are left as they are.
    done = subprocess.run([sys.executable, "-c", _NOTHING_PATCHED], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("alias", "name"), [("periksa", "validate"), ("gabungkan", "consolidate"), ("templat", "template")])
def test_indonesian_names_do_what_the_english_ones_do(alias, name, samples):
    from typer.testing import CliRunner

    from kpu_xl.cli import app

    args = {"validate": [str(samples), "--format", "json"], "consolidate": [str(samples), "-o", "{out}"], "template": ["pk", "-o", "{out}"]}[name]
    outputs = []
    for command in (name, alias):
        out = samples.parent / f"{command}.xlsx"
        done = CliRunner().invoke(app, [command, *(a.format(out=out) for a in args)], env={"COLUMNS": "200"})
        assert done.exit_code == 0, done.output
        outputs.append(done.stdout.replace(str(out), "OUT"))
        if name != "validate":
            assert out.exists()
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(("typed", "meant"), [("valdate", "validate"), ("konsolidate", "consolidate"), ("lapran", "laporan"), ("priksa", "periksa")])
def test_a_mistyped_command_suggests_the_nearest(typed, meant, capsys):
    from kpu_xl.cli import run

    assert run([typed, "berkas"]) == 2
    err = capsys.readouterr().err
    assert f'Perintah "{typed}" tidak dikenal; maksudnya: {meant}?' in err, err
    assert "Traceback" not in err and "No such command" not in err


# --- one error type; a bug stays a bug ------------------------------------------------------------------


def test_a_renderer_that_fails_is_reported_as_a_bug_naming_its_file(samples, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import kpu_xl.report.docx as docx_renderer
    from kpu_xl.cli import app

    def broken(*args: object) -> None:
        raise ValueError("tabel 3.3")

    monkeypatch.setattr(docx_renderer, "_bab_iii", broken)
    office = tmp_path / "kop.docx"
    __import__("docx").Document().save(office)
    done = CliRunner().invoke(app, ["laporan", str(samples), "-o", str(tmp_path / "l.docx"), "--templat-laporan", str(office)])
    # Before: any exception while writing with an office template was said to be a template that is no .docx.
    assert done.exit_code == 70, done.output
    assert "Galat internal kpu-xl saat menulis l.docx (ValueError: tabel 3.3)" in done.output
    assert "bukan dokumen Word" not in done.output and "Traceback" not in done.output
    assert not (tmp_path / "l.docx").exists()


def test_a_template_that_is_no_docx_is_the_users_to_fix(samples, tmp_path):
    from typer.testing import CliRunner

    from kpu_xl.cli import app

    office = tmp_path / "kop.docx"
    office.write_bytes(b"bukan dokumen Word")
    done = CliRunner().invoke(app, ["laporan", str(samples), "-o", str(tmp_path / "l.docx"), "--templat-laporan", str(office)])
    assert done.exit_code == 2
    assert "Templat laporan kop.docx tidak dapat dipakai: bukan dokumen Word (.docx)" in done.output


def test_every_error_a_user_can_act_on_is_one_type_with_its_status():
    from kpu_xl.core.errors import KpuXlError
    from kpu_xl.core.files import OutputError
    from kpu_xl.core.policy import PolicyError
    from kpu_xl.report.annotate import AnnotateError
    from kpu_xl.report.docx import TemplateLaporanError
    from kpu_xl.web.pool import JobFailed
    from kpu_xl.web.server import ServeError
    from kpu_xl.web.uploads import UploadRefused
    from kpu_xl.xlsx.template import TemplateError

    for kind in (OutputError, PolicyError, AnnotateError, TemplateLaporanError, TemplateError, ServeError, UploadRefused, api.ConsolidateError, api.Refused):
        assert issubclass(kind, KpuXlError), kind
    assert (api.Refused.exit_code, api.Refused.http_status) == (1, 422)
    assert (UploadRefused.http_status, OutputError.exit_code) == (413, 2)
    assert JobFailed(504, "x").http_status == 504


def test_the_samples_are_checked_by_the_library_as_by_the_command(samples):
    # The library, called as a notebook calls it, and the command give the same report.
    done = subprocess.run([*_kpu_xl(), "validate", str(samples), "--format", "json"], capture_output=True, text=True, timeout=120)
    assert json.loads(done.stdout) == api.validate([samples]).as_dict()


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_each_start_method_really_works_in_other_processes(method):
    # Falling back to this process would give the same results: only the pids show the workers ran.
    with api.Workers(2, method) as workers:
        pids = list(workers.map(os.getpid, [()] * 4))
        assert not workers.fell_back
    assert len(pids) == 4 and os.getpid() not in pids


def test_under_a_deep_temp_folder_the_workers_start_without_forkserver(tmp_path, monkeypatch):
    # forkserver listens on a socket in the temp folder; past 107 bytes it cannot ("AF_UNIX path too
    # long"). The page then failed to start, and a run with a progress bar (a second thread) fell back
    # to one process. Seen under pytest-xdist, whose temp folders are deep.
    deep = tmp_path / ("d" * 80)
    deep.mkdir()
    code = """
import os, threading
from kpu_xl.pipeline import workers
threading.Thread(target=lambda: __import__("time").sleep(5), daemon=True).start()
print(workers.context().get_start_method())
with workers.Workers(2) as w:
    pids = list(w.map(os.getpid, [()] * 4))
print(w.fell_back, os.getpid() in pids)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(deep)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["spawn", "False", "False"]
    import tempfile

    from kpu_xl.pipeline.workers import forkserver_fits

    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    assert forkserver_fits()  # with the usual temp folder, forkserver stays the choice


def test_an_error_of_the_work_is_not_taken_for_a_pool_that_cannot_start():
    # Before: any exception while mapping made the run start again in this process, hiding the first.
    with api.Workers(2) as workers:
        with pytest.raises(ValueError, match="bukan angka"):
            list(workers.map(int, [("1",), ("bukan angka",)]))
        assert not workers.fell_back
    with pytest.raises(ValueError, match="start method"):
        api.Workers(2, "thread")


def test_a_bug_in_the_work_of_a_satker_is_said_as_a_bug_naming_its_files(samples, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("pembagi nol")

    monkeypatch.setattr(api, "check", broken)
    with pytest.raises(api.InternalError) as caught:
        api.validate([samples], api.Options(workers=1))
    assert "ZeroDivisionError: pembagi nol" in caught.value.message
    assert "KPU Kabupaten Tanjung Jabung Timur tahun 2023" in caught.value.message and PK in caught.value.message
    assert caught.value.exit_code == 70


def test_printing_to_a_full_disk_says_so_without_a_traceback(samples):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        done = subprocess.run([*_kpu_xl(), "validate", str(samples), "--format", "json"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Keluaran tidak dapat ditulis: ruang disk penuh" in done.stderr and "Traceback" not in done.stderr


def test_recap_without_any_input_says_why_with_what_was_found(tmp_path):
    (tmp_path / "catatan.txt").write_text("bukan buku kerja")
    with pytest.raises(api.KpuXlError) as caught:
        api.recap([tmp_path])
    assert caught.value.report is not None and caught.value.exit_code == 2


_ORPHANED = """
import os
from kpu_xl.pipeline.workers import new_executor

pool = new_executor(1, "fork")
print(pool.submit(os.getpid).result(), flush=True)
os._exit(0)  # as a run stopped by a signal ends: nothing shut down, a worker started at that moment not known to be killed
"""


def _running(pid: int) -> bool:
    """The process exists and is not a zombie (an orphan's zombie waits for whoever reaps it here)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to see the worker")
def test_a_worker_ends_when_the_process_that_started_it_does():
    # Seen under load: SIGTERM to the process group came while a worker was being forked; the main
    # process ended, the new worker ignored SIGTERM and waited for work for ever, holding the pipes open.
    done = subprocess.run([sys.executable, "-c", _ORPHANED], capture_output=True, text=True, timeout=60, check=True)
    worker = int(done.stdout)
    for _ in range(300):  # waited for, not timed: it ends as soon as it sees its parent gone
        if not _running(worker):
            break
        time.sleep(0.1)
    assert not _running(worker)


def test_a_bug_while_annotating_is_said_as_a_bug_not_as_one_file_not_written(samples, tmp_path, monkeypatch):
    import kpu_xl.report.annotate as annotate

    def broken(*args: object) -> None:
        raise KeyError("lembar")

    monkeypatch.setattr(annotate, "_anchor", broken)
    bad = tmp_path / "masukan"
    shutil.copytree(samples, bad)
    _unreadable_year(bad / RA_SEMUA)  # a finding with a cell, so the file gets an annotated copy
    report = api.validate([bad])
    assert any(f.file.endswith(RA_SEMUA) and f.cell for f in report.findings)
    with pytest.raises(api.InternalError, match="KeyError"):
        api.annotate(report, tmp_path / "anotasi")


def test_laporan_over_its_own_office_template_is_refused_before_any_reading(samples, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import kpu_xl.api as api
    from kpu_xl.cli import app

    office = tmp_path / "kop.docx"
    __import__("docx").Document().save(office)
    before = office.read_bytes()
    monkeypatch.setattr(api, "consolidate", lambda *a, **k: pytest.fail("read the inputs although the output could not be written"))
    done = CliRunner().invoke(app, ["laporan", str(samples), "-o", str(office), "--templat-laporan", str(office)])
    assert done.exit_code == 2, done.output
    assert f"Laporan tidak dapat ditulis: {office} akan menimpa berkas masukan {office}" in done.output
    assert office.read_bytes() == before


def test_an_unknown_template_kind_is_said_with_the_kinds_there_are(tmp_path):
    import kpu_xl.api as api

    with pytest.raises(api.KpuXlError) as said:
        api.template("lkjip", tmp_path / "x.xlsx")
    assert said.value.message == "Jenis templat 'lkjip' tidak dikenal; pilih salah satu: pk, ra, renstra."
    assert said.value.exit_code == 2
    assert not (tmp_path / "x.xlsx").exists()
