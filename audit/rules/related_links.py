"""related-links@1: "related posts" teasers and lists: other articles' titles inside or under this one.

News and blog templates interleave the article with links to other articles:
a teaser line inside the body ("Read more: Alibaba poised to launch ...",
"VEA TAMBIÉN: ...", "Czytaj też: ..."), or a heading ("Related posts", "NOTAS
RELACIONADAS", "관련기사") over a list of titles. Extractors keep them because
they sit inside the article's container. Two shapes, with the labels in
`phrases/related_labels.txt` (40+ languages):

- a teaser: a label, a separator (colon, dash, "»"), and one headline: short,
  starting with a capital (or an uncased script), not a sentence that ends in
  a full stop and not two sentences;
- a heading and its list: a block that is a label (or, for labels of two words
  or more, starts or ends with one: "More from The Hill", "Entermedia 주요뉴스"),
  followed by title-like lines (short, no closing full stop; bullets; date
  lines). The heading alone goes only at the very end, where its list was
  already dropped by the extractor; inside the body a heading without a list
  ("More than a game") is a real heading and stays.
"""

from __future__ import annotations

import re
from functools import lru_cache

from audit.rules.base import DocView, Example, Rule
from audit.rules.dateline import is_dateline
from audit.rules.measure import word_count
from audit.rules.phrasebook import LabelSet, load_phrases, normalize_key
from audit.types import Block, Finding

RULE_ID = "related-links@1"

# A headline is short: the teaser titles in the eval pages run to 18 words; 25
# leaves room and stays below a sentence of prose with a clause or two.
MAX_TITLE_WORDS = 25
MAX_TITLE_CHARS = 220
# A teaser's title may be a headline in two parts (kicker and title): one break.
TEASER_TITLE_BREAKS = 1

# A list heading is a label with at most a site name around it.
MAX_HEADING_WORDS = 6

# Items of a related list: at most this many words each ("Gronk may have found
# his true calling" is 7; a dek line under a title may reach ~20), and at most
# MAX_RUN_ITEMS of them under one heading (lists show 3 to 10 titles).
MAX_ITEM_WORDS = 25
MAX_RUN_ITEMS = 12

_SEPARATOR = re.compile(r"^\s*(?:[:：|»›>]|[-–—]\s|\.\.\.|…)\s*")
_DOMAIN = re.compile(r"^\s*[\w-]+(?:\.[\w-]+)+\s+")
_BRACKETS = re.compile(r"^[\[(]\s*(.*?)\s*[\])]$")
_LEADING_DECORATION = re.compile(r"^[^\w\[(¿¡\"“„«]+")
_SENTENCE_BREAK = re.compile(r"[.!?。！？]\s+\S")
_FULL_STOP = re.compile(r"(?<!\.)[.。]\s*$")
_BULLET = re.compile(r"^\s*(?:[•·▪■►▶➤‣◦*-]|\d{1,2}[.)])\s+")


