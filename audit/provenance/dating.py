"""Publication and update dates, each with where it came from and how far to trust it.

Lineage decides which copy came first by comparing dates, so a date is only as
useful as its evidence: a dateline the cleaner removed, an HTML meta tag, a
"更新日期" footer, a URL path. Every candidate is kept (with its span when it
came from the text) and the best of each role is chosen by confidence, so a
reader can see both the answer and why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from audit.dates import (
    date_line_residue,
    find_dates,
    is_strong_label,
    label_pattern,
    parse_date,
    residue_letters,
)
from audit.provenance.common import SHORT_LINE_CHARS, Evidence, load_phrases
from audit.provenance.declared import classify_meta_key, dates_from_html_meta, dates_from_url, declared_url

# Confidence of each kind of evidence. They order candidates, they are not
# calibrated probabilities: explicit statements (a meta tag, an "originally
# published" line) beat layout guesses (a date line at the head), which beat a
# URL path (often the month folder of an upload), which beats a bare date line
# somewhere in the body, which beats the date of a copyright line (often the
# day the page was generated).
CONFIDENCE = {
    "declared": 0.9,
    "declared-weak": 0.75,
    "originally-published": 0.9,
    "dateline": 0.85,
    "labelled": 0.8,
    "footer": 0.75,
    "url": 0.7,
    "text": 0.4,
    "copyright": 0.3,
}
# Tie-break between equal confidences: the container's own metadata first.
_ORIGIN_RANK = {"html-meta": 0, "jsonl": 0, "declared": 0, "dateline": 1, "originally-published": 2}
# Rules whose removals sit at the end of a document: a date they removed is a footer date.
_TAIL_RULES = frozenset(
    {
        "foreign-footer@1",
        "comment-form@1",
        "comment-section@1",
        "reprint-disclaimer@1",
        "credit-line@1",
        "tag-line@1",
        "share-residue@1",
        "banner@1",
        "related-links@1",
        "navigation@1",
    }
)
# A label is "attached" to a date when at most this many characters (colon,
# weekday, "am"/"le") sit between them: "Updated: Fri, 7 Feb 2025".
LABEL_GAP_CHARS = 16
# "Originally published on The Conversation on 3 March 2025": the outlet sits
# between label and date, so the allowance is one outlet name longer.
ORIGINAL_GAP_CHARS = 60
# A date line may carry the author's name: "1. Februar 2022 , Daniel
# Dillenburg". Up to four capitalised words in a line of up to 80 characters
# (the byline-date lines seen in trafilatura-eval are under 50).
BYLINE_WORDS = 4
BYLINE_DATE_CHARS = 80
# An all-numeric date that could be read day-first or month-first (03/04/2025)
# drops below every unambiguous reading of the same kind.
AMBIGUITY_PENALTY = 0.2


def _label_before(before: str) -> tuple[str | None, int, int]:
    """(role, start, end) of the label that governs a date preceded by `before`; role None if none.

    An "originally published" label wins wherever it sits within reach (the
    outlet name comes between it and the date); otherwise the last strong
    label, and only then a weak one ("on", "le"), which may just be a preposition.
    """
    matches = [
        (role, m.start(), m.end(), m.group())
        for role in ("original", "updated", "published")
        for m in label_pattern(role).finditer(before)
    ]
    originals = [m for m in matches if m[0] == "original" and len(before) - m[2] <= ORIGINAL_GAP_CHARS]
    strong = [m for m in matches if m[0] != "original" and is_strong_label(m[3])]
    weak = [m for m in matches if m[0] != "original"]
    for pool in (originals, strong, weak):
        if pool:
            role, start, end, _ = max(pool, key=lambda m: (m[2], m[2] - m[1]))
            return role, start, end
    return None, -1, -1


def _is_date_line(text: str) -> bool:
    """A date with only decoration, or with a short name ("Janic Cathomen, 01.12.2021")."""
    rest = date_line_residue(text)[1]
    if residue_letters(rest) == 0:
        return True
    words = [w for w in re.split(r"[\s,;|·•:–—-]+", rest) if any(ch.isalpha() for ch in w)]
    return (
        len(text.strip()) <= BYLINE_DATE_CHARS
        and len(words) <= BYLINE_WORDS
        and all(w[0].isupper() for w in words)
    )


_SEGMENT = re.compile(r"[|·•—–]|\s-\s")


def _is_copyright_line(text: str) -> bool:
    """A "© 19.12.2019 Qualisys GmbH" line: its full date is when the page was made, a last resort."""
    lowered = text.lower()
    return any(phrase in lowered for phrase in load_phrases("reprint")["copyright"])


def _origin_for(evidence: Evidence, index: int, start: int, end: int) -> str:
    rule = evidence.removed_by(start, end)
    if rule == "dateline@1":
        return "dateline" if evidence.is_head(index) else "footer"
    if rule in _TAIL_RULES:
        return "footer"
    if evidence.is_head(index):
        return "dateline"
    if evidence.is_tail(index):
        return "footer"
    return "text"


def _candidate(
    date: str,
    role: str,
    origin: str,
    text: str,
    confidence: float,
    span: tuple[int, int] | None = None,
    removed_by: str | None = None,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "date": date,
        "role": role,
        "origin": origin,
        "text": text,
        "confidence": confidence,
    }
    item["start"], item["end"] = span if span else (None, None)
    item["removed_by"] = removed_by
    return item


def dates_in_text(evidence: Evidence) -> list[dict[str, Any]]:
    """Date candidates from the text: date lines, labelled dates, "originally published" lines."""
    found: list[dict[str, Any]] = []
    for index, block in enumerate(evidence.blocks):
        matches = find_dates(block.text)
        if not matches:
            continue
        short = len(block.text.strip()) <= SHORT_LINE_CHARS
        date_line = short and _is_date_line(block.text)
        cursor = 0
        for match in matches:
            start, end = block.start + match.start, block.start + match.end
            removed_by = evidence.removed_by(start, end)
            before = block.text[cursor : match.start]
            label_offset = cursor
            cursor = match.end
            role, label_start, label_end = _label_before(before)
            gap = len(before) - label_end
            if role == "original" and gap <= ORIGINAL_GAP_CHARS:
                # Only a notice line, not prose ("the novel, first published on 3 March 1990, …").
                if short or evidence.is_tail(index) or removed_by is not None:
                    text, confidence = block.text.strip(), CONFIDENCE["originally-published"]
                    span = (start, end)
                    found.append(
                        _candidate(
                            match.iso, "published", "originally-published", text, confidence, span, removed_by
                        )
                    )
                continue
            label = before[label_start:label_end]
            # "am", "on", "le" are labels only inside a date line; alone they say nothing.
            attached = role is not None and gap <= LABEL_GAP_CHARS and is_strong_label(label)
            # A label counts only where it opens the line or a "|"-separated part of
            # it ("… from grok | 更新日期:2026/04/02"): "the report, published on
            # 3 March, found" dates the report, not this text.
            opens_segment = attached and not any(
                ch.isalpha() for ch in _SEGMENT.split(block.text[: label_offset + label_start])[-1]
            )
            if not (date_line or opens_segment):
                if short and _is_copyright_line(block.text):
                    text = block.text.strip()
                    found.append(
                        _candidate(
                            match.iso,
                            "published",
                            "copyright",
                            text,
                            CONFIDENCE["copyright"],
                            (start, end),
                            removed_by,
                        )
                    )
                continue
            origin = _origin_for(evidence, index, start, end)
            if origin == "text":
                confidence = CONFIDENCE["labelled"] if attached else CONFIDENCE["text"]
            else:
                confidence = (
                    max(CONFIDENCE[origin], CONFIDENCE["labelled"]) if attached else CONFIDENCE[origin]
                )
            if match.ambiguous:
                confidence = round(confidence - AMBIGUITY_PENALTY, 2)
            role = "updated" if role == "updated" else "published"
            item = _candidate(
                match.iso, role, origin, block.text.strip(), confidence, (start, end), removed_by
            )
            found.append(item)
    return found


def dates_declared(declared: Mapping[str, Any], origin: str) -> list[dict[str, Any]]:
    """Date candidates from the container's metadata (HTML meta, JSONL fields) and its URL."""
    found: list[dict[str, Any]] = []
    for key in sorted(k for k in declared if isinstance(k, str)):
        value = declared[key]
        if key == "meta" and isinstance(value, Mapping):
            for item in dates_from_html_meta(value):
                confidence = CONFIDENCE["declared-weak"] if item["weak"] else CONFIDENCE["declared"]
                if item["ambiguous"]:
                    confidence = round(confidence - AMBIGUITY_PENALTY, 2)
                date, role, text = str(item["date"]), str(item["role"]), str(item["text"])
                found.append(_candidate(date, role, "html-meta", text, confidence))
            continue
        role = classify_meta_key(key)
        if role is None or not isinstance(value, (str, int)):
            continue
        iso = parse_date(str(value))
        if iso:
            found.append(_candidate(iso, role, origin, str(value).strip()[:80], CONFIDENCE["declared"]))
    url = declared_url(declared)
    if url:
        for iso, text in dates_from_url(url):
            found.append(_candidate(iso, "published", "url", text, CONFIDENCE["url"]))
    return found


