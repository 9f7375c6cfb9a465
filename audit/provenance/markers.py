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

import ahocorasick

from audit.dates import words_pattern
from audit.prefilter import screen_all, strings_in_spans
from audit.provenance.common import Evidence, load_phrases, span_json

# A block is a reprint notice with one strong phrase, or with this many weak
# ones ("for reference only" + "contact us"): one weak phrase alone appears in
# ordinary prose.
MIN_WEAK_PHRASES = 2
# A copyright line is short; "copyright" inside a long paragraph is prose about copyright.
MAX_COPYRIGHT_CHARS = 200
# Rules that remove notices; a span they removed is a notice by their verdict.
_NOTICE_RULES = frozenset({"reprint-disclaimer@1"})


def _hits(text: str, phrases: list[str]) -> list[str]:
    """The phrases (lowercase) that `text` holds, in list order."""
    found = _found(text.lower(), phrases)
    return [p for p in phrases if p in found] if found else []


def _found(lowered: str, phrases: list[str]) -> set[str]:
    """The phrases occurring in a lowercased text: one Aho-Corasick pass for the whole list."""
    automaton = _automaton(phrases)
    return set() if automaton is None else {phrases[index] for _, index in automaton.iter(lowered)}


def _blocks_holding(evidence: Evidence, phrases: list[str]) -> set[int]:
    """The blocks whose lowercased text holds one of `phrases`, from one pass over the whole text.

    Lowering works line by line (it looks across no line break), so where it
    keeps the text's length each phrase found lies at the same offsets in the
    text as in its block; otherwise each block is lowered on its own.
    """
    automaton = _automaton(phrases)
    if automaton is None:
        return set()
    lowered = evidence.text.lower()
    if len(lowered) != len(evidence.text):
        return {i for i, block in enumerate(evidence.blocks) if _found(block.text.lower(), phrases)}
    return set(strings_in_spans(automaton, phrases, lowered, [(b.start, b.end) for b in evidence.blocks]))


# Phrase lists (loaded once, so identity is a fine key) -> their automaton (None for an empty list).
_AUTOMATA: dict[int, tuple[list[str], ahocorasick.Automaton | None]] = {}


def _automaton(phrases: list[str]) -> ahocorasick.Automaton | None:
    entry = _AUTOMATA.get(id(phrases))
    if entry is None or entry[0] is not phrases:
        automaton = None
        if phrases:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for index, phrase in enumerate(phrases):
                if phrase not in automaton:
                    automaton.add_word(phrase, index)
            automaton.make_automaton()
        entry = _AUTOMATA[id(phrases)] = (phrases, automaton)
    return entry[1]


def extract_reprint(evidence: Evidence) -> dict[str, Any] | None:
    """The first reprint / takedown / republication notice, or None."""
    strong: dict[str, list[str]] = load_phrases("reprint")["strong"]
    weak: list[str] = load_phrases("reprint")["weak"]
    every = _all_reprint_phrases()
    noticed = any(edit.rule in _NOTICE_RULES for edit in evidence.edits)
    holding = _blocks_holding(evidence, every)
    if not noticed and not holding:
        return None
    for index, block in enumerate(evidence.blocks):
        removed_by = evidence.removed_by(block.start, block.end)
        if removed_by not in _NOTICE_RULES and index not in holding:
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
    markers = _markers()
    live = screen_all(tuple(pattern for pattern, _ in markers)).live_in_spans(
        evidence.text, [(b.start, b.end) for b in evidence.blocks]
    )
    for index, block in enumerate(evidence.blocks):
        if not live[index]:
            continue  # no marker can match in the block: the words each marker needs are missing
        removed = evidence.removed_by(block.start, block.end)
        footer = evidence.is_tail(index) or removed is not None
        short = evidence.is_short(index)
        if not (footer or short or _hits(block.text, load_phrases("ai")["subjects"])):
            continue  # prose without a disclosure subject: cheap to rule out before the markers
        for number, (pattern, needs_footer) in enumerate(markers):
            match = pattern.search(block.text) if number in live[index] else None
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
