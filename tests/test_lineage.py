"""Direction of copying: the earlier publication is the source, with its evidence, or no guess."""

from __future__ import annotations

from audit.lineage import best_date, decide_source


def published(date: str, origin: str = "dateline", confidence: float = 0.9) -> dict:
    return {"date": date, "role": "published", "origin": origin, "text": date, "confidence": confidence}


def test_earlier_publication_is_the_source_with_both_dates_as_evidence() -> None:
    source, evidence = decide_source(
        "a", [published("2025-02-07", "dateline")], "b", [published("2025-03-01", "html-meta", 0.8)]
    )
    assert source == "a"
    assert (
        evidence["reason"] == "a published 2025-02-07 (dateline), before b published 2025-03-01 (html-meta)"
    )
    assert evidence["confidence"] == 0.8
    assert evidence["a_date"]["origin"] == "dateline" and evidence["b_date"]["date"] == "2025-03-01"
    assert evidence["rule"] == "earlier-date@1"


def test_direction_does_not_depend_on_argument_order() -> None:
    first = [published("2024-12-31")]
    later = [published("2025-01-05")]
    assert decide_source("x", later, "y", first)[0] == "y"
    assert decide_source("y", first, "x", later)[0] == "y"


def test_same_day_gives_no_source() -> None:
    source, evidence = decide_source("a", [published("2025-02-07")], "b", [published("2025-02-07", "url")])
    assert source is None
    assert "same day" in evidence["reason"] and evidence["confidence"] == 0.0


def test_missing_dates_give_no_source_and_name_the_document() -> None:
    source, evidence = decide_source("a", [published("2025-02-07")], "b", [])
    assert source is None
    assert evidence["reason"] == "no publication date for b"
    assert evidence["b_date"] is None


def test_an_update_date_is_mentioned_but_never_used_as_publication() -> None:
    updated = {"date": "2026-04-02", "role": "updated", "origin": "footer", "text": "更新", "confidence": 0.8}
    source, evidence = decide_source("a", [published("2025-02-07")], "b", [updated])
    assert source is None
    assert "b has only an update date 2026-04-02 (footer)" in evidence["reason"]


def test_adjacent_days_lower_the_confidence() -> None:
    source, evidence = decide_source("a", [published("2025-02-07")], "b", [published("2025-02-08")])
    assert source == "a"
    assert evidence["confidence"] < 0.9


def test_best_date_prefers_confidence_then_the_earlier_day_and_skips_bad_values() -> None:
    dates = [
        published("2025-05-01", "url", 0.6),
        published("2025-04-01", "html-meta", 0.95),
        published("2025-03-01", "jsonl", 0.95),
        published("not a date", "footer", 1.0),
        {"date": "2020-01-01", "role": "updated", "origin": "footer", "text": "", "confidence": 1.0},
    ]
    chosen = best_date(dates)
    assert chosen is not None and chosen["date"] == "2025-03-01" and chosen["origin"] == "jsonl"
    assert best_date([]) is None
