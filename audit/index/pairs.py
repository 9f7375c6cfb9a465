"""Find candidate pairs by looking band keys up in the index, and keep what each pair yields.

A pair of texts is a candidate when their document signatures share a
MinHashLSH band (`doc_bands`) or their passage windows share a band bucket
(`windows`) that is not too common (`skipped`), exactly the pairs the one-shot
`compare_fingerprints` would form. Only texts marked dirty by the batch are
looked up; every other pair keeps its stored row. What a pair yields on its
own (verified Jaccard, containment, aligned spans in either direction) is
computed once and stored, so a later run re-judges and re-clusters old pairs
from stored numbers without touching their texts.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from audit.align import align_pair
from audit.clusters import containment, jaccard
from audit.compare import span_shingles
from audit.index.bands import Applied, BandTables, bucket_pairs, unique_rows
from audit.index.serial import StoredAlignment, alignments_from_json, alignments_to_json, pack, unpack
from audit.index.sql import fill_temp

Pair = tuple[int, int]  # (smaller tid, larger tid)
# `part` of a pair whose texts hold as many distinct shingles as each other: the
# document with the smaller id is the part, decided when the ids are known.
TIE = 0


@dataclass(frozen=True)
class PairRow:
    """A stored candidate pair of texts."""

    a: int
    b: int
    lsh: bool
    windows: int  # distinct window pairs sharing a bucket; 0 when only the document LSH paired them
    jaccard: float
    part: int  # tid of the text with fewer distinct shingles, or TIE
    containment: float


def find_support(tables: BandTables, applied: Applied) -> tuple[dict[Pair, int], set[Pair]]:
    """Window-pair counts and document-LSH pairs of every pair that involves a dirty text."""
    connection = tables.connection
    dirty = sorted(applied.dirty)
    found = [
        bucket_pairs(
            tables.fingerprint(tid), applied.masks[tid] if tid in applied.masks else tables.current_mask(tid)
        )
        for tid in dirty
    ]
    buckets = unique_rows(np.concatenate(found)) if found else np.zeros((0, 2), dtype=np.int64)
    fill_temp(connection, "wanted_buckets", "band, key", buckets.tolist())
    dirty_set = set(dirty)
    window_pairs: dict[Pair, set[tuple[int, int]]] = defaultdict(set)
    rows = connection.execute(
        "WITH shared AS (SELECT q.band, q.key FROM wanted_buckets q "
        "JOIN windows w ON w.band = q.band AND w.key = q.key "
        "WHERE NOT EXISTS (SELECT 1 FROM skipped s WHERE s.band = q.band AND s.key = q.key) "
        "GROUP BY q.band, q.key HAVING count(DISTINCT w.tid) >= 2) "
        "SELECT w.band, w.key, w.tid, min(w.pos) FROM shared m JOIN windows w ON w.band = m.band AND w.key = m.key "
        "GROUP BY w.band, w.key, w.tid ORDER BY w.band, w.key, w.tid"
    )
    for _, group in itertools.groupby(rows, key=lambda row: (row[0], row[1])):
        members = [(tid, pos) for _, _, tid, pos in group]
        if len(members) > tables.limit:  # never: such buckets are in `skipped`; kept as a guard
            continue
        for (x, x_pos), (y, y_pos) in itertools.combinations(members, 2):
            if x in dirty_set or y in dirty_set:
                window_pairs[(x, y)].add((x_pos, y_pos))
    lsh_pairs: set[Pair] = set()
    appeared = sorted(applied.appeared)
    rows = [
        (band, key)
        for tid in appeared
        for band, key in enumerate(tables.doc_band_keys(tables.fingerprint(tid)))
    ]
    fill_temp(connection, "wanted_doc_bands", "band, key", rows)
    by_bucket: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for band, key, tid in connection.execute(
        "SELECT d.band, d.key, d.tid FROM wanted_doc_bands q JOIN doc_bands d ON d.band = q.band AND d.key = q.key"
    ):
        by_bucket[(band, key)].append(tid)
    appeared_set = set(appeared)
    for tids in by_bucket.values():
        for x, y in itertools.combinations(sorted(tids), 2):
            if x in appeared_set or y in appeared_set:
                lsh_pairs.add((x, y))
    return {pair: len(found) for pair, found in window_pairs.items()}, lsh_pairs


def update_pairs(tables: BandTables, applied: Applied, windows: dict[Pair, int], lsh: set[Pair]) -> int:
    """Write the batch's pairs: drop those of vanished texts, refresh those of dirty ones. Returns new pairs."""
    connection = tables.connection
    fill_temp(connection, "gone_texts", "tid", ((tid,) for tid in sorted(applied.vanished)))
    connection.execute(
        "DELETE FROM pairs WHERE a IN (SELECT tid FROM gone_texts) OR b IN (SELECT tid FROM gone_texts)"
    )
    fill_temp(connection, "dirty_texts", "tid", ((tid,) for tid in sorted(applied.dirty)))
    connection.execute(
        "UPDATE pairs SET windows = 0 "
        "WHERE a IN (SELECT tid FROM dirty_texts) OR b IN (SELECT tid FROM dirty_texts)"
    )
    added = 0
    for pair in sorted(set(windows) | lsh):
        count, paired = windows.get(pair, 0), pair in lsh
        cursor = connection.execute(
            "UPDATE pairs SET windows = ?, lsh = max(lsh, ?) WHERE a = ? AND b = ?", (count, paired, *pair)
        )
        if cursor.rowcount:
            continue
        row = _new_pair(tables, pair, paired, count)
        connection.execute(
            "INSERT INTO pairs (a, b, lsh, windows, jaccard, part, containment) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row.a, row.b, int(row.lsh), row.windows, row.jaccard, row.part, row.containment),
        )
        added += 1
    connection.execute("DELETE FROM pairs WHERE lsh = 0 AND windows = 0")
    return added


