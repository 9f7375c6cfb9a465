"""Warnings about a cleaned text that are not removals: signs that the scrape lost something.

Some damage cannot be repaired by removing characters: a paragraph that
announces a list ("... For example:") whose list was never scraped, or a text
that stops mid-sentence. A reader of the corpus needs to know, and an overlap
judge should not trust such a text's end, so they are reported as warnings
(kind, message, offsets into the cleaned text) and the text is left alone.

Heuristics are shape-only, so they hold in any language that marks sentences
with punctuation:

- a lead-in is a short sentence ending with a colon at the end of a longer
  paragraph; it must be followed by what it announces (a list item, a quote, an
  example line). Nothing after it, or a new prose paragraph or a heading after
  it, means the announced part is missing;
- a text whose last paragraph is prose but ends without closing punctuation
  was cut off.
"""

from __future__ import annotations

import re
from typing import Any

from audit.segment import split_blocks
from audit.types import Block

TRUNCATION = "truncation"

# A lead-in sentence ("For example:", "Here are three cases:") has at most this
# many words; longer colon sentences are usually complete statements ("China's
# current AI strengths lie in: ..." is a heading-like line, not a lead-in).
MAX_LEAD_IN_WORDS = 8

# A new prose paragraph has at least this many words; list items and example
# lines after a lead-in are usually shorter, or marked.
MIN_PROSE_WORDS = 15

# A heading: at most this many words and no closing punctuation.
MAX_HEADING_WORDS = 8

# A lead-in may announce sections: if this many headings follow within
# SECTION_WINDOW blocks ("Here are the highlights:" then "NISSAN SENTRA", ...,
# "FORD MUSTANG MACH-E"), the heading after it is the first of them, not unrelated.
MIN_SECTION_HEADINGS = 2
SECTION_WINDOW = 12

# A last line whose words are mostly capitalised is a title or credit ("2019 Audi
# e-tron Review: Grading on a Curve"), not a sentence that was cut.
TITLE_CASE_SHARE = 0.6

# A last paragraph shorter than this (words) may be a signature, a credit or a
# heading, which need no closing punctuation; longer ones are prose.
MIN_PROSE_END_WORDS = 8
# For scripts without spaces (Chinese, Japanese), the same in characters.
MIN_PROSE_END_CHARS = 20

_COLON_END = re.compile(r"[:：]\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?。！？])\s+")
_LIST_MARK = re.compile(r"^\s*(?:[-–—•*·▪●◦►→✓✔]|\d{1,3}[.)]|[a-zA-Z][.)]\s|\(\w{1,3}\))")
_QUOTE_OPEN = tuple("\"“„«‘'「『>")
_CLOSING = set('.!?…。！？"”’»)]}」』')
_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _words(text: str) -> int:
    return len(text.split())


def _is_list_like(block: Block) -> bool:
    text = block.text
    return bool(_LIST_MARK.match(text)) or text.lstrip().startswith(_QUOTE_OPEN) or text[:1] in " \t"


def _is_heading(block: Block) -> bool:
    text = block.text.strip()
    return _words(text) <= MAX_HEADING_WORDS and text[-1:] not in _CLOSING and not _COLON_END.search(text)


def _is_prose(block: Block) -> bool:
    text = block.text.strip()
    return _words(text) >= MIN_PROSE_WORDS and text[-1:] in _CLOSING


def _announces_sections(blocks: list[Block], index: int) -> bool:
    window = blocks[index + 1 : index + 1 + SECTION_WINDOW]
    return sum(_is_heading(b) for b in window) >= MIN_SECTION_HEADINGS


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= TITLE_CASE_SHARE


def _lead_in(block: Block) -> tuple[int, str] | None:
    """(offset, sentence) of a short colon-ended last sentence of a multi-sentence paragraph."""
    if not _COLON_END.search(block.text):
        return None
    sentences = _SENTENCE_SPLIT.split(block.text.strip())
    last = sentences[-1]
    if len(sentences) < 2 or _words(last) > MAX_LEAD_IN_WORDS:
        return None
    return block.text.rstrip().rfind(last), last


def _warning(message: str, start: int, end: int) -> dict[str, Any]:
    return {"kind": TRUNCATION, "message": message, "start": start, "end": end}


def find_lead_in_warnings(blocks: list[Block]) -> list[dict[str, Any]]:
    """Lead-ins ("For example:") whose announced list or example is missing."""
    warnings = []
    for index, block in enumerate(blocks):
        found = _lead_in(block)
        if found is None and index == len(blocks) - 1 and _COLON_END.search(block.text):
            # At the very end any colon-ended sentence announces something that is missing.
            last = _SENTENCE_SPLIT.split(block.text.strip())[-1]
            found = (block.text.rstrip().rfind(last), last)
        if found is None:
            continue
        offset, sentence = found
        start = block.start + offset
        end = start + len(sentence)
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is None:
            warnings.append(
                _warning(f"the text ends with the lead-in {sentence!r} and nothing after it", start, end)
            )
        elif _is_list_like(following):
            continue
        elif _is_prose(following):
            warnings.append(
                _warning(
                    f"the lead-in {sentence!r} is followed by a new paragraph, not what it announces",
                    start,
                    end,
                )
            )
        elif _is_heading(following) and not _announces_sections(blocks, index):
            warnings.append(
                _warning(
                    f"the lead-in {sentence!r} is followed by a heading, not what it announces", start, end
                )
            )
    return warnings


def find_ending_warning(text: str, blocks: list[Block]) -> list[dict[str, Any]]:
    """A text whose last paragraph is prose that stops without closing punctuation."""
    if not blocks:
        return []
    last = blocks[-1]
    stripped = last.text.rstrip()
    if not stripped or stripped[-1] in _CLOSING or _COLON_END.search(stripped):
        return []
    if not (stripped[-1].isalnum() or stripped[-1] in ",;-–"):
        return []  # an emoji, a symbol, a URL's slash: not a cut sentence
    sentence = _SENTENCE_SPLIT.split(stripped)[-1]
    if stripped.lstrip()[:1] in "—–-©ⓒ(" or _title_case(sentence):
        return []  # an attribution ("— Name (@handle) date"), a credit or a title
    wide = len(_WIDE.findall(stripped))
    if _words(stripped) < MIN_PROSE_END_WORDS and wide < MIN_PROSE_END_CHARS:
        return []
    start = last.start + stripped.rfind(sentence)
    return [_warning(f"the text ends mid-sentence: {sentence[-60:]!r}", start, last.start + len(stripped))]


def find_warnings(cleaned_text: str) -> list[dict[str, Any]]:
    """Warnings about `cleaned_text` (kind, message, start, end), sorted by position."""
    blocks = split_blocks(cleaned_text)
    warnings = find_lead_in_warnings(blocks) + find_ending_warning(cleaned_text, blocks)
    return sorted(warnings, key=lambda w: (w["start"], w["end"], w["message"]))
