"""The one tokenizer every overlap stage shares, vectorised, with character offsets.

Two copies of a passage must produce the same tokens even when one of them was
re-typed: case, punctuation, curly vs straight quotes, line wrapping and
full-width forms must not matter, and every token must point back to its
characters so a match can be reported as `text[start:end]`. Scripts written
without spaces (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar) are tokenized
one character at a time, which is how passim and most CJK reuse work treat
them; Korean separates words with spaces and is tokenized by words.

The work is done on numpy arrays of code points rather than with a regex and
per-token Python strings: a lookup table classifies and case-folds every
character, token hashes come from a polynomial hash computed with one reduceat,
and shingle hashes combine token hashes in a few array operations. Hashes are
stable across runs and machines (never Python's salted `hash()`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np

# Character classes in the lookup table.
SEPARATOR, WORD, STANDALONE, MARK = 0, 1, 2, 3

# Scripts written without spaces between words: each character is a token.
_STANDALONE_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31FF),  # Bopomofo extended, Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
    (0x20000, 0x3FFFF),  # CJK extensions B onwards
)

_U64 = np.uint64
# Polynomial hash base for characters within a token (the 64-bit FNV prime, odd
# so it has an inverse modulo 2**64) and its inverse.
_BASE = 0x100000001B3
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_GOLDEN = _U64(0x9E3779B97F4A7C15)
# Texts up to this many characters reuse one table of powers (2 x 8 MiB); longer
# ones (rare: a book, a dump) compute their own.
POWER_TABLE_SIZE = 1 << 20
# One odd multiplier per shingle position, so "a b" and "b a" hash differently.
_POSITION_MULTIPLIERS = (
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD,
    0xC4CEB9FE1A85EC53,
    0x94D049BB133111EB,
    0xBF58476D1CE4E5B9,
    0x9E3779B97F4A7C15,
)


@dataclass(frozen=True, eq=False)
class Tokens:
    """Tokens of one text: `text[starts[i]:ends[i]]` is token i, `hashes[i]` its folded hash."""

    starts: np.ndarray  # int64
    ends: np.ndarray  # int64
    hashes: np.ndarray  # uint64

    def __len__(self) -> int:
        return len(self.hashes)


class CharacterTables:
    """(class, folded code point) for every code point, filled a page at a time as texts need them.

    Folding is NFKC then casefold, kept only when it yields one character, so
    offsets never move: "Ｆｕｌｌ" and "FULL" meet "full"; "ß" stays "ß" rather
    than becoming two characters. Asking unicodedata about all 1.1M code points
    takes ~0.7 s, paid by every worker process at start; a corpus uses a few
    pages of 4,096 code points (Latin, punctuation, its scripts, the emoji),
    so a page is filled the first time a text holds one of its characters.
    """

    PAGE_BITS = 12

    def __init__(self) -> None:
        self.classes = np.zeros(0x110000, dtype=np.uint8)
        self.folded = np.arange(0x110000, dtype=np.uint32)
        self.filled = np.zeros(0x110000 >> self.PAGE_BITS, dtype=bool)

    def covering(self, points: np.ndarray) -> CharacterTables:
        """These tables, filled for every page `points` touch."""
        pages = points >> self.PAGE_BITS
        missing = ~self.filled[pages]
        if missing.any():
            for page in np.unique(pages[missing]).tolist():
                self._fill(page << self.PAGE_BITS, (page + 1) << self.PAGE_BITS)
                self.filled[page] = True
        return self

    def _fill(self, start: int, end: int) -> None:
        for code in range(start, end):
            major = unicodedata.category(chr(code))[0]
            if major in "LN":
                self.classes[code] = WORD
            elif major == "M":
                self.classes[code] = MARK
            else:
                continue  # separators are never hashed, so they need no folding
            self.folded[code] = _fold_one(chr(code), code)
        for low, high in _STANDALONE_RANGES:
            span = self.classes[max(low, start) : min(high + 1, end)]
            span[span == WORD] = STANDALONE


@cache
def character_tables() -> CharacterTables:
    """This process' tables (see CharacterTables)."""
    return CharacterTables()


