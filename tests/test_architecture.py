"""The layers hold: import-linter's contracts (pyproject.toml) pass, and catch a violation.

tui and cli -> api (trainer.collection) -> services -> store and formats -> core; the TUI
imports neither the store nor SQL directly; the core imports no UI and no database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on `project` (its pyproject.toml and trainer/ package)."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("trainer/core/leak.py", "import textual\n", "The domain core is pure"),
        ("trainer/core/leak.py", "from trainer.store import models\n", "Layers"),
        ("trainer/tui/leak.py", "from trainer.store import rawdb\n", "The TUI never touches"),
        ("trainer/services/leak.py", "from trainer import collection\n", "Layers"),
        ("trainer/store/leak.py", "from trainer.views import CardView\n", "know nothing of the API"),
    ],
)
def test_a_layer_violation_breaks_the_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    shutil.copytree(ROOT / "trainer", tmp_path / "trainer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(line)
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken
