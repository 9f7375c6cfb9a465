"""navigation@1: previous/next post links, breadcrumbs and menus, reading time, pagination.

Navigation is the part of a page that points elsewhere; once extracted to text
it leaves short lines no sentence looks like:

- post navigation: a label from `phrases/navigation.txt` ("Previous post",
  "Nächster Artikel", "上一篇") alone, or followed by the other post's title
  after a separator or on the next line;
- a breadcrumb or menu line: three or more short segments joined by `|`, `›`,
  `»`, `>`, `/` or `·` ("Home › News › World", "Rentenpolitik | Blog |
  Mailaktion Bundestag"), none of them a sentence or a "key: value" field;
- a reading-time line ("Tempo de leitura: 1 minuto", "5 min read",
  `phrases/reading_time.txt`);
- a pagination line ("Page 2 of 5", "1 2 3 … 10 Next").
"""

from __future__ import annotations

import re
from functools import lru_cache

from audit.rules.base import DocView, Example, Rule
from audit.rules.measure import WHITESPACE, word_count
from audit.rules.phrasebook import LabelSet, load_phrases, normalize_key
from audit.rules.related_links import is_headline
from audit.types import Finding

RULE_ID = "navigation@1"

# Menu segments are labels: at most this many words each, and the line at most
# MAX_MENU_WORDS words. A sentence split by a slash ("and/or") has long parts.
MAX_SEGMENT_WORDS = 4
MAX_MENU_WORDS = 20
MIN_SEGMENTS = 3

# A reading-time or pagination line is a few words.
MAX_SHORT_LINE_WORDS = 8

_MENU_SEPARATOR = re.compile(r"\s+[|›»>/·•]\s+|\s*[|›»]\s*")
_NAV_SEPARATOR = re.compile(r"^\s*(?:[:：|»›>«‹<←→]|[-–—]\s)\s*")
# Arrows, bars and dashes around a label ("« Previous post", "Next post »"), with any white space.
_DECORATION = "«‹<←»›>→|:·•-–—" + WHITESPACE
_SENTENCE_END = re.compile(r"[.!。！]\s*$")
_FIELD = re.compile(r"\w\s*[:：]\s*\S")
_NUMBER = re.compile(r"\d+")
_MINUTES = re.compile(
    r"^\W*\d+\s*(?:min\.?|mins|minutes?|minuten|minutos|minuti|minuty|минут[аы]?|분|分钟|分鐘|分)\s*"
    r"(?:read|de lectura|de leitura|di lettura|lesezeit|lesedauer|de lecture|czytania|чтения|읽기|阅读|閱讀)?\W*$",
    re.IGNORECASE,
)
_PAGE_OF = re.compile(
    r"^\W*(?:page|seite|página|pagina|strona|страница|sayfa|side|sida|sivu)\s+\d+\s+"
    r"(?:of|von|de|di|z|из|/|av|af)\s+\d+\W*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _nav_labels() -> tuple[str, ...]:
    """Navigation labels casefolded, longest first ("Previous post" before "Previous")."""
    return tuple(sorted({p.casefold() for p in load_phrases("navigation")}, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=1)
def _nav_keys() -> frozenset[str]:
    return frozenset(normalize_key(label) for label in _nav_labels())


@lru_cache(maxsize=1)
def _reading_time_labels() -> tuple[str, ...]:
    return tuple(sorted({p.casefold() for p in load_phrases("reading_time")}, key=lambda s: (-len(s), s)))


def is_nav_label(text: str) -> bool:
    """A line that is only a post-navigation label ("« Previous post", "下一篇")."""
    key = normalize_key(text.strip(_DECORATION))
    return bool(key) and key in _nav_keys()


@lru_cache(maxsize=1)
def _title_labels() -> LabelSet:
    """The labels that may stand before a title: several words, or CJK.

    One word ("Next") before a title is a sentence ("Next, the council ...").
    """
    labels = [
        label for label in _nav_labels() if len(label.split()) >= 2 or any(ord(ch) >= 0x2E80 for ch in label)
    ]
    return LabelSet.of(labels)


def _labelled_title(text: str) -> bool:
    """ "Previous post: <title>", "« Older Post <title>": a navigation label, a separator and a title."""
    body = text.strip(_DECORATION)
    folded = body.casefold()
    for label in _title_labels().starting(folded):
        if not body[len(label) : len(label) + 1].isalnum():
            after = body[len(label) :]
            separator = _NAV_SEPARATOR.match(after)
            rest = after[separator.end() :] if separator else after
            return is_headline(rest.strip())
    return False


def is_menu_line(text: str) -> bool:
    """A breadcrumb or menu: three or more short label segments joined by separators."""
    if word_count(text) > MAX_MENU_WORDS or "\t" in text:
        return False
    segments = [s.strip() for s in _MENU_SEPARATOR.split(text.strip()) if s.strip()]
    if len(segments) < MIN_SEGMENTS:
        return False
    return all(
        len(s.split()) <= MAX_SEGMENT_WORDS
        and any(ch.isalpha() for ch in s)
        and not _SENTENCE_END.search(s)
        and not _FIELD.search(s)
        for s in segments
    )


def is_reading_time(text: str) -> bool:
    """ "Tempo de leitura: 1 minuto", "Lesezeit 4 Min.", "5 min read"."""
    stripped = text.strip()
    if word_count(stripped) > MAX_SHORT_LINE_WORDS or not _NUMBER.search(stripped):
        return False
    if _MINUTES.match(stripped):
        return True
    folded = stripped.strip(_DECORATION).casefold()
    return any(folded.startswith(label) for label in _reading_time_labels())


def is_pagination(text: str) -> bool:
    """ "Page 2 of 5", or a run of page numbers with an optional next/previous label."""
    stripped = text.strip()
    if _PAGE_OF.match(stripped):
        return True
    tokens = stripped.replace("…", " ").split()
    if len(tokens) > 2 * MAX_SHORT_LINE_WORDS:
        return False  # a paragraph: checked first, it is most blocks
    numbers = [t for t in tokens if t.strip("[]()").isdigit()]
    rest = " ".join(t for t in tokens if not t.strip("[]()").isdigit() and t not in {"...", "|"})
    return len(numbers) >= 3 and (not rest or is_nav_label(rest))


def find(view: DocView) -> list[Finding]:
    findings = []
    blocks = view.blocks
    skip_to = 0
    for index, block in enumerate(blocks):
        if index < skip_to:
            continue
        text = block.text
        if is_nav_label(text):
            end = index
            # A lone label is followed by the title it links to (WordPress post navigation).
            if index + 1 < len(blocks) and is_headline(blocks[index + 1].text.strip()):
                end = index + 1
            findings.append(Finding(view.block_span(index)[0], view.block_span(end)[1], "post navigation"))
            skip_to = end + 1
        elif _labelled_title(text):
            findings.append(Finding(*view.block_span(index), "post navigation"))
        elif is_menu_line(text):
            findings.append(Finding(*view.block_span(index), "menu or breadcrumb line"))
        elif is_reading_time(text):
            findings.append(Finding(*view.block_span(index), "reading time"))
        elif is_pagination(text):
            findings.append(Finding(*view.block_span(index), "pagination"))
    return findings


_BODY = (
    "The old railway bridge over the river will be rebuilt as a footpath and cycle route, the county "
    "announced on Thursday after a two-year consultation.\n"
    "Work is due to start in the spring and should take eighteen months.\n"
)

RULE = Rule(
    id=RULE_ID,
    why="Post navigation, menus, breadcrumbs, reading times and page numbers point elsewhere; they are not text.",
    find=find,
    examples=(
        Example(
            text="Home › News › Local › Transport\nTempo de leitura: 1 minuto\n"
            + _BODY
            + "« Previous post\nCouncil approves new bus lanes on the ring road\nNext post »\n",
            removed=(
                "Home › News",
                "Tempo de leitura",
                "Previous post",
                "Council approves new bus lanes",
                "Next post",
            ),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "Rentenpolitik | Blog | Mailaktion Bundestag | Alles klar?\nPage 2 of 5\n"
            "Vorheriger Artikel: Neue Radwege für die Innenstadt\n上一篇\n",
            removed=("Rentenpolitik | Blog", "Page 2 of 5", "Vorheriger Artikel", "上一篇"),
            kept=(_BODY.strip(),),
        ),
        Example(
            # A sentence with slashes, a "key: value" line and a list of facts stay.
            text=_BODY + "Cyclists and/or walkers will share the path / road in both directions.\n"
            "Length: 1.2 km | Width: 4 m | Cost: €6m\n"
            "Next, the county will ask residents to name the bridge.\n",
            kept=("Cyclists and/or walkers", "Length: 1.2 km", "Next, the county will ask"),
        ),
    ),
)