def _fold_one(char: str, code: int) -> int:
    for candidate in (unicodedata.normalize("NFKC", char).casefold(), char.casefold(), char.lower()):
        if len(candidate) == 1:
            return ord(candidate)
    return code


def code_points(text: str) -> np.ndarray:
    """The text as a uint32 array of code points (lone surrogates kept, so offsets match)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def tokenize(text: str) -> Tokens:
    """Split `text` into word tokens (character tokens for CJK and Thai-like scripts)."""
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return Tokens(empty, empty, np.zeros(0, dtype=_U64))
    points = code_points(text)
    tables = character_tables().covering(points)
    classes = tables.classes[points]
    in_token = classes != SEPARATOR
    previous = np.concatenate(([SEPARATOR], classes[:-1]))
    # A token starts at a standalone character, after a separator, or where a
    # word follows a standalone character; marks continue whatever precedes them.
    starts_here = in_token & (
        (classes == STANDALONE) | (previous == SEPARATOR) | ((classes == WORD) & (previous == STANDALONE))
    )
    continues_next = np.concatenate((in_token[1:] & ~starts_here[1:], [False]))
    ends_here = in_token & ~continues_next
    starts = np.flatnonzero(starts_here)
    ends = np.flatnonzero(ends_here) + 1
    hashes = _token_hashes(tables.folded[points], in_token, starts, ends)
    return Tokens(starts.astype(np.int64), ends.astype(np.int64), hashes)


def _compute_powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < size (wrapping uint64 products are the modulus)."""
    powers = np.full(size, _BASE, dtype=_U64)
    powers[0] = 1
    inverse = np.full(size, _BASE_INVERSE, dtype=_U64)
    inverse[0] = 1
    return np.cumprod(powers, dtype=_U64), np.cumprod(inverse, dtype=_U64)


_cached_powers = cache(_compute_powers)


def _powers(length: int) -> tuple[np.ndarray, np.ndarray]:
    """The first `length` powers: views of one cached table for ordinary texts, computed for huge ones."""
    if length > POWER_TABLE_SIZE:
        return _compute_powers(length)
    powers, inverse = _cached_powers(POWER_TABLE_SIZE)
    return powers[:length], inverse[:length]


def _token_hashes(
    folded: np.ndarray, in_token: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """Polynomial hash of each token's folded characters, then an avalanche mix."""
    if len(starts) == 0:
        return np.zeros(0, dtype=_U64)
    values = np.where(in_token, folded.astype(_U64) + _U64(1), _U64(0))
    powers, inverse = _powers(len(values))
    # Separators contribute zero, so each reduceat segment sums exactly one token.
    sums = np.add.reduceat(values * powers, starts) * inverse[starts]
    lengths = (ends - starts).astype(_U64)
    return mix64(sums + lengths * _GOLDEN)


def mix64(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 64-bit finalizer: a stable avalanching bijection on uint64."""
    values = values ^ (values >> _U64(33))
    values = values * _U64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> _U64(33))
    values = values * _U64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> _U64(33))


def shingle_hashes(token_hashes: np.ndarray, size: int) -> np.ndarray:
    """64-bit hashes of every run of `size` consecutive tokens (empty when too few tokens)."""
    if size < 1 or size > len(_POSITION_MULTIPLIERS):
        raise ValueError(f"shingle size must be between 1 and {len(_POSITION_MULTIPLIERS)}, got {size}")
    count = len(token_hashes) - size + 1
    if count <= 0:
        return np.zeros(0, dtype=_U64)
    combined = np.zeros(count, dtype=_U64)
    for offset in range(size):
        combined += token_hashes[offset : offset + count] * _U64(_POSITION_MULTIPLIERS[offset])
    return mix64(combined)


def token_texts(text: str, tokens: Tokens) -> list[str]:
    """The tokens as strings (for tests and debugging; the pipeline uses hashes only)."""
    return [text[s:e] for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist(), strict=True)]
