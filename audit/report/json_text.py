"""reports/overlap.json as text, written piece by piece.

The report dict keeps its big sections (`documents`, `overlaps`) on disk as
sequences (audit/spill.py), which `json` cannot encode. This writes the same
bytes `json.dumps(report, ensure_ascii=False, indent=2)` would give for the
same dict of lists, one section item at a time, so the text is never whole in
memory either.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=2)
_INDENT = "  "


def iter_report_json(report: Mapping[str, Any]) -> Iterator[str]:
    """The report as JSON text (two-space indent, keys in the dict's order), in pieces."""
    if not report:
        yield "{}"
        return
    yield "{"
    for number, (key, value) in enumerate(report.items()):
        yield ("," if number else "") + "\n" + _INDENT + _ENCODER.encode(key) + ": "
        if _is_streamed(value):
            yield from _iter_items(value)
        else:
            yield _indented(_ENCODER.encode(value), 1)
    yield "\n}"


def report_json(report: Mapping[str, Any]) -> str:
    """The whole report as one JSON string (tests and small reports)."""
    return "".join(iter_report_json(report))


def _is_streamed(value: object) -> bool:
    """A section kept as a sequence other than a list or tuple: encoded item by item."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | list | tuple)


def _iter_items(items: Sequence[Any]) -> Iterator[str]:
    if not items:
        yield "[]"
        return
    yield "["
    for number, item in enumerate(items):
        yield ("," if number else "") + "\n" + _INDENT * 2 + _indented(_ENCODER.encode(item), 2)
    yield "\n" + _INDENT + "]"


def _indented(text: str, depth: int) -> str:
    """`text` encoded at the top level, moved `depth` levels in (JSON strings hold no raw newlines)."""
    return text.replace("\n", "\n" + _INDENT * depth)
