"""dateline@1: the date line above the body goes, dates inside the text stay."""

from __future__ import annotations

import pytest

from audit.clean import clean_view
from audit.rules import RULES
from audit.rules.base import DocView, Example
from audit.rules.dateline import RULE, glued_date_end, is_dateline
from audit.segment import split_blocks

BODY = "The ministry said on Tuesday that it would publish new rules for the sector by the end of the year."


def clean_with_dateline(text: str) -> tuple[str, list[str]]:
    """The text cleaned by this rule alone, and what the rule removed."""
    view = DocView(text, tuple(split_blocks(text)), "und")
    cleaned, edits = clean_view(view, (RULE,))
    return cleaned, [edit.removed for edit in edits if edit.rule == RULE.id]


def test_rule_identity_and_place() -> None:
    assert RULE.id == "dateline@1"
    assert RULE.why and RULE.examples
    assert RULES[0] is RULE  # head rules run first so the dateline wins overlaps


@pytest.mark.parametrize("example", RULE.examples, ids=lambda e: e.text[:30])
def test_rule_examples(example: Example) -> None:
    cleaned, _ = clean_with_dateline(example.text)
    for snippet in example.removed:
        assert snippet not in cleaned
    for snippet in example.kept:
        assert snippet in cleaned


def test_seed_000_korean_dateline_is_removed(seed_texts: dict[str, str]) -> None:
    cleaned, removed = clean_with_dateline(seed_texts["000"])
    assert removed == ["금. 8월 8th, 2025\n"]
    assert cleaned.startswith("When we talk about Artificial Intelligence today")


def test_seed_001_english_dateline_is_removed(seed_texts: dict[str, str]) -> None:
    cleaned, removed = clean_with_dateline(seed_texts["001"])
    assert removed == ["February 7th, 2025\n"]
    assert cleaned.startswith("AIIn recent years")  # the glued label is category-label's job


@pytest.mark.parametrize("seed", ["002", "003", "004"])
def test_seeds_without_a_dateline_are_untouched(seed_texts: dict[str, str], seed: str) -> None:
    _, removed = clean_with_dateline(seed_texts[seed])
    assert removed == []


@pytest.mark.parametrize(
    "line",
    [
        "2025年8月8日（金）",
        "2025.08.08 (금) 오후 3:20",
        "입력 2025.08.08 오후 3:20",
        "Publicado el 7 de febrero de 2025",
        "Pubblicato il 7 febbraio 2025 alle 10:32",
        "Opublikowano: 7 lutego 2025",
        "Gepubliceerd op 7 februari 2025",
        "Yayınlanma tarihi: 7 Şubat 2025",
        "Mittwoch, 12. März 2025",
        "By Jane Doe | February 7, 2025",
        "February 7, 2025 · 5 min read",
        "Published: 2024-01-01 | Updated: 2024-02-03",
        "2026/04/02",
        "13.05.2025",
        "Fri, 7 Feb 2025 10:32:00 GMT",
    ],
)
def test_datelines_in_other_languages_and_formats_are_removed(line: str) -> None:
    assert is_dateline(line)
    cleaned, _ = clean_with_dateline(f"{line}\n{BODY}")
    assert line not in cleaned
    assert cleaned.startswith(BODY)


@pytest.mark.parametrize(
    "line",
    [
        "2025 in review",
        "March 3, 2025: Launch Day",
        "Wochenbericht 14. - 20. Januar 2022 - SLF",
        "What changed on 7 February 2025",
        "2025年8月8日、政府は新しい規則を発表した。",
        "February 2025",
        "Timeline of events",
    ],
)
def test_headings_and_sentences_with_dates_stay(line: str) -> None:
    assert not is_dateline(line)
    cleaned, removed = clean_with_dateline(f"{line}\n{BODY}")
    assert removed == []
    assert line in cleaned


def test_a_date_line_inside_the_body_stays() -> None:
    text = f"A title\n{BODY}\n7 February 2025\nThe first meeting took place.\n{BODY}"
    _, removed = clean_with_dateline(text)
    assert removed == []


def test_a_bare_date_at_the_tail_stays_but_a_labelled_one_goes() -> None:
    _, removed = clean_with_dateline(f"{BODY}\n{BODY}\nTimeline\n7 February 2025")
    assert removed == []
    cleaned, removed = clean_with_dateline(f"{BODY}\n{BODY}\nStand: 03.04.2024")
    assert removed == ["Stand: 03.04.2024"]
    assert cleaned.rstrip().endswith("end of the year.")


def test_glued_date_is_cut_from_the_body() -> None:
    assert glued_date_end("March 3, 2024The ministry said") == len("March 3, 2024")
    assert glued_date_end("March 3, 2024 was the day the ministry said") is None
    cleaned, removed = clean_with_dateline(f"Title\n7. Februar 2025Die Regierung sagte am Dienstag.\n{BODY}")
    assert removed == ["7. Februar 2025"]
    assert "Die Regierung sagte" in cleaned


def test_a_document_that_is_only_a_date_is_left_alone() -> None:
    _, removed = clean_with_dateline("February 7th, 2025")
    assert removed == []
