"""Which side of a shared passage is the likely source, and the evidence for it.

The rule is deliberately simple and always explained: the side published
earlier is the likely source. What makes it useful is the evidence that comes
with it (which date, read from where, how sure provenance was of it) and the
refusal to guess: the same day, or a missing publication date on either side,
gives `source: None` with the reason. An update date never stands in for a
publication date (an article updated yesterday may have first run years ago).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from audit.types import JSONDict

RULE = "earlier-date@1"
PUBLISHED = "published"
# Dates one day apart may be one moment in two time zones (a dateline in
# Beijing, a feed timestamp in UTC): the direction stands, at lower confidence.
ADJACENT_DAY_FACTOR = 0.6
# Provenance evidence without a confidence is taken as a plain, unlabelled date.
DEFAULT_CONFIDENCE = 0.5


def parse_day(value: object) -> dt.date | None:
    """The date of a "YYYY-MM-DD" string (a longer ISO timestamp is cut to its day), else None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _confidence(evidence: Mapping[str, Any]) -> float:
    value = evidence.get("confidence", DEFAULT_CONFIDENCE)
    return float(value) if isinstance(value, (int, float)) else DEFAULT_CONFIDENCE


def best_date(dates: Sequence[Mapping[str, Any]], role: str = PUBLISHED) -> JSONDict | None:
    """The most trusted date of `role`: highest confidence, then earliest, then origin name."""
    usable = [dict(d) for d in dates if d.get("role") == role and parse_day(d.get("date")) is not None]
    if not usable:
        return None
    return min(
        usable,
        key=lambda d: (
            -_confidence(d),
            str(d["date"])[:10],
            str(d.get("origin", "")),
            str(d.get("text", "")),
        ),
    )


def describe(date: Mapping[str, Any]) -> str:
    return f"{str(date['date'])[:10]} ({date.get('origin', 'unknown origin')})"


def decide_source(
    a_id: str, a_dates: Sequence[Mapping[str, Any]], b_id: str, b_dates: Sequence[Mapping[str, Any]]
) -> tuple[str | None, JSONDict]:
    """(source id or None, evidence) for a passage shared by documents a and b."""
    a_date, b_date = best_date(a_dates), best_date(b_dates)
    evidence: JSONDict = {"rule": RULE, "a_date": a_date, "b_date": b_date}
    if a_date is None or b_date is None:
        missing = [doc_id for doc_id, date in ((a_id, a_date), (b_id, b_date)) if date is None]
        reason = f"no publication date for {' or '.join(missing)}"
        updates = [
            f"{doc_id} has only an update date {describe(update)}"
            for doc_id, dates in ((a_id, a_dates), (b_id, b_dates))
            if doc_id in missing and (update := best_date(dates, "updated")) is not None
        ]
        if updates:
            reason += "; " + "; ".join(updates) + ", which does not say when it first appeared"
        evidence.update(reason=reason, confidence=0.0)
        return None, evidence
    a_day, b_day = parse_day(a_date["date"]), parse_day(b_date["date"])
    if a_day is None or b_day is None:  # pragma: no cover - best_date only keeps parseable dates
        raise ValueError("best_date returned an unparseable date")
    if a_day == b_day:
        evidence.update(reason=f"both published {a_day.isoformat()}: same day, no direction", confidence=0.0)
        return None, evidence
    source, copy, first, later = (
        (a_id, b_id, a_date, b_date) if a_day < b_day else (b_id, a_id, b_date, a_date)
    )
    confidence = min(_confidence(first), _confidence(later))
    if abs((a_day - b_day).days) == 1:
        confidence *= ADJACENT_DAY_FACTOR
    evidence.update(
        reason=f"{source} published {describe(first)}, before {copy} published {describe(later)}",
        confidence=round(confidence, 2),
    )
    return source, evidence
