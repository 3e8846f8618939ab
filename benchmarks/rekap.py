"""`kpu-xl rekap` at national scale: time against `validate`, memory of the whole process tree at
100, 300 and 553 satker, and the same figures whichever way they are computed.

Uses the national corpus of benchmarks/corpus.py (built if missing) and writes its section of
benchmarks/RESULTS.md (between the rekap markers; run.py keeps the section when it rewrites the file).

Run: python benchmarks/rekap.py [--corpus DIR] [--runs N]     (kpu-xl installed: pip install '.[bench]')
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus as corpus_mod  # noqa: E402
import run as run_mod  # noqa: E402

START, END = "<!-- rekap -->", "<!-- /rekap -->"


def satker_folders(root: Path) -> list[Path]:
    """One folder per satker: satker/00-kpu-ri/ holds KPU RI's files, satker/<provinsi>/<satker>/ the others'."""
    out = []
    for prov in sorted(p for p in (root / "satker").iterdir() if p.is_dir()):
        if any(prov.glob("*.xlsx")):
            out.append(prov)
        out.extend(sorted(p for p in prov.iterdir() if p.is_dir()))
    return out


def measure(root: Path, runs: int) -> dict:
    kpu = run_mod.kpu_xl_command()
    folders = satker_folders(root)
    out: dict = {"satker": len(folders), "runs": runs}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        validate = [run_mod.run_wrapped([*kpu, "validate", str(root / "satker"), "--format", "json"], work)["wall"] for _ in range(runs)]
        rekap = [run_mod.run_wrapped([*kpu, "rekap", str(root / "satker"), "-o", str(work / "r.xlsx"), "--timpa", "--format", "json"], work)["wall"] for _ in range(runs)]
        out["validate"], out["rekap"] = validate, rekap
        memory = {}
        for n in (100, 300, len(folders)):
            r = run_mod.run_wrapped([*kpu, "rekap", *map(str, folders[:n]), "-o", str(work / f"r{n}.xlsx"), "--timpa", "--format", "json"], work, sample_tree=True)
            memory[n] = (r["tree_peak_kb"] / 1024, r["maxrss_kb"] / 1024, r["tree_processes"])
        out["memory"] = memory
    from kpu_xl.api import Options, consolidate, recap

    parallel = recap([root / "satker"], Options(workers=2))
    serial = recap([root / "satker"], Options(workers=1))
    out["same_parallel_serial"] = json.dumps(parallel.as_dict(), sort_keys=True) == json.dumps(serial.as_dict(), sort_keys=True)
    by_name = {s.satker: s for s in parallel.satker}
    differ = []
    for folder in folders:
        alone = consolidate([folder], allow_errors=True)
        got = by_name.get(alone.identity.satker)
        same = got is not None and ((got.capaian is None and alone.satker_capaian is None) or abs(got.capaian - alone.satker_capaian) < 1e-9)
        same = same and got.figures.serapan == alone.serapan_total and got.errors == len(alone.errors)
        if not same:
            differ.append(folder.name)
    out["same_as_consolidate"] = not differ
    out["differ"] = differ[:5]
    return out


def section(m: dict) -> str:
    med = statistics.median
    v, r = med(m["validate"]), med(m["rekap"])
    lines = [
        START,
        "## `kpu-xl rekap` at national scale",
        "",
        f"Made by `python benchmarks/rekap.py` on the corpus above ({m['satker']} satker); medians of {m['runs']} runs, whole commands, start-up included.",
        "",
        "| what | median | runs |",
        "|---|---|---|",
        f"| `kpu-xl validate satker/ --format json` | {v:.3f} s | {', '.join(f'{x:.3f}' for x in m['validate'])} |",
        f"| `kpu-xl rekap satker/ -o rekap.xlsx --format json` | {r:.3f} s | {', '.join(f'{x:.3f}' for x in m['rekap'])} |",
        "",
        f"rekap / validate: **{r / v:.2f}x** (target at most 1.3x: {'met' if r / v <= 1.3 else 'not met'}).",
        "",
        "| satker | whole process tree (peak) | largest process | processes |",
        "|---|---|---|---|",
        *(f"| {n} | {tree:.0f} MB | {largest:.0f} MB | {procs} |" for n, (tree, largest, procs) in sorted(m["memory"].items(), key=lambda kv: int(kv[0]))),
        "",
        "Each satker is computed in the worker that read its files, and only its figures come back, so memory does not",
        "hold the country's documents (target: under 300 MB, flat in the number of satker).",
        "",
        f"- {'OK' if m['same_parallel_serial'] else '**FAILED**'}: the recap from worker processes == the one-process recap",
        f"- {'OK' if m['same_as_consolidate'] else '**FAILED**'}: every satker's capaian, serapan and error count == `consolidate` of that satker's folder"
        + ("" if m["same_as_consolidate"] else f" (differ: {', '.join(m['differ'])})"),
        "",
        "One 2-core machine recaps the whole country in seconds, in a few hundred MB: no distributed engine is needed.",
        END,
    ]
    return "\n".join(lines)


def write_section(text: str, results: Path = HERE / "RESULTS.md") -> None:
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    if START in old and END in old:
        new = old[: old.index(START)] + text + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    results.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=corpus_mod.DEFAULT_ROOT)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = ap.parse_args(argv)
    if not (args.corpus / "manifest.json").exists():
        corpus_mod.main(["--root", str(args.corpus)])
    m = measure(args.corpus, args.runs)
    text = section(m)
    write_section(text, args.out)
    print(text)
    return 0 if m["same_parallel_serial"] and m["same_as_consolidate"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
