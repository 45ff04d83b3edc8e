"""`trainer import` / `trainer export` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.runner import run_trainer
from tests.formats.anki_oracle import build_collection, export_package


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-anki")
    built = build_collection(folder)
    return export_package(built.path, folder / "deck.apkg", legacy=False)


def run(*args: str) -> tuple[int, str]:
    """`trainer ARGS` (the collection named by `--db`); the exit code and stdout + stderr."""
    result = run_trainer(None, *args)
    return result.returncode, result.stdout + result.stderr


def test_import_then_export(package: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "col.sqlite3")
    code, out = run("--db", db, "import", str(package))
    assert code == 0, out
    assert "8 added, 0 updated" in out and "new deck: Lang::French::Verbs" in out
    assert "new preset (deck options): Anki: Default" in out
    code, out = run("--db", db, "import", str(package), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 8
    target = tmp_path / "out.tsv"
    code, out = run("--db", db, "export", str(target), "--deck", "Biology")
    assert code == 0, out
    assert "4 cards" in out and target.read_text().startswith("#separator:Tab")


def test_hostile_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "evil.apkg"
    bad.write_bytes(b"PK\x03\x04 truncated")
    code, out = run("--db", str(tmp_path / "col.sqlite3"), "import", str(bad))
    assert code == 1
    assert f"{bad}: not a readable zip archive" in out
    assert "Traceback" not in out


def test_unknown_extension(tmp_path: Path) -> None:
    odd = tmp_path / "x.docx"
    odd.write_text("hi")
    code, out = run("--db", str(tmp_path / "col.sqlite3"), "import", str(odd))
    assert code == 1 and "unknown file type '.docx'" in out


@pytest.mark.parametrize("suffix", ["apkg", "csv", "tsv", "toml", "json", "split.toml"])
def test_export_into_a_missing_folder_is_one_line(tmp_path: Path, suffix: str) -> None:
    """No file is written into a folder that does not exist (a typo must not go unnoticed)."""
    db = str(tmp_path / "c.sqlite3")
    run("--db", db, "load", "--bundled")
    missing = tmp_path / "no" / "such" / "dir"
    split = ["--split"] if suffix.startswith("split") else []
    target = missing / f"x.{suffix.removeprefix('split.')}"
    code, out = run("--db", db, "export", str(target), *split)
    assert code == 1
    assert out.strip() == f"trainer: error: cannot write {target}: no folder {missing} (create it first)"
    assert not (tmp_path / "no").exists()
    afile = tmp_path / "afile"
    afile.write_text("x")
    code, out = run("--db", db, "export", str(afile / f"x.{suffix.removeprefix('split.')}"), *split)
    assert code == 1 and f"{afile} is not a folder" in out and "Errno" not in out
    assert afile.read_text() == "x"
