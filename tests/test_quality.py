"""Cleaning quality against labelled real pages, on a subset of benchmarks/quality.py's sets.

The full run (`.venv/bin/python benchmarks/quality.py`) measured, when these
floors were set: article-extraction-benchmark F1 0.971 (trafilatura 0.964,
jusText 0.827); trafilatura-eval 95.2 % of `with` snippets kept, 93.5 % of
`without` snippets removed, 89/98 gold dates found; lingua sentences 0.962
mean accuracy over 51 languages. The subsets below are the first pages in id
order; their floors are what the subset measured, rounded down, and never
below issue 4's targets where the subset meets them. Never lower one silently.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from quality import (
    LINGUA_LANGUAGES,
    SnippetScore,
    drop_title_line,
    load_article_benchmark,
    load_trafilatura_eval,
    page_counts,
    precision_recall_f1,
    score_article_benchmark,
    score_lingua,
    score_trafilatura_eval,
    shingle_counts,
)

# Issue 4: no rule may remove more than 1 % of gold body text.
MAX_BODY_LOSS_PER_RULE = 0.01
# First 20 pages: ours 0.975, trafilatura 0.972 when set.
AEB_PAGES = 20
AEB_MIN_F1 = 0.97
# First 40 pages: 115/124 `with` kept, 110/116 `without` removed, 25/27 dates.
TE_PAGES = 40
TE_MIN_KEPT = 0.92
TE_MIN_REMOVED = 0.94
TE_MIN_DATES = 0.92
# 100 sentences in each of 51 languages: 0.962 mean accuracy when set.
LINGUA_LINES = 100
LINGUA_MIN_SENTENCE_ACCURACY = 0.95


def test_shingles_follow_upstream() -> None:
    assert shingle_counts("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingle_counts("two words") == {("two", "words"): 1}  # a short text is one shingle
    assert page_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = page_counts("a b c d e f", "a b c d x y")
    assert (tp, fp, fn) == pytest.approx((1 / 5, 2 / 5, 2 / 5))
    assert precision_recall_f1([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)]) == pytest.approx((0.75, 1.0, 6 / 7))


def test_title_line_is_dropped_only_when_it_is_the_title() -> None:
    text = "Night trains return to Europe\nThe parliament voted on Wednesday."
    assert (
        drop_title_line(text, "Night trains return to Europe - Example News")
        == "The parliament voted on Wednesday."
    )
    assert drop_title_line(text, "Something else entirely") == text
    assert drop_title_line(text, None) == text


def test_snippets_are_compared_normalized() -> None:
    score = SnippetScore()
    score.add(
        "Über\u00adleben der Demo\u00adkratie\nShare this", {"with": ["Überleben der"], "without": ["Share"]}
    )
    assert (score.kept, score.removed) == (1, 0)


@pytest.mark.slow
def test_article_benchmark_subset() -> None:
    result = score_article_benchmark(load_article_benchmark(AEB_PAGES), jobs=2)
    ours, trafilatura = result["scores"]["ours"], result["scores"]["trafilatura"]
    assert ours[2] >= trafilatura[2], result["scores"]
    assert ours[2] >= AEB_MIN_F1, result["scores"]
    for rule, share in result["body_loss"].items():
        assert share < MAX_BODY_LOSS_PER_RULE, f"{rule} removed {share:.2%} of gold body text"


@pytest.mark.slow
def test_trafilatura_eval_subset() -> None:
    result = score_trafilatura_eval(load_trafilatura_eval(TE_PAGES), jobs=2)
    ours = result["snippets"]["ours"]
    assert ours.kept_share >= TE_MIN_KEPT
    assert ours.removed_share >= TE_MIN_REMOVED
    assert ours.removed_share > result["snippets"]["trafilatura"].removed_share
    dates = result["dates"]
    assert dates["found"] / dates["pages"] >= TE_MIN_DATES, dates["missed"]


@pytest.mark.slow
def test_lingua_sentences_subset() -> None:
    result = score_lingua(LINGUA_LINES, kinds=("sentences",), jobs=2)["sentences"]
    assert set(result) == set(LINGUA_LANGUAGES)
    assert statistics.mean(accuracy for accuracy, _ in result.values()) >= LINGUA_MIN_SENTENCE_ACCURACY
