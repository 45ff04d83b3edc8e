"""`col.optimizer`: the FSRS optimiser on the learner's history, the simulator, review-log import."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.core.optimize import TrainingItem
    from trainer.services.optimize import ImportSummary, OptimizeResult, OptimizeService, SimulationRow


class Optimizer:
    """Fit, simulate and import history for one collection (as `col.optimizer`)."""

    def __init__(self, col: Collection) -> None:
        self._col = col

    def _service(self) -> OptimizeService:
        from trainer.services.optimize import OptimizeService

        return OptimizeService(self._col.db, self._col.zone)

    def optimize(
        self,
        deck: str | None = None,
        preset: str | None = None,
        *,
        dry_run: bool = False,
        minimum: int | None = None,
        now: datetime | None = None,
    ) -> OptimizeResult:
        """Fit the parameters of a preset (the one of `deck`, or `preset`, or Default) to its
        history as Anki does, and save them by Anki's rule unless `dry_run` (`minimum`: the
        fewest training items to fit on, Anki's 400 by default)."""
        service, moment = self._service(), self._col._now(now)
        if minimum is None:
            return service.optimize(deck, preset, dry_run=dry_run, now=moment)
        return service.optimize(deck, preset, dry_run=dry_run, minimum=minimum, now=moment)

    def simulate(
        self,
        deck: str | None = None,
        retentions: Sequence[float] = (0.75, 0.8, 0.85, 0.9, 0.95),
        *,
        days: int = 365,
        seed: int = 42,
    ) -> list[SimulationRow]:
        """Expected reviews per day and memorised cards for a range of desired retentions."""
        return self._service().simulate(deck, retentions, days=days, seed=seed)

    def items(self, deck: str | None = None, preset: str | None = None) -> list[TrainingItem]:
        """The training items of a preset's decks, in time order."""
        return self._service().items(deck, preset)

    def import_review_log(
        self, path: Path | str, *, deck: str = "Imported review log", now: datetime | None = None
    ) -> ImportSummary:
        """Import a review-log CSV (FSRS optimiser layout) into `deck`; returns a summary."""
        return self._service().import_review_log(Path(path), deck, self._col._now(now))
