"""Find and parse calendar dates written the many ways the web writes them.

Provenance and lineage hinge on dates ("which copy came first?"), and scraped
text writes them in every language and in locale mixes a CMS produces (a
Korean WordPress prints `금. 8월 8th, 2025`). Every date is returned as ISO
`YYYY-MM-DD` with its exact span, so callers can both compare dates and point
at the evidence. Only complete, possible dates count: a year alone or
"February 2025" is not a publication date, and 2025-02-30 does not exist.

Nothing here raises on any input; month names live in a data file
(rules/phrases/provenance_months.json) so adding a language needs no code.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from audit.tries import trie_body

# Years outside this range are almost always numbers that merely look like
# years (prices, counts, page numbers); no scraped article predates 1800.
MIN_YEAR = 1800
MAX_YEAR = 2100

_PHRASES = Path(__file__).resolve().parent / "rules" / "phrases"


@dataclass(frozen=True)
class DateMatch:
    """One date found in a text: `text == source[start:end]`, `iso` is YYYY-MM-DD.

    `ambiguous` is true for all-numeric dates whose day and month could be
    swapped (03/04/2025); such a date was read day-first unless told otherwise.
    """

    start: int
    end: int
    iso: str
    text: str
    ambiguous: bool = False


@cache
def month_names() -> dict[str, int]:
    """Lowercase month name or abbreviation -> month number, from the data file."""
    data = json.loads((_PHRASES / "provenance_months.json").read_text(encoding="utf-8"))
    names: dict[str, int] = {}
    for key, values in data.items():
        if key.startswith("_"):
            continue
        for name in values:
            names[name.lower()] = int(key)
    return names


_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|ème|e|º|°|ª|\.|일|日)?" + _NOT_LETTER_AFTER
_YEAR = r"(?P<year>\d{4})(?!\d)"
# A day range inside one month ("14.–20. Januar 2022", "March 3–5, 2024") reads as its first day.
_FIRST_DAY = r"(?:(?P<first>\d{1,2})(?:st|nd|rd|th|er|\.)?\s*[-–—]\s*)?"


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, kind) pairs; kind says how to read the groups."""
    name = trie_body(month_names())  # the longest-first alternation as a trie: same matches, faster
    # A month is a name, or a number with the CJK month sign (8월, 8月) or
    # Vietnamese "tháng 8": WordPress prints these inside English formats.
    month = (
        rf"(?:{_NOT_LETTER_BEFORE}(?P<mname>{name})\.?{_NOT_LETTER_AFTER}"
        r"|(?<!\d)(?P<mnum>\d{1,2})\s?[월月]"
        r"|tháng\s?(?P<mviet>\d{1,2})(?!\d))"
    )
    day_month_year = (
        rf"(?<![\d.]){_FIRST_DAY}{_DAY}\s*(?:de\s+|of\s+|-)?{month}[\s,.\-/]*(?:de\s+|del\s+|năm\s+)?{_YEAR}"
    )
    month_day_year = rf"{month}\s*-?\s*{_FIRST_DAY}{_DAY}(?:\s*,\s*|\s+)(?:de\s+)?{_YEAR}"
    year_month_day = rf"(?<!\d){_YEAR}\.?,?\s+{month}\s*{_DAY}"
    cjk = r"(?<!\d)(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일号號]?"
    ymd = (
        r"(?<![\d.])(?P<year>\d{4})(?P<sep>[-/.])\s?(?P<month>\d{1,2})(?P=sep)\s?(?P<day>\d{1,2})(?![\d])\.?"
    )
    dmy = r"(?<![\d.])(?P<day>\d{1,2})(?P<sep>[-/.])\s?(?P<month>\d{1,2})(?P=sep)\s?(?P<year>\d{4})(?!\d)"
    flags = re.IGNORECASE
    return (
        (re.compile(cjk, flags), "numeric"),
        (re.compile(ymd, flags), "numeric"),
        (re.compile(dmy, flags), "dmy"),
        (re.compile(day_month_year, flags), "named"),
        (re.compile(month_day_year, flags), "named"),
        (re.compile(year_month_day, flags), "named"),
    )


