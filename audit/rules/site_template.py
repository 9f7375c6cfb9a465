"""site-template@1: blocks that recur across many documents of the corpus are the site's template.

A site prints the same navigation line, newsletter box, "Advertisement" label
and footer on every page; no phrase list knows them all, but the corpus does.
Between the two passes the pipeline counts, for every block, in how many
documents it occurs (`view.corpus["block_documents"]`, aligned with
`view.blocks`, and `view.corpus["documents"]`); a block that recurs in several
documents is template, whatever its language.

Recurrence is also what copying looks like, and finding copies is this
project's job, so the guards keep copied content for the overlap stage:

- a block shared by two documents is a pair, not a template (a quote, a copy);
- a long block needs many documents: a paragraph quoted by a few outlets is
  content; the "About us" paragraph under every press release of a site is not;
- a document that is mostly recurring blocks is a copy of another (a repost,
  a syndicated story), and nothing of it is removed as template.

Without corpus statistics (a single document, the rule examples in isolation
from a corpus) the rule does nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from audit.langid import letter_count
from audit.rules.base import DocView, Example, Rule
from audit.rules.measure import word_count
from audit.types import Edit, Finding

RULE_ID = "site-template@1"

# A block must recur in at least this many documents to be a template. Two is a
# pair (one quoting or copying the other), which the overlap stage must see;
# three documents printing the same line is the smallest sign of a template.
# On shared/eval (229 pages of ~200 sites) the only lines in >= 3 documents are
# chrome ("comments") and a lone list number.
MIN_DOCUMENTS = 3

# Short blocks (navigation, labels, prompts) are template at MIN_DOCUMENTS.
# Longer blocks (an "About the company" paragraph, a newsletter pitch) need
# LONG_MIN_DOCUMENTS: a paragraph that three or four outlets quote is content.
# 15 words covers every chrome line we saw in the eval sets (labels, prompts,
# "Get Motor Cycle Monthly delivered ..." is 18 and needs the long bar).
SHORT_BLOCK_WORDS = 15
LONG_MIN_DOCUMENTS = 5

# Blocks longer than this are prose, never a template: a site's boilerplate
# paragraph runs to ~80 words (press-release "About" boxes in the eval pages);
# longer shared passages are quotations or copies for the overlap stage.
MAX_TEMPLATE_WORDS = 120

# A document whose recurring blocks hold more than this share of its characters
# is a copy of another document (a repost carries the original's paragraphs),
# not a page with a template: nothing of it is removed. A template is a small
# part of a page; half is far above any page of the eval sets.
MAX_RECURRING_SHARE = 0.5

# A block needs a letter to be a template; a lone "1" or "—" recurs by chance.
MIN_LETTERS = 1


def template_reason(words: int, letters: int, documents: int) -> str | None:
    """Why a block with `words` words and `letters` letters, found in `documents` documents, is template."""
    if letters < MIN_LETTERS or words > MAX_TEMPLATE_WORDS or documents < MIN_DOCUMENTS:
        return None
    if words > SHORT_BLOCK_WORDS and documents < LONG_MIN_DOCUMENTS:
        return None
    return f"site template: in {documents} documents"


def _block_documents(view: DocView) -> Sequence[int] | None:
    counts = view.corpus.get("block_documents")
    if not isinstance(counts, (list, tuple)) or len(counts) != len(view.blocks):
        return None
    return [int(count) if isinstance(count, int) else 0 for count in counts]


def find(view: DocView) -> list[Finding]:
    counts = _block_documents(view)
    if counts is None or not view.blocks:
        return []
    recurring = sum(len(b.text) for b, n in zip(view.blocks, counts, strict=True) if n >= MIN_DOCUMENTS)
    total = sum(len(b.text) for b in view.blocks)
    if total == 0 or recurring > MAX_RECURRING_SHARE * total:
        return []
    findings = []
    for index, (block, documents) in enumerate(zip(view.blocks, counts, strict=True)):
        letters = letter_count(block.text)
        reason = template_reason(word_count(block.text), letters, documents)
        if reason:
            findings.append(Finding(*view.block_span(index), reason))
    return findings


class TemplateTally:
    """The templates this rule removed across a corpus, for the report: most removed first.

    Fed each document's edits (`CleanDoc.edits`) in turn, so the corpus is read
    once. `entries()` gives `[{"text", "documents", "removed"}]`: the template
    line, from how many documents it was removed, and how many times in all (a
    label may recur within a page). Lines are grouped as the corpus statistics
    group them (case and spacing ignored, as `segment.block_key` does); the text
    shown is the smallest variant, so the list never depends on document order.
    """

    def __init__(self) -> None:
        self.removed: Counter[str] = Counter()
        self.documents: Counter[str] = Counter()
        self.shown: dict[str, str] = {}

    def add(self, edits: Sequence[Edit]) -> None:
        seen: set[str] = set()
        for edit in edits:
            if edit.rule != RULE_ID:
                continue
            for line in edit.removed.split("\n"):
                text = line.strip()
                if not text:
                    continue
                key = " ".join(text.casefold().split())
                self.shown[key] = min(self.shown.get(key, text), text)
                self.removed[key] += 1
                if key not in seen:
                    seen.add(key)
                    self.documents[key] += 1

    def entries(self) -> list[dict[str, object]]:
        removed, documents = self.removed, self.documents
        entries: list[dict[str, object]] = [
            {"text": self.shown[key], "documents": documents[key], "removed": removed[key]} for key in removed
        ]
        return sorted(entries, key=lambda e: (-removed[_key(e)], -documents[_key(e)], str(e["text"])))


def _key(entry: dict[str, object]) -> str:
    return " ".join(str(entry["text"]).casefold().split())


_BODY = (
    "The harbour authority approved a new ferry timetable on Monday, adding late crossings on weekends.\n"
    "Operators said the change would need two more crews, which they hope to hire before the summer.\n"
)
_MORE = (
    "The islands' council had asked for the late crossings for three years, citing workers who commute to "
    "the mainland hospital and restaurants, and students who take evening classes in the city.\n"
)
_NAV = "Home | News | Sport | Weather\n"
_QUOTE = (
    "“We will not accept a timetable that leaves the islands without a connection after nine in the "
    "evening, and we will say so at every meeting until it changes,” the mayor said.\n"
)


def _corpus(counts: Sequence[int], documents: int = 40) -> dict[str, object]:
    return {"documents": documents, "block_documents": list(counts)}


RULE = Rule(
    id=RULE_ID,
    why="A line every page of a site prints (menu, prompt, label, footer) is the site's template, not the article.",
    find=find,
    examples=(
        # The navigation line recurs in 12 of 40 documents, the label in 25; the body lines are this page's own.
        Example(
            text=_NAV + _BODY + "Advertisement\n",
            removed=("Home | News | Sport", "Advertisement"),
            kept=(_BODY.strip(),),
            corpus=_corpus([12, 1, 1, 25]),
        ),
        # A long quotation shared by three documents is content (quoted by a few), not a template.
        Example(
            text=_NAV + _QUOTE + _BODY + _MORE,
            removed=("Home | News",),
            kept=(_QUOTE.strip(), _BODY.strip()),
            corpus=_corpus([12, 3, 1, 1, 1]),
        ),
        # A line in two documents is a pair, perhaps a copy: kept for the overlap stage.
        Example(
            text=_BODY + "Read the council's statement in full on its website.\n",
            kept=("in full",),
            corpus=_corpus([1, 1, 2]),
        ),
        # A repost: most of it recurs elsewhere, so it is a copy and nothing of it is template.
        Example(
            text=_BODY + _MORE,
            kept=(_BODY.strip(), _MORE.strip()),
            corpus=_corpus([6, 6, 6]),
        ),
    ),
)
