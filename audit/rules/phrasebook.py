"""Phrase lists as data, and the one way rules match them against a block.

Phrase lists are the second line of evidence (shape and position come first),
but they are what makes a rule work in thirty languages, so they live in data
files under `phrases/` that a translator can extend without reading code. Every
phrase and every block is reduced to the same key (NFKC, casefolded, letters and
digits only), so punctuation, spacing, curly quotes and CJK full-width forms do
not decide a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

PHRASE_PACKAGE = "audit.rules"
PHRASE_FOLDER = "phrases"

# Phrases shorter than this (in key characters) are too generic to match inside
# a longer block ("reply", "tags"); the files may still list them for whole-block use.
# A Han, kana or Hangul character counts double: "取消回复" (cancel reply) is as
# specific as "cancelreply", "reply" is not.
MIN_INNER_PHRASE_KEY = 6
_WIDE_CHAR_START = 0x2E80  # CJK radicals onwards: Han, kana, Hangul, full-width forms
_NOT_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def normalize_key(text: str) -> str:
    """The matching key of a text: NFKC, casefolded, only letters and digits kept.

    Cached: every rule asks for the key of the same blocks. `[\\W_]` is exactly
    the characters `str.isalnum` rejects (checked over all of Unicode in
    tests), removed in one regex pass rather than one character at a time.
    """
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=64)
def load_phrases(name: str) -> tuple[str, ...]:
    """The phrases of `phrases/<name>.txt`: one a line, `#` starts a comment, blanks ignored."""
    path = resources.files(PHRASE_PACKAGE).joinpath(PHRASE_FOLDER, f"{name}.txt")
    phrases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        phrase = line.split(" #", 1)[0].strip() if not line.startswith("#") else ""
        if phrase:
            phrases.append(phrase)
    return tuple(phrases)


@dataclass(frozen=True)
class PhraseBook:
    """A phrase list compiled for matching: whole-block keys and inner-phrase keys.

    Inner phrases are found by an Aho-Corasick automaton (one pass over the key
    for the whole list, several times faster than a regex trie on these lists),
    and `spans` keeps what a regex of the phrases sorted longest first would
    match: the leftmost match, the longest phrase there, then on after it.
    """

    name: str
    keys: frozenset[str]
    automaton: ahocorasick.Automaton | None  # inner keys; each stored with its length

    def spans(self, key: str) -> list[tuple[int, int]]:
        """The (start, end) of the inner phrases in `key`: leftmost, longest first, not overlapping."""
        if self.automaton is None or not key:
            return []
        found = sorted((end + 1 - length, -length) for end, length in self.automaton.iter(key))
        spans = []
        taken_to = 0
        for start, negative_length in found:
            if start >= taken_to:
                taken_to = start - negative_length
                spans.append((start, taken_to))
        return spans

    def coverage(self, text: str) -> float:
        """Share of the block's key characters covered by listed phrases (0.0 to 1.0)."""
        return self.count_and_coverage(text)[1]

    def count(self, text: str) -> int:
        """How many non-overlapping phrase occurrences `text` holds."""
        return self.count_and_coverage(text)[0]

    def count_and_coverage(self, text: str) -> tuple[int, float]:
        """`(count(text), coverage(text))` from one scan of the key."""
        key = normalize_key(text)
        if key in self.keys:
            return 1, 1.0
        found = self.spans(key)
        if not found:
            return 0, 0.0
        return len(found), sum(end - start for start, end in found) / len(key)  # the characters covered

    def matches_whole(self, text: str) -> bool:
        """True when the block is exactly one listed phrase, punctuation aside."""
        return normalize_key(text) in self.keys


@lru_cache(maxsize=64)
def phrase_book(name: str) -> PhraseBook:
    """The compiled phrase list `name` (cached: one compile per process)."""
    keys = {normalize_key(p) for p in load_phrases(name)}
    keys.discard("")
    inner = sorted(k for k in keys if _key_weight(k) >= MIN_INNER_PHRASE_KEY)
    automaton = None
    if inner:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key in inner:
            automaton.add_word(key, len(key))
        automaton.make_automaton()
    return PhraseBook(name, frozenset(keys), automaton)


@dataclass(frozen=True)
class LabelSet:
    """Labels a line may start with ("Previous post", "Tags"), found by walking their prefixes.

    Every prefix of every label is kept, so the walk along a line stops at the
    first prefix no label has: one or two set lookups for most lines instead
    of one per label length.
    """

    labels: frozenset[str]
    prefixes: frozenset[str]

    @classmethod
    def of(cls, labels: Iterable[str]) -> LabelSet:
        kept = frozenset(labels)
        return cls(kept, frozenset(label[:size] for label in kept for size in range(1, len(label) + 1)))

    def starting(self, text: str) -> list[str]:
        """The labels `text` starts with, longest first (two prefixes of one text differ in length)."""
        found = []
        size = 1
        while size <= len(text) and text[:size] in self.prefixes:
            if text[:size] in self.labels:
                found.append(text[:size])
            size += 1
        return found[::-1]


def _key_weight(key: str) -> int:
    """Length of a key with wide (CJK) characters counted double."""
    return sum(2 if ord(ch) >= _WIDE_CHAR_START else 1 for ch in key)
