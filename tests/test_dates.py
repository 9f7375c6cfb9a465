"""Dates in the formats the seeds use and the web writes, in many languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.dates import date_labels, find_dates, month_names, parse_date
from audit.provenance.declared import classify_meta_key, dates_from_html_meta, dates_from_url

PHRASES = Path(__file__).resolve().parents[1] / "audit" / "rules" / "phrases"


@pytest.mark.parametrize(
    ("text", "iso", "matched"),
    [
        ("금. 8월 8th, 2025", "2025-08-08", "8월 8th, 2025"),  # seed 000: Korean WordPress locale mix
        ("February 7th, 2025", "2025-02-07", "February 7th, 2025"),  # seed 001
        ("✏️ 中國科技 from grok (英) | 更新日期:2026/04/02", "2026-04-02", "2026/04/02"),  # seed 004
        ("2025-08-08", "2025-08-08", "2025-08-08"),
        ("2025/08/08", "2025-08-08", "2025/08/08"),
        ("2025-08-08T10:00:00+02:00", "2025-08-08", "2025-08-08"),
        ("7 February 2025", "2025-02-07", "7 February 2025"),
        ("Feb. 7, 2025", "2025-02-07", "Feb. 7, 2025"),
        ("Sept. 12, 2024", "2024-09-12", "Sept. 12, 2024"),
        ("Friday, 7th of February, 2025", "2025-02-07", "7th of February, 2025"),
        ("Wed, 04 May 2022 02:41:00 GMT", "2022-05-04", "04 May 2022"),
        ("2025년 8월 8일", "2025-08-08", "2025년 8월 8일"),
        ("2025. 8. 8.", "2025-08-08", "2025. 8. 8."),
        ("2025年8月8日", "2025-08-08", "2025年8月8日"),
        ("２０２５年８月８日", "2025-08-08", "２０２５年８月８日"),
        ("7. Februar 2025", "2025-02-07", "7. Februar 2025"),
        ("am 3. März 2024 um 10:00 Uhr", "2024-03-03", "3. März 2024"),
        ("7 février 2025", "2025-02-07", "7 février 2025"),
        ("1er mars 2025", "2025-03-01", "1er mars 2025"),
        ("7 de febrero de 2025", "2025-02-07", "7 de febrero de 2025"),
        ("febrero 7, 2025", "2025-02-07", "febrero 7, 2025"),
        ("7 de fevereiro de 2025", "2025-02-07", "7 de fevereiro de 2025"),
        ("7 febbraio 2025", "2025-02-07", "7 febbraio 2025"),
        ("7 februari 2025", "2025-02-07", "7 februari 2025"),
        ("7 lutego 2025", "2025-02-07", "7 lutego 2025"),
        ("7 февраля 2025 г.", "2025-02-07", "7 февраля 2025"),
        ("7 лютого 2025", "2025-02-07", "7 лютого 2025"),
        ("7 Şubat 2025", "2025-02-07", "7 Şubat 2025"),
        ("7. února 2025", "2025-02-07", "7. února 2025"),
        ("2025. február 7.", "2025-02-07", "2025. február 7."),
        ("7 Φεβρουαρίου 2025", "2025-02-07", "7 Φεβρουαρίου 2025"),
        ("ngày 8 tháng 8 năm 2025", "2025-08-08", "8 tháng 8 năm 2025"),
        ("07.02.2025", "2025-02-07", "07.02.2025"),
        ("7.2.2025", "2025-02-07", "7.2.2025"),
        ("23-01-2022", "2022-01-23", "23-01-2022"),
        ("13/05/2025", "2025-05-13", "13/05/2025"),
        ("05/13/2025", "2025-05-13", "05/13/2025"),  # the day cannot be 13th month: US order
        ("Wochenbericht 14. - 20. Januar 2022", "2022-01-14", "14. - 20. Januar 2022"),
        ("March 3–5, 2024", "2024-03-03", "March 3–5, 2024"),
    ],
)
def test_find_dates_reads_each_format(text: str, iso: str, matched: str) -> None:
    found = find_dates(text)
    assert [m.iso for m in found] == [iso]
    assert found[0].text == matched
    assert text[found[0].start : found[0].end] == matched


@pytest.mark.parametrize(
    "text",
    [
        "30 February 2025",  # impossible day
        "2025-13-01",  # impossible month
        "31.04.2024",  # April has 30 days
        "2025 in review",  # a year alone
        "February 2025",  # no day
        "in 2017 and 2030",
        "3.14.2020",  # dots are always day-first: month 14
        "version 1.2.3",
        "Call 0800 123 4567",
        "7 February 1066",  # out of the plausible range for a scraped article
        "",
    ],
)
def test_find_dates_rejects_what_is_no_complete_possible_date(text: str) -> None:
    assert find_dates(text) == []


def test_several_dates_come_in_text_order_without_overlap() -> None:
    text = "Posted March 3, 2024 and updated 2024-03-05; see also 7. April 2024."
    assert [m.iso for m in find_dates(text)] == ["2024-03-03", "2024-03-05", "2024-04-07"]


def test_ambiguous_numeric_dates_are_flagged_and_follow_day_first() -> None:
    (match,) = find_dates("03/04/2025")
    assert match.ambiguous and match.iso == "2025-04-03"
    assert find_dates("03/04/2025", day_first=False)[0].iso == "2025-03-04"
    assert not find_dates("03.04.2025")[0].ambiguous  # dots are never US order


def test_a_false_range_still_reads_the_real_date() -> None:
    assert [m.text for m in find_dates("20 - 14 März 2022")] == ["14 März 2022"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2020-04-07T10:00:00+00:00", "2020-04-07"),
        ("20200407", "2020-04-07"),
        ("20200407T101500Z", "2020-04-07"),
        ("Tue, 07 Apr 2020 10:00:00 GMT", "2020-04-07"),
        ("  April 7, 2020 ", "2020-04-07"),
        ("20201340", None),
        ("nonsense", None),
        ("", None),
    ],
)
def test_parse_date_reads_meta_values(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_parse_date_never_raises_on_non_strings() -> None:
    assert parse_date(None) is None  # type: ignore[arg-type]
    assert find_dates(12345) == []  # type: ignore[arg-type]


@given(st.text(max_size=300))
def test_find_dates_never_raises_and_spans_slice_the_text(text: str) -> None:
    for match in find_dates(text):
        assert text[match.start : match.end] == match.text
        assert parse_date(match.iso) == match.iso


@pytest.mark.parametrize(
    ("url", "dates"),
    [
        ("https://blog.amp.dev/2020/04/07/people-behind-the-code/", ["2020-04-07"]),
        ("https://www.thelocal.se/20200428/meet-the-swede", ["2020-04-28"]),
        ("https://www.regenbogenportal.de/aktuelles/08112021-online-fachtag", ["2021-11-08"]),
        ("https://www.biathlon-antholz.it/de/newsroom/23-01-2022-dorothea-wierer", ["2022-01-23"]),
        ("https://www.latimes.com/politics/story/2020-02-19/mike-bloomberg", ["2020-02-19"]),
        # The Wayback timestamp is the capture, not the publication.
        ("https://web.archive.org/web/20120216182711/http://www.stol.it/Artikel/x", []),
        ("https://example.com/news/2019/10/", []),  # a month folder has no day
        ("", []),
    ],
)
def test_dates_from_url(url: str, dates: list[str]) -> None:
    assert [iso for iso, _ in dates_from_url(url)] == dates


def test_dates_from_html_meta_reads_roles_and_marks_weak_and_ambiguous_keys() -> None:
    meta = {
        "og:title": "A title",
        "article:published_time": "2020-01-03T09:48:24Z",
        "article:modified_time": ["2020-01-06T09:22:36Z"],
        "date": "2020-01-06",
        "publicationdate": "03/01/2020",
        "dc.date.issued": "nonsense",
    }
    found = dates_from_html_meta(meta)
    by_key = {item["key"]: item for item in found}
    assert by_key["article:published_time"]["role"] == "published"
    assert by_key["article:published_time"]["weak"] is False
    assert by_key["article:modified_time"]["role"] == "updated"
    assert by_key["date"]["weak"] is True
    assert "og:title" not in by_key and "dc.date.issued" not in by_key
    # Sorted by key, so the result never depends on the mapping's order.
    assert found == dates_from_html_meta(dict(reversed(list(meta.items()))))


@pytest.mark.parametrize(
    ("key", "role"),
    [
        ("article:published_time", "published"),
        ("datePublished", "published"),
        ("DC.date.issued", "published"),
        ("date", "published"),
        ("date_modified", "updated"),
        ("og:updated_time", "updated"),
        ("dateModified", "updated"),
        ("og:title", None),
        ("url", None),
    ],
)
def test_classify_meta_key(key: str, role: str | None) -> None:
    assert classify_meta_key(key) == role


def test_month_names_belong_to_one_month_each() -> None:
    data = json.loads((PHRASES / "provenance_months.json").read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    for month, names in data.items():
        if month.startswith("_"):
            continue
        for name in names:
            assert name == name.lower(), name
            assert name not in seen, f"{name} is listed under months {seen.get(name)} and {month}"
            seen[name] = month
    assert len(month_names()) == len(seen)


def test_date_label_lists_are_lowercase_and_complete() -> None:
    raw = json.loads((PHRASES / "provenance_date_labels.json").read_text(encoding="utf-8"))
    assert {"published", "updated", "original", "weekdays", "decoration"} <= set(date_labels())
    for key, words in raw.items():
        if not key.startswith("_"):
            assert all(word == word.lower() and word.strip() == word for word in words), key
