"""A literal screen in front of a slow regular expression: the words every match must contain.

Python's `re` tries an alternation of case-insensitive patterns branch by
branch at every position (the AI-disclosure markers scan at ~2 MB/s), while
the words those patterns need ("generated", "erstellt", "生成"...) are found
in one Aho-Corasick pass at a hundred times that. So a pattern is read once
into a set of literal *factors*, strings of which every match contains at
least one (the trigram-index idea of code search engines, on whole words),
and a text whose folded form holds none of them cannot match: the regex
runs only where a factor occurs. A pattern the analysis cannot bound (a
branch of `\\w+` alone) gets no screen, and every text goes to the regex.

Case: the factors and the text are compared *folded* (`fold`), which maps
any two characters `re.IGNORECASE` treats as equal to the same string:
`str.casefold` does, except for the Turkish i's (`re` matches "ı" and "İ"
with "i"), which are mapped to "i" first. tests/test_fast_paths.py checks
that over every code point, against `re` itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

try:  # the parser `re` compiles with: re._parser on 3.11+, sre_parse before
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# A set of exact strings a piece of pattern can match stays exact up to this
# many strings ("summari[sz]ed" is two); beyond it the piece only bounds.
MAX_EXACT = 64
# A clause is kept only if each of its strings weighs this much (a Han, kana or
# Hangul character weighs three): "by", "con" or "mit" occur in almost every
# text of their language and would cost more to look for than they rule out.
MIN_FACTOR_WEIGHT = 4
_WIDE_START = 0x2E80
_TURKISH_I = str.maketrans({0x130: "i", 0x131: "i"})
_ZERO_WIDTH = frozenset({"AT", "ASSERT", "ASSERT_NOT"})
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


def fold(text: str) -> str:
    """The text with case removed as `re.IGNORECASE` sees it (see the module docstring)."""
    if "\u0130" in text or "\u0131" in text:
        text = text.translate(_TURKISH_I)
    return text.casefold()


Clauses = tuple[frozenset[str], ...]  # every clause must hold: the text contains one string of each


@dataclass(frozen=True)
class _Info:
    exact: frozenset[str] | None  # every string the piece can match, when few
    clauses: Clauses  # what every match of the piece contains
    prefix: frozenset[str] | None = None  # what every match of the piece starts with, when known


def literal_factors(
    pattern: str, flags: int = 0, min_weight: int = MIN_FACTOR_WEIGHT
) -> tuple[Clauses, ...] | None:
    """For each top-level alternative of `pattern`, the clauses every match of it satisfies.

    A text can match only if, for some alternative, it contains (folded) one
    string of each of that alternative's clauses. None when some alternative
    has no clause: that pattern cannot be screened.
    """
    try:
        parsed = list(_sre_parse.parse(pattern, flags))
    except (re.error, RecursionError):
        return None
    if len(parsed) == 1 and str(parsed[0][0]) == "BRANCH":
        alternatives = [_clauses(_sequence(list(a))) for a in parsed[0][1][1]]  # type: ignore[index]
    else:
        alternatives = [_clauses(_sequence(parsed))]
    kept = [tuple(c for c in clauses if min(map(_weight, c)) >= min_weight) for clauses in alternatives]
    return None if any(not clauses for clauses in kept) else tuple(kept)


def _weight(string: str) -> int:
    return sum(3 if ord(char) >= _WIDE_START else 1 for char in string)


def _clauses(info: _Info) -> Clauses:
    if info.exact is not None and all(info.exact):
        return (info.exact,)
    return info.clauses


def _best(info: _Info) -> frozenset[str] | None:
    """The one clause that says most (longest shortest string, then fewest strings)."""
    return max(_clauses(info), key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _sequence(items: Sequence[tuple[object, object]]) -> _Info:
    """A concatenation: runs of exact pieces multiply out; each run and each piece's clauses must hold.

    A run followed by a piece whose matches start with known strings also
    multiplies out with those ("b" then "ard" or "ing chat": "bard" or "bing").
    """
    clauses: list[frozenset[str]] = []
    run = frozenset({""})  # the exact strings of the run of pieces since the last inexact one
    prefix: frozenset[str] | None = None
    all_exact = True
    for op, value in items:
        piece = _piece(str(op), value)
        if piece.exact is not None:
            product = _product(run, piece.exact)
            if product is not None:
                run = product
                continue
        started = _product(run, piece.prefix) if piece.prefix is not None else None
        if all_exact:
            prefix = started if started is not None else run
        all_exact = False
        clauses.append(run)
        if started is not None:
            clauses.append(started)
        run = piece.exact if piece.exact is not None else frozenset({""})
        clauses.extend(piece.clauses)
    clauses.append(run)
    kept = tuple(sorted({c for c in clauses if all(c)}, key=sorted))  # a clause holding "" says nothing
    if all_exact:
        return _Info(run, kept, run)
    return _Info(None, kept, prefix if prefix is not None and all(prefix) else None)


def _product(heads: frozenset[str], tails: frozenset[str]) -> frozenset[str] | None:
    product = frozenset(a + b for a in heads for b in tails)
    return product if len(product) <= MAX_EXACT else None


def _piece(op: str, value: object) -> _Info:
    if op == "LITERAL":
        char = frozenset({fold(chr(value))})  # type: ignore[arg-type]
        return _Info(char, (), char)
    if op in _ZERO_WIDTH:
        return _Info(frozenset({""}), ())  # consumes nothing: "" joins its neighbours
    if op == "IN":
        chars = _charset(value)  # type: ignore[arg-type]
        return _Info(chars, (), chars)
    if op == "SUBPATTERN":  # (group, flags added, flags removed, pattern)
        return _sequence(list(value[-1]))  # type: ignore[index]
    if op == "ATOMIC_GROUP":
        return _sequence(list(value))  # type: ignore[call-overload]
    if op == "BRANCH":
        return _branch([_sequence(list(alternative)) for alternative in value[1]])  # type: ignore[index]
    if op in _REPEATS:
        low, high, item = value  # type: ignore[misc]
        inner = _sequence(list(item))
        if low == 0:
            return _Info(None, ())
        if low == high == 1:
            return inner
        return _Info(None, _clauses(inner), inner.prefix)
    return _Info(None, ())  # any character, categories, back references: no bound


def _charset(items: Iterable[tuple[object, object]]) -> frozenset[str] | None:
    """The folded characters of a small class of literals (`[sz]`, `[- ]`), or None."""
    chars = set()
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(fold(chr(value)))  # type: ignore[arg-type]
        elif name == "RANGE" and value[1] - value[0] < MAX_EXACT:  # type: ignore[index, operator]
            chars.update(fold(chr(code)) for code in range(value[0], value[1] + 1))  # type: ignore[index, operator]
        else:
            return None  # negated, categories, wide ranges
    return frozenset(chars) if len(chars) <= MAX_EXACT else None


def _branch(alternatives: list[_Info]) -> _Info:
    """Exact while small; otherwise one clause: the union of each alternative's best clause."""
    if all(a.exact is not None for a in alternatives):
        union = frozenset().union(*(a.exact for a in alternatives))  # type: ignore[arg-type]
        if len(union) <= MAX_EXACT:
            return _Info(union, (), union)
    prefix = None
    if all(a.prefix is not None for a in alternatives):
        prefix = frozenset().union(*(a.prefix for a in alternatives))  # type: ignore[arg-type]
        prefix = prefix if len(prefix) <= MAX_EXACT else None
    bests = [_best(a) for a in alternatives]
    if any(b is None for b in bests):
        return _Info(None, (), prefix)
    return _Info(None, (frozenset().union(*bests),), prefix)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Screen:
    """Which of some patterns may match a text: a pattern left out finds nothing there.

    Built from one or more patterns (`screen`, `screen_all`); each pattern is
    one or more alternatives, each a conjunction of clauses over `strings`.
    """

    patterns: tuple[re.Pattern[str], ...]
    alternatives: tuple[tuple[int, tuple[frozenset[int], ...]], ...]  # (pattern, clauses as string indices)
    strings: tuple[str, ...]
    automaton: ahocorasick.Automaton | None  # `strings`, each stored with its index; None: no strings
    unbounded: frozenset[int]  # the patterns no clause bounds: they may match any text

    def may_match(self, text: str) -> bool:
        """False only where none of the patterns can match `text`."""
        return bool(self.live(fold(text)))

    def live(self, folded: str) -> frozenset[int]:
        """The patterns that may match a text, given its folded form."""
        found = set() if self.automaton is None else {index for _, index in self.automaton.iter(folded)}
        return self._live(found)

    def search(self, text: str) -> re.Match[str] | None:
        """The first pattern's `search(text)`, skipping the regex where the screen rules a match out."""
        return self.patterns[0].search(text) if self.may_match(text) else None

    def live_in_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> list[frozenset[int]]:
        """`live` of each of sorted, disjoint `spans` of `text`, from one pass over the text.

        Folding keeps offsets when it keeps the length (each character then
        folds to one), so each string found is put in the span holding it;
        otherwise each span is folded on its own.
        """
        folded = fold(text)
        if len(folded) != len(text):
            return [self.live(fold(text[start:end])) for start, end in spans]
        found = strings_in_spans(self.automaton, self.strings, folded, spans)
        return [self._live(found.get(span, set())) for span in range(len(spans))]

    def _live(self, found: set[int]) -> frozenset[int]:
        if not found:
            return self.unbounded
        return frozenset(
            owner
            for owner, clauses in self.alternatives
            if all(not clause.isdisjoint(found) for clause in clauses)
        )


