"""The `kpu-xl` console script, and `python -m kpu_xl`: the signal handlers first, then the CLI.

Ctrl-C or SIGTERM at any moment, the start-up imports included, stops the run cleanly: exit 130
(143 for SIGTERM), "Dibatalkan." on stderr, temporary files removed, worker processes ended, no
traceback. So the handlers are installed before anything heavy is imported: this module imports
only os, signal and sys, and imports the CLI (typer, rich, the library) after installing them.
"""

from __future__ import annotations

import os
import signal
import sys

_STOPPED_BY: list[int] = []  # the signal that stopped the run
_MAIN_PID: list[int] = []  # the process that runs the command (a forked worker inherits the handler)


def main() -> None:
    _MAIN_PID.append(os.getpid())
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        from .cli import run

        code = run()
    except KeyboardInterrupt:  # raised by code that caught the signal's effect itself (typer turns one into 130)
        stopped()
    if code == 130:
        stopped()
    raise SystemExit(code)


def _on_signal(signum: int, frame: object) -> None:
    """Stop from the handler itself. It does not raise KeyboardInterrupt: one that lands in a callback
    (an import lock's, a finaliser's) is printed by Python as a traceback and then ignored, and the
    run would go on as if nobody had pressed Ctrl-C.

    A worker forked before it could ignore the signal (worker_init) leaves silently: the main
    process says "Dibatalkan." once and ends the others."""
    if _MAIN_PID and os.getpid() != _MAIN_PID[0]:
        os._exit(128 + signum)
    _STOPPED_BY.append(signum)
    stopped(in_handler=True)


def stopped(in_handler: bool = False) -> None:
    """After Ctrl-C or SIGTERM: ignore further signals, remove temporary files, end the worker
    processes, and leave. From a signal handler, or with workers, at once with os._exit: there an
    exception may be swallowed, and a pool's threads would wait for the killed workers.

    Nothing is imported here: the signal may have come in the middle of an import (a half-imported
    module met in CI). What is not loaded yet has nothing to clean: no temporary file without
    core.files, no worker without multiprocessing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    remove_temporaries = getattr(sys.modules.get("kpu_xl.core.files"), "remove_temporaries", None)  # getattr: maybe half-imported
    if remove_temporaries is not None:
        remove_temporaries()
    code = 128 + (_STOPPED_BY[0] if _STOPPED_BY else signal.SIGINT)
    active_children = getattr(sys.modules.get("multiprocessing"), "active_children", None)
    workers = active_children() if active_children is not None else []
    for child in workers:
        child.kill()  # workers only read; nothing of theirs needs cleaning
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001, S110 - interrupted mid-write (reentrant flush): nothing to save
            pass
    os.write(2, b"Dibatalkan.\n")  # not through sys.stderr, which the signal may have interrupted
    if not in_handler and not workers:
        raise SystemExit(code)
    os._exit(code)


if __name__ == "__main__":
    main()
