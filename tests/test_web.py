"""kpu-xl web, through Starlette's TestClient (the real app, its worker processes, no browser):
the contract's endpoints, answers equal to the CLI's for the same files, and the safety rules.
The browser tests are in test_web_browser.py."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from helpers import PK, RA_SEMUA, Text, edit, run, run_json
from openpyxl import load_workbook
from web_client import by_name, running_server

pytest.importorskip("starlette", reason="pip install '.[web]'")  # the test extra installs it: never skipped in CI
from starlette.testclient import TestClient  # noqa: E402

from kpu_xl.web.app import create_app  # noqa: E402
from kpu_xl.web.uploads import UploadLimits  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(workers=2), base_url=BASE) as c:
        yield c


def files_of(folder: Path, names: list[str] | None = None) -> list[tuple[str, tuple[str, bytes, str]]]:
    paths = sorted(folder.iterdir()) if names is None else [folder / n for n in names]
    return [("berkas", (p.name, p.read_bytes(), XLSX)) for p in paths]


def by_basename(document: dict, folder: Path) -> dict:
    """The CLI's JSON with each file's path said as its name (what the page, given the files, says)."""
    return json.loads(by_name(json.dumps(document, ensure_ascii=False), folder))


# --- the contract: pages and endpoints --------------------------------------------------------------


def test_page_has_the_form_buttons_and_template_links(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert '<html lang="id">' in html
    assert re.search(r'<form[^>]+method="post"[^>]+enctype="multipart/form-data"', html)  # works without JavaScript
    assert 'type="file" id="berkas" name="berkas" multiple' in html
    for action, label in (("/periksa", "Periksa"), ("/gabungkan", "Gabungkan"), ("/laporan", "Laporan")):
        assert f'formaction="{action}"' in html and f">{label}</button>" in html
    for jenis in ("pk", "ra", "renstra"):
        assert f'href="/templat/{jenis}"' in html
    assert "http://" not in html.replace(BASE, "") and "https://" not in html  # no CDN: every asset is the page's own
    assert client.get("/static/kpu-xl.css").status_code == 200 and client.get("/static/kpu-xl.js").status_code == 200


def test_api_periksa_is_the_cli_json_with_uploaded_names(client, samples):
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D5": "100%"})  # the seed's zona integritas mismatch: target-berbeda
    code, cli = run_json(samples)
    assert code == 1
    r = client.post("/api/periksa", files=files_of(samples))
    assert r.status_code == 200
    assert r.json() == by_basename(cli, samples)
    assert any(f["code"] == "target-berbeda" and f["file"] == RA_SEMUA and f["cell"] == "D5" for f in r.json()["findings"])
    assert str(samples) not in r.text and "kpu-xl-web-" not in r.text  # never a path on the server


def test_api_periksa_clean_samples(client, samples):
    r = client.post("/api/periksa", files=files_of(samples))
    assert r.status_code == 200
    assert r.json()["summary"] == {"errors": 0, "warnings": 0, "files": 8}
    assert [f["file"] for f in r.json()["files"]] == sorted(p.name for p in samples.iterdir())


def cells(path_or_bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_api_konsolidasi_is_the_cli_workbook(client, samples, tmp_path):
    out = tmp_path / "cli.xlsx"
    assert run("consolidate", samples, "-o", out).exit_code == 0
    r = client.post("/api/konsolidasi", files=files_of(samples))
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert r.headers["content-disposition"] == 'attachment; filename="konsolidasi-kpu-kabupaten-tanjung-jabung-timur-2023.xlsx"'
    got, expected = cells(r.content), cells(out)
    assert list(got) == list(expected)
    for sheet in expected:  # the files are named by path for the CLI, by uploaded name here
        text = by_name(json.dumps(expected[sheet], default=str, ensure_ascii=False), samples)
        assert json.dumps(got[sheet], default=str, ensure_ascii=False) == text, sheet
    # the seed's figures (LKjIP 2023 BAB III): capaian satker 102,66%, serapan 96,23%
    ringkasan = {row[0]: row[1] for row in got["Ringkasan"] if row and row[0]}
    assert round(ringkasan["Capaian kinerja satker (%)"], 2) == 102.66


def test_api_konsolidasi_refuses_with_the_findings_json(client, samples, tmp_path):
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D5": "100%"})
    cli = run("consolidate", samples, "-o", tmp_path / "k.xlsx")
    assert cli.exit_code == 1 and not (tmp_path / "k.xlsx").exists()
    r = client.post("/api/konsolidasi", files=files_of(samples))
    assert r.status_code == 422 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["summary"]["errors"] == 1 and set(body) >= {"files", "findings", "summary", "refused"}
    [error] = [f for f in body["findings"] if f["severity"] == "error"]
    assert (error["file"], error["sheet"], error["cell"], error["code"]) == (RA_SEMUA, "Rencana Aksi", "D5", "target-berbeda")


def test_api_konsolidasi_without_a_pk_says_why(client, samples):
    r = client.post("/api/konsolidasi", files=files_of(samples, [RA_SEMUA]))
    assert r.status_code == 422
    assert "PK" in r.json()["refused"]


def test_api_laporan_is_a_word_document_of_the_same_figures(client, samples, tmp_path):
    from docx import Document

    cli = tmp_path / "laporan.docx"
    assert run("laporan", samples, "-o", cli).exit_code == 0
    r = client.post("/api/laporan", files=files_of(samples))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert r.headers["content-disposition"].endswith('filename="laporan-kinerja-kpu-kabupaten-tanjung-jabung-timur-2023.docx"')

    def text(doc) -> str:  # noqa: ANN001
        return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells])

    got, expected = text(Document(io.BytesIO(r.content))), text(Document(cli))
    for p in samples.iterdir():
        expected = expected.replace(str(p), p.name)
    assert got == expected
    assert "102,66%" in got  # the seed's capaian satker, as the report's sentences print it


@pytest.mark.parametrize(("jenis", "kind"), [("pk", "PK"), ("ra", "RA"), ("renstra", "RENSTRA")])
def test_templates_download_and_are_read_as_their_kind(client, tmp_path, jenis, kind):
    r = client.get(f"/templat/{jenis}")
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    name = re.search(r'filename="([^"]+)"', r.headers["content-disposition"]).group(1)
    path = tmp_path / name
    path.write_bytes(r.content)
    code, report = run_json(path)
    assert report["files"][0]["kind"] == kind


def test_html_periksa_groups_findings_by_file_with_the_copy(client, samples):
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D5": "100%"})
    r = client.post("/periksa", files=files_of(samples))
    assert r.status_code == 200
    html = r.text
    assert "1 galat, 0 peringatan dalam 8 berkas" in html
    section = html[html.index(f"<h2>{RA_SEMUA}</h2>") :]
    section = section[: section.index("</section>")]
    assert re.search(r"<td>Rencana Aksi</td><td class=\"sel\">D5</td><td>galat</td><td><code>target-berbeda</code></td>", section)
    link = re.search(r'href="data:[^;]+;base64,([^"]+)" download="ra-semua-divisi.temuan.xlsx"', section)
    copy = load_workbook(io.BytesIO(__import__("base64").b64decode(link.group(1))))
    assert copy["Rencana Aksi"]["D5"].comment is not None and "target-berbeda" in copy["Rencana Aksi"]["D5"].comment.text
    assert f"<h2>{PK}</h2>" in html and "Tidak ada temuan." in html


def test_html_gabungkan_shows_the_tables_and_the_workbook(client, samples, tmp_path):
    r = client.post("/gabungkan", files=files_of(samples))
    assert r.status_code == 200
    assert "Hasil konsolidasi: KPU Kabupaten Tanjung Jabung Timur - 2023" in r.text
    assert "<h2>Capaian Sasaran</h2>" in r.text and "<h2>Pengukuran Kinerja</h2>" in r.text
    assert re.search(r'<tr class="tebal">(?:(?!</tr>).)*<td class="right">102,66</td>', r.text, re.S)  # the satker row
    assert 'download="konsolidasi-kpu-kabupaten-tanjung-jabung-timur-2023.xlsx"' in r.text


def test_html_gabungkan_with_errors_is_422_with_the_findings(client, samples):
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D5": "100%"})
    r = client.post("/gabungkan", files=files_of(samples))
    assert r.status_code == 422
    assert "Konsolidasi tidak dibuat" in r.text and "target-berbeda" in r.text and "data:" not in r.text


# --- safety ---------------------------------------------------------------------------------------------


@pytest.fixture
def request_folders(tmp_path, monkeypatch):
    """Where requests make their temporary folders (checked empty after each request)."""
    import multiprocessing.util

    # multiprocessing makes one folder of its own (pymp-*, for the forkserver's socket) in the temp
    # folder of whichever test first starts a pool in this process, and keeps it until the process
    # ends: made now, before the temp folder is moved, so that it is never taken for a request's.
    multiprocessing.util.get_temp_dir()
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def small_client(limits: UploadLimits):
    return TestClient(create_app(workers=1, upload_limits=limits), base_url=BASE)


def test_too_many_files_is_413_and_nothing_kept(samples, request_folders):
    with small_client(UploadLimits(max_files=3)) as c:
        r = c.post("/api/periksa", files=files_of(samples))  # 8 files
        assert r.status_code == 413 and "paling banyak 3" in r.json()["error"]
        r = c.post("/periksa", files=files_of(samples))
        assert r.status_code == 413 and "Terlalu banyak berkas" in r.text
        assert c.post("/api/periksa", files=files_of(samples, [PK, RA_SEMUA])).status_code == 200
    assert list(request_folders.iterdir()) == []


def test_file_over_the_readers_limit_is_413(request_folders):
    with small_client(UploadLimits(max_file_bytes=1000)) as c:
        r = c.post("/api/periksa", files=[("berkas", ("besar.xlsx", b"PK\x03\x04" + b"x" * 2000, XLSX))])
        assert r.status_code == 413 and "Berkas terlalu besar" in r.json()["error"]
    assert list(request_folders.iterdir()) == []


def test_default_per_file_limit_is_the_readers(client):
    from kpu_xl.xlsx.source import Limits

    r = client.post("/api/periksa", files=[("berkas", ("besar.xlsx", b"\0" * (Limits().max_file_bytes + 1), XLSX))])
    assert r.status_code == 413 and "50 MB per berkas" in r.json()["error"]


def test_total_over_the_limit_is_413_by_header_and_by_body(samples, request_folders):
    with small_client(UploadLimits(max_total_bytes=20_000)) as c:
        r = c.post("/api/periksa", files=files_of(samples))  # the samples are ~ 25 KB each: over 20 KB together
        assert r.status_code == 413 and "Kiriman terlalu besar" in r.json()["error"]
        # A Content-Length over the limit is refused before anything is read.
        body, ctype = _multipart([("x.xlsx", b"\0" * 100)])
        r = c.post("/api/periksa", content=body, headers={"content-type": ctype, "content-length": str(10**10)})
        assert r.status_code == 413 and "Kiriman terlalu besar" in r.json()["error"]
        # No Content-Length (a chunked body): the limit is counted as the body comes.
        body, ctype = _multipart([("x.xlsx", b"\0" * 3_000_000)])
        r = c.post("/api/periksa", content=iter([body[i : i + 65536] for i in range(0, len(body), 65536)]), headers={"content-type": ctype})
        assert r.status_code == 413
    assert list(request_folders.iterdir()) == []


def _multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "kpuxlbatas"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; filename="{name}"\r\nContent-Type: {XLSX}\r\n\r\n'.encode() + data + b"\r\n" for name, data in files]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_hostile_file_names_are_harmless(client, samples, request_folders, tmp_path):
    pk = (samples / PK).read_bytes()
    names = ["../../x.xlsx", "/etc/passwd.xlsx", "..\\..\\y.xlsx", "a\x01b\x1bc.xlsx", "C:\\Users\\z.xlsx", "n" * 4000 + ".xlsx", "..", ""]
    body, ctype = _multipart([(n, pk) for n in names])
    r = client.post("/api/periksa", content=body, headers={"content-type": ctype})
    assert r.status_code == 200, r.text
    shown = [f["file"] for f in r.json()["files"]] + [f["file"] for f in r.json()["findings"]]
    assert {"x.xlsx", "passwd.xlsx", "y.xlsx", "z.xlsx"} <= set(shown)
    assert all("/" not in n and "\\" not in n and "\x1b" not in n and len(n) <= 200 for n in shown)
    assert "a\ufffdb\ufffdc.xlsx" in shown
    for escaped in (tmp_path / "x.xlsx", Path("/etc/passwd.xlsx"), Path.cwd() / "x.xlsx", Path.cwd().parent / "x.xlsx"):
        assert not escaped.exists()
    assert list(request_folders.iterdir()) == []  # the request's folder is gone
    body, ctype = _multipart([("n" * 20_000 + ".xlsx", pk)])  # beyond what the multipart parser takes in a header
    r = client.post("/api/periksa", content=body, headers={"content-type": ctype})
    assert r.status_code == 400 and "nama berkas yang sangat panjang" in r.json()["error"]


def test_request_folder_removed_after_an_error(client, request_folders):
    r = client.post("/api/periksa", content=b"--batas\r\nrusak", headers={"content-type": "multipart/form-data; boundary=batas"})
    assert r.status_code == 400
    r = client.post("/api/periksa", files=[("lain", ("a.xlsx", b"x", XLSX))])
    assert r.status_code == 400 and "berkas" in r.json()["error"]
    assert list(request_folders.iterdir()) == []


@pytest.mark.parametrize(
    "path",
    ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/templat/..%2f..%2fpyproject.toml", "/etc/passwd", "/static/", "/templat/pyproject", "/app.py"],
)
def test_nothing_from_disk_but_templates_and_assets(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "import" not in r.text and "root:" not in r.text
    assert "Not Found" not in r.text  # said in Bahasa Indonesia


def test_an_unknown_template_says_which_exist(client):
    r = client.get("/templat/lkjip")
    assert r.status_code == 404 and "Tidak ada templat lkjip; yang ada: pk, ra, renstra." in r.text


def test_files_with_errors_come_first_even_past_the_shown_limit():
    from kpu_xl.core.findings import Finding, Report
    from kpu_xl.web.app import findings_context

    warning = Finding("a.xlsx", "S", "A1", "warning", "w", "m")
    error = Finding("b.xlsx", "S", "A1", "error", "e", "m")
    findings = [warning, *[Finding("b.xlsx", "S", "A1", "warning", "w", "m")] * 600, error]
    report = Report([{"file": n} for n in ("a.xlsx", "b.xlsx", "c.xlsx")], findings, 3)
    groups = findings_context(report)["groups"]
    assert [g.file for g in groups] == ["b.xlsx", "a.xlsx", "c.xlsx"]  # b's error is its 601st finding
    assert len(groups[0].findings) == 500 and groups[0].more == 101 and groups[0].more_codes == [("e", 1), ("w", 100)]


def test_other_origins_cannot_post(client, samples):
    files = files_of(samples, [PK])
    assert client.post("/api/periksa", files=files, headers={"origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/periksa", files=files, headers={"origin": "null"}).status_code == 403
    assert client.post("/periksa", files=files, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.post("/api/periksa", files=files, headers={"origin": BASE, "sec-fetch-site": "same-origin"}).status_code == 200
    # a site that rebinds its own name to 127.0.0.1 (DNS rebinding): its Host is not this computer's
    assert client.get("/", headers={"host": "evil.example:8000"}).status_code == 421
    for local in ("localhost:8000", "127.0.0.2:8000", "[::1]:8000"):  # every loopback name is this computer
        assert client.get("/", headers={"host": local}).status_code == 200, local
    for odd in ("[::1]evil.example", "[::1]:x", "127.0.0.1:8000:1", "127.0.0.1.nip.io"):
        assert client.get("/", headers={"host": odd}).status_code == 421, odd


def test_workbook_text_is_shown_as_text(client, samples):
    script = "<script>alert(1)</script>"
    edit(samples / PK, "Perjanjian Kinerja", {(2, "Indikator Kinerja"): f"{script} Persentase", (3, "Indikator Kinerja"): Text('=HYPERLINK("http://x","klik")')})
    named = [("berkas", (f"<img src=x onerror=alert(2)>{PK}", (samples / PK).read_bytes(), XLSX))] + files_of(samples, [RA_SEMUA])
    for url in ("/periksa", "/gabungkan"):
        html = client.post(url, files=named).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(2)&gt;" in html
    page = client.post("/gabungkan", files=files_of(samples)).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Persentase" in page  # the indicator's name, in the table, as text
    assert "<td>=HYPERLINK(&#34;http://x&#34;,&#34;klik&#34;)</td>" in page and 'href="http://x"' not in page
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_access_code(samples):
    with TestClient(create_app(kode_akses="ABCD-2345", workers=1), base_url=BASE) as c:
        page = c.get("/")
        assert page.status_code == 401 and "Masukkan kode akses" in page.text and 'action="/akses"' in page.text
        for path in ("/static/kpu-xl.css", "/templat/pk", "/nope"):
            assert c.get(path).status_code == 401
        assert c.post("/api/periksa", files=files_of(samples, [PK])).status_code == 401
        assert c.post("/api/periksa", files=files_of(samples, [PK]), headers={"x-kode-akses": "abcd-2345"}).status_code == 200
        wrong = c.post("/akses", data={"kode": "SALAH", "kembali": "/"}, follow_redirects=False)
        assert wrong.status_code == 401 and "Kode akses salah" in wrong.text and "kpu_xl_akses" not in wrong.headers.get("set-cookie", "")
        evil = c.post("/akses", data={"kode": "ABCD-2345", "kembali": "//evil.example/"}, follow_redirects=False)
        assert evil.status_code == 303 and evil.headers["location"] == "/"
        assert "samesite=lax" in evil.headers["set-cookie"].lower()  # a shared link clicked in a chat or a mail must work
        assert c.get("/").status_code == 200  # the cookie it set
        assert list(c.cookies) == ["kpu_xl_akses_8000"]  # the page's port in its name
        assert "ABCD" not in c.cookies["kpu_xl_akses_8000"]  # a hash, not the code
        # the shared address never sends anyone elsewhere
        away = c.get("//evil.example/?kode=ABCD-2345", follow_redirects=False)
        assert away.status_code in (303, 404) and not away.headers.get("location", "/").startswith("//")
    with TestClient(create_app(kode_akses="ABCD-2345", workers=1), base_url=BASE) as c:
        shared = c.get("/?kode=ABCD-2345", follow_redirects=False)
        assert shared.status_code == 303 and shared.headers["location"] == "/"
        assert c.get("/").status_code == 200


def test_a_cookie_that_is_not_ascii_is_just_not_the_code():
    with TestClient(create_app(kode_akses="ABCD-2345", workers=1), base_url=BASE) as c:
        r = c.get("/", headers={"cookie": "kpu_xl_akses_8000=\u00e9".encode()})
        assert r.status_code == 401 and "Masukkan kode akses" in r.text
        head = c.head("/?kode=ABCD-2345", follow_redirects=False)  # a HEAD of the shared address redeems it too
        assert head.status_code == 303


def test_the_printed_address_carries_any_code_intact():
    """A code with +, # or & is printed URL-encoded: the link colleagues click must work."""
    from kpu_xl.web import server
    from kpu_xl.web.guard import Guard

    printed, _ = _announced("127.0.0.1", "kpu+2024#a&b", server)
    link = next(line.strip() for line in printed if "?kode=" in line)
    assert link.endswith("?kode=kpu%2B2024%23a%26b")
    app = create_app(kode_akses="kpu+2024#a&b", workers=1)
    assert isinstance(app, Guard)
    with TestClient(app, base_url=BASE) as c:
        r = c.get(link.replace(link.split("/?")[0], ""), follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"
    with pytest.raises(server.ServeError, match="baris baru"):
        server.serve("127.0.0.1", 0, "kode\nbaris", echo=print)


def _announced(host: str, code: str | None, server):  # noqa: ANN001, ANN202
    """What `kpu-xl web` prints when it is up, and the app it made, without serving (uvicorn's run replaced)."""
    import uvicorn

    from kpu_xl.web import app as web_app

    printed: list[str] = []
    real_create_app = web_app.create_app
    ready = []

    def fake_create_app(**kwargs):  # noqa: ANN003
        ready.append(kwargs["on_ready"])
        return real_create_app(**kwargs)

    made = []

    def fake_run(self, sockets=None):  # noqa: ANN001
        made.append(self.config.app)
        self.started = True
        sockets[0].close()
        ready[0]()

    mp = pytest.MonkeyPatch()
    mp.setattr(uvicorn.Server, "run", fake_run)
    mp.setattr(server, "create_app", fake_create_app)
    try:
        server.serve(host, 0, code, echo=printed.append, workers=1)
    finally:
        mp.undo()
    return printed, made[0]


def test_network_binding_needs_an_access_code():
    """--host 0.0.0.0 without --kode-akses: a code is made, printed with the addresses, and required."""
    from kpu_xl.web import server

    printed, guard = _announced("0.0.0.0", None, server)
    text = "\n".join(printed)
    code = re.search(r"Kode akses: ([A-Z0-9]{4}-[A-Z0-9]{4})", text).group(1)
    assert f"?kode={code}" in text and "http://127.0.0.1:" in text
    assert guard.code == code and guard.local_only is False


def test_ctrl_c_stops_the_server_cleanly(samples):
    """kpu-xl web as started from a terminal: SIGINT ends it with exit 0, its workers too."""
    import signal
    import subprocess
    import time

    from web_client import running_server

    with running_server() as (url, proc):
        assert url.startswith("http://127.0.0.1:") and "Tekan Ctrl-C untuk berhenti." in "".join(proc.printed)
        import httpx2

        children = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert len(children) >= 3  # the address is printed once the worker processes are up (they share its process group)
        r = httpx2.post(url + "api/periksa", files=files_of(samples, [PK]), timeout=60)
        assert r.status_code == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Halaman kpu-xl dihentikan." in out and "Traceback" not in err
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).returncode == 0:
        time.sleep(0.1)
    assert subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).returncode == 1  # no worker left behind


