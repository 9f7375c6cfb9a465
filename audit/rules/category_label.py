"""category-label@1: a section label glued to the article's first sentence ("AIIn recent years").

Scrapers that flatten a page drop the break between a category badge and the
first paragraph, leaving `AIIn recent years, China ...` in seed 001. The label
is split off by reading the glue point as a reader would: a capitalised word
starting right after another letter, with no space, near the very head.

Brand names have the same shape (iPhone, McDonald, OpenAI, DeepSeek, YouTube,
PlayStation, LinkedIn, eBay), so every cue must agree before anything is cut:

- the glue point is within the first few blocks and the first few words;
- the label starts with a capital and is an acronym, a known section name
  (`phrases/category_labels.txt`) or a word the document uses on its own;
- the word after the glue opens sentences (`phrases/sentence_starters.txt`:
  function words, never nouns), or, for an acronym label, is a word the text
  uses in lower case as well;
- the glued token (`AIIn`) occurs nowhere else in the document, as a name would.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from audit.rules.base import DocView, Example, Rule
from audit.rules.phrasebook import load_phrases
from audit.types import Finding

RULE_ID = "category-label@1"

# Category badges sit right above the first paragraph: the first 3 blocks cover a
# dateline and a title above it.
HEAD_BLOCKS = 3

# A label is a short badge: at most this many characters and words before the glue.
MAX_LABEL_CHARS = 30
MAX_LABEL_WORDS = 3

# An acronym label (all capitals) has at most this many letters ("AI", "NASA", "BUSINESS" is a word).
MAX_ACRONYM_LETTERS = 6

# For the fallback (the word after the glue is not a function word) it must be
# a word the text also uses in lower case at least this many times.
MIN_LOWERCASE_USES = 2

_WORD = re.compile(r"\w+")
_SENTENCE_PUNCT = re.compile(r"[.,:;!?()\[\]\"“”]")


@lru_cache(maxsize=1)
def _starters() -> frozenset[str]:
    return frozenset(word.casefold() for word in load_phrases("sentence_starters"))


@lru_cache(maxsize=1)
def _categories() -> frozenset[str]:
    return frozenset(word.casefold() for word in load_phrases("category_labels"))


def _glue_point(text: str) -> int | None:
    """Offset where a capitalised word starts right after another letter, in the first words."""
    limit = min(len(text) - 1, MAX_LABEL_CHARS + 1)
    for pos in range(1, limit):
        before, char, after = text[pos - 1], text[pos], text[pos + 1]
        if before.isalpha() and char.isupper() and after.islower():
            return pos
        if char.isspace() and len(text[:pos].split()) >= MAX_LABEL_WORDS:
            return None
    return None


def _split(text: str, counts: Counter[str], lower_counts: Counter[str]) -> int | None:
    """Where the label ends in `text`, or None when the head is not label + sentence."""
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    pos = _glue_point(stripped)
    if pos is None:
        return None
    label = stripped[:pos]
    if not label[0].isupper() or _SENTENCE_PUNCT.search(label) or len(label.split()) > MAX_LABEL_WORDS:
        return None
    rest_word = _WORD.match(stripped, pos)
    if rest_word is None:
        return None
    word = rest_word.group()
    last_label_word = label.split()[-1]
    acronym = last_label_word.isupper() and len(last_label_word) <= MAX_ACRONYM_LETTERS
    label_known = (
        acronym
        or last_label_word.casefold() in _categories()
        or counts[last_label_word] >= 2  # the document uses the label word on its own
    )
    starts_sentence = word.casefold() in _starters() or (
        (acronym or last_label_word.casefold() in _categories())
        and len(word) >= 4
        and lower_counts[word.lower()] >= MIN_LOWERCASE_USES
    )
    glued = last_label_word + word
    if not (label_known and starts_sentence) or counts[glued] > 1:
        return None
    return offset + pos


def find(view: DocView) -> list[Finding]:
    findings = []
    counts: tuple[Counter[str], Counter[str]] | None = None  # counted only for a head block with a glue point
    for block in view.blocks[:HEAD_BLOCKS]:
        if _glue_point(block.text.lstrip()) is None:
            continue  # no label glued to a sentence here: nothing the word counts could decide
        if counts is None:
            words = _WORD.findall(view.text)
            counts = Counter(words), Counter(w for w in words if w.islower())
        cut = _split(block.text, *counts)
        if cut is not None:
            findings.append(
                Finding(
                    block.start,
                    block.start + cut,
                    f"label {block.text[:cut].strip()!r} glued to the first sentence",
                )
            )
            break
    return findings


_BODY = (
    "recent years, the city has doubled its cycling network and cut car traffic in the centre by a third.\n"
    "The AI traffic lights installed last spring give priority to buses and bicycles at busy junctions.\n"
)

RULE = Rule(
    id=RULE_ID,
    why="A category badge glued to the first word corrupts the first sentence and its shingles.",
    find=find,
    examples=(
        Example(
            text="March 3rd, 2025\nAIIn " + _BODY,
            removed=("AIIn",),
            kept=("In recent years, the city",),
        ),
        Example(
            text="TechnologyThe city council approved smart traffic lights on Monday.\nThey give priority "
            "to buses and bicycles at busy junctions.\n",
            removed=("TechnologyThe",),
            kept=("The city council approved smart traffic lights",),
        ),
        Example(
            text="WirtschaftDie Stadt hat ihr Radnetz in den letzten Jahren verdoppelt.\nDer Autoverkehr "
            "in der Innenstadt ging um ein Drittel zurück.\n",
            removed=("WirtschaftDie",),
            kept=("Die Stadt hat ihr Radnetz",),
        ),
        Example(
            text="iPhone sales rose in the quarter, and OpenAI signed a deal with McDonald's.\nDeepSeek, "
            "YouTube, PlayStation and eBay were also mentioned.\n",
            kept=("iPhone sales", "OpenAI signed", "McDonald's", "DeepSeek, YouTube, PlayStation and eBay"),
        ),
        Example(
            text="LinkedIn is adding AI tools for recruiters.\nIn a statement LinkedIn said the tools are "
            "linked to its premium plans.\n",
            kept=("LinkedIn is adding AI tools",),
        ),
    ),
)
