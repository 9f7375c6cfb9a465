"""What the boilerplate rules must do on the five seeds, as data: per seed, what survives and what goes.

Expectations are by content (snippets), not by snapshot, so they say what
matters: issue 2's list of what each seed must show. `removed_by` names the
rule expected to take a snippet, so a change of attribution is noticed too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.checks import find_warnings
from audit.clean import clean_view
from audit.prepare import prepare_view

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

EXPECTATIONS: dict[str, dict[str, object]] = {
    "000": {
        "kept": (
            "The “Present”: China’s AI Powerhouse Today 🇨🇳",
            "D. Strengths & Undercurrents 💪",
            "  • Speed of Deployment:",
            "with China very much at its forefront! 🌐",
            "When we talk about Artificial Intelligence today",
        ),
        "removed_by": {
            "답글 남기기": "comment-form@1",
            "이메일 주소는 공개되지 않습니다. 필수 필드는 *로 표시됩니다": "comment-form@1",
            "forefront! 🌐 G": "share-residue@1",
        },
        "ends_with": "with China very much at its forefront! 🌐",
    },
    "001": {
        "kept": (
            "In recent years, China has emerged",
            "The country is also leading the way in practical AI applications. For example:",
            "China is determined to lead the way.",
        ),
        "removed_by": {"AIIn recent years": "category-label@1"},
        "starts_with": "In recent years, China has emerged",
        "warning": "For example:",
    },
    "002": {
        "kept": ("China’s AI Surge: Innovations, Regulations, and Global Impact", "- Baidu:", "Conclusion"),
        "removed_by": {},
    },
    "003": {
        "kept": (
            "China's AI Rise: A Technological Race and Challenges in Catch-Up Mode\nChina is advancing its AI industry",
            "win this AI marathon in a competitive and transformative era.",
        ),
        "removed_by": {
            "Catch-Up ModeChina is advancing": "repeated-title@1",
            "Tag: China AI Rise": "tag-line@1",
            "Disclaimer: The content of this article is sourced from the internet": "reprint-disclaimer@1",
            "please contact us promptly": "reprint-disclaimer@1",
        },
        "once": (
            "China's AI Rise: A Technological Race and Challenges in Catch-Up Mode",
            "exemplified by DeepSeek, serve as strong evidence",
        ),
    },
    "004": {
        "kept": (
            "China’s AI+ strategy is poised to empower industries across the board",
            "Geopolitical Context & Infrastructure Investment",
            "- Geopolitical Implications:",
        ),
        "removed_by": {
            "── 中國科技 from grok (英)": "foreign-footer@1",
            "加入討論": "foreign-footer@1",
            "https://youriabox.com/discussion/topic/": "foreign-footer@1",
            "素材來源:@Macrobruce": "foreign-footer@1",
            "相關標籤": "foreign-footer@1",
            "更新日期:2026/04/02": "foreign-footer@1",
        },
        "ends_with": "as a major force in the global AI arena.",
    },
}


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _clean(prefix: str):
    text = _seed(prefix)
    cleaned, edits = clean_view(prepare_view(text))
    return text, cleaned, edits


@pytest.mark.parametrize("prefix", sorted(EXPECTATIONS))
def test_seed_keeps_body(prefix: str) -> None:
    _, cleaned, _ = _clean(prefix)
    for snippet in EXPECTATIONS[prefix]["kept"]:
        assert snippet in cleaned, snippet


@pytest.mark.parametrize("prefix", sorted(EXPECTATIONS))
def test_seed_removes_boilerplate_by_the_right_rule(prefix: str) -> None:
    text, cleaned, edits = _clean(prefix)
    for snippet, rule_id in EXPECTATIONS[prefix]["removed_by"].items():
        assert snippet not in cleaned, snippet
        at = text.find(snippet)
        assert at >= 0, f"expectation {snippet!r} is not in the seed"
        covering = {e.rule for e in edits if e.start < at + len(snippet) and e.end > at}
        assert rule_id in covering, (snippet, covering)


@pytest.mark.parametrize("prefix", sorted(EXPECTATIONS))
def test_seed_head_and_tail(prefix: str) -> None:
    _, cleaned, _ = _clean(prefix)
    expected = EXPECTATIONS[prefix]
    if "starts_with" in expected:
        assert cleaned.startswith(expected["starts_with"])
    if "ends_with" in expected:
        assert cleaned.endswith(expected["ends_with"])
    for snippet in expected.get("once", ()):
        assert cleaned.count(snippet) == 1, snippet


def test_seed_002_body_stays_whole() -> None:
    text, cleaned, edits = _clean("002")
    assert [e for e in edits if e.rule != "whitespace-tidy@1"] == []
    assert cleaned.split() == text.split()


def test_seed_001_dangling_lead_in_is_a_warning() -> None:
    _, cleaned, _ = _clean("001")
    warnings = find_warnings(cleaned)
    assert [cleaned[w["start"] : w["end"]] for w in warnings] == ["For example:"]
    assert warnings[0]["kind"] == "truncation"


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_other_seeds_have_no_truncation_warning(prefix: str) -> None:
    _, cleaned, _ = _clean(prefix)
    assert find_warnings(cleaned) == []


def test_seed_003_keeps_title_and_lede_drops_card_and_repeat() -> None:
    text, cleaned, _ = _clean("003")
    lines = text.split("\n")
    head = cleaned.split("\n")
    assert head[0] == lines[0]
    assert head[1] == lines[3]


def test_seed_removals_are_small() -> None:
    """Boilerplate is a small part of each seed: none loses more than a fifth (003, the most: 15%)."""
    for prefix in sorted(EXPECTATIONS):
        text, cleaned, _ = _clean(prefix)
        assert len(cleaned) >= 0.8 * len(text), prefix
