"""The Markdown report: every section present, every passage quoted, text escaped.

Rendered Markdown is parsed back with markdown-it-py (a CommonMark parser, already
installed through rich) so escaping is checked the way a viewer would read it.
"""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import RecordingTexts
from markdown_it import MarkdownIt

from audit.report.markdown import MAX_QUOTE_CHARS, escape_inline, iter_markdown, quote_passage

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def render_markdown(report: dict[str, Any], cleaned: dict[str, str]) -> str:
    """The whole report as one string, as these tests read it (the tool writes it piece by piece)."""
    return "".join(iter_markdown(report, cleaned))


def load_fixture() -> tuple[dict[str, Any], dict[str, str]]:
    report = json.loads((FIXTURES / "report_small.json").read_text(encoding="utf-8"))
    cleaned = json.loads((FIXTURES / "report_small_cleaned.json").read_text(encoding="utf-8"))
    return report, cleaned


class TextCollector(HTMLParser):
    """Collect the visible text and the tags of rendered Markdown."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def to_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def visible_text(markdown: str) -> tuple[str, list[str]]:
    collector = TextCollector()
    collector.feed(to_html(markdown))
    return " ".join(" ".join(collector.text).split()), collector.tags


def squash(text: str) -> str:
    return " ".join(text.split())


def test_fixture_offsets_slice_the_cleaned_texts() -> None:
    report, cleaned = load_fixture()
    for overlap in report["overlaps"]:
        for side in (overlap["a"], overlap["b"]):
            assert 0 <= side["start"] < side["end"] <= len(cleaned[side["id"]])
    assert report["summary"]["overlaps"] == {"verbatim": 1, "near": 2, "stock": 2}


def test_summary_table_lists_the_counts() -> None:
    report, cleaned = load_fixture()
    markdown = render_markdown(report, cleaned)
    assert markdown.startswith("# Overlap report\n")
    for row in (
        "| Documents | 4 |",
        "| Problems (inputs skipped) | 1 |",
        "| Characters removed | 330 |",
        "| Languages | en 3, ko 1 |",
        "| Near-duplicate clusters | 1 |",
        "| Overlaps: verbatim | 1 |",
        "| Overlaps: near | 2 |",
        "| Overlaps: stock | 2 |",
        "| Repeats inside a document | 1 |",
        "| `comment-form@1` | 205 | 1 |",
    ):
        assert row in markdown
    html = to_html(markdown)
    assert html.count("<table>") == 5  # summary, removed by rule, documents, clusters, removed repeats


def test_sections_appear_in_reading_order() -> None:
    report, cleaned = load_fixture()
    markdown = render_markdown(report, cleaned)
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Summary",
        "## Problems",
        "## Documents",
        "## Exact duplicates",
        "## Near-duplicate clusters",
        "## Contained documents",
        "## Too short to compare",
        "## Overlaps",
        "## Repeats inside a document",
        "## Repeats removed by cleaning",
        "## Site templates",
    ]
    assert "looks like a PNG image" in markdown
    assert "| `cn-ai-plan-mirror`, `cn-ai-plan-wire` | 0.86 | `cn-ai-plan-wire` |" in markdown
    assert "- `ko-brief`" in markdown


def test_every_overlap_quotes_both_passages_with_offsets_and_evidence() -> None:
    report, cleaned = load_fixture()
    markdown = render_markdown(report, cleaned)
    text, _ = visible_text(markdown)
    numbered = [line for line in markdown.splitlines() if re.match(r"### \d+\. ", line)]
    assert len(numbered) == len(report["overlaps"]) + len(report["repeats"])
    for number, overlap in enumerate(report["overlaps"], start=1):
        assert f"### {number}. {overlap['kind']}: `{overlap['a']['id']}` ↔ `{overlap['b']['id']}`" in markdown
        for side in (overlap["a"], overlap["b"]):
            assert f"characters {side['start']}–{side['end']}:" in markdown
            passage = cleaned[side["id"]][side["start"] : side["end"]]
            if len(passage) <= MAX_QUOTE_CHARS:
                assert squash(passage) in text
        assert f"Decided by: `{overlap['decided_by']}`" in markdown
    assert "Likely source: `cn-ai-plan-wire` (confidence 0.80, rule `earlier-date@1`) — " in markdown
    assert "`cn-ai-plan-wire` 2025-02-07 (dateline, confidence 0.90, read from “BEIJING, Feb. 7”)" in markdown


def test_long_passages_are_shortened_with_their_offsets() -> None:
    report, cleaned = load_fixture()
    markdown = render_markdown(report, cleaned)
    whole = next(o for o in report["overlaps"] if o["a"]["start"] == 0)
    passage = cleaned[whole["a"]["id"]][whole["a"]["start"] : whole["a"]["end"]]
    assert len(passage) > MAX_QUOTE_CHARS
    text, _ = visible_text(markdown)
    assert "> *[…]*" in markdown
    assert f"the full passage is characters 0–{whole['a']['end']}." in markdown
    assert squash(passage[:200]) in text
    assert squash(passage[-150:]) in text
    assert squash(passage[450:600]) not in text


def test_repeats_and_removed_repeats_are_explained() -> None:
    report, cleaned = load_fixture()
    markdown = render_markdown(report, cleaned)
    repeat = report["repeats"][0]
    assert f"**First**, characters {repeat['first']['start']}–{repeat['first']['end']}:" in markdown
    assert f"**Second**, characters {repeat['second']['start']}–{repeat['second']['end']}:" in markdown
    assert "> “We are not copying, we are catching up,” one engineer in Hangzhou told us." in markdown
    assert "Offsets here index the **normalized** text" in markdown
    assert "| `cn-ai-plan-mirror` | 0–38 | 39–77 | 7 | 1.00 | `repeated-title@1` |" in markdown


def test_output_is_deterministic_and_independent_of_key_order() -> None:
    report, cleaned = load_fixture()
    shuffled = copy.deepcopy(report)
    shuffled["summary"]["removed_by_rule"] = dict(
        reversed(list(report["summary"]["removed_by_rule"].items()))
    )
    shuffled["summary"]["languages"] = dict(reversed(list(report["summary"]["languages"].items())))
    first = render_markdown(report, cleaned)
    assert first == render_markdown(report, cleaned)
    assert first == render_markdown(shuffled, dict(reversed(list(cleaned.items()))))


def test_markup_in_scraped_text_is_shown_literally() -> None:
    """Scraped text with tables, HTML, emphasis and list markers must not turn into markup."""
    nasty = (
        "# Not a heading | a | b\n"
        "1. not a list <script>alert('x')</script> *not bold* _no_ `no code` [no](link) &amp; ~~no~~\n"
        "- not a bullet > not a quote \\ backslash\n"
        "数据 | 데이터 | データ 🚀 end"
    )
    report: dict[str, Any] = {
        "schema": "audit.overlap",
        "version": 1,
        "summary": {"documents": 2, "removed_by_rule": {}, "languages": {}, "overlaps": {}},
        "documents": [],
        "overlaps": [
            {
                "a": {"id": "x|1", "start": 0, "end": len(nasty)},
                "b": {"id": "y", "start": 2, "end": 2 + len(nasty)},
                "words": 40,
                "similarity": 1.0,
                "kind": "verbatim",
                "decided_by": "words>=30",
                "source": None,
                "evidence": {},
            }
        ],
        "repeats": [],
    }
    cleaned = {"x|1": nasty, "y": "> " + nasty}
    markdown = render_markdown(report, cleaned)
    text, tags = visible_text(markdown)
    assert squash(nasty) in text
    assert "script" not in tags
    assert tags.count("h1") == 1  # only the report title
    _, quoted_tags = visible_text("\n".join(quote_passage(nasty, 0, len(nasty))))
    assert quoted_tags == ["blockquote", "p", "p", "p", "p"]  # four plain lines, nothing else


def test_escape_inline_keeps_table_cells_whole() -> None:
    row = f"| {escape_inline('a | b')} | {escape_inline('R&D <b>x</b>')} |"
    html = to_html("| one | two |\n|---|---|\n" + row + "\n")
    assert html.count("<td>") == 2
    assert "a | b" in html
    assert "R&amp;D &lt;b&gt;x&lt;/b&gt;" in html


def test_a_span_without_its_text_is_refused() -> None:
    report, cleaned = load_fixture()
    del cleaned["cn-ai-plan-wire"]
    with pytest.raises(ValueError, match="cn-ai-plan-wire"):
        render_markdown(report, cleaned)
    report, cleaned = load_fixture()
    report["overlaps"][0]["a"]["end"] = 10**6
    with pytest.raises(ValueError, match="outside document"):
        render_markdown(report, cleaned)


def test_site_templates_are_listed_with_their_counts() -> None:
    report, cleaned = load_fixture()
    report = {
        **report,
        "templates": [{"text": "Subscribe | to our newsletter", "documents": 4, "removed": 5}],
    }
    markdown = render_markdown(report, cleaned)
    section = markdown.split("## Site templates", 1)[1]
    assert "Subscribe \\| to our newsletter" in section
    assert "| 4 | 5 |" in section


def test_report_is_streamed_one_overlap_at_a_time() -> None:
    """Written as it is rendered: no text is quoted before the overlaps, no piece holds two of them."""
    report, cleaned = load_fixture()
    texts = RecordingTexts(cleaned)
    pieces = iter_markdown(report, texts)
    head = next(pieces)
    assert head.startswith("# Overlap report") and not texts.read
    rest = list(pieces)
    assert "".join([head, *rest]) == render_markdown(report, cleaned)
    overlap_pieces = [piece for piece in rest if " ↔ " in piece]
    assert len(overlap_pieces) == len(report["overlaps"])
    assert all(piece.count(" ↔ ") == 1 for piece in overlap_pieces)
