"""Two kpu-xl installs against each other on the national corpus, run in turns (paired).

A change that moves work between processes is judged against the code before it, on the same
machine at the same time: each round runs A then B, so that load on a shared machine falls on
both alike. Whole commands, start-up included on both sides; medians and every run are printed,
with whether both gave byte-identical output.

Run: python benchmarks/compare.py A/bin/kpu-xl B/bin/kpu-xl [--runs 5] [--corpus /tmp/kpu-xl-corpus]
(each install made with `pip install '<checkout>[bench]'` in a venv of its own; the corpus is
built by benchmarks/corpus.py when missing)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus as corpus_mod  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", help="the kpu-xl console script of the code before")
    ap.add_argument("b", help="the kpu-xl console script of the code after")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=corpus_mod.DEFAULT_ROOT)
    args = ap.parse_args()
    corpus_mod.build(args.corpus)
    target = args.corpus / "satker"
    with tempfile.TemporaryDirectory(prefix="kpu-xl-compare-") as tmp:
        out = Path(tmp)
        cases = {
            "validate, one process per CPU": (["validate", str(target), "--format", "json"], {}),
            "validate, one process (KPU_XL_WORKERS=1)": (["validate", str(target), "--format", "json"], {"KPU_XL_WORKERS": "1"}),
            "rekap, one process per CPU": (["rekap", str(target), "-o", str(out / "rekap.xlsx"), "--timpa", "--format", "json"], {}),
        }
        for name, (argv, env) in cases.items():
            walls: dict[str, list[float]] = {"A": [], "B": []}
            outputs: dict[str, bytes] = {}
            for _ in range(args.runs):
                for side, exe in (("A", args.a), ("B", args.b)):
                    start = time.perf_counter()
                    done = subprocess.run([exe, *argv], capture_output=True, env={**os.environ, **env}, check=False)
                    walls[side].append(time.perf_counter() - start)
                    outputs[side] = done.stdout
            a, b = statistics.median(walls["A"]), statistics.median(walls["B"])
            print(f"{name}: A {a:.2f} s {[round(w, 2) for w in walls['A']]}, B {b:.2f} s {[round(w, 2) for w in walls['B']]}; B/A {b / a:.3f}; same output: {outputs['A'] == outputs['B']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
