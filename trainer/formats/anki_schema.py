"""The legacy Anki collection schema (11) and the JSON it keeps in the `col` row."""

from __future__ import annotations

from typing import Any

DDL = """
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
  models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
  due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
  lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL,
  flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL,
  type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""

_CSS = (
    ".card {\n font-family: arial;\n font-size: 20px;\n text-align: center;\n color: black;\n"
    " background-color: white;\n}\n"
)
_ANSWER = "{{FrontSide}}\n\n<hr id=answer>\n\n"


def _field(name: str, ordinal: int) -> dict[str, Any]:
    return {
        "name": name,
        "ord": ordinal,
        "sticky": False,
        "rtl": False,
        "font": "Arial",
        "size": 20,
        "media": [],
    }


def _template(name: str, ordinal: int, qfmt: str, afmt: str) -> dict[str, Any]:
    return {"name": name, "ord": ordinal, "qfmt": qfmt, "afmt": afmt, "bqfmt": "", "bafmt": "", "did": None}


def _notetype(
    mid: int, name: str, kind: int, fields: list[str], templates: list[tuple[str, str]], mod: int
) -> dict[str, Any]:
    return {
        "id": mid,
        "name": name,
        "type": kind,
        "mod": mod,
        "usn": -1,
        "sortf": 0,
        "did": None,
        "tmpls": [_template(f"Card {i + 1}", i, q, a) for i, (q, a) in enumerate(templates)],
        "flds": [_field(n, i) for i, n in enumerate(fields)],
        "css": _CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "req": [[i, "any", [0 if i == 0 else 1]] for i in range(len(templates))] if kind == 0 else [],
        "tags": [],
        "vers": [],
    }


def notetypes_json(ids: dict[str, int], mod: int) -> dict[str, Any]:
    """The four note types an export uses."""
    types = [
        _notetype(
            ids["basic"], "Basic (trainer)", 0, ["Front", "Back"], [("{{Front}}", _ANSWER + "{{Back}}")], mod
        ),
        _notetype(
            ids["reversed"],
            "Basic (and reversed card) (trainer)",
            0,
            ["Front", "Back"],
            [("{{Front}}", _ANSWER + "{{Back}}"), ("{{Back}}", _ANSWER + "{{Front}}")],
            mod,
        ),
        _notetype(
            ids["typed"],
            "Basic (type in the answer) (trainer)",
            0,
            ["Front", "Back", "Extra"],
            [
                (
                    "{{Front}}\n\n{{type:Back}}",
                    "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}{{#Extra}}<br>\n{{Extra}}{{/Extra}}",
                )
            ],
            mod,
        ),
        _notetype(
            ids["cloze"],
            "Cloze (trainer)",
            1,
            ["Text", "Back Extra"],
            [("{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}")],
            mod,
        ),
    ]
    return {str(t["id"]): t for t in types}


def multi_notetype(mid: int, typed: tuple[bool, ...], mod: int) -> dict[str, Any]:
    """A note type with one card template per card of a group: card i asks `Front i`, answers `Back i`."""
    fields: list[str] = []
    templates: list[tuple[str, str]] = []
    for i, is_typed in enumerate(typed, 1):
        fields += [f"Front {i}", f"Back {i}"]
        if is_typed:
            templates.append(
                (
                    f"{{{{Front {i}}}}}\n\n{{{{type:Back {i}}}}}",
                    f"{{{{Front {i}}}}}\n\n<hr id=answer>\n\n{{{{type:Back {i}}}}}",
                )
            )
        else:
            templates.append(
                (f"{{{{Front {i}}}}}", f"{{{{Front {i}}}}}\n\n<hr id=answer>\n\n{{{{Back {i}}}}}")
            )
    layout = ", type-in " + "".join("1" if t else "0" for t in typed) if any(typed) else ""
    name = f"Trainer group ({len(typed)} cards{layout})"
    kind = _notetype(mid, name, 0, fields, templates, mod)
    kind["req"] = [[i, "any", [2 * i]] for i in range(len(typed))]
    return kind


def with_hints(model: dict[str, Any], mid: int) -> dict[str, Any]:
    """`model` with a hint field per card template, shown by Anki's `{{hint:...}}` filter below the
    question (a link that reveals it), as Anki users add hints; a cloze type gets one."""
    hinted = {**model, "id": mid, "name": f"{model['name']} + hint"}
    templates = [dict(t) for t in model["tmpls"]]
    names = ["Hint"] if len(templates) == 1 else [f"Hint {i}" for i in range(1, len(templates) + 1)]
    start = len(model["flds"])
    hinted["flds"] = [*model["flds"], *(_field(n, start + i) for i, n in enumerate(names))]
    for template, name in zip(templates, names, strict=True):
        template["qfmt"] += f"{{{{#{name}}}}}<br>\n{{{{hint:{name}}}}}{{{{/{name}}}}}"
    hinted["tmpls"] = templates
    return hinted


def deck_json(did: int, name: str, mod: int) -> dict[str, Any]:
    """One normal deck."""
    return {
        "id": did,
        "name": name,
        "mod": mod,
        "usn": -1,
        "desc": "",
        "dyn": 0,
        "conf": 1,
        "collapsed": False,
        "browserCollapsed": False,
        "extendNew": 0,
        "extendRev": 0,
        "newToday": [0, 0],
        "revToday": [0, 0],
        "lrnToday": [0, 0],
        "timeToday": [0, 0],
    }


def deck_config_json(mod: int) -> dict[str, Any]:
    """The default deck options."""
    return {
        "id": 1,
        "name": "Default",
        "mod": mod,
        "usn": -1,
        "maxTaken": 60,
        "autoplay": True,
        "timer": 0,
        "replayq": True,
        "dyn": False,
        "new": {
            "bury": False,
            "delays": [1.0, 10.0],
            "initialFactor": 2500,
            "ints": [1, 4, 0],
            "order": 1,
            "perDay": 20,
        },
        "rev": {
            "bury": False,
            "ease4": 1.3,
            "ivlFct": 1.0,
            "maxIvl": 36500,
            "perDay": 200,
            "hardFactor": 1.2,
        },
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
    }
