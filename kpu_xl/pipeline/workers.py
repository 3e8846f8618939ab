"""Worker processes: how work reaches other processes, for the library, the CLI and the page alike.

Work goes to a worker as a module-level function and its arguments. Everything it needs (the
reader's limits, the policy, the quarter) travels in those arguments; nothing is taken from a
module global. So a result never depends on the start method (fork, forkserver, spawn) nor on
how the items fall into processes: Workers.map gives what a loop in this process gives, in the
same order.

    Workers(count)       the processes of one run (count 1: this process, nothing is started)
    worker_count(...)    how many: KPU_XL_WORKERS, else one per CPU from PARALLEL_MIN_FILES files on
    new_executor(...)    a process pool with the start method chosen here (the page keeps one open)
    end(executor)        stop a pool now: its queued work cancelled, its workers killed
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

PARALLEL_MIN_FILES = 24  # fewer files are read in this process (one satker has about 6)
START_METHODS = ("fork", "forkserver", "spawn")


def worker_count(requested: int | None, items: int) -> int:
    """How many processes work on `items` files (1: this process).

    requested None: the KPU_XL_WORKERS environment variable, else one per CPU, and only from
    PARALLEL_MIN_FILES files on (below that, starting processes costs more than it saves)."""
    if requested is None:
        env = os.environ.get("KPU_XL_WORKERS", "").strip()
        if env.isdigit() and int(env) > 0:
            requested = int(env)
        elif items < PARALLEL_MIN_FILES:
            return 1
        else:
            try:
                requested = len(os.sched_getaffinity(0))
            except (AttributeError, OSError):
                requested = os.cpu_count() or 1
    return max(1, min(requested, items))


def context(method: str | None = None) -> BaseContext:
    """The start method: `method` when given; else fork while this process runs one thread (fast,
    and safe only then), forkserver where there is one (a progress bar is a second thread), spawn."""
    import multiprocessing
    import threading

    if method is None:
        if sys.platform.startswith("linux") and threading.active_count() == 1:
            method = "fork"
        elif "forkserver" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" and forkserver_fits():
            method = "forkserver"
        else:
            method = "spawn"
    return multiprocessing.get_context(method)


def forkserver_fits() -> bool:
    """Whether forkserver can listen here: on a Unix socket <temp>/pymp-XXXXXXXX/listener-XXXXXXXX,
    whose path may have 107 bytes at most. Under a deep TMPDIR it cannot ("AF_UNIX path too long"),
    and the page would not start."""
    import tempfile

    return len(os.fsencode(tempfile.gettempdir())) + len("/pymp-12345678/listener-12345678") <= 107


def worker_init(parent: int, ignore_sigterm: bool = True) -> None:
    """A worker leaves Ctrl-C (and SIGTERM, unless told otherwise) to the main process, which stops the
    run and ends the workers: a KeyboardInterrupt in each worker would print a traceback per worker.
    And a worker ends when the main process does, however that ends: killed with SIGKILL, or stopped
    by a signal at the very moment this worker was being started (then the main process could not
    know of it, and the worker would wait for work for ever, holding the terminal's pipes open)."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if ignore_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(parent,), daemon=True, name="kpu-xl-parent-watch").start()


def _end_with(parent: int) -> None:
    """Wait for the process `parent` to end (a pidfd on Linux, else a poll each second), then end this one."""
    import select
    import time

    try:
        fd = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(0)  # gone already
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        select.select([fd], [], [])
    else:
        while True:
            time.sleep(1)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                pass
    os._exit(0)


def new_executor(count: int, method: str | None = None, initializer: Callable[..., None] = worker_init, initargs: tuple | None = None) -> ProcessPoolExecutor:
    """A process pool with the start method chosen here; its workers run `initializer` (by default
    worker_init, told this process's pid) before any work."""
    initargs = (os.getpid(),) if initargs is None and initializer is worker_init else initargs or ()
    return ProcessPoolExecutor(max_workers=count, mp_context=context(method), initializer=initializer, initargs=initargs)


def end(executor: ProcessPoolExecutor) -> None:
    """Stop a pool now: its queued work cancelled, its workers killed (they only read, and write in
    folders their caller removes)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        p.kill()
    for p in processes:
        p.join(timeout=5)


def _apply(fn: Callable[..., Any], args: tuple) -> Any:
    return fn(*args)


class Workers:
    """The processes of one run. `count` 1 works in this process; more start a pool on first use.

    map(fn, items) gives [fn(*item) for item in items], in order, wherever it runs. When the pool
    cannot start here (no processes allowed), or a worker dies (killed, out of memory), the
    remaining items are done in this process, and fell_back says so. An exception that fn raises
    is fn's: it propagates, wherever fn ran."""

    def __init__(self, count: int = 1, method: str | None = None) -> None:
        if method is not None and method not in START_METHODS:
            raise ValueError(f"start method {method!r}: one of {', '.join(START_METHODS)}")
        self.count = max(1, count)
        self.method = method
        self._executor: ProcessPoolExecutor | None = None
        self.fell_back = False

    @property
    def parallel(self) -> bool:
        return self.count > 1 and not self.fell_back

    def map(self, fn: Callable[..., Any], items: Sequence[tuple], chunksize: int = 1) -> Iterator[Any]:
        from concurrent.futures.process import BrokenProcessPool

        done = 0
        if self.parallel and items:
            results = None
            try:
                if self._executor is None:
                    self._executor = new_executor(min(self.count, len(items)), self.method)
                results = self._executor.map(_apply, [fn] * len(items), items, chunksize=chunksize)  # starts the workers
            except (BrokenProcessPool, OSError, NotImplementedError):  # no processes here
                self._fall_back()
            if results is not None:
                try:
                    for result in results:
                        done += 1
                        yield result
                    return
                except BrokenProcessPool:  # a worker died (killed, out of memory): the rest here
                    self._fall_back()
        for item in items[done:]:
            yield fn(*item)

    def _fall_back(self) -> None:
        self.fell_back = True
        self.close(finished=False)

    def close(self, finished: bool = True) -> None:
        """Release the pool: when everything is done its idle workers exit at once; else (an error,
        Ctrl-C) they are not waited for."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=finished, cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type | None, *_: object) -> None:
        self.close(finished=kind is None)
