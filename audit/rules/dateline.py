"""dateline@1: remove the date line a CMS prints above (or glues onto) the article body.

A dateline is page furniture: it differs between copies of the same article
(reposts get a new date), so leaving it in hides duplicates. It is not lost:
provenance reads it back from the edit log as the publication date.

The rule is shape-based, not phrase-based: a short line near the head whose
only content, once its date is taken out, is a weekday, a "Posted on" /
"Veröffentlicht am" / "发布时间" label, a short byline or a time. That covers
languages and formats no list enumerates; a heading such as "2025 in review"
or a sentence that merely contains a date keeps its letters and stays.
"""

from __future__ import annotations

from audit.dates import date_line_residue, find_dates, is_strong_label, label_pattern, residue_letters
from audit.rules.base import DocView, Example, Rule
from audit.rules.measure import word_count
from audit.types import Finding

RULE_ID = "dateline@1"

# A dateline sits above the body: title, byline, date, category. Four blocks
# covers every layout in the seeds and the trafilatura-eval pages we read.
HEAD_BLOCKS = 4
# Once a block this long (in words) has been seen, the body has begun; a date
# line below it belongs to the body (a timeline, a dated section). Titles in the
# seeds and eval pages run to ~15 words; a sentence (ends in . ! ?) of 8 words
# is already body.
BODY_WORDS = 25
SENTENCE_WORDS = 8
# The longest dateline we saw ("Veröffentlicht am Freitag, 7. Februar 2025,
# 10:32 Uhr | von Max Mustermann") is ~70 characters; 100 leaves room.
MAX_DATELINE_CHARS = 100
# Letters allowed to remain once date and decoration are gone. Zero: any
# leftover word ("Launch Day", "review") makes the line a heading, not a dateline.
MAX_RESIDUE_LETTERS = 0
# "Last updated: ..." lines also close articles; at the tail only a line with
# an explicit label counts, since a bare date there may end a dated list.
TAIL_BLOCKS = 3


def is_dateline(text: str) -> bool:
    """True for a short line that holds a date and nothing but dateline decoration."""
    if len(text.strip()) > MAX_DATELINE_CHARS:
        return False
    dates, rest = date_line_residue(text)
    return bool(dates) and residue_letters(rest) <= MAX_RESIDUE_LETTERS


def glued_date_end(text: str) -> int | None:
    """End of a leading date fused to the body with no space ("…, 2025In recent years"), else None."""
    dates = find_dates(text[: MAX_DATELINE_CHARS + 1])
    if not dates:
        return None
    first = dates[0]
    if first.end >= len(text) or not text[first.end].isalpha():
        return None
    _, rest = date_line_residue(text[: first.end])
    return first.end if residue_letters(rest) <= MAX_RESIDUE_LETTERS else None


def _looks_like_body(text: str) -> bool:
    words = word_count(text)
    return words >= BODY_WORDS or (words >= SENTENCE_WORDS and text.rstrip()[-1:] in ".!?。！？")


def _has_strong_label(text: str) -> bool:
    return any(is_strong_label(m.group()) for m in label_pattern("published", "updated").finditer(text))


def find_datelines(view: DocView) -> list[Finding]:
    """Findings for the head datelines (whole lines or glued prefixes) and labelled tail date lines."""
    findings: list[Finding] = []
    blocks = view.blocks
    if len(blocks) < 2:
        return findings  # a document that is only a date has nothing to clean it for
    for index, block in enumerate(blocks[:HEAD_BLOCKS]):
        if is_dateline(block.text):
            start, end = view.block_span(index)
            findings.append(Finding(start, end, "date-only line at the head"))
        else:
            glued = glued_date_end(block.text)
            if glued is not None:
                findings.append(Finding(block.start, block.start + glued, "date glued before the body"))
        if _looks_like_body(block.text):
            break
    head_end = findings[-1].end if findings else 0
    for index in range(max(len(blocks) - TAIL_BLOCKS, 1), len(blocks)):
        block = blocks[index]
        if block.start >= head_end and is_dateline(block.text) and _has_strong_label(block.text):
            start, end = view.block_span(index)
            findings.append(Finding(start, end, "labelled date line at the tail"))
    return findings


_BODY = "The ministry said on Tuesday that it would publish new rules for the sector by the end of the year."

RULE = Rule(
    id=RULE_ID,
    why="A date line above the body differs between copies of one article; provenance keeps the date.",
    find=find_datelines,
    examples=(
        Example(f"금. 8월 8th, 2025\n\n{_BODY}", removed=("금. 8월 8th, 2025",), kept=(_BODY,)),
        Example(f"February 7th, 2025\n{_BODY}", removed=("February 7th, 2025",), kept=(_BODY,)),
        Example(
            f"Rules for the sector\nVeröffentlicht am Freitag, 7. Februar 2025, 10:32 Uhr\n{_BODY}",
            removed=("Veröffentlicht am Freitag",),
            kept=("Rules for the sector", _BODY),
        ),
        Example(f"Publié le 7 février 2025 à 10h32\n{_BODY}", removed=("7 février 2025",), kept=(_BODY,)),
        Example(f"7 de febrero de 2025\n{_BODY}", removed=("7 de febrero de 2025",), kept=(_BODY,)),
        Example(f"发布时间：2025年8月8日 10:00\n{_BODY}", removed=("2025年8月8日",), kept=(_BODY,)),
        Example(f"Опубликовано: 7 февраля 2025 г.\n{_BODY}", removed=("7 февраля 2025",), kept=(_BODY,)),
        Example(f"Posted on 2025-08-08 by admin\n{_BODY}", removed=("2025-08-08",), kept=(_BODY,)),
        Example(
            f"March 3, 2024The ministry said on Tuesday.\n{_BODY}",
            removed=("March 3, 2024",),
            kept=("The ministry",),
        ),
        Example(f"{_BODY}\nLast updated: 03.04.2024", removed=("Last updated",), kept=(_BODY,)),
        Example(f"2025 in review\n{_BODY}", kept=("2025 in review", _BODY)),
        Example(f"March 3, 2025: Launch Day\n{_BODY}", kept=("March 3, 2025: Launch Day",)),
        Example(
            f"On February 7, 2025, the ministry said it would publish new rules.\n{_BODY}",
            kept=("February 7, 2025",),
        ),
        Example(
            f"{_BODY}\nThe first meeting was held on Monday.\nTimeline\n7 February 2025",
            kept=("7 February 2025",),
        ),
    ),
)
