"""A small run of the national-scale benchmark (benchmarks/), so that it does not rot.

No timings are asserted: the benchmark's figures live in benchmarks/RESULTS.md. What
is asserted is what the figures rest on: the corpus builder makes valid kpu-xl
workbooks whose findings are exactly the mistakes it injected, the parallel path
gives the same report, findings (in order) and consolidated figures as the serial
one, and benchmarks/run.py runs end to end.
"""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from helpers import made_once

import kpu_xl.pipeline.read as read_module
from kpu_xl.api import Options, validate

ROOT = Path(__file__).resolve().parent.parent
SATKER = 4  # 24 files: enough for kpu-xl validate to read them in parallel by itself


def _module(name: str):  # noqa: ANN202
    spec = importlib.util.spec_from_file_location(f"kpu_xl_bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and worker processes look modules up by name
    spec.loader.exec_module(module)
    return module


corpus = _module("corpus")
bench = _module("run")


def _build(root: Path) -> dict:
    # A high error rate so that a small corpus still carries every kind of mistake often.
    return corpus.build(root, count=SATKER, error_rate=0.4, quiet=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    """The corpus, built once for the test run (and only read by the tests: they change copies)."""
    root = made_once(tmp_path_factory, "benchmark-corpus", _build)
    return root, _build(root)  # the second build finds the first one's manifest and reuses it


def test_corpus_has_the_expected_shape(built) -> None:
    root, manifest = built
    files = sorted((root / "satker").rglob("*.xlsx"))
    assert len(files) == 6 * SATKER == manifest["files"]
    assert [s["satker"] for s in manifest["satker"]] == ["KPU Republik Indonesia", "KPU Provinsi Aceh", "KPU Provinsi Sumatera Utara", "KPU Provinsi Sumatera Barat"]
    assert {s["indicators"] for s in manifest["satker"]} == {13, 14, 15, 16}
    assert len({f.read_bytes() for f in files}) == len(files)  # every workbook differs
    assert sum(1 for s in manifest["satker"] if s["shared_strings"]) == SATKER // 2


def test_corpus_findings_are_exactly_the_injected_mistakes(built) -> None:
    root, manifest = built
    expected = Counter(corpus.expected_findings(manifest, root))
    assert sum(expected.values()) >= 4
    report = validate([root / "satker"], Options(workers=1))
    assert Counter((f.file, f.code) for f in report.findings) == expected
    assert report.errors == sum(n for (_, code), n in expected.items() if code != "indikator-tanpa-rencana-aksi")
    assert len(report.files) == 6 * SATKER and all(f["readable"] for f in report.files)


def test_parallel_path_gives_the_serial_results(built) -> None:
    root, _ = built
    target = [root / "satker"]
    serial = validate(target, Options(workers=1))
    parallel = validate(target, Options(workers=2))
    assert parallel.findings == serial.findings  # same findings, same order
    assert [d.display_name for d in parallel.documents] == [d.display_name for d in serial.documents]
    assert parallel.as_dict() == serial.as_dict()
    figures = bench.consolidated_figures(root / "satker", workers=2)
    assert len(figures) == SATKER
    assert figures == bench.consolidated_figures(root / "satker", workers=1)
    assert figures == bench.consolidated_figures(root / "satker", workers=1, fast=False)


def test_a_satker_spread_over_folders_is_still_checked_as_one(built, tmp_path: Path) -> None:
    # Worker tasks take a folder at a time; a group split over folders, or holding a copy of
    # a file, is checked again as a whole, from the workers' compressed copies.
    root, manifest = built
    satker = shutil.copytree(root / "satker", tmp_path / "satker")  # the corpus is shared: change a copy
    first = satker / manifest["satker"][0]["folder"]
    other = tmp_path / "elsewhere"
    other.mkdir()
    for f in sorted(first.glob("ra-*.xlsx"))[:3]:
        f.rename(other / f.name)
    (other / "salinan-pk.xlsx").write_bytes((first / corpus.PK_FILE).read_bytes())
    paths = [satker, other]
    serial = validate(paths, Options(workers=1))
    assert "berkas-ganda" in {f.code for f in serial.findings}
    assert validate(paths, Options(workers=2)).findings == serial.findings


_READ_BATCH = read_module._read_batch


def _dies_in_a_worker(*args):  # noqa: ANN002, ANN202 - a worker killed (out of memory, say) mid-batch
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return _READ_BATCH(*args)


def test_workers_that_die_leave_the_reading_to_the_main_process(built, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = built
    expected = validate([root / "satker"], Options(workers=1)).findings
    monkeypatch.setattr(read_module, "_read_batch", _dies_in_a_worker)  # forked workers see it too
    assert validate([root / "satker"], Options(workers=2, start_method="fork")).findings == expected


def test_benchmark_script_runs_end_to_end(built, tmp_path: Path) -> None:
    root, _ = built
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--corpus", str(root), "--satker", str(SATKER), "--error-rate", "0.4", "--runs", "1", "--startup-runs", "1", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for heading in ("## Machine and versions", "## Corpus", "## Figures", "## Ratios and targets", "## Same results on the fast path", "## Memory"):
        assert heading in text
    assert "FAILED" not in text
    assert "- OK: parallel JSON report == serial (KPU_XL_WORKERS=1), byte for byte" in text
    assert "- OK: findings are exactly the injected ones" in text
    assert json.loads((root / "manifest.json").read_text())["files"] == 6 * SATKER
