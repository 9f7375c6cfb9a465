"""site-template@1 on a corpus: a site's chrome goes, article bodies, quotes and reposts stay.

The corpus is built from real article bodies (article-extraction-benchmark's
gold texts), each wrapped in the same site template, as a scrape of one site
would be; statistics come from the same functions the pipeline uses between
its two passes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.clean import clean_view
from audit.corpus import corpus_view, count_block_documents
from audit.pipeline import run_pipeline
from audit.prepare import prepare_view
from audit.rules import RULES
from audit.rules.site_template import RULE, RULE_ID, TemplateTally, template_reason
from audit.segment import block_key
from audit.types import Edit

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "article-extraction-benchmark"

HEADER = "Valley Courier\nLocal news from the valley, every morning\n"
FOOTER = (
    "The Valley Courier is published by Harbour Media Group from its offices on Quay Street.\n"
    "밸리 쿠리어 - 지역 소식을 전합니다\n"
)
QUOTE = (
    "“We will not accept a timetable that leaves the islands without a connection after nine in the "
    "evening, and we will say so at every meeting until it changes,” the mayor said on Tuesday.\n"
)


@pytest.fixture(scope="module")
def bodies() -> list[str]:
    truth = json.loads((GOLD / "ground-truth.json").read_text(encoding="utf-8"))
    texts = [truth[key]["articleBody"].strip() + "\n" for key in sorted(truth)]
    return [text for text in texts if 800 < len(text) < 6000][:10]


def clean_corpus(texts: list[str]) -> list[tuple[str, tuple[Edit, ...]]]:
    """Each text cleaned with the corpus statistics of all of them (pass 1, statistics, pass 2)."""
    views = [prepare_view(text) for text in texts]
    keys = [tuple(block_key(b.text) for b in view.blocks) for view in views]
    counts = count_block_documents(keys)
    return [
        clean_view(prepare_view(text, corpus=corpus_view(k, counts, len(texts))))
        for text, k in zip(texts, keys, strict=True)
    ]


def test_rule_runs_after_the_head_rules() -> None:
    ids = [rule.id for rule in RULES]
    assert ids.index(RULE_ID) == ids.index("category-label@1") + 1
    assert RULES[ids.index(RULE_ID)] is RULE


def test_the_template_goes_and_every_body_stays(bodies: list[str]) -> None:
    assert len(bodies) == 10
    template = set((HEADER + FOOTER).splitlines())
    results = clean_corpus([HEADER + body + FOOTER for body in bodies])
    for cleaned, edits in results:
        for line in template:
            assert line not in cleaned
        removed = {line for e in edits if e.rule == RULE_ID for line in e.removed.splitlines() if line}
        assert removed == template  # all of the template, nothing of the body


def test_a_quote_shared_by_three_documents_is_content(bodies: list[str]) -> None:
    texts = [HEADER + body + (QUOTE if i < 3 else "") + FOOTER for i, body in enumerate(bodies)]
    for cleaned, _ in clean_corpus(texts)[:3]:
        assert QUOTE.strip() in cleaned
        assert HEADER.splitlines()[0] not in cleaned


def test_a_repost_is_left_for_the_overlap_stage(bodies: list[str]) -> None:
    """The same article on six pages is copying, not a template: nothing of it is removed."""
    texts = [HEADER + bodies[0] + FOOTER] * 6 + [HEADER + body + FOOTER for body in bodies[1:]]
    results = clean_corpus(texts)
    for cleaned, edits in results[:6]:
        assert bodies[0].strip() in cleaned
        assert not [e for e in edits if e.rule == RULE_ID]


def test_without_corpus_statistics_nothing_is_a_template(bodies: list[str]) -> None:
    view = prepare_view(HEADER + bodies[0] + FOOTER)
    assert list(RULE.find(view)) == []


@pytest.mark.parametrize(
    ("words", "letters", "documents", "template"),
    [
        (1, 13, 3, True),  # "Advertisement" on three pages
        (1, 13, 2, False),  # a pair is a possible copy
        (30, 150, 4, False),  # a paragraph quoted by four outlets
        (30, 150, 5, True),  # the "About us" box under every press release
        (200, 1000, 50, False),  # prose is never a template
        (1, 0, 40, False),  # a bare number or rule line
    ],
)
def test_thresholds(words: int, letters: int, documents: int, template: bool) -> None:
    assert (template_reason(words, letters, documents) is not None) is template


def summarize_templates(edit_logs: list[tuple[Edit, ...]]) -> list[dict[str, object]]:
    tally = TemplateTally()
    for edits in edit_logs:
        tally.add(edits)
    return tally.entries()


def test_summary_lists_templates_with_their_counts(bodies: list[str]) -> None:
    results = clean_corpus([HEADER + body + FOOTER + "Advertisement\n" for body in bodies[:4]])
    summary = summarize_templates([edits for _, edits in results])
    texts = [entry["text"] for entry in summary]
    assert "Valley Courier" in texts and "밸리 쿠리어 - 지역 소식을 전합니다" in texts
    for entry in summary:
        assert entry["documents"] == 4 and entry["removed"] == 4
    assert texts == sorted(texts)  # equal counts: ordered by text, never by document order
    assert summarize_templates([]) == []


def test_the_pipeline_feeds_corpus_statistics(tmp_path: Path, bodies: list[str]) -> None:
    for number, body in enumerate(bodies[:5]):
        (tmp_path / f"page-{number}.txt").write_text(HEADER + body + FOOTER, encoding="utf-8")
    result = run_pipeline(tmp_path, jobs=1)
    assert len(result.docs) == 5
    for doc, body in zip(result.docs, bodies[:5], strict=True):
        assert body.strip() in doc.text
        assert "Harbour Media Group" not in doc.text
    summary = summarize_templates([doc.edits for doc in result.docs])
    assert {entry["documents"] for entry in summary} == {5}
