"""Results -> the JSON document (`kpu-xl validate --format json`, `kpu-xl rekap --format json`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any


def text(subject: Any) -> str:
    """The subject's as_dict() as JSON, with DEL and C1 controls escaped too (json.dumps leaves them
    raw with ensure_ascii=False, and they would drive a terminal)."""
    out = json.dumps(subject.as_dict(), ensure_ascii=False, indent=2)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", out)


def render_json(subject: Any, path: Path) -> list[str]:
    path.write_text(text(subject) + "\n", encoding="utf-8")
    return []
