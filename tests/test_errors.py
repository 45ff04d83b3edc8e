"""One error hierarchy: everything a user can cause is a `TrainerError`."""

from __future__ import annotations

from pathlib import Path

import pytest

import trainer
from trainer.clock import ClockError
from trainer.core.build.model import BuildInputError
from trainer.core.deckfile import DeckFileError
from trainer.core.search import QueryError
from trainer.errors import ImportRefusedError, InvalidInputError, NotFoundError, SchemaError, TrainerError
from trainer.formats.protobuf import ProtobufError
from trainer.formats.revlog_csv import RevlogError
from trainer.formats.safety import ImportFormatError


@pytest.mark.parametrize(
    ("kind", "root"),
    [
        (ClockError, InvalidInputError),
        (BuildInputError, InvalidInputError),
        (QueryError, InvalidInputError),
        (DeckFileError, TrainerError),
        (ProtobufError, ImportRefusedError),
        (RevlogError, ImportRefusedError),
        (ImportFormatError, ImportRefusedError),
        (SchemaError, TrainerError),
        (NotFoundError, LookupError),
        (InvalidInputError, ValueError),
    ],
)
def test_every_user_error_has_one_root(kind: type[Exception], root: type[Exception]) -> None:
    assert issubclass(kind, root)
    assert issubclass(kind, TrainerError)


def test_the_package_exports_the_hierarchy() -> None:
    assert trainer.TrainerError is TrainerError
    assert trainer.NotFoundError is NotFoundError


def test_not_found_reads_as_its_message_not_a_quoted_key() -> None:
    assert str(NotFoundError("no deck named 'X'")) == "no deck named 'X'"


def test_api_raises_trainer_errors(tmp_path: Path) -> None:
    with trainer.open_collection(tmp_path / "c.sqlite3", install_bundled=False) as col:
        with pytest.raises(NotFoundError):
            col.card(424242)
        with pytest.raises(InvalidInputError):
            col.set_flag(1, 9)
