"""comment-section@1: the heading or moderation notice of a comment section, at the end of a page.

comment-form@1 removes a comment *form* and what follows it; many pages lose
the form to extraction and keep only the section's heading ("Comments", "Tell
us what YOU think...", "Kommentare", "댓글") or its moderation policy
("ATENÇÃO: Comentários com textos ininteligíveis ... não serão aprovados pelo
moderador"). Cues: position (after the body, in the tail) and either a whole
block that is a heading from `phrases/comment_sections.txt` (40+ languages), a
comment count ("Comments (12)", "댓글 3개"), or a short block dense with
moderation-policy phrases (`phrases/comment_policies.txt`).
"""

from __future__ import annotations

import re

from audit.rules.base import DocView, Example, Rule
from audit.rules.measure import word_count
from audit.rules.phrasebook import normalize_key, phrase_book
from audit.types import Finding

RULE_ID = "comment-section@1"

# Comment sections follow the body: only blocks starting after this share of the
# text. Half, as tag-line@1: a "Comments" heading above the body is navigation
# the other rules see, and a short article's tail starts early.
TAIL_START_SHARE = 0.5

# A moderation notice is a sentence or two; the phrases must cover a real share
# of it (the Portuguese notice above: 0.35; a paragraph about a court ruling on
# moderation: < 0.1).
MAX_POLICY_WORDS = 60
POLICY_COVERAGE = 0.2

_COUNT = re.compile(r"[\d\s()\[\]（）:：.,·|-]+")


def is_section_heading(text: str) -> bool:
    """A comment-section heading, with or without a count ("Comments (3)", "댓글 3개")."""
    stripped = text.strip()
    if word_count(stripped) > 8:
        return False
    book = phrase_book("comment_sections")
    if book.matches_whole(stripped):
        return True
    without_count = _COUNT.sub(" ", stripped).replace("개", "").replace("件", "").replace("条", "")
    return (
        without_count != stripped and bool(normalize_key(without_count)) and book.matches_whole(without_count)
    )


def is_policy(text: str) -> bool:
    """A short block dense with comment-moderation phrases."""
    if word_count(text) > MAX_POLICY_WORDS:
        return False
    return phrase_book("comment_policies").coverage(text) >= POLICY_COVERAGE


def find(view: DocView) -> list[Finding]:
    findings = []
    tail_from = TAIL_START_SHARE * len(view.text)
    for index, block in enumerate(view.blocks):
        if block.start < tail_from:
            continue
        if is_section_heading(block.text):
            findings.append(Finding(*view.block_span(index), "comment-section heading"))
        elif is_policy(block.text):
            findings.append(Finding(*view.block_span(index), "comment moderation notice"))
    return findings


_BODY = (
    "The new motorway bypass opened to traffic on Friday, two years late and twenty percent over budget, "
    "after a ceremony attended by the regional minister.\n"
    "Residents of the villages along the old road said the first night was the quietest in decades.\n"
)

RULE = Rule(
    id=RULE_ID,
    why="A comment section's heading and moderation rules belong to the site's discussion, not the article.",
    find=find,
    examples=(
        Example(
            text=_BODY + "Tell us what YOU think...\nComments (3)\n",
            removed=("Tell us what YOU think", "Comments (3)"),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY
            + "ATENÇÃO: Comentários com textos ininteligíveis ou que faltem com respeito ao usuário "
            "não serão aprovados pelo moderador.\nKommentare\n댓글 3개\n",
            removed=("ATENÇÃO", "Kommentare", "댓글 3개"),
            kept=(_BODY.strip(),),
        ),
        Example(
            # A "Comments" heading at the top and prose about moderation stay.
            text="Comments\n" + _BODY + "The court ruled that the platform must explain why comments were "
            "removed, and that users may appeal to an independent body within thirty days of a decision.\n",
            kept=("Comments\n", "comments were removed"),
        ),
    ),
)
