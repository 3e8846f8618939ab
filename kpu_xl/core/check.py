"""A check: a small function from documents to findings, declaring what it can report.

Checks never edit what they look at and never raise for bad data. Each one declares
the finding codes it can emit and the document kinds it needs; the runner skips a
set check whose kinds are missing from a group, and a test compares each check's
declared codes with the ones its body names (tests/test_architecture.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .findings import Code, Finding


@dataclass(frozen=True)
class Check:
    run: Callable[..., list[Finding]]
    emits: tuple[Code, ...]
    needs: tuple[str, ...] = ()  # kinds (codes) the check needs in a group; () for file checks

    @property
    def name(self) -> str:
        return self.run.__name__

    def __call__(self, subject: object) -> list[Finding]:
        return self.run(subject)


def check(*emits: Code, needs: tuple[str, ...] = ()) -> Callable[[Callable[..., list[Finding]]], Check]:
    """Decorator: @check(F.TARGET_BERBEDA, needs=(PK, RA))."""

    def wrap(fn: Callable[..., list[Finding]]) -> Check:
        return Check(fn, tuple(emits), tuple(needs))

    return wrap
