"""The literal screens in front of slow regexes never hide a match.

`audit.prefilter` lets a text skip a regex when the strings every match must
contain are missing from it. Whatever it gets wrong would silently drop a
match, so it is checked three ways: folding against `re`'s own case rules over
every code point, random patterns against random texts (hypothesis), and the
project's real patterns on real lines.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.prefilter import fold, literal_factors, screen, screen_all
from audit.provenance.markers import _markers

ALL_CHARS = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]


def test_folding_maps_what_ignorecase_equates_to_one_string() -> None:
    """`re.IGNORECASE` equates a character with those of the same simple lowercase, plus a few extras."""
    sre = pytest.importorskip("_sre")
    casefix = pytest.importorskip("re._casefix" if sys.version_info >= (3, 11) else "sre_compile")
    extras = getattr(casefix, "_EXTRA_CASES", None) or {}
    for char in ALL_CHARS:
        lowered = chr(sre.unicode_tolower(ord(char)))
        assert fold(char) == fold(lowered), hex(ord(char))
    for code, others in extras.items():
        for other in others:
            assert fold(chr(code)) == fold(chr(other)), (hex(code), hex(other))
    # The model of `re` those checks rely on, checked against `re` on the characters it is about.
    for code, others in extras.items():
        for other in others:
            assert re.fullmatch(re.escape(chr(code)), chr(other), re.IGNORECASE)
    for pair in ("iİ", "iı", "sſ", "kK", "σς", "ßẞ"):
        assert re.fullmatch(re.escape(pair[0]), pair[1], re.IGNORECASE)
        assert fold(pair[0]) == fold(pair[1])


def test_factors_of_small_patterns() -> None:
    assert literal_factors(r"\bai[- ](?:generated|written)\b", re.I) == (
        (frozenset({"ai-generated", "ai generated", "ai-written", "ai written"}),),
    )
    assert literal_factors(r"colou?r") == ((frozenset({"colo"}),),)
    assert literal_factors(r"b(?:ard|ing\s+chat)") == ((frozenset({"bard", "bing"}),),)
    assert literal_factors(r"(?i)STRASSE") == ((frozenset({"strasse"}),),)
    assert literal_factors(r"\w+") is None  # nothing to look for: every text goes to the regex
    assert literal_factors(r"(?:written|created)|\d+") is None  # one branch is unbounded
    assert literal_factors(r"written\s+by\s+grok\b") == ((frozenset({"grok"}), frozenset({"written"})),)


# Characters where case and word boundaries are tricky, and a few words to make matches likely.
PIECES = st.sampled_from(
    ["a", "b", "i", "İ", "ı", "I", "s", "ſ", "S", "ß", "ẞ", "σ", "ς", "Σ", " ", "\n", "-", "é", "É",
     "生", "成", "ab", "bing", "BARD", "chat", "Écrit", "written"]
)  # fmt: skip


def _regex() -> st.SearchStrategy[str]:
    literal = PIECES.map(re.escape)
    atom = st.one_of(
        literal,
        st.sampled_from([r"\s", r"\w", ".", r"\d", "[sz]", "[^a]", "[a-c]", r"\b"]),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.lists(inner, min_size=2, max_size=4).map("".join),
            st.lists(inner, min_size=2, max_size=3).map(lambda parts: "(?:" + "|".join(parts) + ")"),
            st.tuples(inner, st.sampled_from(["?", "*", "+", "{2}", "{1,3}", "+?"])).map(
                lambda item: f"(?:{item[0]}){item[1]}"
            ),
            inner.map(lambda item: f"(?={item})"),
            inner.map(lambda item: f"(?<!{item})" if len(item) == 1 else item),
        )

    return st.recursive(atom, extend, max_leaves=8)


@settings(max_examples=400, deadline=None)
@given(
    pattern=_regex(),
    flags=st.sampled_from([0, re.IGNORECASE]),
    text=st.lists(PIECES, max_size=20).map("".join),
)
def test_a_screen_never_rules_out_a_text_the_regex_matches(pattern: str, flags: int, text: str) -> None:
    try:
        compiled = re.compile(pattern, flags)
    except re.error:
        return
    if compiled.search(text):
        assert screen(compiled).may_match(text), (pattern, text)
        # The analysis itself, before short factors are dropped for speed.
        alternatives = literal_factors(pattern, flags, min_weight=1)
        folded = fold(text)
        assert alternatives is None or any(
            all(any(s in folded for s in clause) for clause in clauses) for clauses in alternatives
        ), (pattern, text, alternatives)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.lists(PIECES, max_size=12).map("".join), min_size=1, max_size=6))
def test_spans_get_what_each_span_gets_alone(lines: list[str]) -> None:
    patterns = (*(pattern for pattern, _ in _markers()), re.compile(r"bing\s+chat|ab", re.I))
    checker = screen_all(patterns)
    text = "\n".join(lines)
    spans, start = [], 0
    for line in lines:
        spans.append((start, start + len(line)))
        start += len(line) + 1
    assert checker.live_in_spans(text, spans) == [checker.live(fold(line)) for line in lines]


def test_the_ai_markers_are_screened_and_keep_every_real_match(seed_texts: dict[str, str], eval_dir) -> None:
    patterns = tuple(pattern for pattern, _ in _markers())
    checker = screen_all(patterns)
    assert not checker.unbounded  # every marker names words it needs
    lines = [line for text in seed_texts.values() for line in text.splitlines()]
    for path in sorted((eval_dir / "lingua-testdata" / "sentences").glob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()[:200]
    lines += [
        "This article was generated by ChatGPT.",
        "Dieser Text wurde mit KI erstellt.",
        "本文由AI生成",
        "Texto escrito con inteligencia artificial",
        "── from grok",
        "AI-GENERATED content, WRİTTEN BY GROK",
    ]
    matched = 0
    for line in lines:
        live = checker.live(fold(line))
        for number, pattern in enumerate(patterns):
            if pattern.search(line):
                matched += 1
                assert number in live, (pattern.pattern[:60], line)
    assert matched >= 6
    ruled_out = sum(not checker.live(fold(line)) for line in lines)
    assert ruled_out > 0.9 * len(lines)  # the screen is worth having: most lines skip every regex
