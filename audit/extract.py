"""Find a page's main content with trafilatura, and keep what the page says about itself.

A raw scrape is mostly page furniture: menus, teasers, cookie boxes, comment
threads. Our own rules work on lines and are best at the residue a good
extractor leaves (share bars, tag lines, reprint notices), so the HTML path
first asks trafilatura, a well-kept main-content extractor, for the article,
and our rules then run on its result. Its body comes back as a small XML tree;
we turn that into simple HTML and lay it out with the same block walker as the
fallback (`audit.html_text`), so both paths give the same line structure: one
block a line, a blank line between paragraphs, bullets on list items, a tab
between table cells.

Metadata is provenance input, and provenance weighs each claim by where it
came from, so the claims stay apart: the page's own declarations
(`audit.html_meta`: title, author, site name, canonical address), every raw
date claim under "meta" (each <meta> date tag and JSON-LD date by its own key,
the first <time datetime> as the weak key "time"), and trafilatura's findings,
its htmldate publication-date guess under the weak key "htmldate". Where
trafilatura finds nothing, or too little to be the article, the bs4 conversion
of the whole page is used instead and the rules do all the work.

Deterministic by construction: htmldate's latest plausible date is a constant
here (its default is "today", which would make results depend on the day of
the run), and nothing else in the extraction depends on time or chance.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import Tag
from lxml.etree import tostring
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html

from audit.html_meta import extract_metadata
from audit.html_text import extract_block_text, parse_html

# trafilatura and htmldate log thin pages at WARNING level; with no handler
# configured Python would print those to stderr, and the library never prints.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# htmldate rejects dates after this one as impossible. A constant instead of
# "today" keeps a run reproducible forever; ten years past the newest page in
# shared/eval (2023) costs nothing.
LATEST_PLAUSIBLE_DATE = "2035-12-31"

# htmldate options: `original_date` prefers the publication date over the last
# modification (provenance wants when the text first appeared); the extensive
# search also reads dates in the page text when the markup declares none.
# Measured on the 98 dated pages of trafilatura-eval: 85 right with these, 80
# to 82 with either one off.
DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": True,
    "max_date": LATEST_PLAUSIBLE_DATE,
}

# trafilatura's result is "too little" below this many characters: then the
# page is not an article trafilatura recognised (a fragment, a list page, a
# snippet saved as a file), trafilatura's own rescue has dumped the whole page
# (navigation included), and the block walker, which drops page chrome by its
# tags, does better. On shared/eval trafilatura returns less than this for none
# of the 229 pages; it is a guard for pages unlike them.
MIN_MAIN_CHARS = 200

# Key of trafilatura's date guess among the raw date claims (a weak "published").
HTMLDATE_KEY = "htmldate"
# Key of the first <time datetime> of the page (weak: it may date a teaser).
TIME_KEY = "time"

# Longer meta values are stuffing, not metadata (as in audit.html_meta).
MAX_CLAIM_CHARS = 200
# Tag and category lists longer than this are keyword stuffing; the first ones are kept.
MAX_LIST_ITEMS = 50
# JSON-LD blocks above this size are not searched for dates (real ones are a few kB).
MAX_JSON_LD_CHARS = 200_000
_DATE_META_NAME = re.compile(r"date|time|publish|modif|updat|created|issued", re.IGNORECASE)
_JSON_LD_DATE = re.compile(r'"(date(?:Published|Modified|Created))"\s*:\s*"([^"]{4,80})"')
_SURROGATE = re.compile("[\ud800-\udfff]")
_META_FIELDS = ("title", "author", "date", "sitename", "url", "description")
_LIST_FIELDS = ("categories", "tags")


@dataclass(frozen=True)
class Extracted:
    """The main text of a page, its metadata claims, and which extractor produced the text.

    `meta` holds the page's declarations (title, author, sitename, url, lang,
    description), the raw date claims under "meta" ({key: [values]}), and
    trafilatura's own findings under "extractor" for the record.
    """

    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    extractor: str = "trafilatura"


def extract_main_text(html: str, url: str | None = None) -> Extracted:
    """The article text of `html` (plain text, one block a line) with its metadata.

    `url` is where the page came from when known; trafilatura uses it to judge
    links and dates. Never raises on malformed markup: a page trafilatura cannot
    read falls back to the block walker, which always produces something (or
    nothing, for a page without readable text).
    """
    html = _SURROGATE.sub("\ufffd", html)  # lxml cannot take lone surrogates
    soup = parse_html(html)
    whole = extract_block_text(soup)
    meta: dict[str, Any] = {
        key: value for key, value in extract_metadata(soup).items() if key not in ("date", "date_modified")
    }
    claims = read_date_claims(soup)
    found = _trafilatura(html, url) if whole.strip() else None
    if found is None:
        if claims:
            meta["meta"] = claims
        return Extracted(whole, meta, "blocks")
    text, extractor_meta = found
    for key in ("title", "author", "sitename", "url"):
        if key in extractor_meta:
            meta.setdefault(key, extractor_meta[key])
    if "date" in extractor_meta and not _is_copyright_year(str(extractor_meta["date"]), html):
        claims[HTMLDATE_KEY] = [str(extractor_meta["date"])]
    if claims:
        meta["meta"] = {key: claims[key] for key in sorted(claims)}
    meta["extractor"] = extractor_meta
    if len(text.strip()) < MIN_MAIN_CHARS:
        return Extracted(whole, meta, "blocks")
    return Extracted(text, meta, "trafilatura")


def read_date_claims(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Every date the page declares, by the key that declared it: {key: [values]}, keys sorted.

    <meta> tags whose name speaks of a date, JSON-LD datePublished/Modified/Created,
    and the first <time datetime> as "time". Provenance decides which key means
    what and how far to trust it.
    """
    claims: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and _DATE_META_NAME.search(key):
            _add_claim(claims, key.strip().lower(), content)
    for script in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.IGNORECASE)}):
        raw = script.get_text()
        if len(raw) <= MAX_JSON_LD_CHARS:
            for key, value in _JSON_LD_DATE.findall(raw):
                _add_claim(claims, key.lower(), _unescape_json(value))
    stamp = soup.find("time", attrs={"datetime": True})
    if isinstance(stamp, Tag) and isinstance(stamp.get("datetime"), str):
        _add_claim(claims, TIME_KEY, str(stamp["datetime"]))
    return {key: claims[key] for key in sorted(claims)}


