"""The build engine stays pure domain code: no UI, no database, no network."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("textual", "sqlalchemy", "alembic", "click", "socket", "http", "requests", "ssl")


def test_importing_the_build_engine_loads_no_ui_database_or_network_module() -> None:
    code = (
        "import sys, trainer.core.build\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""