def choose(candidates: list[dict[str, Any]], role: str, *, original: bool = False) -> str | None:
    """The date of the most trusted candidate of `role` (ties: metadata, then earliest in text).

    `original` picks among "originally published" statements only; otherwise
    they are left out, since they date the first publication elsewhere.
    """
    pool = [
        c for c in candidates if c["role"] == role and (c["origin"] == "originally-published") == original
    ]
    if not pool:
        return None
    best = min(
        pool,
        key=lambda c: (
            -c["confidence"],
            _ORIGIN_RANK.get(c["origin"], 5),
            c["start"] if c["start"] is not None else -1,
            c["date"],
        ),
    )
    return str(best["date"])


def extract_dates(evidence: Evidence, declared: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """The `published`, `updated`, `originally_published` and `dates` fields of the provenance."""
    candidates = dates_in_text(evidence) + dates_declared(declared, origin)
    unique: dict[tuple[Any, ...], dict[str, Any]] = {}
    for item in candidates:
        # The same claim under two keys (JSON-LD dateCreated and datePublished) keeps its best reading.
        key = (item["date"], item["role"], item["origin"], item["start"], item["text"])
        if key not in unique or item["confidence"] > unique[key]["confidence"]:
            unique[key] = item
    ordered = sorted(
        unique.values(),
        key=lambda c: (c["start"] is None, c["start"] or 0, c["origin"], c["role"], c["date"], c["text"]),
    )
    return {
        "published": choose(ordered, "published"),
        "updated": choose(ordered, "updated"),
        "originally_published": choose(ordered, "published", original=True),
        "dates": ordered,
    }
