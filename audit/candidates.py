"""Candidate pairs by LSH banding, so the corpus is never compared all against all.

Documents go through datasketch's MinHashLSH (the near-duplicate threshold is
about 0.8, few bands, and a few thousand to tens of thousands of queries are
cheap). Passage windows are far more numerous (a 1,000-word article has ~100),
so their banding is done with the same band layout (`MinHashLSH`'s optimal
bands and rows for `passage_threshold`) but in numpy: one sort per band instead
of one dictionary insert per window and band. Either way only pairs that share
a band bucket are ever produced, and every candidate is verified later.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHashLSH

from audit.fingerprint import Fingerprint
from audit.lookup import find_sorted
from audit.settings import Settings

# MinHashLSH weighs false positives against false negatives. Every candidate is
# verified exactly, so a false positive costs one set intersection while a false
# negative loses a duplicate: with (0.5, 0.5) and threshold 0.8 datasketch picks
# 9 bands of 13 rows, which finds a pair of true Jaccard 0.85 only 69 % of the
# time (a repost in the overlap benchmark was missed); (0.1, 0.9) gives 14 x 9,
# finding it 97.5 % of the time at 2.7 % candidates for pairs of Jaccard 0.5.
NEAR_DUPLICATE_WEIGHTS = (0.1, 0.9)
# A window at least half made of shingles printed by more than
# max_bucket_documents documents is boilerplate, not a passage worth pairing: the
# last window of an article ending in a site-wide notice is like that, while a
# window holding a few words of the notice and mostly text of its own is kept.
COMMON_WINDOW_SHARE = 0.5
# Window pairs expanded from buckets at a time (16 bytes each, a few temporaries).
PAIRS_PER_BATCH = 1_000_000


@dataclass(frozen=True, eq=False)
class ShingleFrequency:
    """In how many document families each shingle occurs (a family: one near-duplicate cluster)."""

    hashes: np.ndarray  # sorted unique uint64
    counts: np.ndarray  # int64, families per hash

    @classmethod
    def from_families(cls, families: Sequence[Sequence[np.ndarray]]) -> ShingleFrequency:
        """Count families per shingle; each family is the unique-shingle arrays of its members."""
        per_family = [np.unique(np.concatenate(members)) for members in families if members]
        if not per_family:
            return cls(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
        hashes, counts = np.unique(np.concatenate(per_family), return_counts=True)
        return cls(hashes, counts.astype(np.int64))

    def counts_of(self, shingles: np.ndarray) -> np.ndarray:
        """Family counts of the given shingle hashes (0 for unknown ones)."""
        if len(self.hashes) == 0 or len(shingles) == 0:
            return np.zeros(len(shingles), dtype=np.int64)
        order = np.argsort(shingles, kind="stable")  # sorted queries keep the binary searches cache-friendly
        index, found = find_sorted(self.hashes, shingles[order])
        result = np.empty(len(shingles), dtype=np.int64)
        result[order] = np.where(found, self.counts[index], 0)
        return result

    def median_documents(self, shingles: np.ndarray) -> int:
        """How many documents a span's typical shingle occurs in (median, rounded down)."""
        counts = self.counts_of(shingles)
        return int(np.median(counts)) if len(counts) else 0


@dataclass(frozen=True)
class WindowCandidates:
    """Document pairs (i < j, indices into the fingerprint list) whose windows share a bucket."""

    document_pairs: tuple[tuple[int, int], ...]
    window_pairs: int  # distinct cross-document window pairs that shared a bucket
    skipped_buckets: int  # buckets larger than max_bucket_documents, not expanded


@cache
def near_duplicate_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) MinHashLSH picks for the near-duplicate threshold with NEAR_DUPLICATE_WEIGHTS.

    Computed once per process: datasketch integrates the S-curve numerically,
    which costs more than querying a few thousand documents.
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=NEAR_DUPLICATE_WEIGHTS)
    return lsh.b, lsh.r


def find_near_duplicate_candidates(
    fingerprints: Sequence[Fingerprint], eligible: Sequence[int], settings: Settings
) -> list[tuple[int, int]]:
    """Pairs (i < j) of eligible documents whose signatures collide in MinHashLSH."""
    lsh = MinHashLSH(
        num_perm=settings.num_perm,
        params=near_duplicate_bands(settings.near_duplicate_threshold, settings.num_perm),
    )
    sketches = {index: fingerprints[index].lean_minhash(settings) for index in eligible}
    with lsh.insertion_session() as session:
        for index in sorted(sketches):
            session.insert(index, sketches[index], check_duplication=False)
    pairs = set()
    for index in sorted(sketches):
        for other in lsh.query(sketches[index]):
            if other != index:
                pairs.add((min(index, other), max(index, other)))
    return sorted(pairs)


