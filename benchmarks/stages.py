"""Per-stage timings on one core, for our stages and for the naive baseline, on the same documents.

The stage functions are the ones `audit.process` chains (decode, normalize,
blocks and languages, block keys, rules, provenance, repeats) and the corpus
comparison `compare_fingerprints` runs, called one after another on every
document of a sample so each gets its own clock. One-time set-up (language
profiles, lookup tables, phrase books) is paid before timing starts, as a
long run pays it once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from naive import run_naive

from audit.checks import find_warnings
from audit.clean import clean_view
from audit.compare import CompareDoc, compare_fingerprints, find_repeats
from audit.corpus import corpus_view, count_block_documents
from audit.decode import Decoded, decode_source
from audit.fingerprint import fingerprint_text
from audit.ingest import walk_inputs
from audit.langid import document_language
from audit.normalize import normalize_text
from audit.prepare import prepare_view
from audit.provenance import extract_provenance
from audit.segment import block_key
from audit.settings import Settings
from audit.types import Source

MB = 1_000_000
WARM_UP_DOCUMENTS = 3


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def run(self, stage: str, function: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        result = function(*args)
        self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started
        return result


def _pipeline_stages(sources: list[Source], settings: Settings, clock: _Clock) -> None:
    decoded = [clock.run("decode (charset, HTML)", decode_source, s) for s in sources]
    usable = [(s, d) for s, d in zip(sources, decoded, strict=True) if isinstance(d, Decoded)]
    texts = [clock.run("normalize (ftfy where bad)", normalize_text, d.text) for _, d in usable]
    views = [clock.run("blocks + languages", prepare_view, text, settings) for text in texts]
    keys = [clock.run("block keys", lambda v: tuple(block_key(b.text) for b in v.blocks), v) for v in views]
    counts = clock.run("corpus block counts", count_block_documents, keys)
    docs = []
    for (source, decoded_doc), view, block_keys in zip(usable, views, keys, strict=True):
        corpus = corpus_view(block_keys, counts, len(views))
        cleaned, edits = clock.run(
            "rules + clean", lambda v, c: clean_view(replace(v, corpus=c)), view, corpus
        )
        provenance = clock.run("provenance + checks", _trace, view, edits, cleaned, dict(decoded_doc.meta))
        clock.run("repeats (normalized text)", find_repeats, source.id, view.text, settings)
        docs.append(CompareDoc(source.id, cleaned, tuple(provenance.get("dates", ())), source.path))
    docs.sort(key=lambda d: d.id)
    prints = [clock.run("fingerprint (shingles, MinHash)", fingerprint_text, d.text, settings) for d in docs]
    clock.run("corpus comparison (candidates, alignment)", compare_fingerprints, docs, prints, settings)


def _trace(view: Any, edits: Any, cleaned: str, declared: dict[str, Any]) -> dict[str, Any]:
    document_language(view.blocks)
    find_warnings(cleaned)
    provenance: dict[str, Any] = extract_provenance(view.text, edits, view.blocks, declared)
    return provenance


def _rows(seconds: dict[str, float], total_bytes: int, documents: int) -> dict[str, Any]:
    spent = sum(seconds.values())
    rows = [
        {
            "stage": stage,
            "seconds": value,
            "mb_s": total_bytes / MB / value if value else float("inf"),
            "docs_s": documents / value if value else float("inf"),
            "share": value / spent if spent else 0.0,
        }
        for stage, value in seconds.items()
    ]
    return {"rows": rows, "seconds": spent, "total_mb_s": total_bytes / MB / spent if spent else 0.0}


def measure_stages(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(our stages, naive stages): seconds, MB/s, docs/s and share per stage, one core."""
    settings = Settings()
    sources = [item for item in walk_inputs(folder, settings) if isinstance(item, Source)]
    total = sum(len(s.raw) for s in sources)
    _pipeline_stages(sources[:WARM_UP_DOCUMENTS], settings, _Clock())
    run_naive([s.raw for s in sources[:WARM_UP_DOCUMENTS]])
    clock = _Clock()
    _pipeline_stages(sources, settings, clock)
    ours = _rows(clock.seconds, total, len(sources))
    naive = run_naive([s.raw for s in sources])
    return ours, _rows(naive.seconds, total, len(sources))
