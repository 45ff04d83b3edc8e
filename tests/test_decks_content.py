"""Content checks for the bundled study decks in decks/*.toml.

Independent of the trainer code: the deck files are parsed with tomllib and checked
against docs/deck-format.md (structure, ids, citations), the coverage targets of the
bundled Denervation decks (card counts by kind), originality (no card shares a run of 8 or
more consecutive words with a seed document, compared without case or accents), cited
sections (each a heading line of its document) and the compare-set rule (no generated
"which" card answers itself; none from a two-item set unless asked). When
trainer.core.deckfile is available, every deck must also load with it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from trainer.core.compare import DIRECTIONS as COMPARE_DIRECTIONS
from trainer.core.deckfile import CARD_KEYS, COMPARE_KEYS, DECK_KEYS, SOURCE_KEYS

ROOT = Path(__file__).resolve().parents[1]
DECKS_DIR = ROOT / "decks"
README = DECKS_DIR / "README.md"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
WORD_RE = re.compile(r"\w+")
NGRAM = 8

KINDS = {"basic", "reversed", "cloze", "typed", "choice"}
REQUIRED = {
    "basic": ("front", "back"),
    "reversed": ("front", "back"),
    "cloze": ("text",),
    "typed": ("front", "answers"),
    "choice": ("front", "answer", "distractors"),
}
HINT_KINDS = {"basic", "typed", "choice"}
DIRECTIONS = set(COMPARE_DIRECTIONS)

EXPECTED_DECKS = {
    "denervation.basics": "Denervation::Basics",
    "denervation.causes": "Denervation::Causes",
    "denervation.nerve-injury": "Denervation::Nerve injury",
    "denervation.muscle-skin-organs": "Denervation::Muscle, skin and organs",
    "denervation.diagnosis": "Denervation::Diagnosis",
    "denervation.recovery": "Denervation::Recovery",
    "denervation.therapeutic": "Denervation::Therapeutic denervation",
    "denervation-fr.essentiel": "Dénervation::Notions essentielles",
}

MIN_GENERATED = 150
MIN_COMPARE_SETS = 4
MIN_CLOZE = 25
MIN_CHOICE = 15
MIN_TYPED = 10


# --- helpers (also usable to compute the README table) --------------------------------------


def deck_files() -> list[Path]:
    return sorted(DECKS_DIR.glob("*.toml"))


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def cards_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data.get("cards", []))


def compares_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data.get("compare", []))


def cloze_numbers(text: str) -> set[int]:
    return {int(m.group(1)) for m in CLOZE_RE.finditer(text)}


def generated(card: dict[str, Any]) -> int:
    """How many study cards one [[cards]] entry generates (docs/deck-format.md)."""
    kind = card.get("kind", "basic")
    if kind == "reversed":
        return 2
    if kind == "cloze":
        return len(cloze_numbers(card.get("text", "")))
    return 1


# The compare-set rule of docs/deck-format.md, written again here so the trainer's generator is
# checked against an independent reading of the documented rule.
STOPWORDS = frozenset(
    re.split(
        r"\s+",
        "an and are as at be by eg for from ie in into is it its no nor not of on only or per than that "
        "the then this to via vs with within without yes au aux avec ce ces dans de des du en est et la "
        "le les ne ou par pas pour qu que qui sa sans se ses son sur un une",
    )
)


def fold(text: str) -> str:
    """Lower case without accents."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    ).casefold()


def stems(text: str) -> set[str]:
    out = set()
    for word in re.findall(r"[^\W_]+", fold(text)):
        if word in STOPWORDS or len(word) < 2:
            continue
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        if word.endswith("e") and len(word) > 3:
            word = word[:-1]
        out.add(word)
    return out


