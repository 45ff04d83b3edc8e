"""Plain-text helpers: markup and control-character stripping, slugs, casing."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .propernames import is_proper

_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_ATTR_LIST = re.compile(r"\{\s*(?:[#.][\w-]+\s*)*(?:[\w-]+\s*=\s*[^{}\n]*)?\}")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")
_MD_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_MD_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_MD_CODE = re.compile(r"`+([^`\n]*)`+")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MD_EM_UNDER = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_MD_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_WIKI_PIPE = re.compile(r"^\s*(?:vignette|thumb|thumbnail|miniature)\s*\|\s*", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " "}
_DROP_FORMAT = frozenset("\u00ad\ufeff\u200b\u2060\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def words(text: str) -> list[str]:
    """The white-space separated words of `text` (for word-list constants)."""
    return text.split()


def strip_controls(text: str) -> str:
    """Remove control, surrogate and invisible formatting characters; tabs become spaces."""
    out: list[str] = []
    for ch in text:
        if ch in "\t\n\u2028\u2029":
            out.append(" ")
            continue
        if ch in _DROP_FORMAT:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Cn"):
            continue
        out.append(ch)
    return "".join(out)


def strip_markup(text: str) -> str:
    """Turn one line of Markdown (or light HTML) into plain text."""
    text = _WIKI_PIPE.sub("", text)
    text = _MD_IMAGE.sub(lambda m: m.group(1), text)
    text = _ATTR_LIST.sub("", text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _MD_REF_LINK.sub(lambda m: m.group(1), text)
    text = _MD_AUTOLINK.sub(lambda m: m.group(1), text)
    text = _HTML_TAG.sub("", text)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = _MD_CODE.sub(lambda m: m.group(1), text)
    text = _MD_STRONG.sub(lambda m: m.group(2), text)
    text = _MD_STRIKE.sub(lambda m: m.group(1), text)
    text = _MD_EM_STAR.sub(lambda m: m.group(1), text)
    text = _MD_EM_UNDER.sub(lambda m: m.group(1), text)
    text = text.replace("\\*", "*").replace("\\_", "_").replace("\\#", "#")
    return text


def plain(text: str) -> str:
    """Plain single-line card text: no controls, no markup, single spaces."""
    text = strip_markup(strip_controls(text))
    text = text.replace("{", "(").replace("}", ")")
    return squash(text)


def squash(text: str) -> str:
    """Collapse runs of white space and trim."""
    return _SPACES.sub(" ", text).strip()


def normalise(text: str) -> str:
    """Case-folded, accent-free, punctuation-free text for ids and comparisons."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text)
    return squash(text.replace("_", " "))


def slugify(text: str, limit: int = 40) -> str:
    """An id fragment: lowercase ASCII letters, digits and hyphens."""
    slug = normalise(text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug.strip("-")


def short_hash(*parts: str) -> str:
    """Eight hex digits that depend only on `parts`."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace"))
    return digest.hexdigest()[:8]


def capitalise(text: str) -> str:
    """Upper-case the first letter."""
    return text[:1].upper() + text[1:] if text else text


def decapitalise(term: str) -> str:
    """Lower-case a term's first letter unless the first word looks like an acronym or name."""
    first = term.split(" ", 1)[0]
    if is_proper(first):  # "Venus", a name the document writes capitalised mid-sentence
        return term
    letters = [ch for ch in first if ch.isalpha()]
    if len(letters) >= 2 and any(ch.isupper() for ch in letters[1:]):
        return term
    if len(letters) == 1 and first.isupper() and first != "A":  # "B cells", not the article "A"
        return term
    long_words = [w for w in term.split() if len(w) > 3]
    if len(long_words) >= 2 and all(w[:1].isupper() for w in long_words):  # "Nerve Conduction Studies"
        return term
    return term[:1].lower() + term[1:]


def end_sentence(text: str) -> str:
    """Trim trailing separators and end with a full stop unless punctuated."""
    text = text.rstrip(" ,;:-\u2013\u2014")
    if text and text[-1] not in '.!?…)"”»':
        text += "."
    return text


def drop_parentheticals(text: str) -> str:
    """Remove balanced `( ... )` asides and cut at an unbalanced `(`."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"\s*\([^()]*\)", "", text)
    if "(" in text:
        text = text.split("(", 1)[0]
    return squash(text.replace(")", ""))


def mend_parentheses(text: str) -> str:
    """Replace unbalanced parentheses so a sentence reads as plain prose."""
    depth = 0
    out: list[str] = []
    opens: list[int] = []
    for ch in text:
        if ch == "(":
            opens.append(len(out))
            depth += 1
        elif ch == ")":
            if depth == 0:
                if not re.search(r"(?:^|\s)(?:\d{1,2}|[a-h])$", "".join(out[-4:])):
                    continue
                out.append(ch)
                continue
            depth -= 1
            opens.pop()
        out.append(ch)
    for index in reversed(opens):
        out[index] = ", "
    mended = squash("".join(out))
    mended = re.sub(r"\s+,", ",", mended)
    return re.sub(r",\s*,", ",", mended)
