"""Import a file into the collection, in a worker thread with a progress indicator."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, ProgressBar, Static

from trainer.tui.text import literal


class ImportScreen(ModalScreen[bool]):
    """Ask for a path and import it; returns whether anything was imported."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self) -> None:
        super().__init__()
        self.imported = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label("Import a file (deck .toml, Anki .apkg, .csv, ...)")
            yield Input(placeholder="/path/to/file", id="path")
            yield ProgressBar(id="progress", classes="hidden")
            yield Static("", id="import-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close")
                yield Button("Import", id="import", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import":
            self.start()
        else:
            self.action_close()

    def on_input_submitted(self) -> None:
        self.start()

    def start(self) -> None:
        """Validate the path and run the import in a worker."""
        from trainer.tui.app import TrainerApp

        app = self.app
        assert isinstance(app, TrainerApp)
        raw = self.query_one("#path", Input).value.strip()
        result = self.query_one("#import-result", Static)
        if not hasattr(app.col, "import_file"):
            result.update(
                "Importing is not available in this version: use 'trainer load PATH' for deck files."
            )
            return
        path = Path(raw).expanduser()
        if not raw or not path.exists():
            result.update(literal(f"No such file: {raw}" if raw else "Type a file path first."))
            return
        self.query_one("#progress").remove_class("hidden")
        result.update(literal(f"Importing {path.name}..."))
        self._import(path)

    @work(thread=True, exclusive=True, group="import")
    def _import(self, path: Path) -> None:
        from trainer.tui.app import TrainerApp

        app = self.app
        assert isinstance(app, TrainerApp)
        import_file = getattr(app.col, "import_file", None)
        assert import_file is not None
        bar = self.query_one("#progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            report = import_file(path, progress=progress)
            message = f"Imported {path.name}: " + _describe(report)
            ok = True
        except Exception as exc:  # every failure is shown to the learner
            message, ok = f"Import failed: {exc}", False
        self.app.call_from_thread(self._done, message, ok)

    def _done(self, message: str, ok: bool) -> None:
        self.query_one("#progress").add_class("hidden")
        self.query_one("#import-result", Static).update(literal(message))
        self.imported = self.imported or ok

    def action_close(self) -> None:
        """Close."""
        self.dismiss(self.imported)


def _describe(report: object) -> str:
    """`12 added, 3 updated, 40 unchanged, 1 skipped` from an import report."""
    parts = []
    for name in ("added", "updated", "unchanged", "skipped", "reviews"):
        value = getattr(report, name, None)
        count = len(value) if isinstance(value, list) else value
        if isinstance(count, int):
            parts.append(f"{count} {name}" if name != "reviews" else f"{count} review records")
    return ", ".join(parts) or str(report)
