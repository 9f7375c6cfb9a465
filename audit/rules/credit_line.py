"""credit-line@1: agency credits, photo and source credits, and copyright lines without a year.

Agency copy closes with who did the work ("Reporting by Rodrigo Campos;
Editing by Nick Zieminski", "Associated Press writers ... contributed to this
report."); captions end with the picture's owner ("... © AFP / MARCO
BERTORELLO", "Crédits photos : Bestimage"); site footers claim the page
("Copyright ⓒ Entermedia.co.kr"). Readers of the gold article bodies leave all
of these out. They are evidence, not text: provenance reads credits and
copyright holders back from the normalized text and the edit log. Cues:

- a short block opening with a credit phrase (`phrases/credit_lines.txt`) or
  closing with "... contributed to this report" (`phrases/credit_tails.txt`);
- a short "label: name" line with a photo or source label (the credit labels
  provenance uses, `phrases/provenance_credits.json`); source lines only among
  the last blocks, where a story credits its source (a "Source:" under a chart
  mid-article is part of the chart);
- the credit at the end of a caption (`© AFP / NAME`, `(Foto: dpa)`) after the
  caption's last sentence: only the credit goes;
- a short line opening with "Copyright", "©" or "ⓒ" and a name (lines with a
  year are reprint-disclaimer's).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from audit.rules.base import DocView, Example, Rule
from audit.rules.measure import word_count
from audit.rules.phrasebook import PHRASE_FOLDER, PHRASE_PACKAGE, LabelSet, load_phrases
from audit.types import Finding

RULE_ID = "credit-line@1"

# A credit line is a sentence at most: the longest agency credit in the eval
# pages ("Reporting by ...; additional reporting by ...; Editing by ...") has 26
# words; "... contributed to this report" lines with seven names reach ~25.
MAX_CREDIT_WORDS = 45
# A "Photo: name" line names one or two people or agencies.
MAX_LABEL_LINE_WORDS = 10
# Source lines count only among the last blocks of the text.
SOURCE_LAST_BLOCKS = 3
# A copyright line without a year: "Copyright © Example Media Group. All rights reserved."
MAX_COPYRIGHT_WORDS = 15
# The credit at the end of a caption: at most this many words ("AFP / MARCO BERTORELLO").
MAX_TAIL_CREDIT_WORDS = 8

# After a credit opener, at least this share of the words must be names or
# credit connectors ("by", "and", "additional reporting"): "Written by hand,
# the letter ..." is a sentence.
MIN_NAME_SHARE = 0.8
_CREDIT_CONNECTORS = frozenset(
    {
        "by", "and", "with", "additional", "reporting", "editing", "writing", "research", "graphics",
        "from", "de", "del", "y", "e", "et", "und", "von", "par", "por", "da", "do", "dos", "das", "la",
        "le", "les", "the", "of", "in", "for", "mit",
    }
)  # fmt: skip

_EXTRA_PHOTO_LABELS = ("crédits photos", "crédit photos", "photo credit", "bildnachweis", "fotonachweis")
_LEADING = re.compile(r"^[\s(\[\-–—•·*]+")
_COPYRIGHT_START = re.compile(r"^\W*(?:copyright\s*(?:©|ⓒ|\(c\))?|©|ⓒ|\(c\))\s*[^\W\d_]", re.IGNORECASE)
_TAIL_CREDIT = re.compile(
    r"(?<=[.!?)»”\"])\s*(?P<credit>\(?\s*(?:©|ⓒ|\(c\)|(?:photo|foto|bild|image|credit|crédit)s?\s*:)\s*"
    r"[A-ZÀ-ÝА-Я][^()\n]{0,80}?\)?)\s*$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[A-ZÀ-ÝА-Я0-9@/&.\-'’]|^(?:de|da|del|von|van|der|di|le|la|und|and|y|et|/)$")


@lru_cache(maxsize=1)
def _credit_labels() -> tuple[LabelSet, LabelSet]:
    """(photo labels, source labels) from provenance's credit data."""
    path = resources.files(PHRASE_PACKAGE).joinpath(PHRASE_FOLDER, "provenance_credits.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    photo = {str(label).casefold() for label in data.get("photo", [])} | set(_EXTRA_PHOTO_LABELS)
    source = {str(label).casefold() for label in data.get("source", [])} - {"via", "credit", "credits"}
    return LabelSet.of(photo), LabelSet.of(source)


@lru_cache(maxsize=2)
def _phrases(name: str) -> tuple[str, ...]:
    return tuple(sorted({p.casefold() for p in load_phrases(name)}, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=1)
def _line_openers() -> LabelSet:
    return LabelSet.of(_phrases("credit_lines"))


def _label_value(text: str, labels: LabelSet) -> str | None:
    """The value after one of `labels` and a colon ("Photo: AP" -> "AP"), or None."""
    body = _LEADING.sub("", text.strip())
    folded = body.casefold()
    for label in labels.starting(folded):
        after = body[len(label) :]
        if after[:1].isalnum():
            continue
        stripped = after.lstrip()
        if stripped[:1] in (":", "：", "="):
            return stripped[1:].strip(" )]")
    return None


def _names_only(text: str) -> bool:
    """True when `text` is a list of names ("Rodrigo Campos; Editing by Nick Zieminski"), not a clause."""
    words = [w.strip(",;:.()[]") for w in text.split()]
    words = [w for w in words if w]
    if not words:
        return False
    named = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or w.casefold() in _CREDIT_CONNECTORS)
    return named / len(words) >= MIN_NAME_SHARE


def credit_reason(text: str, near_end: bool) -> str | None:
    """Why a whole block is a credit or copyright line, or None."""
    stripped = text.strip()
    words = word_count(stripped)
    if words == 0 or words > MAX_CREDIT_WORDS:
        return None
    opened = _LEADING.sub("", stripped)
    folded = opened.casefold()
    for phrase in _line_openers().starting(folded):
        if _names_only(opened[len(phrase) :]):
            return "agency credit line"
    closing = stripped.rstrip(" .)]").casefold()
    if closing.endswith(_phrases("credit_tails")):
        return "contributors credit line"
    photo, source = _credit_labels()
    if words <= MAX_LABEL_LINE_WORDS:
        value = _label_value(stripped, photo)
        if value:
            return "photo credit line"
        value = _label_value(stripped, source) if near_end else None
        if value and len(value.split()) <= MAX_TAIL_CREDIT_WORDS:
            return "source credit line"
    if words <= MAX_COPYRIGHT_WORDS and _COPYRIGHT_START.match(stripped):
        return "copyright line"
    return None


def tail_credit_start(text: str) -> int | None:
    """Where a caption's closing credit ("© AFP / NAME", "(Foto: dpa)") starts, or None."""
    match = _TAIL_CREDIT.search(text)
    if match is None:
        return None
    credit = match.group("credit").strip("() ")
    value = re.sub(r"^(?:©|ⓒ|\(c\)|[^\W\d_]+s?\s*:)\s*", "", credit, flags=re.IGNORECASE)
    words = value.split()
    if not words or len(words) > MAX_TAIL_CREDIT_WORDS or not all(_NAME_WORD.match(w) for w in words):
        return None
    return match.start("credit")


def find(view: DocView) -> list[Finding]:
    findings = []
    last = len(view.blocks) - SOURCE_LAST_BLOCKS
    for index, block in enumerate(view.blocks):
        reason = credit_reason(block.text, index >= last)
        if reason:
            findings.append(Finding(*view.block_span(index), reason))
            continue
        cut = tail_credit_start(block.text)
        if cut is not None:
            start = block.start + len(block.text[:cut].rstrip())
            findings.append(Finding(start, block.end, "photo credit after a caption"))
    return findings


_BODY = (
    "Asian shares were mostly lower on Monday as investors waited for news on trade talks between the "
    "United States and China.\n"
    "Marco Odermatt, the Swiss skier, won the giant slalom by more than a second. © AFP / MARCO BERTORELLO\n"
    "Oil prices edged up after a report that talks were progressing.\n"
)

RULE = Rule(
    id=RULE_ID,
    why="Credits and copyright lines name who made or owns the page; provenance keeps them, the text does not.",
    find=find,
    examples=(
        Example(
            text=_BODY + "Reporting by Rodrigo Campos; additional reporting by Stephanie Kelly; Editing by "
            "Nick Zieminski\nSOURCE: Al Jazeera News\n",
            removed=("Reporting by", "Editing by", "SOURCE: Al Jazeera", "© AFP / MARCO"),
            kept=("won the giant slalom by more than a second.", "Oil prices edged up"),
        ),
        Example(
            text=_BODY + "Associated Press writers Alan Fram and Zeke Miller contributed to this report.\n"
            "Crédits photos : Bestimage\nCopyright ⓒ Entermedia.co.kr. 무단전재 및 재배포 금지\n",
            removed=("contributed to this report", "Bestimage", "Entermedia.co.kr"),
            kept=("Asian shares were mostly lower",),
        ),
        Example(
            # A source line mid-article belongs to its chart; a sentence about credits stays.
            text="Source: National Statistics Office\n" + _BODY + "The photographer, whose credit line "
            "reads © AFP, said she was proud of the picture.\nWritten by hand, the letter reached the court.\n",
            kept=("Source: National Statistics Office", "whose credit line", "Written by hand"),
        ),
    ),
)
