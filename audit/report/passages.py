"""The one check both renderers make before quoting a passage.

Renderers do no analysis, but they must never quote the wrong text: a span that
does not fit its document means the report and the cleaned texts disagree.
"""

from __future__ import annotations

from collections.abc import Mapping


def text_of(cleaned: Mapping[str, str], doc_id: str, start: int, end: int) -> str:
    """The cleaned text a span points into, refusing spans that do not fit it."""
    if doc_id not in cleaned:
        raise ValueError(f"the report quotes document {doc_id!r} but its cleaned text was not given")
    text = cleaned[doc_id]
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}:{end} is outside document {doc_id!r} ({len(text)} characters)")
    return text