@pytest.mark.parametrize("missing", ["starlette", "uvicorn"])
def test_without_the_web_extra_the_command_says_how_to_install_it(monkeypatch, missing):
    # uvicorn alone missing once escaped the hint: it was imported only inside serve(), a traceback.
    import builtins

    real_import = builtins.__import__

    def without(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if name == missing or name.startswith(missing + "."):
            raise ImportError(f"No module named '{name}'", name=name)
        return real_import(name, *args, **kwargs)

    for module in [m for m in list(__import__("sys").modules) if m.startswith("kpu_xl.web")]:
        monkeypatch.delitem(__import__("sys").modules, module)
    monkeypatch.setattr(builtins, "__import__", without)
    result = run("web", "--port", "0")
    assert result.exit_code == 2
    assert f"Halaman web memerlukan paket tambahan ({missing}); pasang di folder kpu-xl dengan: pip install '.[web]'" in result.output
    assert "Traceback" not in result.output


def test_port_in_use_is_said_plainly():
    import socket

    from kpu_xl.web.server import ServeError, bind

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"Port {port} sudah dipakai"):
            bind("127.0.0.1", port)


def test_zip_bomb_is_a_finding_not_a_hang(client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 2**20))  # compresses ~1000:1
    r = client.post("/api/periksa", files=[("berkas", ("bom.xlsx", buf.getvalue(), XLSX))])
    assert r.status_code == 200
    [f] = [f for f in r.json()["findings"] if f["file"] == "bom.xlsx"]
    assert f["severity"] == "error" and "kemungkinan bom zip" in f["message"]  # refused as a bomb, not as any broken zip


