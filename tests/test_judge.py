"""Judging shared spans: stock vs verbatim vs near, and the rule that decided."""

from __future__ import annotations

import numpy as np

from audit.candidates import ShingleFrequency
from audit.judge import judge_span
from audit.settings import Settings

SETTINGS = Settings()


def test_short_spans_are_stock_whatever_their_similarity() -> None:
    kind, decided_by = judge_span(12, 1.0, 2, SETTINGS)
    assert kind == "stock"
    assert decided_by == "short-span@1: 12 words < min_copy_words 30"


def test_a_common_span_is_stock_unless_it_is_long() -> None:
    kind, decided_by = judge_span(35, 1.0, 9, SETTINGS)
    assert kind == "stock"
    assert decided_by.startswith("common-span@1: in 9 documents >= stock_min_documents 4")
    assert judge_span(SETTINGS.stock_max_words, 1.0, 9, SETTINGS)[0] == "verbatim"


def test_rare_long_spans_are_copies_split_by_similarity() -> None:
    assert judge_span(45, 0.97, 2, SETTINGS) == (
        "verbatim",
        "similarity@1: 0.970 >= verbatim_similarity 0.95",
    )
    assert judge_span(45, 0.81, 3, SETTINGS) == ("near", "similarity@1: 0.810 < verbatim_similarity 0.95")


def test_thresholds_come_from_settings() -> None:
    strict = Settings(min_copy_words=10, stock_min_documents=20, verbatim_similarity=0.99)
    assert judge_span(12, 0.97, 9, strict)[0] == "near"


def test_frequency_counts_families_not_copies() -> None:
    a = np.array([1, 2, 3], dtype=np.uint64)
    b = np.array([2, 3, 4], dtype=np.uint64)
    repost_of_a = np.array([1, 2, 3, 9], dtype=np.uint64)
    frequency = ShingleFrequency.from_families([[a, repost_of_a], [b]])
    assert frequency.counts_of(np.array([1, 2, 4, 9, 77], dtype=np.uint64)).tolist() == [1, 2, 1, 1, 0]
    assert frequency.median_documents(np.array([2, 3, 1], dtype=np.uint64)) == 2
    assert ShingleFrequency.from_families([]).median_documents(a) == 0
