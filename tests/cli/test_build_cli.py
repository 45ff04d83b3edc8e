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


GLOSSARY = (
    "# Glossary\n\n"
    "Inflation - a sustained rise in the general price level.\n\n"
    "Deflation - a sustained fall in the general price level.\n\n"
    "Recession - two consecutive quarters of falling real output.\n"
)


def test_force_merges_and_keeps_the_learners_corrections(tmp_path: Path) -> None:
    doc = tmp_path / "econ.md"
    doc.write_text(GLOSSARY, encoding="utf-8")
    out = tmp_path / "econ.toml"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(doc), "-o", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # The learner corrects one card and deletes another.
    text = text.replace('"A sustained rise in the general price level."', '"A lasting rise in prices."')
    start = text.rindex("# confidence", 0, text.index("What is deflation?"))
    end = text.index("# confidence", start + 1)
    text = text[:start] + text[end:]
    out.write_text(text, encoding="utf-8")
    doc.write_text(GLOSSARY + "\nStagflation - inflation together with stagnant output.\n", encoding="utf-8")
    again = runner.invoke(cli, ["build", str(doc), "-o", str(out), "--force"])
    assert again.exit_code == 0, again.output
    assert "1 new drafts added, 2 already there kept as they are, 1 removed or rejected before left out" in (
        again.output
    )
    merged = out.read_text(encoding="utf-8")
    assert '"A lasting rise in prices."' in merged
    assert "sustained rise" not in merged and "sustained fall" not in merged
    assert "What is stagflation?" in merged
    loaded = runner.invoke(cli, ["--db", str(tmp_path / "c.sqlite3"), "load", str(out)])
    assert loaded.exit_code == 0, loaded.output


def test_a_german_document_is_named_not_labelled_english(tmp_path: Path) -> None:
    doc = tmp_path / "blatt.txt"
    doc.write_text(
        "Die Fotosynthese ist der Vorgang, bei dem Pflanzen aus Licht, Wasser und Kohlenstoffdioxid"
        " Traubenzucker und Sauerstoff herstellen. Sie findet in den Chloroplasten statt.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["build", str(doc), "-o", str(tmp_path / "o.toml")])
    assert result.exit_code == 1
    assert "looks German (de)" in str(result.exception or result.output)
    assert not (tmp_path / "o.toml").exists()