def test_twenty_uploads_at_once_with_a_zip_bomb_all_answered_right(samples):
    """20 simultaneous uploads of the samples and a zip bomb, against a real server: every answer
    right (timings: benchmarks/web.py)."""
    import threading

    import httpx2

    code, cli = run_json(samples)
    expected = by_basename(cli, samples)
    payload = files_of(samples)
    answers = []
    with running_server() as (url, _):

        def post(files):  # noqa: ANN001, ANN202
            answers.append(httpx2.post(url + "api/periksa", files=files, timeout=120))

        threads = [threading.Thread(target=post, args=(payload,)) for _ in range(20)]
        threads.append(threading.Thread(target=post, args=([("berkas", ("bom.xlsx", _bomb(), XLSX))],)))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(answers) == 21 and all(a.status_code == 200 for a in answers)
    bombs = [a.json() for a in answers if a.json()["files"] == [] or a.json()["findings"] and a.json()["findings"][0]["file"] == "bom.xlsx"]
    assert len(bombs) == 1 and "kemungkinan bom zip" in bombs[0]["findings"][0]["message"]
    assert sum(a.json() == expected for a in answers) == 20


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 2**20))
    return buf.getvalue()


def test_a_dead_worker_is_replaced_and_the_request_answered(samples):
    """One worker killed (out of memory, say): the pool is replaced once and the request still answered."""
    import signal

    with TestClient(create_app(workers=2), base_url=BASE) as c:
        pool = c.app.app.state.pool
        before = pool.pids()
        os.kill(before[0], signal.SIGKILL)
        answers = [c.post("/api/periksa", files=files_of(samples, [PK])) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert not set(pool.pids()) & set(before)  # a new pool
        assert c.get("/").status_code == 200


def test_work_over_its_time_is_stopped_with_504(samples):
    with TestClient(create_app(workers=1), base_url=BASE) as c:
        pool = c.app.app.state.pool
        pool.timeout = 0.001  # any real job takes longer
        before = pool.pids()
        r = c.post("/api/periksa", files=files_of(samples))
        assert r.status_code == 504 and "dihentikan" in r.json()["error"]
        assert before and not set(pool.pids()) & set(before)  # its worker was ended, a new one is up
        page = c.post("/periksa", files=files_of(samples))
        assert page.status_code == 504 and "Pemrosesan dihentikan" in page.text
        pool.timeout = 300
        assert c.post("/api/periksa", files=files_of(samples)).status_code == 200  # the worker was replaced, the page goes on


def test_a_job_over_its_time_does_not_fail_the_ones_queued_behind_it(samples, slow):
    """Stopping one job ends its pool; the jobs waiting in that pool are run again on the new one."""
    import threading
    import time

    with TestClient(create_app(workers=1), base_url=BASE) as c:
        pool = c.app.app.state.pool
        pool.timeout = 1.5  # the slow workbook takes several seconds; the samples a few hundredths
        answers: dict[str, list] = {"slow": [], "quick": []}

        def post(kind: str, files) -> None:  # noqa: ANN001
            answers[kind].append(c.post("/api/periksa", files=files))

        threads = [threading.Thread(target=post, args=("slow", [("berkas", (slow.name, slow.read_bytes(), XLSX))]))]
        threads[0].start()
        time.sleep(0.3)
        for _ in range(4):  # queued behind the slow one (one worker)
            threads.append(threading.Thread(target=post, args=("quick", files_of(samples, [PK]))))
            threads[-1].start()
            time.sleep(0.1)
        for t in threads:
            t.join()
    assert [a.status_code for a in answers["slow"]] == [504]
    assert [a.status_code for a in answers["quick"]] == [200, 200, 200, 200], [a.text[:200] for a in answers["quick"]]


def test_folders_of_a_server_that_is_gone_are_removed_at_start(request_folders):
    """A server killed mid-request (SIGKILL, a power cut) leaves the user's files: the next start removes
    them; a running server's folders (another port) are left alone."""
    gone = request_folders / "kpu-xl-web-999999999-abc"
    (gone / "001").mkdir(parents=True)
    (gone / "001" / "pk.xlsx").write_bytes(b"x")
    running = request_folders / f"kpu-xl-web-{os.getppid()}-def"
    running.mkdir()
    with TestClient(create_app(workers=1), base_url=BASE) as c:
        assert c.get("/").status_code == 200
    assert not gone.exists() and running.exists()


def test_many_uploads_do_not_start_a_second_pool(samples, tmp_path):
    """From 24 files load() reads in a pool of its own; inside a worker it must not (the workers are the bound)."""
    import subprocess
    import threading
    import time

    import httpx2

    files = []
    for n in range(5):  # 40 files: the samples five times, under other names
        files += [("berkas", (f"{n}-{name}", data, ctype)) for _, (name, data, ctype) in files_of(samples)]
    with running_server() as (url, proc):

        def count() -> int:
            return len(subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split())

        baseline, seen, done = count(), [], threading.Event()

        def watch() -> None:
            while not done.is_set():
                seen.append(count())
                time.sleep(0.005)

        watcher = threading.Thread(target=watch)
        watcher.start()
        r = httpx2.post(url + "api/konsolidasi", files=files, timeout=120)  # consolidate reads through load() as the CLI does
        done.set()
        watcher.join()
    assert max(seen) == baseline  # no process was started for the work
    assert r.status_code == 422 and sum(f["code"] == "berkas-ganda" for f in r.json()["findings"]) == 32  # all 40 were read, as the CLI would


@pytest.mark.parametrize("how", ["SIGTERM to the process group", "SIGKILL to the server"])
def test_a_stopped_server_leaves_no_worker(samples, how, tmp_path):
    """`kill -TERM -PGID` (timeout, a supervisor), or even SIGKILL to the server alone (no clean-up
    runs): the forkserver and the workers end with it."""
    import signal
    import subprocess
    import time

    import httpx2

    with running_server(env={"TMPDIR": str(tmp_path)}) as (url, proc):  # multiprocessing's own folder stays there
        assert httpx2.post(url + "api/periksa", files=files_of(samples, [PK]), timeout=60).status_code == 200
        if how.startswith("SIGTERM"):
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).returncode == 0:
            time.sleep(0.1)
        left = subprocess.run(["pgrep", "-a", "-g", str(proc.pid)], capture_output=True, text=True).stdout
        if left:
            os.killpg(proc.pid, signal.SIGKILL)
    assert left == ""


