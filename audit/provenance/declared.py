"""Dates and addresses a document's container declares: HTML meta tags, JSON-LD, JSONL fields, its URL.

These claims arrive as raw strings in a dozen vocabularies (Open Graph,
article:*, Dublin Core, schema.org, plain record fields); this module knows
which keys mean "published" and which "updated", and reads dates out of URL
paths, so the rest of provenance sees one shape: (date, role, where from).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from audit.dates import find_dates, make_iso, parse_date

_ARCHIVE_PREFIX = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/", re.IGNORECASE)
_URL_DATES = (
    (re.compile(r"(?<!\d)(\d{4})[/_-](\d{1,2})[/_-](\d{1,2})(?![\d])"), "ymd"),
    (re.compile(r"(?<!\d)(\d{1,2})[/_-](\d{1,2})[/_-](\d{4})(?!\d)"), "dmy"),
    (re.compile(r"(?<!\d)(\d{8})(?!\d)"), "compact"),
)


def dates_from_url(url: str) -> list[tuple[str, str]]:
    """(iso, matched text) for dates written into a URL path, such as /2020/04/07/.

    A Wayback Machine prefix is dropped first: its timestamp is when the page was
    captured, not when it was published.
    """
    if not isinstance(url, str) or not url:
        return []
    path = _ARCHIVE_PREFIX.sub("", url.strip())
    path = re.sub(r"^[a-z]+://[^/]+", "", path, flags=re.IGNORECASE)
    results: list[tuple[str, str]] = []
    for pattern, kind in _URL_DATES:
        for match in pattern.finditer(path):
            iso: str | None
            if kind == "ymd":
                iso = make_iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            elif kind == "dmy":
                iso = make_iso(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            else:
                digits = match.group(1)
                iso = make_iso(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
                iso = iso or make_iso(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
            if iso and all(iso != seen for seen, _ in results):
                results.append((iso, match.group()))
    return results


# Meta keys (lowercased, after dropping an "og:" / "article:" / "dc." style
# prefix) that name a publication or a modification date. Gathered from the
# keys htmldate and trafilatura read, which cover the CMSs seen in practice.
_PUBLISHED_KEYS = frozenset(
    {
        "published_time", "publishedtime", "published", "datepublished", "date_published", "pubdate",
        "pub_date", "publishdate", "publish_date", "publish-date", "publication_date", "date",
        "date.issued", "issued", "date.created", "created", "datecreated", "citation_publication_date",
        "citation_date", "citation_online_date", "sailthru.date", "parsely-pub-date", "article_date_original",
        "original-publish-date", "displaydate", "publishtime", "release_date", "dc.date", "dcterms.date",
        "time", "datetime", "htmldate",
    }
)  # fmt: skip
_UPDATED_KEYS = frozenset(
    {
        "modified_time", "modifiedtime", "updated_time", "updatedtime", "datemodified", "date_modified",
        "last-modified", "lastmodified", "lastmod", "modified", "date.modified", "updated", "revised",
        "last_updated", "dateupdated",
    }
)  # fmt: skip
# Keys that often hold some other date (a <time> of a related post, a record's
# creation): still evidence, but below a dedicated publication key.
# "htmldate" is the guess of trafilatura's date finder (audit.extract): right on
# most pages, but a guess, so the page's own dated tags and date lines outrank it.
_WEAK_KEYS = frozenset(
    {"date", "time", "datetime", "created", "datecreated", "date.created", "displaydate", "htmldate"}
)
_META_PREFIX = re.compile(
    r"^(?:og|article|og:article|dc|dcterms|rnews|bt|schema|itemprop)[:.]", re.IGNORECASE
)


def classify_meta_key(key: str) -> str | None:
    """'published', 'updated' or None for an HTML meta / JSON-LD / record key."""
    if not isinstance(key, str):
        return None
    lowered = key.strip().lower()
    for candidate in (lowered, _META_PREFIX.sub("", lowered)):
        if candidate in _UPDATED_KEYS:
            return "updated"
        if candidate in _PUBLISHED_KEYS:
            return "published"
    return None


def dates_from_html_meta(meta: Mapping[str, object]) -> list[dict[str, object]]:
    """Publication and update dates declared in HTML meta tags (or JSON-LD keys).

    `meta` maps a meta name/property/itemprop to its content (a string or a
    list of strings). Returns `{"date", "role", "key", "text", "weak",
    "ambiguous"}` dicts in the sorted order of the keys, so the result never
    depends on dict order; `weak` marks generic keys ("date", "time") that may
    date something else, `ambiguous` a day-first reading of 03/01/2020.
    """
    results: list[dict[str, object]] = []
    if not isinstance(meta, Mapping):
        return results
    for key in sorted(k for k in meta if isinstance(k, str)):
        role = classify_meta_key(key)
        if role is None:
            continue
        value = meta[key]
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            iso = parse_date(item) if isinstance(item, str) else None
            if iso:
                weak = _META_PREFIX.sub("", key.strip().lower()) in _WEAK_KEYS
                ambiguous = any(m.ambiguous for m in find_dates(item)[:1])
                entry = {"date": iso, "role": role, "key": key, "text": item.strip()[:80], "weak": weak}
                results.append({**entry, "ambiguous": ambiguous})
    return results


_URL_KEYS = ("canonical_url", "canonical", "url", "og:url", "link", "source_url", "href")


def declared_url(declared: Mapping[str, Any]) -> str | None:
    """The document's address as its container declared it, if any."""
    for key in _URL_KEYS:
        value = declared.get(key)
        if isinstance(value, str) and re.match(r"^(?:https?://|www\.)", value.strip(), re.IGNORECASE):
            return value.strip()
    return None
