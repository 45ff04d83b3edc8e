"""Import and export of whole files: read and check a file, then import it; export cards to a file.

The import itself is `trainer.services.io_import` (planned without the write lock, written in
one short transaction); export helpers are `trainer.services.io_export`.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from trainer.core.files import regular_file
from trainer.formats.anki_kept import template_media
from trainer.formats.safety import reading
from trainer.services.anki_keep import attach_card_values, attach_revlog, kept_notes
from trainer.services.gc_pause import paused_gc
from trainer.services.io_import import LARGE_IMPORT, import_package, media_dir
from trainer.services.io_plan import Progress
from trainer.services.io_reports import ExportReport, ImportReport
from trainer.store.engine import Database

__all__ = [
    "LARGE_IMPORT",
    "ExportReport",
    "ImportReport",
    "export_file",
    "import_file",
    "import_package",
    "media_dir",
]


def import_file(
    db: Database,
    path: Path,
    now: datetime,
    *,
    deck: str | None = None,
    scheduling: bool = True,
    fmt: str | None = None,
    progress: Progress | None = None,
    replace_presets: bool = False,
) -> ImportReport:
    """Read `path` (any supported format), check everything it holds, and import it.

    Nothing is written unless every value passes `check_package`; a file's presets replace
    same-named ones only with `replace_presets`."""
    from trainer.formats.boundary import check_package
    from trainer.formats.registry import import_format, read_file

    regular_file(path)
    with paused_gc():
        with reading(path):
            package = read_file(path, fmt, scheduling=scheduling, deck=deck)
        try:
            with reading(path):
                if not scheduling:
                    package.has_scheduling = False
                package.replace_presets = replace_presets
                deck_for = deck if import_format(path, fmt) == "apkg" else None
                check_package(package, path, prefix=deck_for)
            return import_package(db, package, str(path), now, deck=deck_for, progress=progress)
        finally:
            package.discard()


def export_file(
    db: Database,
    path: Path,
    now: datetime,
    *,
    deck: str | None = None,
    fmt: str | None = None,
    scheduling: bool = True,
    zone: tzinfo | None = None,
    split: bool = False,
    spreadsheet_safe: bool = False,
) -> ExportReport:
    """Write cards (all, or one deck tree) to `path`; Anki's day numbers count study days in `zone`;
    `split`: TOML deck files one per deck beside `path` instead of one collection file;
    `spreadsheet_safe`: CSV/TSV cells that look like formulas get a `'` (Anki keeps it)."""
    from trainer.formats.registry import export_format

    chosen = export_format(path, fmt)
    regular_file(path, write=True)
    with paused_gc():
        return _export(db, path, now, chosen, deck, scheduling, zone, split, spreadsheet_safe)


def _export(
    db: Database,
    path: Path,
    now: datetime,
    chosen: str,
    deck: str | None,
    scheduling: bool,
    zone: tzinfo | None,
    split: bool = False,
    spreadsheet_safe: bool = False,
) -> ExportReport:
    from trainer.services import io_export

    report = ExportReport(file=str(path), format=chosen)
    if chosen == "json":
        report.cards, report.notes, report.reviews = io_export.export_json(db, path, now, deck)
        return report
    records = io_export.collect_cards(db, deck, scheduling=scheduling)
    report.cards = len(records)
    report.notes = len({r.group or r.external_id for r in records})
    if chosen == "apkg" and scheduling:  # the only one of these formats that carries the review log
        report.reviews = sum(len(r.reviews) for r in records)
    if chosen == "apkg":
        from trainer.core.days import local_zone
        from trainer.formats.apkg_write import FSRS5_DECAY, Timing, write_package

        folder = media_dir(db)
        kept = kept_notes(db, records)
        names = {n for r in records for n in r.content.media}
        if kept and folder is not None and folder.is_dir():  # fonts and images the kept templates use
            used_types = {k[0].digest: k[0] for k in kept.values()}.values()
            names |= template_media(used_types, (p.name for p in folder.iterdir() if p.name.startswith("_")))
        media = io_export.read_media(folder, names)
        if scheduling:
            attach_revlog(db, records)
            attach_card_values(db, records)
        descriptions, parameters, hour = io_export.deck_settings(db, deck)
        decay = {name: p[20] if len(p) > 20 else FSRS5_DECAY for name, p in parameters.items()}
        steps = io_export.deck_steps(db, deck)
        timing = Timing(zone=zone or local_zone(), day_start_hour=hour, decay=decay, steps=steps)
        write_package(
            path, records, media, now, scheduling=scheduling, timing=timing, descriptions=descriptions,
            kept=kept,
        )  # fmt: skip
        report.media = len(media)
    elif chosen in ("csv", "tsv"):
        from trainer.formats.csv_text import write_text

        delimiter = "\t" if chosen == "tsv" else ","
        report.notes = write_text(path, records, delimiter=delimiter, spreadsheet_safe=spreadsheet_safe)
    else:
        from trainer.formats.native import write_native

        written = write_native(path, records, deck, io_export.deck_meta(db, deck), split=split)
        report.files = [str(p) for p in written]
    return report
