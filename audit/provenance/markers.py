"""Markers that change what a document *is*: a reprint, a copyright line, an AI disclosure.

A reprint notice ("The content of this article is sourced from the internet…",
"如有侵权请联系删除") says the text is someone else's, which decides lineage: the
reprint is never the source. An AI disclosure ("from grok", "由AI生成") says no
human outlet is behind it. Both are usually removed as boilerplate, so they are
read from the normalized text with the edit log telling which rule removed them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from audit.dates import words_pattern
from audit.provenance.common import Evidence, load_phrases, span_json
from audit.tries import trie_pattern

# A block is a reprint notice with one strong phrase, or with this many weak
# ones ("for reference only" + "contact us"): one weak phrase alone appears in
# ordinary prose.
MIN_WEAK_PHRASES = 2
# A copyright line is short; "copyright" inside a long paragraph is prose about copyright.
MAX_COPYRIGHT_CHARS = 200
# Rules that remove notices; a span they removed is a notice by their verdict.
_NOTICE_RULES = frozenset({"reprint-disclaimer@1"})


def _hits(text: str, phrases: list[str]) -> list[str]:
    lowered = text.lower()
    if not _any_phrase(phrases).search(lowered):
        return []  # most blocks hold none: one regex search rules them out
    return [p for p in phrases if p in lowered]


# Phrase lists (loaded once, so identity is a fine key) -> one pattern matching any of them.
_ANY_PHRASE: dict[int, tuple[list[str], re.Pattern[str]]] = {}


def _any_phrase(phrases: list[str]) -> re.Pattern[str]:
    entry = _ANY_PHRASE.get(id(phrases))
    if entry is None or entry[0] is not phrases:
        entry = _ANY_PHRASE[id(phrases)] = (phrases, trie_pattern(phrases) if phrases else re.compile("(?!)"))
    return entry[1]


def extract_reprint(evidence: Evidence) -> dict[str, Any] | None:
    """The first reprint / takedown / republication notice, or None."""
    strong: dict[str, list[str]] = load_phrases("reprint")["strong"]
    weak: list[str] = load_phrases("reprint")["weak"]
    every = _all_reprint_phrases()
    for block in evidence.blocks:
        removed_by = evidence.removed_by(block.start, block.end)
        if removed_by not in _NOTICE_RULES and not _any_phrase(every).search(block.text.lower()):
            continue  # no reprint phrase of any kind, and not removed as a notice: nothing to find
        kinds = sorted(kind for kind, phrases in strong.items() if _hits(block.text, phrases))
        if not kinds and len(_hits(block.text, weak)) >= MIN_WEAK_PHRASES:
            kinds = ["reprint"]
        if not kinds and removed_by in _NOTICE_RULES:
            kinds = ["notice"]
        if kinds:
            notice = {"notice": block.text.strip(), "kinds": kinds}
            notice.update(span_json(block.start, block.end, removed_by))
            return notice
    return None


@cache
def _all_reprint_phrases() -> list[str]:
    """The strong phrases of every kind and the weak ones, in one list (for one prefilter search)."""
    strong: dict[str, list[str]] = load_phrases("reprint")["strong"]
    return [phrase for phrases in strong.values() for phrase in phrases] + list(
        load_phrases("reprint")["weak"]
    )


_YEAR_HOLDER = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<holder>[^.|\n]{2,60})?",
    re.IGNORECASE,
)


def extract_copyright(evidence: Evidence) -> dict[str, Any] | None:
    """The last short copyright line (footers come last), with its holder when it names one."""
    phrases: list[str] = load_phrases("reprint")["copyright"]
    found: dict[str, Any] | None = None
    for block in evidence.blocks:
        if len(block.text.strip()) > MAX_COPYRIGHT_CHARS or not _hits(block.text, phrases):
            continue
        match = _YEAR_HOLDER.search(block.text)
        holder = match.group("holder").strip(" ,.") if match and match.group("holder") else None
        found = {"notice": block.text.strip(), "holder": holder or None}
        found.update(span_json(block.start, block.end, evidence.removed_by(block.start, block.end)))
    return found


@cache
def _generators() -> tuple[dict[str, str], re.Pattern[str]]:
    names = {name: key for key, values in load_phrases("ai")["generators"].items() for name in values}
    return names, re.compile(words_pattern(sorted(names)), re.IGNORECASE)


@cache
def _markers() -> tuple[tuple[re.Pattern[str], bool], ...]:
    """(pattern, needs_footer): "from grok" only counts in a footer or a removed line."""
    _, generator = _generators()
    compiled = []
    for source in load_phrases("ai")["markers"]:
        pattern = re.compile(source.replace("{gen}", f"(?:{generator.pattern})"), re.IGNORECASE)
        compiled.append((pattern, source.startswith("\\bfrom")))
    return tuple(compiled)


@cache
def _any_marker() -> re.Pattern[str]:
    """Every marker in one pattern: matches a text exactly when some marker does."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _markers()), re.IGNORECASE)


@cache
def _subject() -> re.Pattern[str]:
    return re.compile(words_pattern(load_phrases("ai")["subjects"]), re.IGNORECASE)


def _generator_in(text: str) -> str | None:
    names, pattern = _generators()
    match = pattern.search(text)
    return names[match.group().lower()] if match else None


def extract_ai_generated(evidence: Evidence) -> dict[str, Any] | None:
    """The first AI-generation disclosure with its generator ("grok", or "unknown"), or None.

    A marker counts on a short line, in the tail, in a removed span, or after a
    disclosure subject ("this article was generated by…"); a sentence *about*
    AI-generated content in the body does not.
    """
    for index, block in enumerate(evidence.blocks):
        removed = evidence.removed_by(block.start, block.end)
        footer = evidence.is_tail(index) or removed is not None
        short = evidence.is_short(index)
        if not (footer or short or _hits(block.text, load_phrases("ai")["subjects"])):
            continue  # prose without a disclosure subject: cheap to rule out before the markers
        if not _any_marker().search(block.text):
            continue  # no marker anywhere in the block: one search instead of one per marker
        for pattern, needs_footer in _markers():
            match = pattern.search(block.text)
            if match is None or (needs_footer and not (footer and short)):
                continue
            if not (footer or short or _subject().search(block.text[: match.start()])):
                continue
            generator = _generator_in(match.group())
            if generator is None and short:
                generator = _generator_in(block.text)
            result = {
                "generator": generator or "unknown",
                "text": block.text.strip(),
                "marker": match.group(),
            }
            result.update(span_json(block.start, block.end, removed))
            return result
    return None
