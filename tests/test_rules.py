"""Every boilerplate rule against its own examples, the rule contract, and body loss on gold bodies.

One parametrised test runs each rule's must-remove and must-keep examples
through the real pass-1 view (prepare_view) and the real cleaner (clean_view);
a meta-test holds every rule to the contract of DESIGN.md ("A boilerplate
rule"); and the gold article bodies of article-extraction-benchmark, which hold
no boilerplate at all, measure how much body text each rule would take.
"""

from __future__ import annotations

import importlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from audit.clean import TIDY_RULE, clean_view
from audit.prepare import prepare_view
from audit.rules import RULES
from audit.rules.base import Example, Rule

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_BODIES = SHARED / "eval" / "article-extraction-benchmark" / "ground-truth.json"

# No rule may remove more than this share of gold body characters (issue 4's bar).
MAX_BODY_LOSS_PER_RULE = 0.01

_RULE_ID = re.compile(r"^[a-z]+(?:-[a-z]+)*@\d+$")

CASES = [
    pytest.param(rule, example, id=f"{rule.id}-{number}")
    for rule in RULES
    for number, example in enumerate(rule.examples)
]


def _module_of(rule: Rule):
    return importlib.import_module(rule.find.__module__)


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(rule: Rule, example: Example) -> None:
    view = prepare_view(example.text, corpus=example.corpus)
    alone, _ = clean_view(view, rules=(rule,))
    for snippet in example.removed:
        assert snippet not in alone, f"{rule.id} left {snippet!r} in:\n{alone}"
    for snippet in example.kept:
        assert snippet in alone, f"{rule.id} removed {snippet!r} from:\n{alone}"


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example_kept_by_all_rules(rule: Rule, example: Example) -> None:
    """What one rule's example must keep, no other rule takes either."""
    cleaned, edits = clean_view(prepare_view(example.text, corpus=example.corpus))
    for snippet in example.kept:
        assert snippet in cleaned, f"{[e.rule for e in edits]} removed {snippet!r} from:\n{cleaned}"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_contract(rule: Rule) -> None:
    module = _module_of(rule)
    assert module.__doc__ and len(module.__doc__.strip()) > 40, (
        f"{module.__name__} needs a docstring saying why"
    )
    assert _RULE_ID.match(rule.id), rule.id
    assert rule.why.strip() and not rule.why.startswith("placeholder")
    assert any(e.removed for e in rule.examples), f"{rule.id} has no must-remove example"
    assert any(e.kept for e in rule.examples), f"{rule.id} has no must-keep example"
    assert getattr(module, "RULE", None) is rule, f"{rule.id} is not its module's RULE"


def test_rules_are_unique_and_ordered() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    names = [rule_id.split("@")[0] for rule_id in ids]
    assert names.index("dateline") < names.index("foreign-footer") < names.index("share-residue")
    assert TIDY_RULE not in ids


def test_findings_stay_in_bounds_on_awkward_text() -> None:
    texts = ["", "\n\n", "x", "*", "#a #b", "Tags:", "AIIn", "© 2025", " G", "답글 남기기", "\u200b\n*\n"]
    for text in texts:
        view = prepare_view(text)
        for rule in RULES:
            for finding in rule.find(view):
                assert 0 <= finding.start < finding.end <= len(text), (rule.id, text, finding)


def _removed_by_rule_on_gold() -> tuple[Counter[str], int]:
    gold = json.loads(GOLD_BODIES.read_text(encoding="utf-8"))
    removed: Counter[str] = Counter()
    total = 0
    for key in sorted(gold):
        body = gold[key]["articleBody"]
        total += len(body)
        _, edits = clean_view(prepare_view(body))
        for edit in edits:
            if edit.rule != TIDY_RULE:
                removed[edit.rule] += edit.end - edit.start
    return removed, total


def test_no_rule_removes_gold_body_text() -> None:
    """Gold article bodies are all body: each rule may take < 1% of their characters.

    Measured when written: 0 characters of 348,310 for every rule.
    """
    removed, total = _removed_by_rule_on_gold()
    assert total > 300_000
    for rule in RULES:
        share = removed[rule.id] / total
        assert share < MAX_BODY_LOSS_PER_RULE, f"{rule.id} removed {share:.2%} of gold body text"


def test_white_space_is_what_split_and_regex_white_space_mean() -> None:
    """`measure.WHITESPACE` holds every `str.isspace` character, the very ones regex `\\s` matches."""
    import re

    from audit.rules.measure import WHITESPACE

    spaces = {chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF and chr(code).isspace()}
    assert set(WHITESPACE) == spaces
    assert {char for char in map(chr, range(0x110000)) if re.fullmatch(r"\s", char)} == spaces
