"""The Python API examples people copy (the package docstrings and the README) run as written."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import trainer
import trainer.collection

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_doctest_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    failures, tried = doctest.testmod(trainer, raise_on_error=False, report=True)
    assert (failures, tried) == (0, 2)


def test_the_collection_docstring_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    doc = trainer.collection.__doc__ or ""
    lines = doc.split("The CLI and the TUI", 1)[0].splitlines()[1:]  # the indented example
    code = "\n".join(line[4:] for line in lines)
    assert "trainer.Rating.GOOD" in code
    exec(compile(code, "trainer/collection.py docstring", "exec"), {})  # HOME is a test folder
    printed = capsys.readouterr().out
    assert "Denervation" in printed


def test_the_readme_python_api_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    monkeypatch.chdir(tmp_path)
    decks = tmp_path / "my-decks"
    decks.mkdir()
    (decks / "mine.toml").write_text(
        '[deck]\nid = "mine"\nname = "Mine"\n\n[[cards]]\nid = "one"\nfront = "Q"\nback = "A"\n',
        encoding="utf-8",
    )
    exec(compile(code.group(1), "README.md", "exec"), {})
    assert "Denervation" in capsys.readouterr().out
