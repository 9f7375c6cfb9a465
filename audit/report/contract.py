"""Build reports/overlap.json, the contract other tools read.

All analysis is done before this point; this module only arranges results into
the versioned schema (docs/report-schema.md) with deterministic ordering.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from audit.compare import Comparison
from audit.rules.site_template import summarize_templates
from audit.settings import Settings
from audit.types import CleanDoc, JSONDict, Problem

SCHEMA = "audit.overlap"
SCHEMA_VERSION = 1


Statuses = dict[str, tuple[str, "str | None"]]


def document_statuses(sections: JSONDict, doc_ids: Sequence[str]) -> Statuses:
    """(status, duplicate_of) for every document, from the comparison sections once."""
    statuses: Statuses = dict.fromkeys(doc_ids, ("ok", None))
    for doc_id in sections["too_short"]:
        statuses[doc_id] = ("too-short", None)
    for pair in sections["contained"]:
        statuses[pair["id"]] = ("contained", pair["contained_in"])
    for kind, groups in (
        ("near-duplicate", sections["near_duplicates"]),
        ("duplicate", sections["exact_duplicates"]),
    ):
        for group in groups:
            for member in group["members"]:
                if member != group["keep"]:
                    statuses[member] = (kind, group["keep"])
    return statuses


def build_report(
    docs: Sequence[CleanDoc],
    problems: Sequence[Problem],
    comparison: Comparison,
    removed_repeats: Sequence[JSONDict],
    settings: Settings,
) -> JSONDict:
    """The overlap.json dict for one run."""
    sections = comparison.to_json()
    statuses = document_statuses(sections, [doc.document.id for doc in docs])
    documents = [_document_entry(doc, statuses[doc.document.id]) for doc in docs]
    overlap_kinds = Counter(overlap["kind"] for overlap in sections["overlaps"])
    report: JSONDict = {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "settings": settings.to_json(),
        "summary": {
            "documents": len(docs),
            "problems": len(problems),
            "characters": {
                "normalized": sum(len(doc.document.text) for doc in docs),
                "cleaned": sum(len(doc.text) for doc in docs),
                "removed": sum(len(doc.document.text) - len(doc.text) for doc in docs),
            },
            "removed_by_rule": _removed_by_rule(docs),
            "languages": dict(sorted(Counter(doc.language for doc in docs).items())),
            "exact_duplicate_groups": len(sections["exact_duplicates"]),
            "near_duplicate_clusters": len(sections["near_duplicates"]),
            "overlaps": {kind: overlap_kinds.get(kind, 0) for kind in ("verbatim", "near", "stock")},
            "repeats": len(sections["repeats"]),
            "removed_repeats": len(removed_repeats),
        },
        "documents": documents,
        "problems": [problem.to_json() for problem in problems],
    }
    report.update(sections)
    report["templates"] = summarize_templates(doc.edits for doc in docs)
    report["removed_repeats"] = sorted(
        removed_repeats, key=lambda r: (r["id"], r["first"]["start"], r["second"]["start"])
    )
    return report


def _document_entry(doc: CleanDoc, status_of: tuple[str, str | None]) -> JSONDict:
    status, duplicate_of = status_of
    normalized = len(doc.document.text)
    return {
        "id": doc.document.id,
        "source": doc.document.source,
        "format": doc.document.format,
        "encoding": doc.document.encoding,
        "language": doc.language,
        "characters": {
            "normalized": normalized,
            "cleaned": len(doc.text),
            "removed": normalized - len(doc.text),
        },
        "status": status,
        "published": doc.provenance.get("published"),
        "updated": doc.provenance.get("updated"),
        "duplicate_of": duplicate_of,
        "warnings": list(doc.warnings),
    }


def _removed_by_rule(docs: Sequence[CleanDoc]) -> JSONDict:
    characters: Counter[str] = Counter()
    edits: Counter[str] = Counter()
    for doc in docs:
        for edit in doc.edits:
            characters[edit.rule] += edit.end - edit.start
            edits[edit.rule] += 1
    return {rule: {"characters": characters[rule], "edits": edits[rule]} for rule in sorted(characters)}
