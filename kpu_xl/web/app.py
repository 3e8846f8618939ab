"""The web page's application (Starlette): routes over web/jobs.py, guarded by web/guard.py.

    GET  /                 the page: choose or drop files, Periksa / Gabungkan / Laporan, templates
    POST /periksa          findings grouped by file (HTML), each annotated copy to download
    POST /gabungkan        the consolidated workbook's result page, or the findings that stop it (422)
    POST /laporan          the same for the Word report
    POST /api/periksa      validate's JSON document (kpu-xl validate --format json)
    POST /api/konsolidasi  the workbook (200), or 422 with the findings JSON
    POST /api/laporan      the Word report (200), or 422 with the findings JSON
    GET  /templat/{jenis}  the empty templates: pk, ra, renstra
    GET  /static/...       the page's own stylesheet and script (shipped in the package)

Uploads arrive in the field `berkas`. Each request gets its own temporary folder, removed
before the response is sent, after an error too; files produced for the user (annotated
copies, the workbook, the report) go back inside the response itself (a data: link on the
HTML pages), so nothing of a request stays on the server. The work runs in a pool of worker
processes (web/pool.py), one per CPU up to 4: a slow or hostile file occupies one worker, never
the page; copying uploads, removing folders and rendering large result pages run off the loop.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import __version__, api
from ..core.errors import KpuXlError
from ..core.findings import Report
from ..report.narrative import cell_text
from . import jobs
from .guard import CSP, Guard, TooLarge, counting
from .pool import JOB_TIMEOUT, Pool
from .uploads import Upload, UploadLimits, UploadRefused, check_sizes, disk_name, display_name, too_large_total, too_many, unique_names

if TYPE_CHECKING:
    from ..kinds.base import DocumentKind

HERE = Path(__file__).parent
FIELD = "berkas"  # the multipart field of the uploads (the contract)
_FORM_OVERHEAD = 1 << 20  # multipart headers and boundaries on top of the files' bytes
TEMPLATES = {kind.slug: kind for kind in api.KINDS.values()}  # GET /templat/{slug}: every kind's blank template
FOLDER_PREFIX = "kpu-xl-web-"  # + the server's pid + "-": a request's temporary folder

STYLESHEET = (HERE / "static" / "kpu-xl.css").read_text(encoding="utf-8")
STYLESHEET_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLESHEET.encode()).digest()).decode()


def data_url(data: bytes, media_type: str) -> str:
    """A file handed back inside the page (nothing of it is kept on the server)."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on: workbook text is shown as text
templates.env.globals.update(data_url=data_url, cell=cell_text)  # report cells print as in the Word report