def _add_claim(claims: dict[str, list[str]], key: str, value: str) -> None:
    value = " ".join(value.split())[:MAX_CLAIM_CHARS]
    if value and value not in claims.setdefault(key, []):
        claims[key].append(value)


def _unescape_json(value: str) -> str:
    try:
        return str(json.loads(f'"{value}"'))
    except ValueError:
        return value


def _is_copyright_year(date: str, html: str) -> bool:
    """True when htmldate's guess is January 1st of a year the page's copyright line names.

    Without a better clue htmldate falls back on "© 2025" and answers 2025-01-01:
    the year the page was generated, not a publication date.
    """
    if not date.endswith("-01-01"):
        return False
    year = re.escape(date[:4])
    return (
        re.search(rf"(?:©|&copy;|\(c\)|copyright)\s*(?:\d{{4}}\s*[-–]\s*)?{year}", html, re.IGNORECASE)
        is not None
    )


def _trafilatura(html: str, url: str | None) -> tuple[str, dict[str, Any]] | None:
    """trafilatura's main text laid out by our block walker, and its metadata; None if it found nothing."""
    try:
        document = bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            date_extraction_params=dict(DATE_PARAMS),
        )
    except Exception:  # a parser bug on one odd page costs only the extractor, not the page
        return None
    body = getattr(document, "body", None)
    if document is None or body is None:
        return None
    extractor_meta: dict[str, Any] = {}
    for name in _META_FIELDS:
        value = getattr(document, name, None)
        if isinstance(value, str) and value.strip():
            extractor_meta[name] = " ".join(value.split())[:MAX_CLAIM_CHARS]
    for name in _LIST_FIELDS:
        values = getattr(document, name, None) or []
        cleaned = sorted({" ".join(str(v).split())[:MAX_CLAIM_CHARS] for v in values if str(v).strip()})
        if cleaned:
            extractor_meta[name] = cleaned[:MAX_LIST_ITEMS]
    markup = tostring(convert_to_html(body), encoding="unicode")
    return extract_block_text(parse_html(markup)), extractor_meta