def strings_in_spans(
    automaton: ahocorasick.Automaton | None,
    strings: Sequence[str],
    text: str,
    spans: Sequence[tuple[int, int]],
) -> dict[int, set[int]]:
    """For each of sorted, disjoint `spans` of `text` holding any, the indices of `strings` found inside it.

    `automaton` stores each string with its index; one pass over the whole
    text, each string found put in the span it lies in (strings across a
    span's edge are no span's).
    """
    starts = [start for start, _ in spans]
    found: dict[int, set[int]] = {}
    for last, index in () if automaton is None else automaton.iter(text):
        first = last + 1 - len(strings[index])
        span = bisect_right(starts, first) - 1
        if span >= 0 and last < spans[span][1]:
            found.setdefault(span, set()).add(index)
    return found


def screen(pattern: re.Pattern[str]) -> Screen:
    """The screen of one compiled pattern."""
    return screen_all((pattern,))


@lru_cache(maxsize=64)
def screen_all(patterns: tuple[re.Pattern[str], ...]) -> Screen:
    """The screen of several patterns, so that one pass over a text says which of them may match.

    Cached: patterns are compiled once per process. A pattern the analysis
    cannot bound gets an alternative with no clause: it may match anywhere.
    """
    alternatives: list[tuple[int, Clauses]] = []
    for owner, pattern in enumerate(patterns):
        bounded = literal_factors(pattern.pattern, pattern.flags)
        alternatives.extend((owner, clauses) for clauses in bounded or ((),))
    strings = tuple(sorted({s for _, clauses in alternatives for clause in clauses for s in clause}))
    index = {string: position for position, string in enumerate(strings)}
    automaton = None
    if strings:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for string, position in index.items():
            automaton.add_word(string, position)
        automaton.make_automaton()
    as_indices = tuple(
        (owner, tuple(frozenset(index[s] for s in clause) for clause in clauses))
        for owner, clauses in alternatives
    )
    unbounded = frozenset(owner for owner, clauses in alternatives if not clauses)
    return Screen(patterns, as_indices, strings, automaton, unbounded)