@lru_cache(maxsize=1)
def _labels() -> tuple[str, ...]:
    """Labels casefolded, longest first, so "Related posts" wins over "Related"."""
    folded = {label.casefold().rstrip(":：") for label in load_phrases("related_labels")}
    return tuple(sorted(folded, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=1)
def _label_keys() -> tuple[frozenset[str], tuple[str, ...]]:
    """All label keys (for whole-block headings) and the multi-word ones (for prefix/suffix headings)."""
    keys = frozenset(normalize_key(label) for label in _labels())
    long_keys = tuple(
        sorted(
            {normalize_key(label) for label in _labels() if len(label.split()) >= 2 or _is_wide(label)},
            key=lambda k: (-len(k), k),
        )
    )
    return keys, long_keys


@lru_cache(maxsize=1)
def _label_set() -> LabelSet:
    return LabelSet.of(_labels())


def _is_wide(text: str) -> bool:
    """CJK and similar labels have no spaces; three such characters are as specific as two words."""
    return sum(1 for ch in text if ord(ch) >= 0x2E80) >= 3


def _after_label(text: str) -> str | None:
    """The text after a related label and its separator, or None when the block has no such label."""
    body = _LEADING_DECORATION.sub("", text.strip())
    bracketed = _BRACKETS.match(body)
    if bracketed:
        body = bracketed.group(1)
    folded = body.casefold()
    for label in _label_set().starting(folded):
        after = body[len(label) :]
        if after[:1].isalnum():  # "Relatedness", "Morelia": a longer word
            continue
        separator = _SEPARATOR.match(after) or _DOMAIN.match(after)  # "Also on rt.com <title>"
        if separator is None:
            continue
        return after[separator.end() :].strip()
    return None


def is_headline(text: str, max_breaks: int = 0) -> bool:
    """A short headline: capitalised, no closing full stop, at most `max_breaks` sentence breaks.

    A teaser's title may have two parts ("Starcie USA–Chiny. Pół miliona ton
    dyplomacji", "Komu dać superbroń? Kłótnia generałów"); a bare line needs one.
    """
    words = text.split()
    if not words or len(words) > MAX_TITLE_WORDS or len(text) > MAX_TITLE_CHARS:
        return False
    if len(_SENTENCE_BREAK.findall(text)) > max_breaks or _FULL_STOP.search(text):
        return False
    first = next((ch for ch in text if ch.isalpha()), "")
    return bool(first) and (first.isupper() or first.lower() == first.upper())


def teaser_reason(text: str) -> str | None:
    """Why a block is a labelled teaser line ("Read more: <title>"), or None."""
    title = _after_label(text)
    if title and is_headline(title, max_breaks=TEASER_TITLE_BREAKS):
        return "related-article teaser"
    return None


def is_list_heading(text: str) -> bool:
    """A related-list heading: a label alone, or a long label with a site name before or after it."""
    stripped = text.strip()
    if word_count(stripped) > MAX_HEADING_WORDS or _FULL_STOP.search(stripped):
        return False
    key = normalize_key(stripped)
    keys, long_keys = _label_keys()
    if not key:
        return False
    if key in keys:
        return True
    # Some long key is a prefix or a suffix of the key: one set lookup per length.
    longs = frozenset(long_keys)
    return any(key[:size] in longs or key[-size:] in longs for size in range(1, len(key) + 1))


def _is_item(block: Block) -> bool:
    """A line of a related list: a short title or dek, a bulleted title, or a date line."""
    text = block.text.strip()
    if is_dateline(text):
        return True
    if word_count(text) > MAX_ITEM_WORDS:
        return False
    return bool(_BULLET.match(text)) or not (_FULL_STOP.search(text) or _SENTENCE_BREAK.search(text))


def find(view: DocView) -> list[Finding]:
    findings = []
    blocks = view.blocks
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if teaser_reason(block.text):
            findings.append(Finding(*view.block_span(index), "related-article teaser"))
            index += 1
            continue
        if is_list_heading(block.text):
            end = index + 1
            while end < len(blocks) and end - index <= MAX_RUN_ITEMS and _is_item(blocks[end]):
                end += 1
            if end > index + 1 or index == len(blocks) - 1:
                start = view.block_span(index)[0]
                findings.append(Finding(start, view.block_span(end - 1)[1], "related-articles list"))
                index = end
                continue
        index += 1
    return findings


_BODY = (
    "Alibaba is set to raise up to $12.9bn in its Hong Kong listing, the biggest share sale in the city "
    "since 2010, after pricing its shares at the top of the range.\n"
    "The company said demand from institutional investors was strong despite months of protests.\n"
)

RULE = Rule(
    id=RULE_ID,
    why="Teasers and lists of other articles' titles are site navigation placed inside the article.",
    find=find,
    examples=(
        Example(
            text=_BODY + "Read more: Tencent profit falls as Alibaba threat and economic woes weigh\n"
            "The listing is expected to close next week.\n",
            removed=("Read more: Tencent",),
            kept=("despite months of protests.", "close next week."),
        ),
        Example(
            text=_BODY + "VEA TAMBIÉN: Entre heces y guaricha: la escuela que no brilla\n"
            "Czytaj też: Starcie USA–Chiny. Pół miliona ton dyplomacji\n"
            "[Related: Salesforce Dreamforce Keynote: AI, Integration And Protestors]\n"
            "Czytaj też: Wyścig zbrojeń ruszył z kopyta\n",
            removed=("VEA TAMBIÉN", "Dreamforce", "Czytaj też", "Starcie USA"),
            kept=("biggest share sale",),
        ),
        Example(
            text=_BODY
            + "NOTAS RELACIONADAS\nHackers ofrecen descuento del 35% al Gobierno\nJueves 21 abril, 2022\n"
            "Grupo Conti asegura haber hackeado Ministerio de Hacienda\n",
            removed=("NOTAS RELACIONADAS", "Hackers ofrecen", "Grupo Conti"),
            kept=("despite months of protests.",),
        ),
        Example(
            text=_BODY + "관련기사\n• 알리바바, 홍콩 상장 흥행\n• 텐센트 실적 부진\n",
            removed=("관련기사", "알리바바, 홍콩"),
            kept=("biggest share sale",),
        ),
        Example(
            # A heading that starts like a label, over prose, is the article's own heading.
            text=_BODY + "More than a listing\n"
            "For Alibaba the sale is also a gesture of support for Hong Kong, executives said on Tuesday.\n",
            kept=("More than a listing", "gesture of support"),
        ),
        Example(
            # A sentence after the label is prose, not a teaser title.
            text=_BODY + "See also: the company filed its prospectus in October. Analysts expect a rise.\n"
            "Related: the bank said it would advise the company.\n",
            kept=("See also: the company filed", "Related: the bank said"),
        ),
    ),
)
