"""Start-up and a small corpus, whole processes against their floors (writes the figures to stdout).

1. start-up: `kpu-xl --version` and `kpu-xl --help` against `python -c "import typer"`, the
   least any typer command can cost on this machine (median of --runs runs each);
2. a 140-file corpus (20 satker, each the bundled samples' PK and six RA with its own satker
   name): `kpu-xl validate DIR --format json` against python-calamine loading every cell of
   every sheet of the same files, in one process and in as many processes as kpu-xl reads with
   (one per CPU). Every figure is a whole process, start-up included on both sides.

Run: python benchmarks/startup.py [--runs N] [--corpus DIR]   (needs: pip install '.[bench]')
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples" / "tanjabtim-2023"
SATKER = "KPU Kabupaten Tanjung Jabung Timur"

FLOOR = r"""
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

def load(path):
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    return sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)

files = sorted(Path(sys.argv[1]).rglob("*.xlsx"))
workers = int(sys.argv[2])
if workers == 1:
    rows = sum(map(load, files))
else:
    with ProcessPoolExecutor(workers) as pool:
        rows = sum(pool.map(load, files, chunksize=max(1, len(files) // (workers * 4))))
print(rows)
"""


def build_corpus(root: Path, satker: int = 20) -> list[Path]:
    """satker copies of the samples, each with its own satker name (so no two files are equal)."""
    if root.exists():
        shutil.rmtree(root)
    for n in range(1, satker + 1):
        name = f"KPU Kabupaten Uji {n:02d}".encode()
        folder = root / f"satker-{n:02d}"
        folder.mkdir(parents=True)
        for src in sorted(SAMPLES.glob("*.xlsx")):
            with zipfile.ZipFile(src) as zin, zipfile.ZipFile(folder / src.name, "w", zipfile.ZIP_DEFLATED) as zout:
                for item in zin.infolist():
                    zout.writestr(item, zin.read(item.filename).replace(SATKER.encode(), name))
    return sorted(root.rglob("*.xlsx"))


def timed(cmd: list[str], runs: int, env: dict | None = None) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        out.append(time.perf_counter() - start)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/kpu-xl-corpus-140"))
    args = ap.parse_args(argv)
    kpu = shutil.which("kpu-xl") or sys.exit("kpu-xl is not installed (pip install '.[bench]')")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    med = statistics.median
    typer_s = timed([sys.executable, "-c", "import typer"], args.runs)
    version_s = timed([kpu, "--version"], args.runs)
    help_s = timed([kpu, "--help"], args.runs)
    files = build_corpus(args.corpus)
    small = max(5, args.runs // 4)
    validate_s = timed([kpu, "validate", str(args.corpus), "--format", "json"], small)
    floor1 = timed([sys.executable, "-c", FLOOR, str(args.corpus), "1"], small)
    floorn = timed([sys.executable, "-c", FLOOR, str(args.corpus), str(cpus)], small)
    ms = lambda s: f"{med(s) * 1000:.0f} ms"  # noqa: E731
    print(
        f"start-up ({args.runs} runs each, medians): import typer {ms(typer_s)}; kpu-xl --version {ms(version_s)} "
        f"({med(version_s) / med(typer_s):.2f}x); kpu-xl --help {ms(help_s)} ({med(help_s) / med(typer_s):.2f}x)"
    )
    print(
        f"{len(files)} files ({small} runs each, medians): kpu-xl validate {ms(validate_s)}; calamine, 1 process {ms(floor1)} "
        f"(ratio {med(validate_s) / med(floor1):.2f}x); calamine, {cpus} processes {ms(floorn)} (ratio {med(validate_s) / med(floorn):.2f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
