"""The library's front door: what the CLI (and any other front end) calls.

Each function is a thin name over the pipeline; no figures are computed here.
"""

from __future__ import annotations

from .compute.satker import ConsolidateError, consolidate
from .core.policy import Policy
from .core.policy import load as load_policy
from .pipeline.load import validate
from .report.xlsx import write
from .xlsx.source import Limits

__all__ = ["validate", "consolidate", "write", "load_policy", "Policy", "ConsolidateError", "Limits"]
