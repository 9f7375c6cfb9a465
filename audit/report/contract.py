"""Build reports/overlap.json, the contract other tools read.

All analysis is done before this point; this module only arranges results into
the versioned schema (docs/report-schema.md) with deterministic ordering. The
sections that grow with the corpus (documents, overlaps) are sequences read
from disk, not lists: `audit.report.json_text` writes the dict as JSON.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from audit.compare import Comparison
from audit.rules.site_template import TemplateTally
from audit.settings import Settings
from audit.spill import SpillFile, SpillFolder
from audit.types import CleanDoc, JSONDict, Problem

SCHEMA = "audit.overlap"
SCHEMA_VERSION = 1


Statuses = dict[str, tuple[str, "str | None"]]


def document_statuses(sections: JSONDict, doc_ids: Iterable[str]) -> Statuses:
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
    docs: Iterable[CleanDoc],
    problems: Sequence[Problem],
    comparison: Comparison,
    removed_repeats: Sequence[JSONDict],
    settings: Settings,
) -> JSONDict:
    """The overlap.json dict for one run.

    The documents are read once (from disk, on a large run): every per-document
    figure is gathered in that one pass.
    """
    sections = comparison.to_json()
    statuses = document_statuses(sections, ())
    totals = _Totals()
    # One entry per document: on disk, like the documents themselves (audit/spill.py).
    documents: SpillFile[JSONDict] = SpillFile(SpillFolder(), "documents.pickle")
    for doc in docs:
        documents.append(_document_entry(doc, statuses.get(doc.document.id, ("ok", None))))
        totals.add(doc)
    documents.close()
    overlap_kinds = Counter(overlap["kind"] for overlap in sections["overlaps"])
    report: JSONDict = {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "settings": settings.to_json(),
        "summary": {
            "documents": len(documents),
            "problems": len(problems),
            "characters": {
                "normalized": totals.normalized,
                "cleaned": totals.cleaned,
                "removed": totals.normalized - totals.cleaned,
            },
            "removed_by_rule": {
                rule: {"characters": totals.removed_characters[rule], "edits": totals.removed_edits[rule]}
                for rule in sorted(totals.removed_characters)
            },
            "languages": dict(sorted(totals.languages.items())),
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
    report["templates"] = totals.templates.entries()
    report["removed_repeats"] = sorted(
        removed_repeats, key=lambda r: (r["id"], r["first"]["start"], r["second"]["start"])
    )
    return report


class _Totals:
    """The corpus-wide figures of the summary, added up one document at a time."""

    def __init__(self) -> None:
        self.normalized = 0
        self.cleaned = 0
        self.removed_characters: Counter[str] = Counter()
        self.removed_edits: Counter[str] = Counter()
        self.languages: Counter[str] = Counter()
        self.templates = TemplateTally()

    def add(self, doc: CleanDoc) -> None:
        self.normalized += len(doc.document.text)
        self.cleaned += len(doc.text)
        self.languages[doc.language] += 1
        for edit in doc.edits:
            self.removed_characters[edit.rule] += edit.end - edit.start
            self.removed_edits[edit.rule] += 1
        self.templates.add(doc.edits)


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
