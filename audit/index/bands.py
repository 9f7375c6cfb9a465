"""Keep the index's LSH bands and shingle counts true, touching only what a batch changes.

Everything here is keyed by distinct cleaned text (`tid`), not by document: two
documents with the same cleaned text are exact duplicates, compare alike with
everything else, and only one of them (the kept one) takes part in the
comparison. So a re-posted copy costs a reference count, not a fingerprint.

The one-shot comparison (audit/compare.py) pairs documents whose passage
windows share an LSH band bucket, with two corpus-wide guards: a window mostly
made of shingles printed by more than `max_bucket_documents` texts is left out
(`candidates.uncommon_windows`), and a bucket still holding more texts than
that is not expanded. Both depend on the whole corpus, so a batch can flip
them for texts it does not contain. To stay exactly equal to a one-shot run, a
batch finds the texts whose guards it flips and marks them "dirty" (their pairs
are looked up again, audit/index/pairs.py):

1. a shingle whose count of texts crosses `max_bucket_documents` makes every
   text holding it recompute its window mask (rows are added or removed);
2. a bucket whose count of texts crosses the limit makes every text in it dirty.

Stored rows always hold the windows that take part in banding now: a
window's rows exist exactly when the current counts leave it in.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from audit.candidates import ShingleFrequency, near_duplicate_bands, uncommon_windows
from audit.fingerprint import Fingerprint, fingerprint_text
from audit.index.sql import fill_temp, shingle_counts, signed, texts_holding
from audit.settings import Settings

Bucket = tuple[int, int]  # (band, key as signed 64-bit)


@dataclass
class Applied:
    """What one batch changed, and the texts whose pairs must be looked up again (`dirty`)."""

    appeared: dict[int, Fingerprint] = field(default_factory=dict)
    vanished: set[int] = field(default_factory=set)
    dirty: set[int] = field(default_factory=set)
    masks: dict[int, np.ndarray] = field(default_factory=dict)  # window masks now, of texts computed here
    crossing_buckets: int = 0
    remasked: int = 0


class BandTables:
    """The text, shingle and band tables of one open index, inside the run's transaction.

    `load_text(tid)` returns the stored cleaned text of a text id; fingerprints
    of stored texts are computed from it at most once per run.
    """

    def __init__(
        self, connection: sqlite3.Connection, settings: Settings, load_text: Callable[[int], str]
    ) -> None:
        self.connection = connection
        self.settings = settings
        self.load_text = load_text
        self.prints: dict[int, Fingerprint] = {}
        self.limit = settings.max_bucket_documents

    def fingerprint(self, tid: int) -> Fingerprint:
        if tid not in self.prints:
            self.prints[tid] = fingerprint_text(self.load_text(tid), self.settings)
        return self.prints[tid]

    def current_mask(self, tid: int) -> np.ndarray:
        """Which windows of a stored text take part in banding, by the counts stored now."""
        fp = self.fingerprint(tid)
        return _mask_from(fp, shingle_counts(self.connection, fp.unique_shingles), self.settings)

    def apply(self, removed: Sequence[str], added: Sequence[tuple[str, Fingerprint]]) -> Applied:
        """Apply one batch: `removed` text keys (one per eligible document gone), `added` (key, print).

        Call it before the batch's document rows change: a text that vanishes
        is fingerprinted from its stored text first.
        """
        applied = Applied()
        net: Counter[str] = Counter(key for key, _ in added)
        net.subtract(removed)
        new_prints = dict(added)
        existing = self._texts(net)
        for key, change in sorted(net.items()):
            tid, docs = existing.get(key, (None, 0))
            if tid is None:
                if change > 0:
                    cursor = self.connection.execute(
                        "INSERT INTO texts (key, docs) VALUES (?, ?)", (key, change)
                    )
                    new_tid = int(cursor.lastrowid or 0)
                    applied.appeared[new_tid] = self.prints[new_tid] = new_prints[key]
            elif docs + change <= 0:
                applied.vanished.add(tid)
                self.fingerprint(tid)
                self.connection.execute("DELETE FROM texts WHERE tid = ?", (tid,))
            elif change:
                self.connection.execute("UPDATE texts SET docs = docs + ? WHERE tid = ?", (change, tid))
        before, after = self._apply_shingles(applied)
        self._apply_windows(applied, before, after)
        self._apply_doc_bands(applied)
        applied.dirty -= applied.vanished
        applied.dirty |= set(applied.appeared)
        return applied

    def _texts(self, keys: Iterable[str]) -> dict[str, tuple[int, int]]:
        fill_temp(self.connection, "wanted_texts", "key", ((key,) for key in keys))
        rows = self.connection.execute(
            "SELECT t.key, t.tid, t.docs FROM wanted_texts w JOIN texts t ON t.key = w.key"
        )
        return {key: (tid, docs) for key, tid, docs in rows}

    def _apply_shingles(self, applied: Applied) -> tuple[ShingleFrequency, ShingleFrequency]:
        """Write the shingle rows; return the counts of every touched shingle before and after."""
        changed = [(fp, 1) for _, fp in sorted(applied.appeared.items())]
        changed += [(self.prints[tid], -1) for tid in sorted(applied.vanished)]
        if changed:
            hashes = np.concatenate([fp.unique_shingles for fp, _ in changed])
            weights = np.concatenate([np.full(len(fp.unique_shingles), sign) for fp, sign in changed])
            touched, inverse = np.unique(hashes, return_inverse=True)
            delta = np.zeros(len(touched), dtype=np.int64)
            np.add.at(delta, inverse, weights)
        else:
            touched, delta = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        counts = shingle_counts(self.connection, touched)
        for tid in sorted(applied.vanished):
            rows = ((value, tid) for value in signed(self.prints[tid].unique_shingles))
            self.connection.executemany("DELETE FROM shingles WHERE hash = ? AND tid = ?", rows)
        for tid, fp in sorted(applied.appeared.items()):
            rows = ((value, tid) for value in signed(fp.unique_shingles))
            self.connection.executemany("INSERT INTO shingles (hash, tid) VALUES (?, ?)", rows)
        return ShingleFrequency(touched, counts), ShingleFrequency(touched, counts + delta)

    def _apply_windows(self, applied: Applied, before: ShingleFrequency, after: ShingleFrequency) -> None:
        changes: list[
            tuple[int, Fingerprint, np.ndarray, np.ndarray]
        ] = []  # (tid, print, mask was, mask now)
        for tid in sorted(applied.vanished):
            fp = self.prints[tid]
            was = _mask_from(fp, before.counts_of(fp.unique_shingles), self.settings)
            changes.append((tid, fp, was, np.zeros_like(was)))
        for tid, fp in sorted(applied.appeared.items()):
            now = _mask_from(fp, after.counts_of(fp.unique_shingles), self.settings)
            applied.masks[tid] = now
            changes.append((tid, fp, np.zeros_like(now), now))
        crossing = before.hashes[(before.counts > self.limit) != (after.counts > self.limit)]
        holders = texts_holding(self.connection, crossing)
        for tid in sorted({t for tids in holders.values() for t in tids} - set(applied.appeared)):
            fp = self.fingerprint(tid)
            shift = after.counts_of(fp.unique_shingles) - before.counts_of(fp.unique_shingles)
            now_counts = shingle_counts(self.connection, fp.unique_shingles)
            was = _mask_from(fp, now_counts - shift, self.settings)
            now = _mask_from(fp, now_counts, self.settings)
            if (was != now).any():
                applied.remasked += 1
                applied.dirty.add(tid)
                applied.masks[tid] = now
                changes.append((tid, fp, was, now))
        self._write_windows(
            [(tid, fp, was & ~now) for tid, fp, was, now in changes],
            "DELETE FROM windows WHERE band = ? AND key = ? AND tid = ? AND pos = ?",
        )
        self._write_windows(
            [(tid, fp, now & ~was) for tid, fp, was, now in changes],
            "INSERT INTO windows (band, key, tid, pos) VALUES (?, ?, ?, ?)",
        )
        self._update_skipped(applied, changes)

    def _update_skipped(
        self, applied: Applied, changes: Sequence[tuple[int, Fingerprint, np.ndarray, np.ndarray]]
    ) -> None:
        """Keep `skipped` true for every bucket whose count of texts the batch changed.

        Texts entering or leaving a bucket are known from their masks, so one
        count after the writes gives both sides: before = after - delta. Only a
        bucket holding more than `limit - |delta|` texts now can have crossed
        the limit (or be skipped on either side), so only those are counted.
        A bucket crossing the limit marks every text in it dirty.
        """
        bands, keys, deltas, moved = _bucket_deltas(changes)
        touched = deltas != 0
        bands, keys, deltas = bands[touched], keys[touched], deltas[touched]
        fill_temp(
            self.connection,
            "changed_buckets",
            "band, key, delta",
            zip(bands.tolist(), keys.tolist(), deltas.tolist(), strict=True),
            key="band, key",
        )
        crossed: list[Bucket] = []
        rows = self.connection.execute(
            "SELECT q.band, q.key, q.delta, count(DISTINCT w.tid) FROM changed_buckets q "
            "LEFT JOIN windows w ON w.band = q.band AND w.key = q.key GROUP BY q.band, q.key "
            "HAVING count(DISTINCT w.tid) > ? - abs(q.delta)",
            (self.limit,),
        ).fetchall()
        for band, key, delta, after in rows:
            bucket = (band, key)
            self.connection.execute("DELETE FROM skipped WHERE band = ? AND key = ?", bucket)
            if after > self.limit:
                self.connection.execute("INSERT INTO skipped (band, key) VALUES (?, ?)", bucket)
            if (after > self.limit) != (after - delta > self.limit):
                crossed.append(bucket)
        # A bucket left out above holds at most limit - |delta| texts after the batch and at most limit
        # before it: it was not skipped and is not, and nothing crossed (emptied buckets count 0 texts).
        applied.crossing_buckets = len(crossed)
        if crossed:
            fill_temp(self.connection, "wanted_buckets", "band, key", crossed)
            applied.dirty.update(
                tid
                for (tid,) in self.connection.execute(
                    "SELECT DISTINCT w.tid FROM wanted_buckets q JOIN windows w ON w.band = q.band AND w.key = q.key"
                )
            )
            lost = set(crossed)
            applied.dirty.update(tid for tid, buckets in moved if buckets & lost)

    def _write_windows(self, rows: Sequence[tuple[int, Fingerprint, np.ndarray]], statement: str) -> None:
        """Write (band, key, tid, pos) rows of the masked-in windows, sorted so the B-tree is walked in order."""
        parts = [_window_rows(tid, fp, mask) for tid, fp, mask in rows if mask.any()]
        if not parts:
            return
        table = np.concatenate(parts)
        table = table[np.lexsort((table[:, 3], table[:, 2], table[:, 1], table[:, 0]))]
        self.connection.executemany(statement, table.tolist())

    def _apply_doc_bands(self, applied: Applied) -> None:
        for tid in sorted(applied.vanished):
            self.connection.executemany(
                "DELETE FROM doc_bands WHERE band = ? AND key = ? AND tid = ?",
                ((band, key, tid) for band, key in enumerate(self.doc_band_keys(self.prints[tid]))),
            )
        for tid, fp in sorted(applied.appeared.items()):
            self.connection.executemany(
                "INSERT INTO doc_bands (band, key, tid) VALUES (?, ?, ?)",
                ((band, key, tid) for band, key in enumerate(self.doc_band_keys(fp))),
            )

    def doc_band_keys(self, fp: Fingerprint) -> list[bytes]:
        """The document signature cut into MinHashLSH's bands, each band's values as bytes.

        Equal bytes mean an equal band, exactly as datasketch's MinHashLSH
        compares them, so a lookup finds the pairs its query would.
        """
        bands, rows = near_duplicate_bands(self.settings.near_duplicate_threshold, self.settings.num_perm)
        signature = np.asarray(fp.signature, dtype="<u4")
        return [signature[band * rows : (band + 1) * rows].tobytes() for band in range(bands)]


def _window_rows(tid: int, fp: Fingerprint, mask: np.ndarray) -> np.ndarray:
    """(band, key, tid, pos) int64 rows for every band of the masked-in windows of `fp`."""
    keys = np.ascontiguousarray(fp.window_keys[mask], dtype=np.uint64).view(np.int64)
    windows, bands = keys.shape
    table = np.empty((windows * bands, 4), dtype=np.int64)
    table[:, 0] = np.tile(np.arange(bands, dtype=np.int64), windows)
    table[:, 1] = keys.ravel()
    table[:, 2] = tid
    table[:, 3] = np.repeat(np.flatnonzero(mask), bands)
    return table


def bucket_pairs(fp: Fingerprint, mask: np.ndarray) -> np.ndarray:
    """The distinct (band, key) buckets of the masked-in windows of `fp`, as sorted int64 rows."""
    return unique_rows(_window_rows(0, fp, mask)[:, :2])


def unique_rows(rows: np.ndarray) -> np.ndarray:
    """Distinct rows of a two-column int64 array, sorted (np.unique(axis=0), several times faster)."""
    return rows[_first_of_runs(rows, _row_order(rows))]


def _row_order(rows: np.ndarray) -> np.ndarray:
    return np.lexsort((rows[:, 1], rows[:, 0])) if len(rows) else np.zeros(0, dtype=np.int64)


def _first_of_runs(rows: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Indices (into `rows`) of the first row of each run of equal rows in `order`."""
    ordered = rows[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (ordered[1:, 0] != ordered[:-1, 0]) | (ordered[1:, 1] != ordered[:-1, 1])
    return order[first]


def _bucket_deltas(
    changes: Sequence[tuple[int, Fingerprint, np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, set[Bucket]]]]:
    """(bands, keys, change in texts) per bucket a change touches, and the buckets each text left.

    A text that only gains or only loses windows enters or leaves whole sets
    of buckets (numpy); one whose mask flips both ways is compared as sets.
    """
    pieces: list[np.ndarray] = []
    signs: list[np.ndarray] = []
    moved: list[tuple[int, set[Bucket]]] = []
    for tid, fp, was, now in changes:
        before, after = bucket_pairs(fp, was), bucket_pairs(fp, now)
        if len(before) and len(after):
            old, new = set(map(tuple, before.tolist())), set(map(tuple, after.tolist()))
            before = np.array(sorted(old - new), dtype=np.int64).reshape(-1, 2)
            after = np.array(sorted(new - old), dtype=np.int64).reshape(-1, 2)
        if len(before):
            moved.append((tid, set(map(tuple, before.tolist()))))
        pieces += [after, before]
        signs += [np.ones(len(after), dtype=np.int64), -np.ones(len(before), dtype=np.int64)]
    if not pieces:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, moved
    everything = np.concatenate(pieces)
    order = _row_order(everything)
    ordered = everything[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (ordered[1:, 0] != ordered[:-1, 0]) | (ordered[1:, 1] != ordered[:-1, 1])
    deltas = np.add.reduceat(np.concatenate(signs)[order], np.flatnonzero(starts)) if len(order) else order
    rows = ordered[starts]
    return rows[:, 0], rows[:, 1], deltas, moved


def _mask_from(fp: Fingerprint, counts: np.ndarray, settings: Settings) -> np.ndarray:
    """The window mask of `fp` given the text counts of its unique shingles (aligned with them)."""
    frequency = ShingleFrequency(fp.unique_shingles, np.asarray(counts, dtype=np.int64))
    return uncommon_windows([fp], frequency, settings)[0]
