"""The worker processes that do the page's work, kept healthy: a job over its time is stopped,
a dead worker replaced, and the page's event loop never waits on either.

ProcessPoolExecutor marks the whole pool broken when one worker dies, so every job in flight
fails with it. The pool is then replaced once (whoever sees it first, under a lock, off the
event loop) and the jobs that were only caught up in it are run again, once: a job that breaks
the pool twice is answered with the reason, and never takes the page down. Only as many jobs
as there are workers are in the pool at a time; the rest wait their turn on this side, and
a job's time limit counts from its start.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from ..core.errors import KpuXlError
from ..pipeline.workers import end, forkserver_fits, new_executor, worker_init

if TYPE_CHECKING:
    from typing import TypeVar

    _T = TypeVar("_T")  # what a job returns

JOB_TIMEOUT = 300.0  # seconds: a satker's files take well under one; a national upload of 100 a few


class JobFailed(KpuXlError):
    """A job could not be done; its HTTP status and message (Bahasa Indonesia) for the answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, http_status=status)


def _warm() -> int:
    """Import what the jobs need once per worker, before the first upload waits for it."""
    from ..report import formats
    from . import jobs  # noqa: F401 - imports the library's front door

    formats.preload()
    return os.getpid()


class Pool:
    def __init__(self, workers: int, timeout: float = JOB_TIMEOUT) -> None:
        self.workers = workers
        self.timeout = timeout  # read per job: a test may shorten it
        self.executor: ProcessPoolExecutor | None = None
        self._lock: asyncio.Lock | None = None
        # As many jobs in the pool as it has workers: the others wait here, so a job's time is counted
        # from its start (not from its turn in a queue), and ending a pool ends only jobs that ran in it.
        self._slots: asyncio.Semaphore | None = None

    def _new(self) -> ProcessPoolExecutor:
        """A pool whose workers are up (BrokenProcessPool if one dies while starting)."""
        # never fork a running event loop; spawn where forkserver cannot listen (a deep TMPDIR)
        method = "forkserver" if sys.platform.startswith("linux") and forkserver_fits() else "spawn"
        # SIGTERM keeps its default in the page's workers: a worker asked to end, ends (the executor ends
        # broken pools' workers so; `kill -TERM -PGID` too). A worker also ends when the server does,
        # even killed with SIGKILL (worker_init): the forkserver and the workers would else wait for
        # each other for ever. Each job reads its files in its worker (web/jobs.py asks for one process).
        executor = new_executor(self.workers, method, worker_init, (os.getpid(), False))
        try:
            for future in [executor.submit(_warm) for _ in range(self.workers)]:
                future.result()
        except BaseException:
            end(executor)
            raise
        return executor

    def start(self) -> None:
        self.executor = self._new()

    def stop(self) -> None:
        executor, self.executor = self.executor, None
        if executor is not None:
            end(executor)

    def pids(self) -> list[int]:
        return [p.pid for p in (getattr(self.executor, "_processes", None) or {}).values()]

    async def _replace(self, old: ProcessPoolExecutor | None) -> None:
        """Put a new pool in place of old, unless someone already has; then end old's workers. The new
        one is up before it is swapped in: a job never finds no pool (it would run in the server)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.executor is not old:
                return
            loop = asyncio.get_running_loop()
            for attempt in (1, 2, 3):  # a worker may be killed again while the new pool starts
                try:
                    new = await loop.run_in_executor(None, self._new)
                    break
                except BrokenProcessPool:
                    if attempt == 3:
                        raise JobFailed(500, "Proses pemeriksa tidak dapat dijalankan ulang (berhenti berulang kali saat dimulai). Hentikan lalu jalankan lagi kpu-xl web.") from None
            self.executor = new
            if old is not None:
                await loop.run_in_executor(None, end, old)  # its other jobs fail over to the new pool (run)

    async def run(self, fn: Callable[..., _T], *args: object) -> _T:
        """fn(*args) in a worker; JobFailed when it runs over its time or its pool breaks twice under it.

        A job whose pool was ended under it (another job's worker died, or another job ran over its
        time) is run again on the new pool, once."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:
            return await self._run(fn, *args)

    async def _run(self, fn: Callable[..., _T], *args: object) -> _T:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        for attempt in (1, 2):
            executor = self.executor
            if executor is None:  # the server is starting or stopping
                raise JobFailed(503, "Halaman kpu-xl sedang dimulai atau dihentikan; coba lagi sebentar lagi.")
            try:
                return await asyncio.wait_for(loop.run_in_executor(executor, fn, *args), self.timeout)
            except TimeoutError:
                await self._replace(executor)  # the only way to stop a job is to end its worker
                minutes = f"{self.timeout / 60:g} menit" if self.timeout >= 60 else f"{self.timeout:g} detik".replace(".", ",")
                raise JobFailed(504, f"Pemrosesan dihentikan karena lebih dari {minutes}. Kirim berkas dalam beberapa bagian; berkas yang sangat besar periksa dengan: kpu-xl validate.") from None
            except asyncio.CancelledError:
                if task is not None and task.cancelling():
                    raise  # this request itself is being cancelled (the server is stopping)
                # else the job was cancelled by the ending of its pool (another job's fault): again
            except BrokenProcessPool:
                await self._replace(executor)
            if attempt == 2:
                raise JobFailed(
                    500, "Proses pemeriksa berhenti di tengah jalan dua kali (mungkin kehabisan memori). Coba lagi; bila terulang, kirim berkas satu per satu untuk menemukan berkas penyebabnya."
                )
        raise AssertionError("unreachable")
