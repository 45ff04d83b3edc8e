"""`trainer.core` stays pure: importing it loads neither Textual nor SQLAlchemy."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import trainer.core


def test_core_imports_no_ui_or_database_library() -> None:
    modules = [f"trainer.core.{m.name}" for m in pkgutil.walk_packages(trainer.core.__path__)]
    assert "trainer.core.scheduling" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "banned = {'textual', 'sqlalchemy', 'rich', 'alembic'}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in banned)\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