def find_window_candidates(
    fingerprints: Sequence[Fingerprint],
    eligible: Sequence[int],
    settings: Settings,
    frequency: ShingleFrequency | None = None,
) -> WindowCandidates:
    """Document pairs whose passage windows share at least one LSH band bucket.

    Text printed by more than `max_bucket_documents` documents (site
    boilerplate, a slogan) would pair all of them with each other. Given the
    corpus `frequency`, windows made mostly of such shingles are left out of
    the banding; as a backstop, a bucket still holding more documents than that
    is counted, not expanded. Either way the number of pairs stays linear in the
    corpus size.
    """
    chosen = [index for index in sorted(set(eligible)) if len(fingerprints[index].window_keys)]
    if len(chosen) < 2:
        return WindowCandidates((), 0, 0)
    masks = uncommon_windows([fingerprints[index] for index in chosen], frequency, settings)
    keys = np.concatenate(
        [fingerprints[index].window_keys[mask] for index, mask in zip(chosen, masks, strict=True)]
    )
    owners = np.concatenate(
        [np.full(int(mask.sum()), index, dtype=np.int64) for index, mask in zip(chosen, masks, strict=True)]
    )
    window_pairs: list[np.ndarray] = []
    skipped = 0
    for band in range(keys.shape[1]):
        pairs, band_skipped = bucket_pairs(keys[:, band], owners, settings.max_bucket_documents)
        window_pairs.append(pairs)
        skipped += band_skipped
    all_pairs = np.unique(np.concatenate(window_pairs), axis=0) if window_pairs else np.zeros((0, 2))
    documents = np.unique(np.column_stack((owners[all_pairs[:, 0]], owners[all_pairs[:, 1]])), axis=0)
    return WindowCandidates(
        document_pairs=tuple((int(a), int(b)) for a, b in documents.tolist()),
        window_pairs=len(all_pairs),
        skipped_buckets=skipped,
    )


def uncommon_windows(
    fingerprints: Sequence[Fingerprint], frequency: ShingleFrequency | None, settings: Settings
) -> list[np.ndarray]:
    """Per document, True for each window less than COMMON_WINDOW_SHARE made of over-common shingles."""
    if frequency is None:
        return [np.ones(len(f.window_starts), dtype=bool) for f in fingerprints]
    # One lookup and one pass for all the documents (sorted queries make searchsorted cache-friendly):
    # with the documents' shingles laid end to end, a window's common shingles are a difference of
    # running totals, and its end is capped at its own document's last shingle.
    counts = frequency.counts_of(np.concatenate([f.shingles for f in fingerprints]))
    totals = np.concatenate(([0], np.cumsum(counts > settings.max_bucket_documents)))
    bases = np.concatenate(([0], np.cumsum([len(f.shingles) for f in fingerprints])))
    windows = [len(f.window_starts) for f in fingerprints]
    document = np.repeat(np.arange(len(fingerprints)), windows)
    starts = np.concatenate([f.window_starts for f in fingerprints]).astype(np.int64) + bases[document]
    width = max(settings.window_words - settings.shingle_size + 1, 1)
    ends = np.minimum(starts + width, bases[document + 1])
    masks = (totals[ends] - totals[starts]) < COMMON_WINDOW_SHARE * np.maximum(ends - starts, 1)
    return np.split(masks, np.cumsum(windows)[:-1])


def bucket_pairs(keys: np.ndarray, owners: np.ndarray, max_documents: int) -> tuple[np.ndarray, int]:
    """Cross-document window pairs (global window ids, smaller owner first) sharing a key; skipped buckets."""
    buckets = Buckets.of(keys, owners, max_documents)
    pieces = list(buckets.pairs())
    return (np.concatenate(pieces) if pieces else np.zeros((0, 2), dtype=np.int64)), buckets.skipped


@dataclass(frozen=True, eq=False)
class Buckets:
    """One band's buckets of two to `max_documents` documents, expanded into pairs a batch at a time.

    Within a bucket only a document's first window is kept, so a bucket's size is
    its number of documents and a document repeating one passage cannot blow
    a bucket up quadratically. A bucket of 50 documents makes 1,225 pairs, so a
    million windows in full buckets would make tens of millions: `pairs` yields
    them in batches of a bounded size instead of all at once.
    """

    order: np.ndarray  # window positions, by key then owner, one per (key, owner)
    starts: np.ndarray  # where each pairable bucket starts in `order`
    sizes: np.ndarray  # and how many documents it holds
    skipped: int  # buckets over max_documents, counted and not expanded

    @classmethod
    def of(cls, keys: np.ndarray, owners: np.ndarray, max_documents: int) -> Buckets:
        # Windows arrive in owner order, so a stable sort by key keeps owners ascending within a bucket.
        order = np.argsort(keys, kind="stable")
        sorted_keys, sorted_owners = keys[order], owners[order]
        first_of_owner = np.ones(len(order), dtype=bool)
        first_of_owner[1:] = (sorted_keys[1:] != sorted_keys[:-1]) | (sorted_owners[1:] != sorted_owners[:-1])
        order, sorted_keys = order[first_of_owner], sorted_keys[first_of_owner]
        starts = np.concatenate(([0], np.flatnonzero(np.diff(sorted_keys)) + 1))
        sizes = np.diff(np.concatenate((starts, [len(order)])))
        pairable = (sizes >= 2) & (sizes <= max_documents)
        return cls(order, starts[pairable], sizes[pairable], int(np.sum(sizes > max_documents)))

    def pairs(self) -> Iterator[np.ndarray]:
        """(left, right) window positions, about PAIRS_PER_BATCH rows a batch (one bucket at least)."""
        for size in np.unique(self.sizes).tolist():
            starts = self.starts[self.sizes == size]
            first, second = np.triu_indices(size, k=1)
            per_batch = max(1, PAIRS_PER_BATCH // len(first))
            for low in range(0, len(starts), per_batch):
                chunk = starts[low : low + per_batch, None]
                # Owners ascend within a bucket, so the left window always has the smaller owner.
                yield np.column_stack(
                    (self.order[chunk + first[None, :]].ravel(), self.order[chunk + second[None, :]].ravel())
                )
