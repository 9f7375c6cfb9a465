"""Provenance: what a document says about where it came from, read from text, edit log and metadata.

Boilerplate is evidence. The dateline, the credit line, the reprint notice and
the tag list are what cleaning removes, and exactly what lineage needs, so this
stage reads the *normalized* text together with the edit log (which rule
removed what) and the metadata the container declared (HTML meta, JSONL
fields). The result is a plain JSON-able dict, deterministic, with offsets
into the normalized text wherever a signal was found in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from audit.provenance.common import Evidence
from audit.provenance.credits import extract_cited_outlets, extract_credits
from audit.provenance.dating import extract_dates
from audit.provenance.declared import dates_from_html_meta, dates_from_url, declared_url
from audit.provenance.markers import extract_ai_generated, extract_copyright, extract_reprint
from audit.provenance.tags import extract_links, extract_tags
from audit.types import Block, Edit

_DECLARED_FIELDS = {
    "title": ("title", "headline", "og:title", "twitter:title"),
    "author": ("author", "authors", "byline", "creator", "dc.creator", "article:author"),
    "site_name": ("sitename", "site_name", "og:site_name", "site", "publisher", "hostname"),
}


def _declared_value(declared: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first non-empty declared value among `keys` (lists joined with "; ")."""
    lowered = {k.lower(): v for k, v in sorted(declared.items()) if isinstance(k, str)}
    for key in keys:
        value = lowered.get(key)
        if isinstance(value, (list, tuple)):
            value = "; ".join(str(v).strip() for v in value if str(v).strip())
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def extract_provenance(
    text: str,
    edits: Sequence[Edit],
    blocks: Sequence[Block],
    declared: Mapping[str, Any] | None = None,
    *,
    declared_origin: str = "declared",
) -> dict[str, Any]:
    """Every provenance signal of one document as a JSON-able dict.

    `text` is the normalized text (before cleaning), `edits` the removal log
    against it, `blocks` its line blocks, `declared` the container's metadata:
    HTML meta (title/date/author/sitename/url, or a nested "meta" dict of raw
    meta tags) or JSONL fields (url/date/published/title/author).
    `declared_origin` names where `declared` came from in the output
    ("html-meta" or "jsonl"; the pipeline knows which).
    """
    declared = declared if isinstance(declared, Mapping) else {}
    evidence = Evidence.build(text, edits, blocks)
    result: dict[str, Any] = {}
    result.update(extract_dates(evidence, declared, declared_origin))
    credits = extract_credits(evidence)
    outlets, citations = extract_cited_outlets(evidence)
    tags, tag_lines = extract_tags(evidence)
    result["credits"] = credits
    result["cited_outlets"] = outlets
    result["citations"] = citations
    result["reprint"] = extract_reprint(evidence)
    result["copyright"] = extract_copyright(evidence)
    result["ai_generated"] = extract_ai_generated(evidence)
    result["tags"] = tags
    result["tag_lines"] = tag_lines
    result["links"] = extract_links(evidence)
    for field, keys in _DECLARED_FIELDS.items():
        result[field] = _declared_value(declared, keys)
    if result["author"] is None:
        authors = [c["name"] for c in credits if c["role"] == "author"]
        result["author"] = authors[0] if authors else None
    result["canonical_url"] = declared_url(declared)
    return result


__all__ = ["dates_from_html_meta", "dates_from_url", "extract_provenance"]
