"""reprint-disclaimer@1: reprint, copyright and "contact us to remove" notices.

Content farms that repost articles append a notice (seed 003: "Disclaimer: The
content of this article is sourced from the internet ... please contact us
promptly"); news sites append "All rights reserved" or "© 2025 Example Media".
The notice is evidence for provenance (the edit log keeps it) and noise for the
text. Cues, each enough on its own:

- a disclaimer label opening the block (`phrases/disclaimer_labels.txt`) and at
  least one reprint phrase after it;
- a block dense with reprint phrases (`phrases/reprint.txt`, English, Chinese
  simplified and traditional, Spanish, German, French, Japanese, Korean, Russian
  and more): two or more phrases covering a real share of it;
- a short block that is mostly one such phrase ("转载请注明出处", "Alle Rechte vorbehalten.");
- the shape of a copyright line: `©` (or `(c)`) with a year, in a short block.

An article about copyright law mentions these words in sentences; phrase
density and the length limits keep its prose.
"""

from __future__ import annotations

import re
from functools import lru_cache

from audit.rules.base import DocView, Example, Rule
from audit.rules.measure import word_count
from audit.rules.phrasebook import LabelSet, normalize_key, phrase_book
from audit.types import Finding

RULE_ID = "reprint-disclaimer@1"

# Share of a block's letters that reprint phrases must cover when the block has
# two or more of them. Seed 003's notice: ~0.6; a Korean "저작권자 ⓒ Site(url),
# 무단전재 및 재배포금지" line: 0.29; a paragraph of a copyright-law article
# quoting one phrase: < 0.15.
DENSE_COVERAGE = 0.25

# A short notice line that is mostly one phrase: at most this many words, and
# the phrase covers at least SHORT_COVERAGE of it.
SHORT_NOTICE_WORDS = 25
SHORT_COVERAGE = 0.5

# A copyright line (© 2025 Example Media. All rights reserved.) has at most this many words.
COPYRIGHT_LINE_WORDS = 20

# Where a long notice may sit: after this share of the text. Short notice lines
# ("转载请注明出处") and labelled ones ("Disclaimer: ...") may sit anywhere.
TAIL_START_SHARE = 0.5

# A notice is a paragraph, not a chapter: longer blocks are prose about the subject.
MAX_NOTICE_WORDS = 250

# "© 2025 Example", "Copyright © Example 2025", "(c) 2024": the symbol (or a leading
# "Copyright") with a year close by; "copyright" inside a sentence is not enough.
_COPYRIGHT_SHAPE = re.compile(
    r"(?:©|\(c\)|^\W*copyright\b)\s*(?:©\s*)?(?:\d{4}|[^\W\d_][^\n]{0,40}?(?:19|20)\d\d)", re.I
)
_LEADING_DECORATION = re.compile(r"^[\W_]+")
_LABEL_END = re.compile(r"^\s*[:：]")


@lru_cache(maxsize=1)
def _labels() -> LabelSet:
    from audit.rules.phrasebook import load_phrases

    return LabelSet.of(label.casefold() for label in load_phrases("disclaimer_labels"))


def _after_label(text: str) -> str | None:
    """The text after a disclaimer label and its colon, or None when the block has no label."""
    body = _LEADING_DECORATION.sub("", text)
    folded = body.casefold()
    for label in _labels().starting(folded):
        if _LABEL_END.match(body[len(label) :]):
            return body[len(label) :].lstrip(" :：")
    return None


def notice_reason(text: str, in_tail: bool = True) -> str | None:
    """Why a block is a reprint or copyright notice, or None.

    `in_tail` says whether the block sits where notices are printed (after the
    body); a long phrase-dense paragraph elsewhere is prose about copyright.
    """
    words = word_count(text)
    if words > MAX_NOTICE_WORDS or not normalize_key(text):
        return None
    book = phrase_book("reprint")
    rest = _after_label(text)
    if rest is not None and book.count(rest) >= 1:
        return "disclaimer label with a reprint notice"
    count, coverage = book.count_and_coverage(text)
    if count >= 2 and coverage >= DENSE_COVERAGE and (in_tail or words <= SHORT_NOTICE_WORDS):
        return "reprint notice"
    if words <= SHORT_NOTICE_WORDS and coverage >= SHORT_COVERAGE:
        return "reprint notice line"
    if words <= COPYRIGHT_LINE_WORDS and _COPYRIGHT_SHAPE.search(text):
        return "copyright line"
    return None


def find(view: DocView) -> list[Finding]:
    findings = []
    tail_from = TAIL_START_SHARE * len(view.text)
    for index, block in enumerate(view.blocks):
        reason = notice_reason(block.text, block.start >= tail_from)
        if reason:
            findings.append(Finding(*view.block_span(index), reason))
    return findings


_BODY = (
    "Farmers in the valley harvested a record crop of apricots this summer, helped by a mild spring and "
    "new irrigation channels.\nPrices fell by a fifth at the regional market as a result.\n"
)

RULE = Rule(
    id=RULE_ID,
    why="Reprint and copyright notices belong to the hosting site, not to the article (provenance keeps them).",
    find=find,
    examples=(
        Example(
            text=_BODY
            + "Disclaimer: The content of this article is sourced from the internet. The copyright "
            "belongs to the original author. If it infringes on your legitimate rights and interests, please "
            "contact us promptly.\n",
            removed=("Disclaimer:", "sourced from the internet"),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "Aviso legal: Este artículo fue publicado originalmente en El Diario del Campo. "
            "Queda prohibida la reproducción total o parcial sin autorización.\n",
            removed=("Aviso legal", "Queda prohibida la reproducción"),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "免责声明：本文来源于网络，版权归原作者所有，如有侵权，请联系删除。\n",
            removed=("免责声明", "如有侵权"),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "© 2025 Valley News Media. All rights reserved.\n",
            removed=("© 2025 Valley News Media",),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "Nachdruck nur mit ausdrücklicher Genehmigung der Redaktion.\n",
            removed=("Nachdruck nur mit",),
            kept=(_BODY.strip(),),
        ),
        Example(
            # An article about copyright law keeps its prose.
            text="Under the new law, the copyright of a text belongs to the original author for seventy years, "
            "and a platform that reprints materials must obtain a licence first. Courts will decide whether a "
            "repost infringes on the legitimate rights and interests of the author, the minister said.\n"
            + _BODY,
            kept=(
                "the copyright of a text belongs to the original author",
                "infringes on the legitimate rights",
            ),
        ),
    ),
)