def create_app(
    kode_akses: str | None = None,
    local_only: bool = True,
    workers: int | None = None,
    upload_limits: UploadLimits | None = None,
    on_ready: Callable[[], None] | None = None,
    job_timeout: float = JOB_TIMEOUT,
) -> Starlette:
    """The page's ASGI application. kode_akses: every request needs it (web/guard.py);
    local_only: only Host names of this computer are answered (against DNS rebinding);
    workers: processes doing the work (default: one per CPU, at most 4);
    on_ready: called once the workers are up (the command prints the addresses then);
    job_timeout: seconds one request's work may take before its worker is stopped (504)."""
    limits = upload_limits or UploadLimits()
    body_limit = limits.max_total_bytes + _FORM_OVERHEAD + limits.max_files * 1024  # a part's headers: ~200 bytes
    pool = Pool(workers or max(1, min(4, os.cpu_count() or 1)), job_timeout)
    blank_templates: dict[str, bytes] = {}
    unfinished: set[Path] = set()  # request folders a worker may still write into (removed again at the stop)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        remove_stale_folders()
        await asyncio.get_running_loop().run_in_executor(None, pool.start)
        if on_ready is not None:
            on_ready()
        try:
            yield
        except asyncio.CancelledError:
            pass  # Ctrl-C twice: uvicorn cuts the shutdown short; what follows still runs, without a traceback
        finally:
            pool.stop()
            for folder in list(unfinished):  # requests cut off by the stop: their workers are gone now
                shutil.rmtree(folder, ignore_errors=True)

    def page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"versi": __version__, **context}, status_code=status)

    async def result_page(name: str, status: int = 200, **context: object) -> HTMLResponse:
        """A result page, rendered off the event loop: it may carry megabytes of data: links."""
        template = templates.get_template(name)
        html = await asyncio.to_thread(template.render, {"versi": __version__, **context})
        return HTMLResponse(html, status_code=status)

    async def index(request: Request) -> Response:
        return page(request, "index.html", kinds=TEMPLATES.values(), max_files=limits.max_files, max_total=limits.max_total_bytes // 2**20, max_file=limits.max_file_bytes // 2**20)

    async def with_uploads(request: Request, work: Callable[[list[Upload], Path], Awaitable[Response]]) -> Response:
        """Store the request's uploads in a folder of its own, run work(uploads, folder), remove the folder."""
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > body_limit:
            raise UploadRefused(too_large_total(limits))
        folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        unfinished.add(folder)
        form = None
        finished = False
        try:
            limited = Request(request.scope, counting(request.receive, body_limit))
            try:
                form = await limited.form(max_files=limits.max_files, max_fields=50)
            except TooLarge:
                raise UploadRefused(too_large_total(limits)) from None
            except (MultiPartException, HTTPException) as exc:  # Starlette turns a MultiPartException into a 400
                if "Too many files" in str(getattr(exc, "detail", None) or getattr(exc, "message", "")):
                    raise UploadRefused(too_many(limits)) from None
                raise HTTPException(
                    400, "Kiriman tidak dapat dibaca: bukan formulir unggahan (multipart/form-data) yang utuh, atau ada bagiannya yang terlalu besar (mis. nama berkas yang sangat panjang)."
                ) from None
            files = [f for f in form.getlist(FIELD) if not isinstance(f, str) and (f.filename or f.size)]
            if not files:
                raise HTTPException(400, f"Tidak ada berkas yang dikirim (bidang '{FIELD}'). Pilih berkas .xlsx lalu coba lagi.")
            check_sizes([f.size or 0 for f in files], limits)
            names = unique_names([display_name(f.filename) for f in files])
            uploads = [Upload(folder / f"{n:03d}" / disk_name(name), name) for n, name in enumerate(names, start=1)]
            await asyncio.to_thread(_store, [f.file for f in files], uploads)  # up to 200 MB: off the event loop
            response = await work(uploads, folder)
            finished = True
            return response
        finally:
            # Not awaited: the server's stop may cancel this task, and the user's files must go even then.
            shutil.rmtree(folder, ignore_errors=True)
            if finished:
                unfinished.discard(folder)
            if form is not None:
                for _, part in form.multi_items():
                    if not isinstance(part, str):
                        part.file.close()  # the spooled copies (unlinked temporary files); not awaited either

    async def periksa_page(request: Request) -> Response:
        async def work(uploads: list[Upload], folder: Path) -> HTMLResponse:
            checked = await pool.run(jobs.periksa, uploads, folder)
            return await result_page("periksa.html", **findings_context(checked.report), copies={c.file: c for c in checked.copies})

        return await with_uploads(request, work)

    async def periksa_api(request: Request) -> Response:
        async def work(uploads: list[Upload], folder: Path) -> JSONResponse:
            checked = await pool.run(jobs.periksa, uploads, folder, False)
            return JSONResponse(checked.report.as_dict())

        return await with_uploads(request, work)

    def output_api(job: Callable[[list[Upload], Path], jobs.Output]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            async def work(uploads: list[Upload], folder: Path) -> Response:
                out = await pool.run(job, uploads, folder)
                if out.data is None:
                    return JSONResponse({**out.report.as_dict(), "refused": out.refused}, status_code=422)
                return Response(out.data, media_type=out.media_type, headers={"Content-Disposition": f'attachment; filename="{out.file_name}"'})

            return await with_uploads(request, work)

        return endpoint

    def output_page(job: Callable[[list[Upload], Path], jobs.Output], what: str) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            async def work(uploads: list[Upload], folder: Path) -> HTMLResponse:
                out = await pool.run(job, uploads, folder)
                if out.data is None:
                    return await result_page("periksa.html", 422, **findings_context(out.report), refused=out.refused, what=what, copies={})
                return await result_page("hasil.html", out=out, what=what, **findings_context(out.report))

            return await with_uploads(request, work)

        return endpoint

    async def templat(request: Request) -> Response:
        jenis = request.path_params["jenis"]
        kind = TEMPLATES.get(jenis)
        if kind is None:
            raise HTTPException(404, f"Tidak ada templat {jenis}; yang ada: {', '.join(TEMPLATES)}.")
        if jenis not in blank_templates:
            blank_templates[jenis] = await asyncio.get_running_loop().run_in_executor(None, _blank_template, kind)
        fmt = api.output_format("konsolidasi")  # a template is a workbook too
        return Response(blank_templates[jenis], media_type=fmt.media_type, headers={"Content-Disposition": f'attachment; filename="{kind.shipped}"'})

    async def failed(request: Request, exc: KpuXlError) -> Response:
        """Every KpuXlError, mapped once: its status and its message (a bug is an InternalError: 500)."""
        return problem(request, exc.http_status, exc.message)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        messages = {404: "Halaman tidak ditemukan.", 405: "Cara permintaan ini tidak didukung di alamat ini."}
        ours = isinstance(exc.detail, str) and exc.detail and exc.detail != HTTPStatus(exc.status_code).phrase  # not Starlette's English default
        return problem(request, exc.status_code, exc.detail if ours else messages.get(exc.status_code, f"Permintaan tidak dapat dilayani ({exc.status_code})."))

    async def disconnected(request: Request, exc: ClientDisconnect) -> Response:
        return Response(status_code=400)  # nobody is listening; nothing to log either

    async def server_error(request: Request, exc: Exception) -> Response:
        return problem(request, 500, "Terjadi kesalahan di server kpu-xl; tidak ada berkas yang disimpan. Coba lagi, dan laporkan bila terulang.")

    def problem(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return page(request, "galat.html", status, message=message, kode_status=status)

    routes = [
        Route("/", index),
        Route("/periksa", periksa_page, methods=["POST"]),
        Route("/gabungkan", output_page(jobs.gabungkan, "konsolidasi"), methods=["POST"]),
        Route("/laporan", output_page(jobs.laporan, "laporan"), methods=["POST"]),
        Route("/api/periksa", periksa_api, methods=["POST"]),
        Route("/api/konsolidasi", output_api(jobs.gabungkan), methods=["POST"]),
        Route("/api/laporan", output_api(jobs.laporan), methods=["POST"]),
        Route("/templat/{jenis}", templat),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={KpuXlError: failed, HTTPException: http_error, ClientDisconnect: disconnected, 500: server_error})
    app.state.pool = pool  # for the tests: its workers

    def access_page(request: Request, status: int, **context: object) -> Response:
        # Without the code not even the stylesheet is served: the page carries it inline, allowed by its hash.
        response = page(request, "akses.html", status, inline_css=STYLESHEET, **context)
        response.headers["content-security-policy"] = CSP.replace("style-src 'self'", f"style-src '{STYLESHEET_HASH}'")
        return response

    return Guard(app, kode_akses=kode_akses, local_only=local_only, page=access_page)


def remove_stale_folders() -> None:
    """Request folders of a server that is gone (killed, its terminal closed mid-request): the
    user's files must not stay. A running server's folders (another port) are left alone."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        pid = folder.name[len(FOLDER_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: not ours to judge
    return True


def _store(sources: list, uploads: list[Upload]) -> None:
    """Copy each upload's spooled file into its own numbered folder (never over anything)."""
    for source, upload in zip(sources, uploads):
        upload.path.parent.mkdir()
        source.seek(0)
        with open(upload.path, "xb") as out:
            shutil.copyfileobj(source, out, 1 << 20)


def _blank_template(kind: DocumentKind) -> bytes:
    with tempfile.TemporaryDirectory(prefix="kpu-xl-templat-") as folder:
        return api.template(kind.slug, Path(folder) / kind.shipped).path.read_bytes()


def findings_context(report: Report) -> dict:
    """Findings grouped by file (Report.by_file): every file, those with errors first, then with warnings, then the clean ones."""
    return {"groups": report.by_file(every_file=True, errors_first=True), "summary": report, "summary_line": report.summary_line()}
