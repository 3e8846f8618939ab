"""What every request passes before the page answers it (an ASGI middleware around the app).

1. Host: bound to this computer only, the page answers only Host names of this computer, so a
   web site that rebinds its own name to 127.0.0.1 cannot read it (DNS rebinding).
2. Origin: a POST whose Origin (or Sec-Fetch-Site) says it comes from another site is refused
   (403): another page open in the same browser cannot post workbooks to this one.
3. Access code: with one, every request without it gets 401 and the page asking for it. It is
   given once (the form, or ?kode= in the shared address) and kept in a cookie holding a hash
   of it, or sent by a program in the X-Kode-Akses header. The cookie is SameSite=Lax: the
   shared address is often clicked in a chat or a mail (another site), and a Strict cookie set
   on that navigation's redirect is not sent with it; posts from other sites are refused by 2.
   Its name carries the port: two pages on one PC (or another local service) keep their own.

Every response also carries headers that keep the page's own content inert: a Content
Security Policy allowing only the page's own script and stylesheet, no framing, no sniffing.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

STOPPING = "Halaman kpu-xl sedang dihentikan oleh petugas; berkas Anda tidak disimpan. Kirim lagi setelah halaman dijalankan kembali."
COOKIE = "kpu_xl_akses"  # + "_<port>"
HEADER = "x-kode-akses"
_MAX_CODE_FORM_BYTES = 4096
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
_SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",  # no-referrer would make Chrome send Origin: null on the page's own posts
    "cache-control": "no-store",
}


class TooLarge(Exception):
    """The request's body went over its limit while it was read."""


def counting(receive: Callable[[], Awaitable[dict]], limit: int) -> Callable[[], Awaitable[dict]]:
    """receive, raising TooLarge once more than limit bytes of body have come (whatever Content-Length said)."""
    seen = 0

    async def wrapped() -> dict:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
        return message

    return wrapped


def new_code() -> str:
    """An access code to read out or type: 8 characters without look-alikes (0/O, 1/I/L)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def is_local_host(host: str) -> bool:
    """Whether a --host value binds to this computer only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _local_name(host_header: str) -> bool:
    """Whether a Host header names this computer (localhost, or any loopback address)."""
    return is_local_host(_host_name(host_header))


def _same_site_path(target: str) -> str:
    """A redirect target that stays on this page: a path, never //other.site or a scheme."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _host_name(host_header: str) -> str:
    """The name in a Host header: "127.0.0.1:8000" -> "127.0.0.1", "[::1]:8000" -> "::1"; anything
    else after the name but a port makes it no name at all."""
    host = host_header.strip().lower()
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name if re.fullmatch(r"(:\d{1,5})?", rest) else ""
    name, _, port = host.partition(":")
    return name if re.fullmatch(r"\d{0,5}", port) and ":" not in port else ""


class Guard:
    def __init__(self, app: ASGIApp, kode_akses: str | None, local_only: bool, page: Callable[..., Response]) -> None:
        self.app = app
        self.code = kode_akses
        self.local_only = local_only
        self.page = page
        self._secret = secrets.token_bytes(32)  # per run: a cookie from an earlier run (or code) is not accepted
        self.token = hmac.new(self._secret, kode_akses.encode(), hashlib.sha256).hexdigest() if kode_akses else None
        self.router = getattr(app, "router", None)  # the lifespan passes through

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [(k.encode(), v.encode()) for k, v in _SECURITY_HEADERS.items() if k.encode() not in have]
            await send(message)

        response = await self.check(scope, receive)
        if response is not None:
            await response(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is None or not task.cancelling():
                raise  # not this request being cut off: nothing to say on its behalf
            # The server is stopping (Ctrl-C) and this request ran past the grace period. The request's
            # own clean-up has run; say so in Bahasa Indonesia instead of uvicorn's "Internal Server Error".
            if not started:
                with contextlib.suppress(Exception):
                    await PlainTextResponse(STOPPING, 503)(scope, receive, send_with_headers)

    async def check(self, scope: Scope, receive: Receive) -> Response | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if self.local_only and not _local_name(host):
            return PlainTextResponse("Alamat (Host) ini tidak dilayani: halaman hanya dibuka dari komputer ini, di http://127.0.0.1.", 421)
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and not self.same_origin(scope, headers):
            return PlainTextResponse("Ditolak: kiriman ini datang dari halaman situs lain. Buka halaman kpu-xl langsung di peramban lalu kirim dari sana.", 403)
        if self.code is None:
            return None
        request = Request(scope, receive)
        if request.url.path == "/akses" and scope["method"] == "POST":
            return await self.login(request)
        given = request.query_params.get("kode")
        if given is not None and scope["method"] in ("GET", "HEAD"):
            if self.matches(given):
                rest = {k: v for k, v in parse_qs(request.url.query).items() if k != "kode"}
                target = _same_site_path(request.url.path) + (f"?{urlencode(rest, doseq=True)}" if rest else "")
                return self.admitted(request, RedirectResponse(target, 303))
            return self.page(request, 401, salah=True, kembali=_same_site_path(request.url.path))
        if hmac.compare_digest(request.cookies.get(self.cookie(request), "").encode(), self.token.encode()) or self.matches(headers.get(HEADER, "")):
            return None
        return self.page(request, 401, salah=False, kembali=_same_site_path(request.url.path) if scope["method"] == "GET" else "/")

    def same_origin(self, scope: Scope, headers: Headers) -> bool:
        origin = headers.get("origin")
        if origin is not None:
            scheme = scope.get("scheme", "http")
            return origin.lower() == f"{scheme}://{headers.get('host', '').lower()}"
        site = headers.get("sec-fetch-site")
        return site is None or site in ("same-origin", "none")  # none: typed in the address bar; absent: a program

    def matches(self, given: str) -> bool:
        normal = given.strip().upper().replace(" ", "")
        return hmac.compare_digest(normal.encode(), self.code.strip().upper().replace(" ", "").encode())

    @staticmethod
    def cookie(request: Request) -> str:
        port = (request.scope.get("server") or (None, None))[1]
        return f"{COOKIE}_{port}" if port else COOKIE

    def admitted(self, request: Request, response: Response) -> Response:
        response.set_cookie(self.cookie(request), self.token, httponly=True, samesite="lax")
        return response

    async def login(self, request: Request) -> Response:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > _MAX_CODE_FORM_BYTES:
                return self.page(request, 401, salah=True, kembali="/")
        form = QueryParams(body.decode("utf-8", "replace"))
        target = _same_site_path(form.get("kembali", "/"))  # never a redirect to another site
        if self.matches(form.get("kode", "")):
            return self.admitted(request, RedirectResponse(target, 303))
        return self.page(request, 401, salah=True, kembali=target)
