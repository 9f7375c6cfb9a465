"""End to end on the five seeds: what issue 2 says each one must show, by content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from audit.edits import restore_text

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def _doc(seeds_run, prefix: str):
    result, _ = seeds_run
    return next(doc for doc in result.docs if doc.document.id.startswith(prefix))


def _removed_text(doc) -> str:
    return "".join(edit.removed for edit in doc.edits)


def test_every_seed_is_english_and_restorable(seeds_run):
    result, _ = seeds_run
    assert len(result.docs) == 5
    assert not result.problems
    for doc in result.docs:
        assert doc.language == "en", doc.document.id
        assert restore_text(doc.text, doc.edits) == doc.document.text


def test_000_korean_dateline_comment_form_and_stray_letter(seeds_run):
    doc = _doc(seeds_run, "000")
    assert "금. 8월 8th, 2025" not in doc.text
    assert doc.provenance["published"] == "2025-08-08"
    assert "답글 남기기" not in doc.text
    assert "이메일 주소는 공개되지 않습니다" not in doc.text
    assert "필수 필드는 *로 표시됩니다" not in doc.text
    assert doc.text.rstrip().endswith("🌐"), doc.text[-80:]
    # Headings, emojis and bullets of the body stay.
    for kept in (
        "The “Present”: China’s AI Powerhouse Today 🇨🇳",
        "  • AI Chips:",
        "🔬",
        "Conclusion: A Force",
    ):
        assert kept in doc.text


def test_001_dateline_label_and_truncation(seeds_run):
    doc = _doc(seeds_run, "001")
    assert doc.text.startswith("In recent years")
    assert "February 7th, 2025" not in doc.text
    assert doc.provenance["published"] == "2025-02-07"
    assert any("For example:" in doc.text[w["start"] : w["end"]] for w in doc.warnings), doc.warnings
    assert all(w["kind"] for w in doc.warnings)


def test_002_body_whole_and_cited_outlets(seeds_run):
    doc = _doc(seeds_run, "002")
    removed = sum(edit.end - edit.start for edit in doc.edits if edit.rule != "whitespace-tidy@1")
    assert removed == 0, [edit.removed for edit in doc.edits]
    outlets = doc.provenance["cited_outlets"]
    for outlet in (
        "South China Morning Post",
        "MIT Technology Review",
        "China Briefing",
        "Center for Data Innovation",
        "Tech.co",
    ):
        assert outlet in outlets


def test_003_title_once_teaser_once_tag_and_disclaimer_removed(seeds_run):
    doc = _doc(seeds_run, "003")
    title = "China's AI Rise: A Technological Race and Challenges in Catch-Up Mode"
    teaser = "China is advancing its AI industry at an unprecedented pace"
    assert doc.text.count(title) == 1
    assert doc.text.count(teaser) == 1
    assert doc.text.startswith(title)
    assert "Tag:" not in doc.text
    assert "Disclaimer:" not in doc.text
    assert "sourced from the internet" not in doc.text
    assert doc.provenance["reprint"]
    assert "Joint efforts from the Chinese government and businesses" in doc.text


def test_003_repeated_teaser_is_reported_before_cleaning(seeds_run):
    result, _ = seeds_run
    doc = _doc(seeds_run, "003")
    removed = [r for r in result.report["removed_repeats"] if r["id"] == doc.document.id]
    assert removed, "the repeated title/teaser of 003 must be reported as a removed repeat"
    normalized = doc.document.text
    assert any(
        "China is advancing its AI industry" in normalized[r["first"]["start"] : r["first"]["end"]]
        or "Catch-Up Mode" in normalized[r["first"]["start"] : r["first"]["end"]]
        for r in removed
    )


def test_004_footer_removed_and_kept_as_provenance(seeds_run):
    doc = _doc(seeds_run, "004")
    assert "中國科技" not in doc.text
    assert "youriabox.com" not in doc.text
    assert doc.text.rstrip().endswith("in the global AI arena.")
    provenance = doc.provenance
    assert provenance["updated"] == "2026-04-02"
    assert any(credit["name"] == "@Macrobruce" for credit in provenance["credits"])
    assert provenance["ai_generated"]["generator"].lower() == "grok"
    for tag in ("AI", "China", "6G", "Generative AI", "Technology", "Innovation"):
        assert tag in provenance["tags"]
    assert any("youriabox.com/discussion" in link["url"] for link in provenance["links"])


def test_no_near_duplicates_and_stock_phrases_are_not_copying(seeds_run):
    result, _ = seeds_run
    report = result.report
    assert report["near_duplicates"] == []
    assert report["exact_duplicates"] == []
    texts = {doc.document.id: doc.text for doc in result.docs}
    for overlap in report["overlaps"]:
        passage = texts[overlap["a"]["id"]][overlap["a"]["start"] : overlap["a"]["end"]]
        if re.search(r"world leader in AI by 2030|Next Generation Artificial Intelligence", passage):
            assert overlap["kind"] == "stock", overlap


def test_outputs_written_and_consistent(seeds_run):
    result, out = seeds_run
    manifest = [json.loads(line) for line in (out / "cleaned" / "manifest.jsonl").read_text().splitlines()]
    assert [record["id"] for record in manifest] == sorted(doc.document.id for doc in result.docs)
    for record in manifest:
        assert (out / "cleaned" / f"{record['id']}.txt").read_text(encoding="utf-8") == record["text"]
        metadata = record["metadata"]
        for key in ("language", "published", "provenance", "edits", "status", "blocks"):
            assert key in metadata
    report = json.loads((out / "reports" / "overlap.json").read_text(encoding="utf-8"))
    assert report["schema"] == "audit.overlap"
    assert report["version"] == 1
    for key in ("documents", "problems", "near_duplicates", "overlaps", "repeats"):
        assert key in report
    texts = {record["id"]: record["text"] for record in manifest}
    for overlap in report["overlaps"]:
        for side in ("a", "b"):
            span = overlap[side]
            assert 0 <= span["start"] < span["end"] <= len(texts[span["id"]])
    assert (out / "reports" / "overlap.md").read_text(encoding="utf-8").startswith("#")
    assert "<html" in (out / "reports" / "overlap.html").read_text(encoding="utf-8").lower()


@pytest.mark.parametrize(
    "relative",
    ["cleaned/manifest.jsonl", "reports/overlap.json", "reports/overlap.md", "reports/overlap.html"]
    + [f"cleaned/{path.stem}.txt" for path in sorted(SEEDS.glob("*.txt"))],
)
def test_committed_outputs_match_a_fresh_run(seeds_run, relative):
    """The committed cleaned/ and reports/ are what the code produces now: regenerate with `audit run`."""
    _, out = seeds_run
    assert (REPO / relative).read_bytes() == (out / relative).read_bytes()
