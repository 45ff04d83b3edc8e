"""Pick a format by `--format` or by the file's extension."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainer.errors import ImportRefusedError

READERS = {".apkg": "apkg", ".colpkg": "apkg", ".csv": "csv", ".tsv": "tsv", ".txt": "csv",
           ".json": "json", ".md": "markdown", ".markdown": "markdown", ".toml": "toml"}  # fmt: skip
EXPORT_FORMATS = ("apkg", "csv", "tsv", "toml", "json")


def import_format(path: Path, fmt: str | None = None) -> str:
    """The reader for `path`."""
    if fmt:
        return fmt
    found = READERS.get(path.suffix.lower())
    if found is None:
        raise ImportRefusedError(f"{path}: unknown file type '{path.suffix}' (use --format)")
    return found


def export_format(path: Path, fmt: str | None = None) -> str:
    """The writer for `path`."""
    chosen = fmt or READERS.get(path.suffix.lower(), "")
    if chosen == "markdown" or chosen not in EXPORT_FORMATS:
        raise ImportRefusedError(
            f"{path}: cannot export as '{chosen or path.suffix}' (use {', '.join(EXPORT_FORMATS)})"
        )
    return chosen


def read_file(path: Path, fmt: str | None = None, *, scheduling: bool = True, deck: str | None = None) -> Any:
    """Read any supported file into a `Package`."""
    chosen = import_format(path, fmt)
    if chosen == "apkg":
        from trainer.formats.apkg_read import read_package

        return read_package(path, scheduling=scheduling)
    if chosen in ("csv", "tsv"):
        from trainer.formats.csv_text import read_text

        return read_text(path, deck=deck)
    if chosen == "json":
        from trainer.formats.jsonfmt import read_json

        return read_json(path, scheduling=scheduling)
    if chosen == "markdown":
        from trainer.formats.markdown import read_markdown

        return read_markdown(path, deck=deck)
    if chosen == "toml":
        from trainer.formats.native import read_native

        return read_native(path)
    raise ImportRefusedError(f"{path}: unknown format '{chosen}'")
