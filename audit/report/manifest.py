"""cleaned/manifest.jsonl: one `{"id","text","source","metadata"}` line per document.

The datatrove-style Document shape, so other pipelines can read it as is; the
metadata carries everything needed to audit or undo the cleaning (the edit log
indexes the normalized text, which `restore` rebuilds from text + edits).
"""

from __future__ import annotations

import json

from audit.report.contract import Statuses
from audit.types import CleanDoc, JSONDict


def manifest_record(doc: CleanDoc, statuses: Statuses) -> JSONDict:
    status, duplicate_of = statuses[doc.document.id]
    document = doc.document
    return {
        "id": document.id,
        "text": doc.text,
        "source": document.source,
        "metadata": {
            "status": status,
            "duplicate_of": duplicate_of,
            "language": doc.language,
            "language_share": doc.language_prob,
            "format": document.format,
            "encoding": document.encoding,
            "sha256": document.sha256,
            "characters": {"normalized": len(document.text), "cleaned": len(doc.text)},
            "published": doc.provenance.get("published"),
            "updated": doc.provenance.get("updated"),
            "provenance": doc.provenance,
            "blocks": [
                {"start": b.start, "end": b.end, "lang": b.lang, "prob": b.lang_prob} for b in doc.blocks
            ],
            "edits": [edit.to_json() for edit in doc.edits],
            "warnings": list(doc.warnings),
        },
    }


def manifest_line(doc: CleanDoc, statuses: Statuses) -> str:
    """One document's manifest line (with its newline); the manifest is written a line at a time."""
    return json.dumps(manifest_record(doc, statuses), ensure_ascii=False, sort_keys=True) + "\n"
