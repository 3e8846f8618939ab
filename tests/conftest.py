"""Shared fixtures: the bundled samples, freshly built from the shipped templates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import builder


@pytest.fixture(scope="session")
def built_samples(tmp_path_factory) -> Path:
    """The samples, freshly built from the shipped templates by samples/build.py."""
    out = tmp_path_factory.mktemp("samples")
    builder.build(out)
    return out


@pytest.fixture
def samples(built_samples, tmp_path) -> Path:
    """A private, editable copy of the built samples."""
    dst = tmp_path / "tanjabtim-2023"
    shutil.copytree(built_samples, dst)
    return dst
