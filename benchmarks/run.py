"""Benchmark kpu-xl at national scale and write benchmarks/RESULTS.md.

    python benchmarks/run.py                      # 553 satker, 3 runs each, writes benchmarks/RESULTS.md
    python benchmarks/run.py --runs 5 --wait-idle # wait for a quiet machine first
    python benchmarks/run.py --satker 2 --runs 1 --out /tmp/r.md --corpus /tmp/c   # a smoke run

What it measures, each as the median of --runs runs (every run is listed too):

1. `kpu-xl validate` of one satker (its 6 files), the whole command in a subprocess;
2. `kpu-xl consolidate` of that satker to a temporary workbook;
3. `kpu-xl validate --format json` of the whole corpus, with the peak memory of the
   largest process (ru_maxrss of a fresh wrapper process's children, per run) and,
   from one extra run, the peak of the whole process tree (workers included),
   sampled from /proc;
4. the floor: python-calamine loading every cell of every sheet of the same files
   in one process (the loop only, no start-up), and a naive pipeline:
   pandas.read_excel(engine="openpyxl", sheet_name=None) of every file (loop only).

It also checks that the fast path gives the same results as the plain one: the
JSON report of the parallel run, of a serial run (KPU_XL_WORKERS=1) and of a
serial run without the reader's shortcuts (kpu_xl.xlsx.source.FAST_PATHS = False) must
be byte for byte the same; the findings must be exactly those the corpus builder
injected; and the consolidated figures of every satker (capaian per indicator,
sasaran and satker, budget) must be the same from a parallel and a serial load.

The corpus is built once (benchmarks/corpus.py) and reused; --rebuild rebuilds it.
python-calamine is only needed for the floor: pip install '.[bench]'.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus as corpus_mod  # noqa: E402

# Runs a command as its child and reports wall time and the children's rusage (maxrss = the
# largest single process among them and their waited-for descendants: kpu-xl and its workers).
WRAPPER = r"""
import json, resource, subprocess, sys, time
cmd, out, err = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(out, "wb") as o, open(err, "wb") as e:
    t = time.perf_counter()
    rc = subprocess.call(cmd, stdout=o, stderr=e)
    wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall": wall, "maxrss_kb": ru.ru_maxrss, "user": ru.ru_utime, "sys": ru.ru_stime}))
"""

FLOOR = r"""
import json, sys, time
from python_calamine import CalamineWorkbook
files = json.load(open(sys.argv[1]))
t = time.perf_counter()
cells = 0
for f in files:
    wb = CalamineWorkbook.from_path(f)
    for name in wb.sheet_names:
        cells += sum(len(row) for row in wb.get_sheet_by_name(name).to_python())
print(json.dumps({"seconds": time.perf_counter() - t, "cells": cells}))
"""

# The same, in as many processes as kpu-xl reads with (equal cores); the pool's start is timed too.
FLOOR_PARALLEL = r"""
import json, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from python_calamine import CalamineWorkbook

