"""`kpu-xl web`: bind, decide the access code, print the addresses to open, serve until Ctrl-C."""

from __future__ import annotations

import errno
import logging
import signal
import socket
from collections.abc import Callable
from urllib.parse import quote

import uvicorn  # at the top: a missing extra is an ImportError where `kpu-xl web` imports this module

from ..core.errors import KpuXlError, os_reason
from .app import create_app
from .guard import is_local_host, new_code


class ServeError(KpuXlError):
    """The page cannot start; the message is in Bahasa Indonesia."""


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a port in use is said plainly (not a uvicorn log)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise ServeError(f"Alamat --host {host} tidak dikenal di komputer ini.") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"Port {port} sudah dipakai program lain (mungkin kpu-xl web yang masih berjalan). Pakai port lain, mis. --port {port + 1}, atau --port 0 agar dipilih otomatis."
            ) from None
        if exc.errno == errno.EACCES:
            raise ServeError(f"Tidak ada izin memakai port {port}; pakai port di atas 1024, mis. --port 8000.") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise ServeError(f"Alamat --host {host} bukan alamat komputer ini.") from None
        raise ServeError(f"Tidak dapat membuka port {port}: {os_reason(exc)}.") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def addresses(host: str, port: int) -> list[str]:
    """The addresses colleagues can open: this computer's own for a wildcard host."""
    if host not in ("0.0.0.0", "::", ""):
        shown = f"[{host}]" if ":" in host else host
        return [f"http://{shown}:{port}/"]
    found: list[str] = []
    try:  # the address of the interface that routes outward (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    ips = [ip for ip in dict.fromkeys(found) if not ip.startswith("127.")]
    return [f"http://{ip}:{port}/" for ip in ips] + [f"http://127.0.0.1:{port}/"]


class _InIndonesian(logging.Filter):
    """uvicorn's one message an officer meets in normal use, said in Bahasa Indonesia."""

    SAID = {"Cancel %s running task(s), timeout graceful shutdown exceeded": "%s permintaan yang masih diproses dihentikan (lewat batas tunggu saat berhenti); berkasnya sudah dihapus."}

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.SAID.get(record.msg, record.msg)
        return True


def serve(host: str, port: int, kode_akses: str | None, echo: Callable[[str], None], workers: int | None = None, grace: float = 5.0) -> None:
    """Run the page until Ctrl-C or SIGTERM; raises ServeError when it cannot start.
    grace: seconds a request in progress may still take after Ctrl-C (then it is cut off: 503)."""
    local = is_local_host(host)
    if kode_akses is not None and not kode_akses.strip():
        raise ServeError("--kode-akses tidak boleh kosong.")
    if kode_akses is not None and any(not ch.isprintable() for ch in kode_akses):
        raise ServeError("--kode-akses tidak boleh berisi baris baru atau karakter kendali.")
    code = kode_akses.strip() if kode_akses else (None if local else new_code())
    sock = bind(host, port)
    port = sock.getsockname()[1]  # --port 0: the one the system chose
    links = addresses(host, port)

    def ready() -> None:  # once the workers are up: what is printed can be opened at once
        echo("Halaman kpu-xl berjalan. Buka di peramban:")
        for link in links:
            echo(f"  {link}" + (f"?kode={quote(code, safe='')}" if code else ""))
        if code:
            echo(f"Kode akses: {code}" + ("" if kode_akses else " (dibuat acak untuk kali ini; bagikan hanya kepada rekan kantor)"))
        if not local:
            echo("Halaman terbuka untuk jaringan kantor; hanya yang tahu kode akses dapat memakainya.")
        echo("Tekan Ctrl-C untuk berhenti.")

    app = create_app(kode_akses=code, local_only=local, workers=workers, on_ready=ready)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", server_header=False, timeout_graceful_shutdown=grace)
    server = uvicorn.Server(config)
    logging.getLogger("uvicorn.error").addFilter(_InIndonesian())
    # uvicorn stops gracefully on the signal, then raises it again for the handler in place before
    # it: that one only notes it, and the command ends normally instead of as "Dibatalkan".
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    if hasattr(signal, "SIGHUP"):  # the terminal closed: stop as for SIGTERM (uvicorn handles only INT and TERM)
        previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, lambda sig, frame: server.handle_exit(signal.SIGTERM, frame))
    try:
        server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
    if not server.started:
        raise ServeError("Halaman tidak dapat dijalankan (lihat pesan di atas).")
    try:
        echo("Halaman kpu-xl dihentikan.")
    except OSError:
        pass  # the terminal is gone (SIGHUP)
