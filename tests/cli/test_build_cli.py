"""`trainer build` writes a draft deck that `trainer load` accepts; bad input is one clear error."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from trainer.cli.root import cli

DOC = "# Nerves\n\nWhat is neurapraxia?\nA temporary conduction block without axonal loss.\n"


def test_build_then_load(tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text(DOC, encoding="utf-8")
    out = tmp_path / "draft.toml"
    db = str(tmp_path / "c.sqlite3")
    runner = CliRunner()
    built = runner.invoke(cli, ["--db", db, "build", str(doc), "-o", str(out), "--deck-name", "Mine::Draft"])
    assert built.exit_code == 0, built.output
    assert "Wrote" in built.output and out.is_file()
    loaded = runner.invoke(cli, ["--db", db, "load", str(out), "--json"])
    assert loaded.exit_code == 0, loaded.output
    assert '"Mine::Draft"' in loaded.output
    again = runner.invoke(cli, ["--db", db, "build", str(doc), "-o", str(out)])
    assert again.exit_code != 0 and "use --force" in again.output


def test_build_refuses_binary_and_empty(tmp_path: Path) -> None:
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02" * 50)
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    runner = CliRunner()
    for doc in (binary, empty):
        result = runner.invoke(cli, ["build", str(doc), "-o", str(tmp_path / "o.toml")])
        assert result.exit_code == 1
        assert str(doc) in str(result.exception or result.output)
    assert not (tmp_path / "o.toml").exists()