def load(f):
    wb = CalamineWorkbook.from_path(f)
    return sum(sum(len(row) for row in wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names)

files = json.load(open(sys.argv[1]))
workers = len(os.sched_getaffinity(0))
t = time.perf_counter()
with ProcessPoolExecutor(workers) as pool:
    cells = sum(pool.map(load, files, chunksize=32))
print(json.dumps({"seconds": time.perf_counter() - t, "cells": cells, "workers": workers}))
"""

NAIVE = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import pandas as pd
files = json.load(open(sys.argv[1]))
t = time.perf_counter()
rows = 0
for f in files:
    frames = pd.read_excel(f, sheet_name=None, engine="openpyxl")
    rows += sum(len(df) for df in frames.values())
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows}))
"""

# The serial path without the reader's shortcuts, through the real CLI.
PLAIN_CLI = r"""
import sys
import kpu_xl.xlsx.source
kpu_xl.xlsx.source.FAST_PATHS = False
from kpu_xl.__main__ import main
sys.argv = ["kpu-xl", *sys.argv[1:]]
main()
"""


# --- helpers ------------------------------------------------------------------------------


def kpu_xl_command() -> list[str]:
    exe = shutil.which("kpu-xl")
    return [exe] if exe else [sys.executable, "-m", "kpu_xl"]


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def wait_idle(limit: float, max_wait: float) -> str:
    """Wait (at most max_wait s) until the 1-minute load average is below limit."""
    start = time.time()
    while time.time() - start < max_wait:
        if os.getloadavg()[0] < limit:
            break
        time.sleep(5)
    return f"waited {time.time() - start:.0f} s for a 1-minute load average below {limit} (now {load_average()})"


def machine() -> dict:
    info = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        info["usable cores"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return info


def versions() -> dict:
    out = {}
    for name in ("kpu-xl", "openpyxl", "xlsxwriter", "pandas", "numpy", "python-calamine", "defusedxml", "typer", "rich"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


class TreeSampler(threading.Thread):
    """Samples the summed memory of a process's descendants (via /proc/<pid>/task/*/children).

    Pss (smaps_rollup) where the kernel has it: forked workers share pages with their parent,
    and Pss counts a shared page once over the processes sharing it; VmRSS otherwise.
    """

    def __init__(self, pid: int, every: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_kb = 0
        self.peak_processes = 0
        self.stop = threading.Event()

    def _children(self, pid: int) -> list[int]:
        out = []
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    out += [int(x) for x in fh.read().split()]
        except OSError:
            pass
        return out

    def _rss_kb(self, pid: int) -> int:
        for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
            try:
                with open(path) as fh:
                    for line in fh:
                        if line.startswith(key):
                            return int(line.split()[1])
            except OSError:
                continue
        return 0

    def run(self) -> None:
        while not self.stop.is_set():
            todo, seen = self._children(self.pid), []
            while todo:
                pid = todo.pop()
                seen.append(pid)
                todo += self._children(pid)
            total = sum(self._rss_kb(p) for p in seen)
            if total > self.peak_kb:
                self.peak_kb, self.peak_processes = total, len(seen)
            self.stop.wait(self.every)


def run_wrapped(cmd: list[str], work: Path, env: dict | None = None, sample_tree: bool = False) -> dict:
    """Run cmd through the wrapper; returns wall, rc, maxrss (and the sampled tree peak)."""
    out, err = work / "stdout", work / "stderr"
    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, json.dumps(cmd), str(out), str(err)], stdout=subprocess.PIPE, env=env)
    sampler = TreeSampler(proc.pid) if sample_tree else None
    if sampler:
        sampler.start()
    stdout, _ = proc.communicate()
    if sampler:
        sampler.stop.set()
        sampler.join()
    result = json.loads(stdout)
    if sampler:
        result["tree_peak_kb"] = sampler.peak_kb
        result["tree_processes"] = sampler.peak_processes
    return result


def run_script(script: str, files_json: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", script, str(files_json)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    return json.loads(done.stdout)


def med(values: list[float]) -> float:
    return statistics.median(values)


def fmt_s(v: float) -> str:
    return f"{v:.3f} s" if v < 10 else f"{v:.2f} s"


def runs_text(values: list[float]) -> str:
    return ", ".join(f"{v:.3f}" if v < 10 else f"{v:.2f}" for v in values)


# --- correctness ------------------------------------------------------------------------------


def figures(c) -> dict:  # noqa: ANN001 - consolidate.Consolidated
    """The consolidated figures of one satker, as plain data to compare."""
    from kpu_xl.core.values import Grade, Number

    def v(x):  # noqa: ANN001, ANN202
        return x.value if isinstance(x, Number) else (x.code if isinstance(x, Grade) else x)

    return {
        "satker": c.identity.satker,
        "tahun": c.identity.tahun,
        "satker_capaian": c.satker_capaian,
        "satker_kategori": c.satker_kategori,
        "kategori_counts": c.kategori_counts,
        "indicators": [
            [r.indicator.kode, v(r.indicator.target), v(r.realisasi), [v(q) for q in r.realisasi_tw], r.capaian.value, r.kategori, r.status, r.cumulative_capaian, [str(s) for s in r.sumber], r.errors]
            for r in c.indicators
        ],
        "sasaran": [[s.kode, s.capaian, s.kategori] for s in c.sasaran],
        "programs": [[p.program.kode, p.program.pagu, p.realisasi_tw, p.realisasi, p.serapan, p.capaian_kinerja, p.efisiensi, p.linked] for p in c.programs],
        "totals": [c.pagu_total, c.realisasi_total, c.serapan_total, c.efisiensi_total],
    }


def consolidated_figures(target: Path, workers: int, fast: bool = True) -> list[dict]:
    """Every satker's consolidated figures from one run over the whole corpus (api.session: each group
    computed where it is, as consolidate computes one)."""
    import kpu_xl.xlsx.source as source
    from kpu_xl import api

    before = source.FAST_PATHS
    source.FAST_PATHS = fast
    try:
        # fast=False only takes effect in this process: one worker (workers=1) reads here
        with api.session([target], api.Options(workers=workers)) as s:
            done = s.work([api.Task(figures=True)] * len(s.groups))
    finally:
        source.FAST_PATHS = before
    return [figures(d.figures) for d in done.done if d.figures is not None]


# --- the benchmark --------------------------------------------------------------------------


NOTES = """\
## What was tried, and what stayed

Measured with cProfile and `time.process_time()` per file on the corpus (profiles of
`read_document` over 600 files), then with this script.

* **Where the time went.** Before this work, reading one workbook cost about 5.3 ms of CPU,
  three quarters of it in the expat callbacks of the sheet scan: the templates pre-style 150
  rows of every table (`<c r="K2" s="9"/>`, about 2,100 empty cells in the PK table alone),
  and each empty cell cost a start and an end callback in Python for nothing. The rest:
  parsing `styles.xml` for number formats (~0.3 ms), opening the zip (~0.2 ms), the few
  hundred cells with values, and read.py's work (~0.2 ms).
* **Kept: empty cells and rows filtered out before expat** (`kpu_xl/xlsx/source.py`,
  `_EMPTY_CELLS`, `_EMPTY_ROWS`). A C-speed regex removes, from each chunk of sheet XML,
  empty cells written the way Excel, LibreOffice, openpyxl and xlsxwriter write them
  (`r` first, then only `s`/`t`, no content) when directly followed by `</row>` or by a cell
  whose `r` comes first, then rows left empty (not hidden) followed by a row with `r` or by
  `</sheetData>`. So no remaining element's position, value or hidden state can change;
  removed elements still count against the junk budgets, and a chunk in which a budget could
  run out is not filtered at all, so truncation happens at exactly the same cell as before;
  a CDATA section switches filtering off for the rest of the sheet; prefixed documents
  (`<x:c>`) are never filtered; when a filtered sheet turns out to be malformed, the error is
  taken from a plain parse of the part, so that its line and column are those of the file.
  About -2 ms per file. A first, fully general regex (any attribute order, whitespace) cost
  ~1.5 ms per 70 KB sheet, the strict one ~0.5 ms. `tests/test_fast_paths.py` reads generated
  sheets (hypothesis: empty and full cells with and without `r`, hidden and styled rows,
  malformed XML, small limits, chunks of 16 bytes) with the shortcuts on and off and requires
  the same cells, truncation, hidden rows and columns, merges and error messages.
* **Kept: number formats cached by the styles part's content** (a bytes-keyed dict of at
  most 32 parts of at most 128 KiB): workbooks filled from one template share `styles.xml`
  byte for byte. About -0.25 ms per file.
* **Kept: parallel reading** (`kpu_xl/pipeline/load.py`). From 24 files on (or with
  `KPU_XL_WORKERS` / `load(workers=...)`), a `ProcessPoolExecutor` with one process per CPU
  (fork on Linux when single-threaded) reads runs of files of one folder (a satker's PK and
  RAs, at most 32 files per task), runs the file checks and the set checks of the groups that
  run holds, and sends back compact documents. `load` then groups all documents exactly as
  the serial path does, in input order, and uses a worker's set-check findings for a group
  only when that group's members are exactly the ones the worker checked; any other group
  (a satker spread over folders, a duplicate file) is checked again in the main process.
  Findings and their order are identical to the serial path (checked below).
  The simpler design, workers reading files and the main process running every set check
  after the last file, was not kept: measured per piece, unpickling a full document costs
  ~0.3 ms and a group's set checks ~0.9 ms, a serial tail of about 1.5 s for the corpus.
  Below 24 files the serial path is used: measured, 12 files read in 29 ms serially and
  39 ms in parallel, 24 files 63 ms and 57 ms, 96 files 270 ms and 169 ms.
* **Kept: compact documents for reports** (`load(keep_rows=False)`, used by `kpu-xl validate`
  and `kpu_xl.validate`): workers return documents without their rows plus a pickled,
  zlib-compressed copy (~2 KB; ~5 KB uncompressed, which was the first version) used only when
  a group has to be checked again; the report's file summaries are taken before the rows are
  dropped. Memory no longer holds every workbook's rows (~30 KB per file in the serial path,
  which still does: `KPU_XL_WORKERS=1` or a one-CPU machine). `consolidate` keeps full documents.
* **Not pursued:** reading sheets with python-calamine (fast, but it exposes no number
  formats, and a 0.9 in a percent-formatted cell must read as 90%); a regex XML parser
  instead of expat (fragile, and the safety of the reader rests on expat's defused handlers);
  a first pass reading only the Identitas sheets to know the groups before reading the rest
  (reads every file twice).
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark kpu-xl on a national corpus; writes RESULTS.md.")
    ap.add_argument("--corpus", type=Path, default=corpus_mod.DEFAULT_ROOT, help="corpus folder (outside the repository)")
    ap.add_argument("--satker", type=int, default=corpus_mod.SATKER_COUNT)
    ap.add_argument("--runs", type=int, default=3, help="runs per figure (the median is reported)")
    ap.add_argument("--naive-runs", type=int, default=None, help="runs of the naive pandas pipeline (default: --runs)")
    ap.add_argument("--startup-runs", type=int, default=None, help="runs of each start-up figure (default: 7 x --runs, at least 11)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the corpus even if it is cached")
    ap.add_argument("--error-rate", type=float, default=corpus_mod.ERROR_RATE)
    ap.add_argument("--wait-idle", action="store_true", help="first wait (up to 10 min) for a 1-minute load average below 0.5")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = ap.parse_args(argv)
    naive_runs = args.naive_runs if args.naive_runs is not None else args.runs
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    t_build = time.perf_counter()
    manifest = corpus_mod.build(args.corpus, args.satker, rebuild=args.rebuild, error_rate=args.error_rate)
    build_note = "built now" if time.perf_counter() - t_build > 1 else "reused (cached)"
    target = args.corpus / "satker"
    from kpu_xl.api import collect

    files = [str(p) for p in collect([target]).paths]
    expected = Counter(corpus_mod.expected_findings(manifest, args.corpus))
    clean = [s for s in manifest["satker"] if not s["expected"]]
    one = target / (clean[len(clean) // 2] if clean else manifest["satker"][0])["folder"]
    kpu = kpu_xl_command()
    idle_note = wait_idle(0.5, 600) if args.wait_idle else ""
    load_before = load_average()

    with tempfile.TemporaryDirectory(prefix="kpu-xl-bench-") as tmp:
        work = Path(tmp)
        files_json = work / "files.json"
        files_json.write_text(json.dumps(files))
        for f in files:  # warm the page cache once, for every contender alike
            Path(f).read_bytes()

        results: dict[str, dict] = {}

        def measure(key: str, cmd: list[str], runs: int, ok: tuple[int, ...], env: dict | None = None) -> dict:
            got = []
            for i in range(runs):
                r = run_wrapped(cmd, work, env)
                if r["rc"] not in ok:
                    raise SystemExit(f"{key}: exit {r['rc']}: {(work / 'stderr').read_text()[-2000:]}")
                got.append(r)
                log(f"{key} run {i + 1}: {r['wall']:.3f} s, maxrss {r['maxrss_kb'] / 1024:.0f} MB")
            results[key] = {"walls": [r["wall"] for r in got], "maxrss_mb": [r["maxrss_kb"] / 1024 for r in got]}
            return results[key]

        log(f"corpus: {len(files)} files in {target}; one satker: {one}")
        # A satker without findings, as one that is ready to submit (a corpus with none falls back to one with errors).
        measure("validate_one", [*kpu, "validate", str(one)], args.runs, (0,) if clean else (0, 1))
        out_xlsx = work / "konsolidasi.xlsx"
        measure("consolidate_one", [*kpu, "consolidate", str(one), "-o", str(out_xlsx), *([] if clean else ["--izinkan-galat"])], args.runs, (0,))

        corpus_ok = (0, 1)  # 1: the injected errors
        measure("validate_corpus", [*kpu, "validate", str(target), "--format", "json"], args.runs, corpus_ok)
        parallel_json = (work / "stdout").read_bytes()
        tree = run_wrapped([*kpu, "validate", str(target), "--format", "json"], work, sample_tree=True)
        results["validate_corpus"]["tree_peak_mb"] = tree["tree_peak_kb"] / 1024
        results["validate_corpus"]["tree_processes"] = tree["tree_processes"]
        log(f"tree peak: {tree['tree_peak_kb'] / 1024:.0f} MB over {tree['tree_processes']} processes")

        # Memory against the number of files: about a quarter of the corpus (whole provinces).
        folders, count = [], 0
        for folder in sorted(p for p in target.iterdir() if p.is_dir()):
            if count >= len(files) // 4:
                break
            folders.append(str(folder))
            count += sum(1 for f in files if f.startswith(str(folder) + os.sep))
        part = run_wrapped([*kpu, "validate", *folders, "--format", "json"], work, sample_tree=True)
        results["validate_part"] = {"files": count, "maxrss_mb": part["maxrss_kb"] / 1024, "tree_peak_mb": part["tree_peak_kb"] / 1024}
        log(f"quarter ({count} files): maxrss {part['maxrss_kb'] / 1024:.0f} MB, tree {part['tree_peak_kb'] / 1024:.0f} MB")

        serial_env = {**os.environ, "KPU_XL_WORKERS": "1"}
        measure("validate_corpus_serial", [*kpu, "validate", str(target), "--format", "json"], 1, corpus_ok, serial_env)
        serial_json = (work / "stdout").read_bytes()
        measure("validate_corpus_plain", [sys.executable, "-c", PLAIN_CLI, "validate", str(target), "--format", "json"], 1, corpus_ok, serial_env)
        plain_json = (work / "stdout").read_bytes()

        floor: list[float] | None = []
        floor_note = ""
        try:
            for i in range(args.runs):
                r = run_script(FLOOR, files_json)
                floor.append(r["seconds"])
                log(f"calamine floor run {i + 1}: {r['seconds']:.3f} s ({r['cells']} cells)")
        except RuntimeError as exc:
            floor, floor_note = None, f"not measured: {exc} (pip install '.[bench]')"
        floor_n: list[float] = []
        if floor is not None:
            for i in range(args.runs):
                r = run_script(FLOOR_PARALLEL, files_json)
                floor_n.append(r["seconds"])
                results["floor_workers"] = r["workers"]
                log(f"calamine floor, {r['workers']} processes, run {i + 1}: {r['seconds']:.3f} s")
        results["floor_n"] = floor_n
        naive = []
        for i in range(naive_runs):
            r = run_script(NAIVE, files_json)
            naive.append(r["seconds"])
            log(f"naive pandas/openpyxl run {i + 1}: {r['seconds']:.2f} s")

    load_after = load_average()

    # Correctness.
    report = json.loads(parallel_json)
    got = Counter((f["file"], f["code"]) for f in report["findings"])
    checks = {
        "findings are exactly the injected ones": got == expected,
        "parallel JSON report == serial (KPU_XL_WORKERS=1), byte for byte": parallel_json == serial_json,
        "parallel JSON report == serial without the reader's shortcuts (FAST_PATHS = False)": parallel_json == plain_json,
        "every file reported": report["summary"]["files"] == len(files),
    }
    log("consolidated figures: parallel, serial, serial without shortcuts ...")
    fig_parallel = consolidated_figures(target, workers=2)
    fig_serial = consolidated_figures(target, workers=1)
    fig_plain = consolidated_figures(target, workers=1, fast=False)
    checks[f"consolidated figures of all {len(fig_parallel)} satker: parallel == serial == serial without shortcuts"] = fig_parallel == fig_serial == fig_plain and len(fig_parallel) == len(
        manifest["satker"]
    )
    for k, ok in checks.items():
        log(f"{'OK  ' if ok else 'FAIL'} {k}")

    one_note = "6 files, no findings" if clean else "6 files; no satker of this corpus is free of findings, so this one has some"
    log("start-up and the 140-file corpus (benchmarks/startup.py) ...")
    results["startup_section"] = _startup_section(args.startup_runs if args.startup_runs is not None else max(11, args.runs * 7))
    write_results(args, manifest, build_note, files, one, one_note, results, floor, floor_note, naive, checks, report, expected, load_before, load_after, idle_note)
    log(f"wrote {args.out}")
    return 0 if all(checks.values()) else 1


def _startup_section(runs: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("kpu_xl_bench_startup", HERE / "startup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.markdown(module.measure(runs, Path("/tmp/kpu-xl-corpus-140")))


def write_results(args, manifest, build_note, files, one, one_note, results, floor, floor_note, naive, checks, report, expected, load_before, load_after, idle_note) -> None:  # noqa: ANN001, PLR0913
    m = machine()
    v = versions()
    vo, co, vc = results["validate_one"], results["consolidate_one"], results["validate_corpus"]
    ser, plain = results["validate_corpus_serial"], results["validate_corpus_plain"]
    corpus_s = med(vc["walls"])
    lines = []
    add = lines.append
    add("# kpu-xl at national scale: benchmark results")
    add("")
    add(
        f"Generated by `python benchmarks/run.py{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}` on {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}. "
        f"Every figure is the median of {args.runs} runs (all runs listed, in seconds); commands run as subprocesses, start-up included. "
        "kpu-xl is measured as a user installs it (`pip install '.[bench]'`, not editable: bytecode compiled at install time)."
    )
    add("")
    add("## Machine and versions")
    add("")
    add(f"- CPU: {m.get('cpu', '?')}, {m.get('cores')} cores ({m.get('usable cores', '?')} usable); memory {m.get('memory', '?')}; {m.get('platform')}")
    add(f"- Python {m['python']}; " + ", ".join(f"{k} {val}" for k, val in v.items()))
    add(f"- 1/5/15-minute load average before: {load_before}; after: {load_after}. {idle_note}".rstrip())
    add("")
    add("## Corpus")
    add("")
    n_exp = sum(expected.values())
    n_bad = len({f for f, _ in expected})
    add(
        f"- {len(files)} workbooks of {len(manifest['satker'])} satker (1 PK + 5 RA each, 13 to 30 indicators), "
        f"in `{args.corpus}/satker/<provinsi>/<satker>/`; built by `benchmarks/corpus.py` in {manifest['build_seconds']} s "
        f"({manifest['skeleton_seconds']} s of it for the openpyxl skeletons), {build_note} for this run."
    )
    add(
        f"- {n_bad} files ({100 * n_bad / max(1, len(files)):.1f}%) carry {n_exp} expected findings "
        f"({', '.join(f'{c} {k}' for k, c in Counter(code for _, code in expected.elements()).most_common())})."
    )
    add(f"- One satker: `{one.relative_to(args.corpus)}` ({one_note}).")
    add("")
    add("## Figures")
    add("")
    add("| what | command | median | runs | peak memory |")
    add("|---|---|---|---|---|")
    add(f"| validate one satker | `kpu-xl validate {one.name}/` | {fmt_s(med(vo['walls']))} | {runs_text(vo['walls'])} | {med(vo['maxrss_mb']):.0f} MB |")
    add(f"| consolidate one satker | `kpu-xl consolidate {one.name}/ -o out.xlsx` | {fmt_s(med(co['walls']))} | {runs_text(co['walls'])} | {med(co['maxrss_mb']):.0f} MB |")
    add(
        f"| validate the corpus | `kpu-xl validate satker/ --format json` | {fmt_s(corpus_s)} | {runs_text(vc['walls'])} | "
        f"largest process {med(vc['maxrss_mb']):.0f} MB; whole tree {vc['tree_peak_mb']:.0f} MB ({vc['tree_processes']} processes) |"
    )
    add(f"| same, serial (`KPU_XL_WORKERS=1`) | one run | {fmt_s(ser['walls'][0])} | | {ser['maxrss_mb'][0]:.0f} MB |")
    add(f"| same, serial, reader shortcuts off (`FAST_PATHS = False`, about the code before this work) | one run | {fmt_s(plain['walls'][0])} | | {plain['maxrss_mb'][0]:.0f} MB |")
    if floor:
        add(f"| floor: python-calamine loads every cell of every sheet, one process | loop only | {fmt_s(med(floor))} | {runs_text(floor)} | |")
        fn = results.get("floor_n") or []
        if fn:
            add(f"| floor, equal cores: the same in {results['floor_workers']} processes (as many as kpu-xl reads with) | pool and loop | {fmt_s(med(fn))} | {runs_text(fn)} | |")
    else:
        add(f"| floor: python-calamine | {floor_note} | | | |")
    add(f'| naive: `pandas.read_excel(f, sheet_name=None, engine="openpyxl")` every file | loop only | {fmt_s(med(naive))} | {runs_text(naive)} | |')
    add("")
    add("## Ratios and targets")
    add("")
    add("| target | figure | met |")
    add("|---|---|---|")
    add(f"| one-satker validate < 1 s, start-up included | {fmt_s(med(vo['walls']))} | {'yes' if med(vo['walls']) < 1 else 'no'} |")
    add(f"| one-satker consolidate < 1 s, start-up included | {fmt_s(med(co['walls']))} | {'yes' if med(co['walls']) < 1 else 'no'} |")
    if floor:
        ratio = corpus_s / med(floor)
        add(f"| corpus validate within 2x the calamine floor | {ratio:.2f}x the floor | {'yes' if ratio <= 2 else 'no'} |")
        if results.get("floor_n"):
            add(f"| corpus validate against the equal-cores floor ({results['floor_workers']} processes each) | {corpus_s / med(results['floor_n']):.2f}x that floor | |")
    speedup = med(naive) / corpus_s
    add(f"| corpus validate at least 5x faster than the naive pipeline | {speedup:.1f}x faster | {'yes' if speedup >= 5 else 'no'} |")
    peak = max(vc["tree_peak_mb"], med(vc["maxrss_mb"]))
    add(f"| peak memory < 500 MB | {peak:.0f} MB (whole process tree) | {'yes' if peak < 500 else 'no'} |")
    add(f"| serial -> parallel | {ser['walls'][0] / corpus_s:.2f}x faster | |")
    add(f"| reader shortcuts off -> on (serial) | {plain['walls'][0] / ser['walls'][0]:.2f}x faster | |")
    add("")
    add("The corpus figure includes the command's start-up (about as long as the one-satker run); the floor and the naive")
    add("figures are their loops alone, so the ratios are, if anything, unfavourable to kpu-xl.")
    add("")
    lines.extend(results.get("startup_section", []))
    add("## Same results on the fast path")
    add("")
    for k, ok in checks.items():
        add(f"- {'OK' if ok else '**FAILED**'}: {k}")
    add(f"- The corpus report: {report['summary']['errors']} errors, {report['summary']['warnings']} warnings in {report['summary']['files']} files.")
    add("")
    add("## Memory")
    add("")
    add("Peak memory is measured per run as `ru_maxrss` of the children of a fresh wrapper process (the largest single")
    add("process: the main one or a worker), and once as the sum of Pss over the whole process tree (main process and")
    add("workers; shared pages counted once), sampled from /proc every 20 ms.")
    add("")
    part = results["validate_part"]
    add("| files validated | largest process | whole tree |")
    add("|---|---|---|")
    add(f"| {part['files']} (a quarter: whole provinces) | {part['maxrss_mb']:.0f} MB | {part['tree_peak_mb']:.0f} MB |")
    add(f"| {len(files)} (all) | {med(vc['maxrss_mb']):.0f} MB | {vc['tree_peak_mb']:.0f} MB |")
    add("")
    growth = (med(vc["maxrss_mb"]) - part["maxrss_mb"]) * 1024 / max(1, len(files) - part["files"])
    add(f"The largest process grows by about {growth:.1f} KB per additional file: `kpu-xl validate` keeps compact documents")
    add("(identity, findings and file summary; the rows are dropped) plus a compressed pickled copy of each (~2 KB) that is")
    add("used only when a satker's files were not all read by the same worker task; it does not hold every workbook's rows.")
    add("The serial path (`KPU_XL_WORKERS=1`, or a one-CPU machine) still holds every document until the set checks:")
    add(f"{ser['maxrss_mb'][0]:.0f} MB for the whole corpus.")
    add("")
    add(NOTES.rstrip())
    add("")
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    for section in ("rekap", "web"):  # the sections of benchmarks/rekap.py and benchmarks/web.py are kept
        start, end = f"<!-- {section} -->", f"<!-- /{section} -->"
        if start in old and end in old:
            lines += ["", old[old.index(start) : old.index(end) + len(end)]]
    args.out.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
