"""tag-line@1: tag and category lines ("Tag: …", "標籤：…") and hashtag runs.

A CMS prints the post's tags as one line, `Label: a, b, c`, usually under the
article (seed 003: `Tag: China AI Rise Technological Race ...`), sometimes above
it. Two shapes, both language-independent once the label is known:

- a label from `phrases/tag_labels.txt` (40+ languages) at the start of a block,
  a colon, and a short list rather than a sentence; only at the head or tail,
  where CMSs print tags (a `Category:` row in a mid-article spec table stays);
- a line that is mostly `#hashtags` (two or more, nothing much else), unless the
  line before introduces it with a colon, in which case the text discusses them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from audit.rules.base import DocView, Example, Rule
from audit.rules.phrasebook import LabelSet, load_phrases
from audit.types import Finding

RULE_ID = "tag-line@1"

# Where tag lines sit: the first HEAD_BLOCKS blocks, or after TAIL_START_SHARE of the text.
HEAD_BLOCKS = 3
TAIL_START_SHARE = 0.5

# The list after the label: at most this many words and characters. Tag lists are
# short; "Tags: x" followed by 40 words is a sentence that starts with "Tags:".
MAX_TAG_WORDS = 30
MAX_TAG_CHARS = 300

# A hashtag line: at least 2 hashtags, making up at least this share of its words.
# 0.7 lets "#AI #China via @bot" through and keeps prose that names hashtags.
MIN_HASHTAG_SHARE = 0.7

_LEADING_DECORATION = re.compile(r"^[\W_]+")
_COLON = re.compile(r"^\s*[:：]\s*")
_HASHTAG = re.compile(r"#\w*[^\W\d_]\w*")
_PROSE_BREAK = re.compile(r"[.!?。！？]\s+\S")
_SEPARATORS = re.compile(r"[,，、|;·•/#]")
_LEAD_IN = re.compile(r"[:：]\s*$")


@lru_cache(maxsize=1)
def _labels() -> tuple[str, ...]:
    """Tag labels, casefolded, longest first so "Tagged with" wins over "Tag"."""
    return tuple(
        sorted({label.casefold() for label in load_phrases("tag_labels")}, key=lambda s: (-len(s), s))
    )


@lru_cache(maxsize=1)
def _label_set() -> LabelSet:
    return LabelSet.of(_labels())


def _label_list(text: str) -> str | None:
    """The list after a tag label and colon, or None when the block is not `Label: list`."""
    body = _LEADING_DECORATION.sub("", text)
    folded = body.casefold()
    for label in _label_set().starting(folded):
        after = body[len(label) :]
        if after[:1].isalpha():  # "Tagline", "Categoryless": a longer word, not the label
            continue
        colon = _COLON.match(after)
        if colon is None:
            continue
        return after[colon.end() :].strip()
    return None


def _is_tag_list(items: str) -> bool:
    if not items or len(items) > MAX_TAG_CHARS or len(items.split()) > MAX_TAG_WORDS:
        return False
    if _PROSE_BREAK.search(items):
        return False
    return not (items.rstrip()[-1:] in ".!?。！？" and len(_SEPARATORS.findall(items)) < 2)


def _is_hashtag_run(text: str) -> bool:
    if "#" not in text:
        return False  # every tag starts with "#"
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    tags = [w for w in words if _HASHTAG.fullmatch(w.strip(".,;:!?·|"))]
    return len(tags) >= 2 and len(tags) / len(words) >= MIN_HASHTAG_SHARE


def _test(index: int, view: DocView) -> str | None:
    block = view.blocks[index]
    in_head = index < HEAD_BLOCKS
    in_tail = block.start >= TAIL_START_SHARE * len(view.text)
    if (in_head or in_tail) and _is_tag_list(_label_list(block.text) or ""):
        return "tag line"
    if _is_hashtag_run(block.text):
        previous = view.blocks[index - 1].text if index else ""
        if not _LEAD_IN.search(previous):
            return "hashtag run"
    return None


def find(view: DocView) -> list[Finding]:
    findings = []
    for index in range(len(view.blocks)):
        reason = _test(index, view)
        if reason:
            findings.append(Finding(*view.block_span(index), reason))
    return findings


_BODY = (
    "The museum reopened on Saturday after a two-year renovation that added a glass roof over the courtyard.\n"
    "Visitors queued for hours to see the restored collection of Roman mosaics, including the famous "
    "floor from the villa at the edge of town.\n"
)

RULE = Rule(
    id=RULE_ID,
    why="Tag lists and hashtag runs are site navigation, not article text.",
    find=find,
    examples=(
        Example(
            text=_BODY + "Tags: museums, Roman mosaics, renovation\n",
            removed=("Tags: museums",),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "Tag: Museum Reopens After Renovation\n",
            removed=("Tag: Museum",),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "Schlagwörter: Museum, Mosaik, Renovierung\n",
            removed=("Schlagwörter",),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "📌 相關標籤:博物館、羅馬、馬賽克\n", removed=("相關標籤",), kept=(_BODY.strip(),)
        ),
        Example(
            text=_BODY + "#museum #mosaics #travel #history\n",
            removed=("#museum #mosaics",),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "Tags: small labels attached to each story, help readers find related coverage. "
            "The museum uses them on its own website too.\n",
            kept=("Tags: small labels attached to each story",),
        ),
        Example(
            text=_BODY + "Activists used hashtags such as #MeToo and #TimesUp to organise the protest.\n"
            "The most shared tags were:\n#SaveTheMosaics #OpenMuseum\nBoth trended for a week.\n",
            kept=("such as #MeToo and #TimesUp", "#SaveTheMosaics #OpenMuseum"),
        ),
    ),
)