def _new_pair(tables: BandTables, pair: Pair, paired: bool, count: int) -> PairRow:
    a, b = pair
    set_a, set_b = tables.fingerprint(a).unique_shingles, tables.fingerprint(b).unique_shingles
    if len(set_a) == len(set_b):
        part, score = TIE, containment(set_a, set_b)
    elif len(set_a) < len(set_b):
        part, score = a, containment(set_a, set_b)
    else:
        part, score = b, containment(set_b, set_a)
    return PairRow(a, b, paired, count, jaccard(set_a, set_b), part, score)


def load_pairs(connection: sqlite3.Connection) -> list[PairRow]:
    rows = connection.execute(
        "SELECT a, b, lsh, windows, jaccard, part, containment FROM pairs ORDER BY a, b"
    ).fetchall()
    return [
        PairRow(a, b, bool(lsh), windows, score, part, share)
        for a, b, lsh, windows, score, part, share in rows
    ]


def aligned_spans(tables: BandTables, pair: Pair, first: int) -> list[StoredAlignment]:
    """The aligned spans of a pair with text `first` as the `a` side: stored, or computed once and stored."""
    a, b = pair
    column = "aligned_ab" if first == a else "aligned_ba"
    stored = tables.connection.execute(f"SELECT {column} FROM pairs WHERE a = ? AND b = ?", (a, b)).fetchone()
    if stored is not None and stored[0] is not None:
        return alignments_from_json(unpack(stored[0]))  # type: ignore[arg-type]
    second = b if first == a else a
    print_a, print_b = tables.fingerprint(first), tables.fingerprint(second)
    found = [
        StoredAlignment(alignment, span_shingles(alignment, print_a, tables.settings))
        for alignment in align_pair(print_a, print_b, tables.settings)
    ]
    tables.connection.execute(
        f"UPDATE pairs SET {column} = ? WHERE a = ? AND b = ?", (pack(alignments_to_json(found)), a, b)
    )
    return found
