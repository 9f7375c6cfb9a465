"""repeated-title@1: the title (and teaser) repeated at the head of a scraped article.

Scrapers that concatenate a page's title element, its card (title glued to a
truncated teaser) and its body produce heads like seed 003:

    Title
    TitleTeaser text cut off mid-sent
    Title
    Teaser text cut off mid-sentence, which is the lede. More lede.

Reading the head as a reader would, a block is redundant when it adds nothing
that another head block does not already say: an exact repeat of an earlier
block, an earlier block glued to the start of a later one, or a truncated copy
of the start of the next block. The first full copy is kept (the title, then the
lede); copies are removed. Only the head is examined, and only blocks long enough
to be a title, so repeated short list items or headings in a body are never touched.
"""

from __future__ import annotations

from audit.rules.base import DocView, Example, Rule
from audit.rules.phrasebook import normalize_key
from audit.types import Finding

RULE_ID = "repeated-title@1"

# The head: titles, teasers and ledes sit in the first few blocks. 6 covers seed
# 003 (title, card, title, lede) plus a dateline and a byline.
HEAD_BLOCKS = 6

# A repeated block must have at least this many key characters to be a title: a
# repeated "Yes" or "Photo" is not a title repeat. Titles have 20+ letters.
MIN_TITLE_KEY = 15

# A teaser (the part glued after a title, or a standalone truncated copy of the
# lede) must be this long before calling it a copy: a shorter match is a shared
# opening word or two.
MIN_TEASER_KEY = 40

_ELLIPSIS = ("...", "…", "[…]", "[...]")
_CLOSING = set('.!?。！？"”’»)')


def _strip_ellipsis(text: str) -> str:
    text = text.rstrip()
    for mark in _ELLIPSIS:
        if text.endswith(mark):
            return text[: -len(mark)].rstrip()
    return text


def _looks_truncated(text: str) -> bool:
    """A teaser is cut off: it ends with an ellipsis or without closing punctuation.

    A complete sentence that recurs later is a pull quote, which the gold bodies
    of article-extraction-benchmark keep.
    """
    stripped = text.rstrip()
    return stripped.endswith(_ELLIPSIS) or stripped[-1:] not in _CLOSING


def _repeats_earlier(index: int, keys: list[str]) -> str | None:
    """Why head block `index` repeats what earlier blocks (and a later lede) say, or None."""
    key = keys[index]
    earlier = keys[:index]
    later = [k for k in keys[index + 1 :] if k]
    if len(key) >= MIN_TITLE_KEY and key in earlier:
        return "repeats an earlier head line"
    for previous in earlier:
        if len(previous) >= MIN_TITLE_KEY and key.startswith(previous) and len(key) > len(previous):
            teaser = key[len(previous) :]
            if len(teaser) >= MIN_TEASER_KEY and any(k.startswith(teaser) for k in later):
                return "earlier head line glued to a truncated copy of a later one"
    return None


def find(view: DocView) -> list[Finding]:
    head_count = min(HEAD_BLOCKS, len(view.blocks))
    # Two blocks past the head still count as a possible lede for a teaser.
    keys = [normalize_key(_strip_ellipsis(b.text)) for b in view.blocks[: head_count + 2]]
    reasons: dict[int, str] = {}
    for index in range(head_count):
        reason = _repeats_earlier(index, keys)
        if reason:
            reasons[index] = reason
    # A truncated copy of a later block's start (a teaser above its lede); the later
    # block must itself stay, or the title above "Title+teaser" would look truncated.
    for index in range(head_count):
        key = keys[index]
        if index in reasons or len(key) < MIN_TEASER_KEY or not _looks_truncated(view.blocks[index].text):
            continue
        later = [k for j, k in enumerate(keys) if j > index and j not in reasons]
        if any(k.startswith(key) and len(k) > len(key) for k in later):
            reasons[index] = "truncated copy of the start of a later block"
    findings = []
    for index in sorted(reasons):
        start, end = view.block_span(index)
        findings.append(Finding(start, end, reasons[index]))
    return findings


_TITLE = "Rail Strike Ends After Unions Accept New Pay Offer"
_LEDE = (
    "Train drivers returned to work on Thursday after their unions accepted a pay offer worth 9% over two "
    "years, ending a dispute that had halted services for three weeks."
)

RULE = Rule(
    id=RULE_ID,
    why="A title or teaser a scraper repeated at the head says nothing new and distorts overlap statistics.",
    find=find,
    examples=(
        Example(
            text=f"{_TITLE}\n{_TITLE}{_LEDE[:90]}\n{_TITLE}\n{_LEDE} Commuters welcomed the news.\n",
            removed=(f"{_TITLE}{_LEDE[:20]}", f"{_TITLE}\n{_TITLE}"),
            kept=(f"{_TITLE}\n{_LEDE[:30]}", f"{_LEDE} Commuters welcomed the news."),
        ),
        Example(
            text=f"{_TITLE}\n{_LEDE[:100]}…\n{_LEDE} Commuters welcomed the news.\n",
            removed=(f"{_LEDE[:100]}…",),
            kept=(_TITLE, "Commuters welcomed the news."),
        ),
        Example(
            # Spanish: title repeated verbatim right under itself.
            text="La huelga de trenes termina tras un acuerdo salarial\nLa huelga de trenes termina tras un "
            "acuerdo salarial\nLos maquinistas volvieron al trabajo el jueves tras aceptar la oferta.\n",
            removed=("salarial\nLa huelga",),
            kept=("La huelga de trenes termina tras un acuerdo salarial", "Los maquinistas volvieron"),
        ),
        Example(
            # Repeated short list items and a heading echoed in the next sentence are body.
            text="Results\n- Yes\n- Yes\n- No\nResults were published on Monday by the statistics office "
            "and confirmed the earlier estimate of growth.\n",
            kept=("- Yes\n- Yes\n- No", "Results\n", "Results were published on Monday"),
        ),
    ),
)
