"""The worker processes that do the page's work, kept healthy: a job over its time is stopped,
a dead worker replaced, and the page's event loop never waits on either.

ProcessPoolExecutor marks the whole pool broken when one worker dies, so every job in flight
fails with it. The pool is then replaced once (whoever sees it first, under a lock, off the
event loop) and the jobs that were only caught up in it are run again, once: a job that breaks
the pool twice is answered with the reason, and never takes the page down.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

JOB_TIMEOUT = 300.0  # seconds: a satker's files take well under one; a national upload of 100 a few


class JobFailed(Exception):
    """A job could not be done; status and message (Bahasa Indonesia) for the answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _worker_init(server: int) -> None:
    """Workers leave Ctrl-C to the server, which ends them (a KeyboardInterrupt in each would print a
    traceback), and read files themselves: load() must not start a pool of its own inside a worker
    (24 uploads or more would). SIGTERM keeps its default: a worker asked to end, ends (the
    executor ends broken pools' workers so; `kill -TERM -PGID` too). And a worker ends when the
    server does, even killed with SIGKILL: workers hold the forkserver's "alive" pipe open, so
    without this the forkserver and the workers would wait for each other for ever."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["KPU_XL_WORKERS"] = "1"
    threading.Thread(target=_end_with, args=(server,), daemon=True, name="kpu-xl-server-watch").start()


def _end_with(server: int) -> None:
    """Wait for the server process to end (a pidfd on Linux, else a poll each second), then end."""
    import select
    import time

    try:
        fd = os.pidfd_open(server)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        select.select([fd], [], [])
    else:
        while True:
            time.sleep(1)
            try:
                os.kill(server, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                pass
    os._exit(0)


def _warm() -> int:
    """Import what the jobs need once per worker, before the first upload waits for it."""
    from ..api import consolidate, validate  # noqa: F401
    from ..report import annotate, docx, xlsx  # noqa: F401

    return os.getpid()


class Pool:
    def __init__(self, workers: int, timeout: float = JOB_TIMEOUT) -> None:
        self.workers = workers
        self.timeout = timeout  # read per job: a test may shorten it
        self.executor: ProcessPoolExecutor | None = None
        self._lock: asyncio.Lock | None = None

    def start(self) -> None:
        method = "forkserver" if sys.platform.startswith("linux") else "spawn"  # never fork a running event loop
        self.executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method), initializer=_worker_init, initargs=(os.getpid(),))
        for future in [self.executor.submit(_warm) for _ in range(self.workers)]:
            future.result()

    def stop(self) -> None:
        executor, self.executor = self.executor, None
        if executor is not None:
            processes = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for p in processes:
                p.kill()
            for p in processes:
                p.join(timeout=5)

    def pids(self) -> list[int]:
        return [p.pid for p in (getattr(self.executor, "_processes", None) or {}).values()]

    async def _replace(self, broken: ProcessPoolExecutor | None) -> None:
        """A new pool, unless someone already replaced the broken one."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.executor is broken:
                loop = asyncio.get_running_loop()
                await loop.run_in_executor(None, self.stop)
                await loop.run_in_executor(None, self.start)

    async def run(self, fn, *args):  # noqa: ANN001, ANN002, ANN201
        """fn(*args) in a worker; JobFailed when it runs over its time or its worker dies twice."""
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            executor = self.executor
            try:
                return await asyncio.wait_for(loop.run_in_executor(executor, fn, *args), self.timeout)
            except TimeoutError:
                await self._replace(executor)  # the only way to stop a job is to end its worker
                minutes = f"{self.timeout / 60:g} menit" if self.timeout >= 60 else f"{self.timeout:g} detik"
                raise JobFailed(504, f"Pemrosesan dihentikan karena lebih dari {minutes}. Kirim berkas dalam beberapa bagian; berkas yang sangat besar periksa dengan: kpu-xl validate.") from None
            except BrokenProcessPool:
                await self._replace(executor)
                if attempt == 2:
                    raise JobFailed(
                        500, "Proses pemeriksa berhenti di tengah jalan dua kali (mungkin kehabisan memori karena berkas ini). Kirim berkas satu per satu untuk menemukan berkas penyebabnya."
                    ) from None
        raise AssertionError("unreachable")
