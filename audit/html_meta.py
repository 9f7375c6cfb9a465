"""Read what a page says about itself: title, dates, author, site, canonical address, language.

Provenance needs these claims with their origin, and the page states them in a
dozen overlapping vocabularies (Open Graph, article:*, Dublin Core, schema.org
microdata and JSON-LD, plain <meta name>). This module only collects the raw
strings, first match wins in a fixed order of trust; parsing dates and judging
them is provenance's job. Values are whitespace-collapsed and length-capped, so
a hostile page cannot push megabytes into the report through a meta tag.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import Tag

# Longer values are not metadata but stuffing; 500 characters holds any real title or author list.
MAX_META_CHARS = 500
# A byline element with more text than this is a container, not a name.
MAX_BYLINE_CHARS = 80
# JSON-LD blocks above this size are not parsed (real ones are a few kB).
MAX_JSON_LD_CHARS = 200_000
# Nodes visited per JSON-LD block: bounds the walk over hostile nesting.
MAX_JSON_LD_NODES = 2_000

# For each output key, the <meta> names/properties (lower-case) that carry it, most trusted first.
META_SOURCES: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title", "dcterms.title"),
    "date": (
        "article:published_time",
        "og:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "publish_date",
        "publication_date",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date",
        "dcterms.date",
        "dcterms.created",
        "citation_publication_date",
        "citation_date",
        "parsely-pub-date",
        "sailthru.date",
    ),
    "date_modified": (
        "article:modified_time",
        "og:updated_time",
        "datemodified",
        "last-modified",
        "dcterms.modified",
    ),
    "author": (
        "author",
        "article:author",
        "dc.creator",
        "dcterms.creator",
        "parsely-author",
        "sailthru.author",
        "citation_author",
        "twitter:creator",
    ),
    "sitename": ("og:site_name", "application-name", "publisher", "dc.publisher"),
    "url": ("og:url", "twitter:url"),
    "description": ("og:description", "description", "twitter:description", "dc.description"),
    "lang": ("og:locale",),
}
# schema.org JSON-LD keys for the same outputs.
JSON_LD_SOURCES: dict[str, str] = {
    "title": "headline",
    "date": "datePublished",
    "date_modified": "dateModified",
    "author": "author",
    "sitename": "publisher",
    "url": "url",
    "description": "description",
}
KEY_ORDER = ("title", "date", "date_modified", "author", "sitename", "url", "lang", "description")

_SPACE = re.compile(r"\s+")
_BYLINE_CLASS = re.compile(r"\b(?:author|byline)(?:[-_]?name)?\b", re.IGNORECASE)
_URL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


def extract_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """Return the page's metadata claims as {key: raw string}, keys in KEY_ORDER, missing keys absent."""
    found: dict[str, str] = {}
    _from_meta_tags(soup, found)
    _from_links_and_elements(soup, found)
    for script in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.IGNORECASE)}):
        _from_json_ld(script.get_text(), found)
    _from_body(soup, found)
    return {key: found[key] for key in KEY_ORDER if key in found}


def _clean(value: object) -> str:
    text = _SPACE.sub(" ", str(value)).strip()
    return text[:MAX_META_CHARS]


def _from_meta_tags(soup: BeautifulSoup, found: dict[str, str]) -> None:
    by_name: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        name = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv")
        content = meta.get("content")
        if not isinstance(name, str) or not isinstance(content, str) or not content.strip():
            continue
        by_name.setdefault(name.strip().lower(), _clean(content))
    for key, names in META_SOURCES.items():
        for name in names:
            value = by_name.get(name)
            if value and not (key == "author" and _URL.match(value)):  # article:author is often a profile URL
                found.setdefault(key, value)
                break
    if "content-language" in by_name:
        found.setdefault("lang", by_name["content-language"])


def _from_links_and_elements(soup: BeautifulSoup, found: dict[str, str]) -> None:
    html = soup.find("html")
    if isinstance(html, Tag) and isinstance(html.get("lang"), str) and html["lang"].strip():
        found["lang"] = _clean(html["lang"])  # the document's own declaration beats og:locale
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        rels = [rel] if isinstance(rel, str) else list(rel)
        if "canonical" in (r.lower() for r in rels) and isinstance(link["href"], str):
            found["url"] = _clean(link["href"])  # canonical beats og:url
            break
    title = soup.find("title")
    if "title" not in found and isinstance(title, Tag) and title.get_text().strip():
        found["title"] = _clean(title.get_text())


def _from_body(soup: BeautifulSoup, found: dict[str, str]) -> None:
    """Last resort, after every declared value: the byline and the first dated <time> on the page."""
    if "date" not in found:
        stamp = (
            soup.find("time", attrs={"itemprop": "datePublished"})
            or soup.find("time", attrs={"pubdate": True})
            or soup.find("time", attrs={"datetime": True})
        )
        if isinstance(stamp, Tag):
            value = stamp.get("datetime") or stamp.get_text()
            if isinstance(value, str) and value.strip():
                found["date"] = _clean(value)
    if "author" not in found:
        byline = (
            soup.find(attrs={"itemprop": "author"})
            or soup.find("a", attrs={"rel": "author"})
            or soup.find(class_=_BYLINE_CLASS)
        )
        if isinstance(byline, Tag):
            name = _clean(byline.get_text(" "))
            if 0 < len(name) <= MAX_BYLINE_CHARS:
                found["author"] = name


def _from_json_ld(raw: str, found: dict[str, str]) -> None:
    """Fill missing keys from the first schema.org objects that carry them; bad JSON is ignored."""
    if len(raw) > MAX_JSON_LD_CHARS:
        return
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return
    pending: list[Any] = [data]
    visited = 0
    while pending and visited < MAX_JSON_LD_NODES:
        node = pending.pop(0)
        visited += 1
        if isinstance(node, list):
            pending.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key, field_name in JSON_LD_SOURCES.items():
            if key not in found and field_name in node:
                value = _json_ld_text(node[field_name])
                if value:
                    found[key] = value
        if "@graph" in node:
            pending.extend(node["@graph"] if isinstance(node["@graph"], list) else [node["@graph"]])


def _json_ld_text(value: Any) -> str:
    """A person, organisation or list of them as a plain string ("A, B"); nested names only one level deep."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        name = value.get("name")
        return _clean(name) if isinstance(name, str) else ""
    if isinstance(value, list):
        names = [_json_ld_text(item) for item in value[:20] if isinstance(item, (str, dict))]
        return _clean(", ".join(name for name in names if name))
    return ""