def related(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return (
        short == long
        or (len(short) >= 4 and long.startswith(short))
        or (len(short) >= 5 and short[:5] == long[:5])
    )


def gives_away(item: str, value: str) -> bool:
    item_words, value_words = re.findall(r"[^\W_]+", fold(item)), re.findall(r"[^\W_]+", fold(value))
    n = len(item_words)
    if n and any(value_words[i : i + n] == item_words for i in range(len(value_words))):
        return True  # the value names the item
    return any(related(v, i) for v in stems(value) for i in stems(item))


def facet_direction(compare: dict[str, Any], facet: str) -> str:
    directions = compare.get("directions")
    if isinstance(directions, str):
        return directions
    if isinstance(directions, dict) and facet in directions:
        return str(directions[facet])
    return "both" if len(compare["items"]) >= 3 else "what"


def compare_generated(compare: dict[str, Any]) -> tuple[int, int]:
    """(basic 'what' cards, choice 'which' cards) generated by a compare set."""
    items = compare["items"]
    what = which = 0
    for facet, values in compare["facets"].items():
        direction = facet_direction(compare, facet)
        stripped = [v.strip() for v in values]
        if direction in ("both", "what"):
            what += len(items)
        if direction in ("both", "which"):
            which += sum(
                1
                for item, v in zip(items, stripped, strict=True)
                if stripped.count(v) == 1 and not gives_away(item, v)
            )
    return what, which


def deck_counts(data: dict[str, Any]) -> dict[str, int]:
    """Counts by kind for one deck: entries by kind, compare sets and generated cards."""
    counts: Counter[str] = Counter()
    for card in cards_of(data):
        kind = card.get("kind", "basic")
        counts[kind] += 1
        counts["generated"] += generated(card)
    for compare in compares_of(data):
        what, which = compare_generated(compare)
        counts["compare"] += 1
        counts["compare_cards"] += what + which
        counts["generated"] += what + which
    return {k: counts.get(k, 0) for k in (*sorted(KINDS), "compare", "compare_cards", "generated")}


def render_cloze(text: str) -> str:
    return CLOZE_RE.sub(lambda m: m.group(2), text)


def card_texts(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, text) for every piece of study text in a deck."""
    texts: list[tuple[str, str]] = []
    for card in cards_of(data):
        cid = card.get("id", "?")
        for key in ("front", "back", "answer", "note", "hint"):
            if isinstance(card.get(key), str):
                texts.append((f"card {cid} {key}", card[key]))
        if isinstance(card.get("text"), str):
            texts.append((f"card {cid} text", render_cloze(card["text"])))
            for match in CLOZE_RE.finditer(card["text"]):
                if match.group(3):
                    texts.append((f"card {cid} cloze hint", match.group(3)))
        for key in ("answers", "distractors"):
            for value in card.get(key, []) or []:
                texts.append((f"card {cid} {key}", value))
    for compare in compares_of(data):
        cid = compare.get("id", "?")
        texts.append((f"compare {cid} title", compare.get("title", "")))
        for item in compare.get("items", []):
            texts.append((f"compare {cid} item", item))
        for facet, values in compare.get("facets", {}).items():
            texts.append((f"compare {cid} facet", facet))
            for value in values:
                texts.append((f"compare {cid} facet {facet!r}", value))
    return texts


def words(text: str) -> list[str]:
    """Words compared without case or accents ("dénervation" and "denervation" are one word)."""
    return WORD_RE.findall(fold(text))


def ngrams(tokens: list[str], n: int = NGRAM) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def decks() -> dict[Path, dict[str, Any]]:
    files = deck_files()
    assert files, f"no deck files in {DECKS_DIR}"
    return {path: load(path) for path in files}


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed documents folder {SEEDS_DIR} is absent; cannot check citations or originality")
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.iterdir()) if p.is_file()}


# --- structure -----------------------------------------------------------------------------------


def test_every_deck_file_is_valid_toml() -> None:
    for path in deck_files():
        load(path)  # raises on invalid TOML


def test_expected_decks_present(decks: dict[Path, dict[str, Any]]) -> None:
    found = {data["deck"]["id"]: data["deck"]["name"] for data in decks.values()}
    assert found == EXPECTED_DECKS


def test_deck_ids_unique_and_match_file_names(decks: dict[Path, dict[str, Any]]) -> None:
    ids = [data["deck"]["id"] for data in decks.values()]
    assert len(ids) == len(set(ids)), f"duplicate deck ids: {ids}"
    for path, data in decks.items():
        assert path.stem == data["deck"]["id"].replace(".", "-"), path.name


def test_deck_table(decks: dict[Path, dict[str, Any]]) -> None:
    for path, data in decks.items():
        assert set(data) <= {"deck", "cards", "compare"}, path.name
        deck = data["deck"]
        assert set(deck) <= DECK_KEYS, (path.name, set(deck) - DECK_KEYS)
        assert ID_RE.match(deck["id"]), deck["id"]
        assert isinstance(deck["name"], str) and all(p.strip() for p in deck["name"].split("::"))
        for key in ("description", "language", "preset"):
            assert isinstance(deck.get(key, ""), str), (path.name, key)
        assert deck.get("language") in {"en", "fr"}, path.name
        if deck["id"].startswith("denervation-fr."):
            assert deck["language"] == "fr"
        sources = deck.get("sources", [])
        assert sources, f"{path.name}: bundled decks must list their sources"
        source_ids = [s["id"] for s in sources]
        assert len(source_ids) == len(set(source_ids)), path.name
        for source in sources:
            assert set(source) <= SOURCE_KEYS, (path.name, source)
            assert source["id"] and source["title"], (path.name, source)
            if "file" not in source:
                assert source.get("note"), f"{path.name}: source {source['id']} has no file and no note"


def test_cards_structure(decks: dict[Path, dict[str, Any]]) -> None:
    for path, data in decks.items():
        assert cards_of(data), f"{path.name} has no cards"
        for card in cards_of(data):
            where = f"{path.name}: card {card.get('id')}"
            assert set(card) <= CARD_KEYS, (where, set(card) - CARD_KEYS)
            assert isinstance(card.get("id"), str) and ID_RE.match(card["id"]), where
            kind = card.get("kind", "basic")
            assert kind in KINDS, where
            for key in REQUIRED[kind]:
                assert card.get(key), f"{where}: missing {key}"
            for key in ("front", "back", "text", "answer", "hint", "note", "section", "source"):
                if key in card:
                    assert isinstance(card[key], str) and card[key].strip(), f"{where}: {key}"
            if "hint" in card:
                assert kind in HINT_KINDS, f"{where}: hint not allowed on {kind}"
            if kind == "cloze":
                assert cloze_numbers(card["text"]), f"{where}: no cloze deletion"
                for match in CLOZE_RE.finditer(card["text"]):
                    assert match.group(2).strip(), f"{where}: empty deletion"
                assert "{{" not in render_cloze(card["text"]), f"{where}: malformed cloze"
            if kind == "typed":
                answers = card["answers"]
                assert (
                    isinstance(answers, list)
                    and answers
                    and all(isinstance(a, str) and a.strip() for a in answers)
                ), where
                assert len({a.casefold() for a in answers}) == len(answers), f"{where}: duplicate answers"
            if kind == "choice":
                distractors = card["distractors"]
                assert isinstance(distractors, list) and distractors, where
                assert all(isinstance(d, str) and d.strip() for d in distractors), where
                assert card["answer"] not in distractors, f"{where}: distractor equals answer"
                assert len(set(distractors)) == len(distractors), f"{where}: duplicate distractors"
            tags = card.get("tags", [])
            assert isinstance(tags, list) and all(isinstance(t, str) for t in tags), where


def test_compare_structure(decks: dict[Path, dict[str, Any]]) -> None:
    for path, data in decks.items():
        for compare in compares_of(data):
            where = f"{path.name}: compare {compare.get('id')}"
            assert set(compare) <= COMPARE_KEYS, (where, set(compare) - COMPARE_KEYS)
            assert isinstance(compare.get("id"), str) and ID_RE.match(compare["id"]), where
            assert compare.get("title"), where
            items = compare.get("items")
            assert isinstance(items, list) and len(items) >= 2, where
            assert all(isinstance(i, str) and i.strip() for i in items), where
            assert len(set(items)) == len(items), f"{where}: duplicate items"
            facets = compare.get("facets")
            assert isinstance(facets, dict) and facets, where
            for facet, values in facets.items():
                assert isinstance(values, list) and len(values) == len(items), (
                    f"{where}: facet {facet!r} is ragged"
                )
                assert all(isinstance(v, str) and v.strip() for v in values), f"{where}: facet {facet!r}"
                for value in values:
                    assert len(words(value)) <= 8, f"{where}: facet value too long: {value!r}"
            directions = compare.get("directions", "both")
            if isinstance(directions, dict):
                assert set(directions) <= set(facets), f"{where}: directions for unknown facets"
                assert set(directions.values()) <= DIRECTIONS, where
            else:
                assert directions in DIRECTIONS, where


def test_ids_unique_per_file(decks: dict[Path, dict[str, Any]]) -> None:
    for path, data in decks.items():
        ids = [c["id"] for c in cards_of(data)] + [c["id"] for c in compares_of(data)]
        duplicates = [i for i, n in Counter(ids).items() if n > 1]
        assert not duplicates, f"{path.name}: duplicate ids {duplicates}"


def test_seddon_compare_set(decks: dict[Path, dict[str, Any]]) -> None:
    data = next(d for d in decks.values() if d["deck"]["id"] == "denervation.nerve-injury")
    seddon = next((c for c in compares_of(data) if c["id"] == "seddon"), None)
    assert seddon is not None, "nerve-injury deck needs the 'seddon' compare set"
    assert seddon["items"] == ["Neurapraxia", "Axonotmesis", "Neurotmesis"]


# --- citations ------------------------------------------------------------------------------------


def test_every_card_cites_a_listed_source(decks: dict[Path, dict[str, Any]]) -> None:
    for path, data in decks.items():
        source_ids = {s["id"] for s in data["deck"]["sources"]}
        for entry in cards_of(data) + compares_of(data):
            assert entry.get("source") in source_ids, (
                f"{path.name}: {entry.get('id')} cites {entry.get('source')!r}"
            )


def test_every_listed_source_is_cited(decks: dict[Path, dict[str, Any]]) -> None:
    for path, data in decks.items():
        used = {entry.get("source") for entry in cards_of(data) + compares_of(data)}
        unused = [s["id"] for s in data["deck"]["sources"] if s["id"] not in used]
        assert not unused, f"{path.name}: sources listed but never cited: {unused}"


def test_source_files_and_sections_exist(decks: dict[Path, dict[str, Any]], seeds: dict[str, str]) -> None:
    """A cited section is a heading line of the cited document, quoted as written there."""
    for path, data in decks.items():
        files = {s["id"]: s.get("file") for s in data["deck"]["sources"]}
        for source in data["deck"]["sources"]:
            if source.get("file"):
                assert source["file"] in seeds, f"{path.name}: {source['file']} not in {SEEDS_DIR}"
        for entry in cards_of(data) + compares_of(data):
            section = entry.get("section")
            file = files.get(entry.get("source", ""))
            if not section:
                continue
            assert file, (
                f"{path.name}: {entry['id']}: section {section!r} given for a source without a document"
            )
            headings = {line.strip() for line in seeds[file].splitlines()}
            assert section in headings, f"{path.name}: {entry['id']}: no heading {section!r} in {file}"


# --- coverage ------------------------------------------------------------------------------------


def test_card_counts(decks: dict[Path, dict[str, Any]]) -> None:
    total: Counter[str] = Counter()
    for data in decks.values():
        total.update(deck_counts(data))
    assert total["generated"] >= MIN_GENERATED, total
    assert total["compare"] >= MIN_COMPARE_SETS, total
    assert total["cloze"] >= MIN_CLOZE, total
    assert total["choice"] >= MIN_CHOICE, total
    assert total["typed"] >= MIN_TYPED, total


def test_readme_counts_match(decks: dict[Path, dict[str, Any]]) -> None:
    """decks/README.md's table rows `| `deck-id` | ... |` must match the computed counts."""
    assert README.is_file(), "decks/README.md is missing"
    rows: dict[str, list[int]] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$", line)
        if match and match.group(1) in EXPECTED_DECKS:
            cells = [c.strip() for c in match.group(2).split("|")]
            rows[match.group(1)] = [int(c) for c in cells if c.isdigit()]
    order = ("basic", "reversed", "cloze", "typed", "choice", "compare", "compare_cards", "generated")
    for data in decks.values():
        counts = deck_counts(data)
        expected = [counts[k] for k in order]
        assert rows.get(data["deck"]["id"]) == expected, (
            data["deck"]["id"],
            rows.get(data["deck"]["id"]),
            expected,
        )


# --- originality --------------------------------------------------------------------------------


def test_no_long_runs_copied_from_seeds(decks: dict[Path, dict[str, Any]], seeds: dict[str, str]) -> None:
    seed_grams = {name: ngrams(words(text)) for name, text in seeds.items()}
    problems = []
    for path, data in decks.items():
        for where, text in card_texts(data):
            grams = ngrams(words(text))
            for name, source_grams in seed_grams.items():
                shared = grams & source_grams
                if shared:
                    problems.append(
                        f"{path.name}: {where} shares {' '.join(sorted(shared)[0])!r} with {name}"
                    )
    assert not problems, "\n".join(problems)


# --- compare sets ------------------------------------------------------------------------------


def test_compare_rule_on_every_bundled_set() -> None:
    """No generated "which has ...?" card names its answer or shares a content word with it,
    and none comes from a two-item set unless the author asked for it."""
    deckfile = pytest.importorskip("trainer.core.deckfile", reason="trainer.core.deckfile not available yet")
    checked = 0
    for path in deck_files():
        data = load(path)
        sets = {c["id"]: c for c in compares_of(data)}
        for card in deckfile.parse_deck_file(path).cards:
            if not card.external_id.endswith("/which"):
                continue
            set_id = card.external_id.split("/")[1]
            compare = sets[set_id]
            value = card.content.front.rsplit(": ", 1)[1].removesuffix("?")
            assert not gives_away(card.content.back, value), (
                path.name,
                card.content.front,
                card.content.back,
            )
            facet = card.content.front.split(" - which has ", 1)[1].rsplit(": ", 1)[0]
            if len(compare["items"]) < 3:
                assert isinstance(compare.get("directions"), (str, dict)), (path.name, card.external_id)
            assert facet_direction(compare, facet) in ("both", "which"), (path.name, card.external_id)
            checked += 1
    assert checked, "no bundled compare set generates any 'which' card"


def test_compare_give_away_examples() -> None:
    """The content test's reading of the rule on the cases the issue named."""
    assert gives_away("Poliomyelitis", "Poliovirus infection")
    assert gives_away("Disc denervation", "Discogenic back pain")
    assert gives_away("Botulinum toxin injection", "Toxin injected into muscle")
    assert gives_away("Dénervation rénale", "Nerfs sympathiques RENAUX, denervation")
    assert not gives_away("Renal denervation", "Resistant hypertension")
    assert not gives_away("Neurapraxia", "Myelin at one spot")


def test_originality_check_ignores_accents(seeds: dict[str, str]) -> None:
    """The first edition's French card passed only because seed 000 writes "axonotmesis"."""
    first_edition = (
        "Les trois grands types de lésions nerveuses, de la moins grave à la plus grave, "
        "sont la neurapraxie, l'axonotmésis et la neurotmésis."
    )
    assert ngrams(words(first_edition)) & ngrams(words(seeds["000_75c04f8c06c9d246.txt"]))
    assert words("Dénervation RÉNALE") == ["denervation", "renale"]


# --- the trainer's own loader --------------------------------------------------------------------


def test_decks_load_with_trainer_parser() -> None:
    deckfile = pytest.importorskip("trainer.core.deckfile", reason="trainer.core.deckfile not available yet")
    total = 0
    for path in deck_files():
        try:
            spec = deckfile.parse_deck_file(path)
        except deckfile.DeckFileError as exc:
            pytest.fail("\n".join(str(e) for e in exc.errors))
        cards = getattr(spec, "cards", None)
        if cards is not None:
            expected = deck_counts(load(path))["generated"]
            assert len(cards) == expected, (
                f"{path.name}: trainer generates {len(cards)} cards, expected {expected}"
            )
            total += len(cards)
    if total:
        assert total >= MIN_GENERATED