SERVE_WITH_SHORT_GRACE = "from kpu_xl.web.server import serve; serve('127.0.0.1', 0, None, echo=lambda s: print(s, flush=True), grace=0.5)"


@pytest.fixture(scope="module")
def slow(tmp_path_factory) -> Path:
    """A PK of 20 000 rows, each with a finding: its annotated copy takes seconds."""
    from helpers import SAMPLES

    path = tmp_path_factory.mktemp("lambat") / "pk-besar.xlsx"
    shutil.copy(SAMPLES / PK, path)
    wb = load_workbook(path)
    ws = wb["Perjanjian Kinerja"]
    for r in range(2, 20_002):
        ws.cell(r, 1, f"S{r}")
        ws.cell(r, 4, f"IK{r}")
    wb.save(path)
    return path


@pytest.mark.parametrize("stop", ["SIGINT", "SIGHUP"])
def test_stopped_during_a_long_request_removes_its_files(slow, request_folders, stop):
    """Stopped (Ctrl-C, or the terminal closed) while a request is still being worked on past the
    grace period: the user's files are removed, the client is told in Bahasa Indonesia (503),
    nothing is printed as a traceback."""
    import signal
    import threading
    import time

    import httpx2

    answer = []
    env = {"TMPDIR": str(request_folders)}
    with running_server(program=SERVE_WITH_SHORT_GRACE, env=env) as (url, proc):

        def post() -> None:
            answer.append(httpx2.post(url + "periksa", files=[("berkas", (slow.name, slow.read_bytes(), XLSX))], timeout=120))

        client = threading.Thread(target=post)
        client.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list(request_folders.glob("kpu-xl-web-*/001/*")):
            time.sleep(0.05)
        assert list(request_folders.glob("kpu-xl-web-*/001/pk-besar.xlsx"))  # stored: the work has begun
        time.sleep(0.3)
        proc.send_signal(getattr(signal, stop))
        out, err = proc.communicate(timeout=60)
        client.join(timeout=60)
    assert answer and answer[0].status_code == 503 and "sedang dihentikan" in answer[0].text
    assert proc.returncode == 0 and "Traceback" not in err and "dihentikan" in out
    assert "1 permintaan yang masih diproses dihentikan" in err and "Cancel" not in err  # uvicorn's line, in Bahasa Indonesia
    assert list(request_folders.iterdir()) == []
