"""`col.presets`: deck options (presets), which deck uses which, and changing them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.core.scheduling import Preset
    from trainer.services.presets import PresetInfo, PresetService


class Presets:
    """List, read and change the presets of one collection (as `col.presets`)."""

    def __init__(self, col: Collection) -> None:
        self._col = col

    def _service(self) -> PresetService:
        from trainer.services.presets import PresetService

        return PresetService(self._col.db, self._col.zone)

    def all(self) -> list[PresetInfo]:
        """Every preset with the decks that use it, by name."""
        return self._service().all()

    def names(self) -> list[str]:
        """Every preset's name, sorted."""
        return [info.preset.name for info in self.all()]

    def get(self, name: str) -> PresetInfo:
        """One preset by name, with its decks (`NotFoundError` when there is none)."""
        return self._service().get(name)

    def of_deck(self, deck: str) -> Preset:
        """The preset that schedules `deck`."""
        return self._service().of_deck(deck)

    def assign(self, deck: str, preset: str) -> None:
        """Make `deck` use the preset named `preset`."""
        self._service().assign(deck, preset)

    def set_options(
        self, name: str, assignments: list[str], *, reschedule: bool = False, now: datetime | None = None
    ) -> PresetInfo:
        """Apply `KEY=VALUE` changes (all checked before any is stored); with `reschedule`,
        move review cards' due dates to the new retention and maximum interval."""
        return self._service().change(name, assignments, reschedule=reschedule, now=self._col._now(now))
