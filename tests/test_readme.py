"""The README documents every finding code and the test command CI runs."""

from pathlib import Path

from kpu_xl.core.findings import CODES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_code_is_documented_with_its_severity():
    for code in CODES.values():
        assert f"| `{code.code}` | {code.severity} |" in README, code.code


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && . .venv/bin/activate && pip install -q '.[test]' && ruff check . && ruff format --check . && python -m pytest -q -n auto"
    assert command in README and command in ci


def test_the_python_examples_run(samples, tmp_path, monkeypatch):
    # every ```python block of the README, on a copy of the samples named berkas/ as there
    import re
    import shutil

    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert len(blocks) >= 2
    shutil.copytree(samples, tmp_path / "berkas")
    monkeypatch.chdir(tmp_path)
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README's own examples
    assert (tmp_path / "konsolidasi.xlsx").exists()
