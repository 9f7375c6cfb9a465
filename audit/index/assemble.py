"""Rebuild the whole corpus comparison from the index: the same Comparison a one-shot run computes.

The expensive, pairwise work is stored (candidate pairs, verified Jaccard,
containment, aligned spans); what depends on the whole corpus is cheap and is
recomputed every run with the very functions `compare_fingerprints` uses:
exact-duplicate groups and which member is kept, near-duplicate clusters and
their families, lineage, judging (with shingle counts per family read from the
index), repeats and the candidate statistics. So a document added today can
merge two old documents into one cluster or turn an old shared passage into a
stock phrase, exactly as a run over everything would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from audit.candidates import ShingleFrequency
from audit.clusters import UnionFind, groups_from_verified
from audit.compare import (
    CandidateCounts,
    Comparison,
    Contained,
    assemble_comparison,
    candidate_of,
    group_exact,
    judged_overlap,
    near_clusters,
    split_too_short,
)
from audit.index.bands import BandTables
from audit.index.pairs import TIE, PairRow, aligned_spans, load_pairs
from audit.index.serial import StoredAlignment
from audit.index.sql import texts_holding
from audit.lineage import decide_source
from audit.pipeline import compare_input
from audit.settings import Settings
from audit.types import CleanDoc, Overlap, Repeat


@dataclass(frozen=True)
class IndexedDoc:
    """One stored document as the comparison needs it."""

    doc: CleanDoc
    shingle_count: int
    tid: int | None  # its distinct text; None when too short to compare
    repeats: tuple[Repeat, ...]


def needs_documents(words: int, settings: Settings) -> bool:
    """Whether `judge_span` reads the document count for a span of `words` words.

    It does only for spans long enough to be copying but short enough to be a
    stock phrase (rule 2 of audit/judge.py); counting for the others is skipped.
    """
    return settings.min_copy_words <= words < settings.stock_max_words


def assemble_from_index(tables: BandTables, docs: Sequence[IndexedDoc], settings: Settings) -> Comparison:
    """The Comparison of every stored document (`docs` sorted by id)."""
    compare_docs = [compare_input(item.doc) for item in docs]
    ids = [d.id for d in compare_docs]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        raise ValueError("stored document ids must be unique and sorted")
    candidates = [candidate_of(d) for d in compare_docs]
    too_short, eligible = split_too_short([item.shingle_count for item in docs], settings)
    exact, active = group_exact([d.text for d in compare_docs], candidates, eligible, settings)
    index_of = {docs[i].tid: i for i in active}
    if len(index_of) != len(active) or None in index_of:
        raise ValueError("every compared text must have exactly one kept document")

    rows = [row for row in load_pairs(tables.connection) if row.a in index_of and row.b in index_of]
    near_pairs = [_indices(row, index_of) for row in rows if row.lsh]
    window_rows = [row for row in rows if row.windows]
    verified = {
        _indices(row, index_of): row.jaccard
        for row in rows
        if row.jaccard >= settings.near_duplicate_threshold
    }
    near, families = near_clusters(groups_from_verified(verified, len(docs)), candidates, settings)

    aligned = [row for row in window_rows if families.find(index_of[row.a]) != families.find(index_of[row.b])]
    contained: list[Contained] = []
    found: list[tuple[tuple[str, str], StoredAlignment, tuple[str | None, dict[str, object]]]] = []
    for row in aligned:
        first, second = sorted((index_of[row.a], index_of[row.b]))
        lineage = decide_source(
            ids[first], compare_docs[first].dates, ids[second], compare_docs[second].dates
        )
        part = first if row.part == TIE else index_of[row.part]
        if row.containment >= settings.containment_threshold:
            whole = second if part == first else first
            contained.append(Contained(ids[part], ids[whole], round(row.containment, 4), *lineage))
        for span in aligned_spans(tables, (row.a, row.b), docs[first].tid or 0):
            found.append(((ids[first], ids[second]), span, lineage))

    frequency = _family_frequency(tables, found, index_of, families, settings)
    overlaps: list[Overlap] = [
        judged_overlap(pair, span.alignment, span.shingles, frequency, lineage, settings)
        for pair, span, lineage in found
    ]
    repeats = [repeat for i in eligible for repeat in docs[i].repeats]
    skipped = tables.connection.execute("SELECT count(*) FROM skipped").fetchone()[0]
    return assemble_comparison(
        exact,
        near,
        contained,
        [ids[i] for i in too_short],
        overlaps,
        repeats,
        CandidateCounts(
            len(near_pairs),
            len(verified),
            sum(row.windows for row in window_rows),
            len(window_rows),
            len(aligned),
            skipped if len(active) >= 2 else 0,
        ),
    )


def _indices(row: PairRow, index_of: dict[int | None, int]) -> tuple[int, int]:
    a, b = index_of[row.a], index_of[row.b]
    return (a, b) if a < b else (b, a)


def _family_frequency(
    tables: BandTables,
    found: Sequence[tuple[tuple[str, str], StoredAlignment, object]],
    index_of: dict[int | None, int],
    families: UnionFind,
    settings: Settings,
) -> ShingleFrequency:
    """In how many families (near-duplicate clusters counted once) each needed shingle occurs."""
    wanted = [span.shingles for _, span, _ in found if needs_documents(span.alignment.words, settings)]
    if not wanted:
        return ShingleFrequency(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
    hashes = np.unique(np.concatenate(wanted))
    holders = texts_holding(tables.connection, hashes)
    find = families.find
    signed = hashes.view(np.int64).tolist()
    counts = [len({find(index_of[tid]) for tid in holders.get(value, ())}) for value in signed]
    return ShingleFrequency(hashes, np.asarray(counts, dtype=np.int64))