def make_iso(year: int, month: int, day: int) -> str | None:
    """ISO date for a possible calendar day in the plausible range, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _read_match(match: re.Match[str], kind: str, day_first: bool) -> tuple[str, bool] | None:
    """(iso, ambiguous) for a regex match, or None when it is no real date."""
    groups = match.groupdict()
    year, day = int(groups["year"]), int(groups["day"])
    if groups.get("first") and int(groups["first"]) < day:
        day = int(groups["first"])
    if kind == "named":
        if groups.get("mname"):
            month = month_names().get(groups["mname"].lower().rstrip("."), 0)
        else:
            month = int(groups.get("mnum") or groups.get("mviet") or 0)
        iso = make_iso(year, month, day)
        return (iso, False) if iso else None
    month = int(groups["month"])
    if kind == "numeric":
        iso = make_iso(year, month, day)
        return (iso, False) if iso else None
    # Day and month both digits: dots are always day-first; slashes and dashes
    # may be US order, which is certain only when the "day" cannot be a month.
    sep = groups["sep"]
    if sep != "." and (month > 12 >= day or (not day_first and day <= 12 and month <= 12)):
        day, month = month, day
    ambiguous = sep != "." and day <= 12 and month <= 12 and day != month
    iso = make_iso(year, month, day)
    return (iso, ambiguous) if iso else None


_FOUR_DIGITS = re.compile(r"\d{4}")


def find_dates(text: str, *, day_first: bool = True) -> list[DateMatch]:
    """Every complete date in `text`, in text order, never overlapping.

    Where two readings overlap, the longer wins (so `Fri, 7 Feb 2025` is one
    date, not two). `day_first` settles 03/04/2025 (day-first in most of the world).
    """
    if not isinstance(text, str) or not _FOUR_DIGITS.search(text):
        return []  # every pattern needs a four-digit year: most lines are skipped here
    return list(_dates_in(text, day_first))


@lru_cache(maxsize=16384)
def _dates_in(text: str, day_first: bool) -> tuple[DateMatch, ...]:
    """`find_dates` for a text with a four-digit number, cached: the dateline rule and provenance
    read the same lines (a date line twice), and a corpus repeats its footers."""
    found: list[DateMatch] = []
    for pattern, kind in _patterns():
        for match in pattern.finditer(text):
            read = _read_match(match, kind, day_first)
            if read is None:
                continue
            start = match.start() + len(match.group()) - len(match.group().lstrip())
            if match.groupdict().get("first") and int(match.group("first")) >= int(match.group("day")):
                start = match.start("day")  # "20 - 14 März": no range, only the second date
            end = match.end() - (len(match.group()) - len(match.group().rstrip()))
            found.append(DateMatch(start, end, read[0], text[start:end], read[1]))
    chosen: list[DateMatch] = []
    for candidate in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
        if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
            chosen.append(candidate)
    return tuple(sorted(chosen, key=lambda m: m.start))


_COMPACT = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:T?\d{4,6}(?:Z|[+-]\d{2}:?\d{2})?)?\s*")


def parse_date(text: str, *, day_first: bool = True) -> str | None:
    """The ISO date a short string (a meta value, a dateline) states, or None.

    Takes ISO datetimes, RFC 2822 (`Wed, 04 May 2022 02:41:00 GMT`), compact
    `20200407` and everything `find_dates` reads; the first date wins.
    """
    if not isinstance(text, str):
        return None
    compact = _COMPACT.fullmatch(text)
    if compact:
        return make_iso(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
    matches = find_dates(text, day_first=day_first)
    return matches[0].iso if matches else None


# --- labels around dates: what a date is, and what else a dateline may hold ---

_CJK = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\s]+$")


@cache
def date_labels() -> dict[str, tuple[str, ...]]:
    """The label lists of rules/phrases/provenance_date_labels.json, lowercased."""
    data = json.loads((_PHRASES / "provenance_date_labels.json").read_text(encoding="utf-8"))
    return {k: tuple(w.lower() for w in v) for k, v in data.items() if not k.startswith("_")}


def words_pattern(words: tuple[str, ...] | list[str]) -> str:
    """Alternation of words; whole words for alphabetic scripts, bare for CJK (no spaces there).

    Built as two tries (audit/tries.py), which match what the plain alternation
    sorted longest first matches, faster. When a CJK word and another word
    could start at the same character, the plain alternation is kept (the tries
    would try the two groups in a fixed order).
    """
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    cjk = [word for word in ordered if _CJK.match(word)]
    other = [word for word in ordered if not _CJK.match(word)]
    if {w[:1].lower() for w in cjk} & {w[:1].lower() for w in other}:
        return _plain_words_pattern(ordered)
    spaces = r"\s+"
    parts = [r"(?<!\w)" + trie_body(other, space=spaces) + r"(?!\w)"] if other else []
    if cjk:
        parts.append(trie_body(cjk, space=spaces))
    return "|".join(parts)


def _plain_words_pattern(ordered: list[str]) -> str:
    parts = []
    for word in ordered:
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        parts.append(escaped if _CJK.match(word) else rf"(?<!\w){escaped}(?!\w)")
    return "|".join(parts)


@cache
def label_pattern(*kinds: str) -> re.Pattern[str]:
    """A regex matching any label of the given kinds ("published", "updated", "original"...)."""
    words = [w for kind in kinds for w in date_labels().get(kind, ())]
    return re.compile(words_pattern(words), re.IGNORECASE)


def is_strong_label(label: str) -> bool:
    """A label that alone says "this is a date line" ("Updated", "更新日期"), unlike "on" or "am"."""
    label = label.strip()
    return len(label) >= 4 or bool(_CJK.match(label) and len(label) >= 2)


_BYLINE = re.compile(
    r"(?<!\w)(?:by|von|par|por|door|av|af|от|di)\s+[^|·•—–,\n]{1,40}?(?=\s*(?:[|·•—–,]|$))", re.IGNORECASE
)
_TIME = re.compile(r"(?<!\d)\d{1,2}(?:[:h.]\d{2}){1,2}(?!\d)|[+-]\d{2}:?\d{2}(?!\d)", re.IGNORECASE)


def date_line_residue(text: str) -> tuple[list[DateMatch], str]:
    """The dates of a line and what remains once dates and their usual decoration are gone.

    Decoration is weekdays, publish/update labels, a short byline, times and
    time zones, reading time and comment counts: what a CMS prints around the
    date. A line whose residue has no letters is a date line.
    """
    dates = find_dates(text)
    if not dates:
        return [], text
    pieces, cursor = [], 0
    for match in dates:
        pieces.append(text[cursor : match.start])
        pieces.append(" | ")
        cursor = match.end
    pieces.append(text[cursor:])
    rest = _TIME.sub(" ", "".join(pieces))
    rest = _BYLINE.sub(" ", rest)
    rest = label_pattern("original", "updated", "published", "weekdays", "decoration").sub(" ", rest)
    return dates, rest


def residue_letters(rest: str) -> int:
    """How many letters a residue still holds."""
    return sum(ch.isalpha() for ch in rest)
