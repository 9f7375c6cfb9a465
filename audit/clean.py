"""Run the rules over a document and turn their findings into a lossless edit log.

Rules only report spans; this module decides. Where findings of two rules
overlap, the earlier rule in RULES keeps the characters and the later rule keeps
only what is left, so "characters removed by rule" adds up exactly. A final tidy
step removes the whitespace that removals leave behind (blank-line runs, leading
and trailing space), recorded as edits of its own so nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from audit.edits import apply_edits, check_edits
from audit.rules import RULES, DocView, Rule
from audit.types import Edit, Finding

TIDY_RULE = "whitespace-tidy@1"

_EXCESS_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_LEADING_SPACE = re.compile(r"^\s+")
_TRAILING_SPACE = re.compile(r"\s+$")
_TRAILING_LINE_SPACE = re.compile(r"[ \t]+(?=\n)")


def clean_view(view: DocView, rules: Sequence[Rule] = RULES) -> tuple[str, tuple[Edit, ...]]:
    """Return the cleaned text and the sorted, disjoint edits that produce it."""
    claimed: list[tuple[int, int]] = []  # disjoint spans already owned by earlier rules
    edits: list[Edit] = []
    for rule in rules:
        for finding in sorted(rule.find(view), key=lambda f: (f.start, f.end)):
            for start, end in _unclaimed_parts(finding, claimed):
                edits.append(Edit(rule.id, start, end, view.text[start:end], finding.reason))
                claimed.append((start, end))
            claimed.sort()
    edits.sort(key=lambda e: e.start)
    edits = _merge_adjacent(edits)
    edits = sorted(edits + _tidy_edits(view.text, edits), key=lambda e: e.start)
    edits = _merge_adjacent(edits)
    check_edits(view.text, edits)
    return apply_edits(view.text, edits), tuple(edits)


def _unclaimed_parts(finding: Finding, claimed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of a finding not already claimed by an earlier rule."""
    parts = []
    cursor = max(finding.start, 0)
    for start, end in claimed:
        if end <= cursor or start >= finding.end:
            continue
        if start > cursor:
            parts.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < finding.end:
        parts.append((cursor, finding.end))
    return parts


def _merge_adjacent(edits: list[Edit]) -> list[Edit]:
    """Join touching edits of the same rule so one removal reads as one entry."""
    merged: list[Edit] = []
    for edit in edits:
        last = merged[-1] if merged else None
        if last and last.rule == edit.rule and last.end == edit.start:
            reason = last.reason if last.reason == edit.reason else f"{last.reason}; {edit.reason}"
            merged[-1] = Edit(last.rule, last.start, edit.end, last.removed + edit.removed, reason)
        else:
            merged.append(edit)
    return merged


def _tidy_edits(text: str, edits: Sequence[Edit]) -> list[Edit]:
    """Edits removing the whitespace left over once `edits` are applied.

    Found on the cleaned text, then mapped back: one cleaned whitespace run may
    straddle removed spans, so it becomes one tidy edit per kept piece.
    """
    kept = _kept_pieces(text, edits)
    cleaned = "".join(text[s:e] for s, e in kept)
    # A run of blank lines keeps its first and last newline: exactly one blank line.
    spans = [(m.start() + 1, m.end() - 1) for m in _EXCESS_BLANK_LINES.finditer(cleaned)]
    for pattern in (_LEADING_SPACE, _TRAILING_SPACE, _TRAILING_LINE_SPACE):
        spans.extend((m.start(), m.end()) for m in pattern.finditer(cleaned))
    return _map_cleaned_spans(text, kept, _union(spans))


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def _kept_pieces(text: str, edits: Sequence[Edit]) -> list[tuple[int, int]]:
    pieces = []
    cursor = 0
    for edit in edits:
        if edit.start > cursor:
            pieces.append((cursor, edit.start))
        cursor = edit.end
    if cursor < len(text):
        pieces.append((cursor, len(text)))
    return pieces


def _map_cleaned_spans(text: str, kept: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[Edit]:
    """Turn spans of the cleaned text into edits of the normalized text."""
    edits = []
    cleaned_offset = 0
    for piece_start, piece_end in kept:
        piece_length = piece_end - piece_start
        for span_start, span_end in spans:
            start = max(span_start, cleaned_offset)
            end = min(span_end, cleaned_offset + piece_length)
            if start < end:
                n_start = piece_start + start - cleaned_offset
                n_end = piece_start + end - cleaned_offset
                edits.append(
                    Edit(TIDY_RULE, n_start, n_end, text[n_start:n_end], "whitespace left by removals")
                )
        cleaned_offset += piece_length
    return edits
