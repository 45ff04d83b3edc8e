"""The app's own settings (the theme), kept per user beside other config, not in a collection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trainer.atomicfile import write_atomic


def settings_path() -> Path:
    """`settings.json` in the per-user config folder (`XDG_CONFIG_HOME` moves it)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("trainer", appauthor=False)) / "settings.json"


def load_settings() -> dict[str, Any]:
    """The saved settings; empty when there are none or the file is unreadable."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(key: str, value: object) -> None:
    """Remember one setting (a failure to write is not worth stopping the app for)."""
    data = load_settings()
    data[key] = value
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, indent=2))
    except OSError:
        pass
