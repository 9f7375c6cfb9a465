"""Alignment: maximal spans, offsets into both texts, light edits that must not split a span."""

from __future__ import annotations

import re

import numpy as np

from audit.align import MAX_SEED_OCCURRENCES, _seed_pairs, align_pair, align_self
from audit.fingerprint import fingerprint_text
from audit.settings import Settings

SETTINGS = Settings()

PASSAGE = (
    "The committee said on Tuesday that the new rules would apply to every company operating in the "
    "region from the start of next year, and that firms which failed to comply could face fines of up "
    "to four percent of their annual turnover, a figure that business groups described as excessive."
)
BEFORE = "Markets were quiet in the morning as traders waited for the decision. "
AFTER = " Shares of the largest retailers fell slightly after the announcement was made public."
OTHER_BEFORE = "A different introduction written by another newspaper opens this story today. "
OTHER_AFTER = " The rest of this article discusses something else entirely, with no shared wording."


def align(a: str, b: str):
    return align_pair(fingerprint_text(a, SETTINGS), fingerprint_text(b, SETTINGS), SETTINGS)


def squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def test_verbatim_copy_is_one_span_with_exact_offsets() -> None:
    a, b = BEFORE + PASSAGE + AFTER, OTHER_BEFORE + PASSAGE + OTHER_AFTER
    (span,) = align(a, b)
    assert a[span.a_chars[0] : span.a_chars[1]] == PASSAGE.rstrip(".")
    assert b[span.b_chars[0] : span.b_chars[1]] == PASSAGE.rstrip(".")
    assert span.similarity == 1.0
    assert span.words == len(PASSAGE.split())


def test_light_edits_do_not_split_a_span() -> None:
    edited = (
        "THE COMMITTEE said on Tuesday that the “new rules” would apply to every company operating\nin the "
        "region from the start of next year and that firms which failed to comply could face fines of "
        "to four percent of their annual turnover; a figure that business groups described as excessive!"
    )  # case, curly quotes, re-wrapped line, dropped comma, dropped "up", changed punctuation
    (span,) = align(BEFORE + PASSAGE + AFTER, OTHER_BEFORE + edited + OTHER_AFTER)
    assert span.similarity >= SETTINGS.verbatim_similarity
    assert span.words >= len(PASSAGE.split()) - 1


def test_substituted_words_stay_in_one_near_span() -> None:
    edited = PASSAGE.replace("Tuesday", "Monday").replace("excessive", "harsh").replace("region", "area")
    b = OTHER_BEFORE + edited
    (span,) = align(PASSAGE, b)
    assert 0.85 < span.similarity < 1.0
    assert b[span.b_chars[0] : span.b_chars[1]] == edited.removesuffix(
        " harsh."
    )  # a changed last word ends it


def test_two_separate_passages_are_two_spans_in_order() -> None:
    second = (
        "Officials also confirmed that the consultation period would last for twelve weeks, during which "
        "companies, charities and members of the public could submit written evidence to the panel."
    )
    a = BEFORE + PASSAGE + " " + OTHER_AFTER * 3 + " " + second
    b = second + " " + BEFORE * 0 + AFTER * 3 + " " + PASSAGE
    spans = align(a, b)
    assert [squash(a[s.a_chars[0] : s.a_chars[1]]) for s in spans] == [squash(PASSAGE), squash(second)]


def test_unrelated_texts_share_nothing() -> None:
    assert align(BEFORE + AFTER, OTHER_BEFORE + OTHER_AFTER) == []


def test_chinese_passage_is_aligned_by_characters() -> None:
    passage = "国务院印发新一代人工智能发展规划，提出到二〇三〇年使中国人工智能理论、技术与应用总体达到世界领先水平。"
    a = "今天上午，记者从有关部门获悉：" + passage + "这是第一段以外的内容。"
    b = "另一家媒体报道说，" + passage.replace("，", ",") + "文章的其余部分与此无关。"
    (span,) = align(a, b)
    assert passage.startswith(a[span.a_chars[0] : span.a_chars[1]][:10])
    assert span.words >= 45 and span.similarity == 1.0


def test_repeated_paragraph_inside_one_text_is_found_once() -> None:
    text = PASSAGE + " " + OTHER_AFTER + "\n\n" + PASSAGE + AFTER
    (repeat,) = align_self(fingerprint_text(text, SETTINGS), SETTINGS)
    assert repeat.a_chars[1] <= repeat.b_chars[0]
    assert text[repeat.a_chars[0] : repeat.a_chars[1]] == text[repeat.b_chars[0] : repeat.b_chars[1]]


def test_tandem_repeat_occurrences_touch_but_never_overlap() -> None:
    line = "subscribe to our newsletter for the latest updates on technology and science"
    (repeat,) = align_self(fingerprint_text(f"{line} {line}", SETTINGS), SETTINGS)
    assert repeat.a_tokens[1] <= repeat.b_tokens[0]
    assert repeat.words == len(line.split())


def test_refrains_are_skipped_without_quadratic_blowup() -> None:
    text = "ha " * 20000 + PASSAGE
    assert align_self(fingerprint_text(text, SETTINGS), SETTINGS) == []
    assert len(align(text, PASSAGE)) == 1


def test_self_seeds_are_every_later_equal_shingle_except_refrains() -> None:
    """The self-alignment's shortcut (only repeated shingles are paired) gives the plain definition."""
    rng = np.random.default_rng(7)
    for values, size in [(3, 40), (20, 300), (1000, 400), (40, 2000), (10**9, 500)]:
        shingles = rng.integers(0, values, size=size).astype(np.uint64)
        counts = {v: int((shingles == v).sum()) for v in set(shingles.tolist())}
        expected = [
            (i, j)
            for i in range(size)
            for j in range(i + 1, size)
            if shingles[i] == shingles[j] and counts[int(shingles[i])] <= MAX_SEED_OCCURRENCES
        ]
        ia, ib = _seed_pairs(shingles, shingles, same=True)
        assert list(zip(ia.tolist(), ib.tolist(), strict=True)) == expected
