"""The local engine's corpus comparison, with memory that does not grow with the text.

`compare_fingerprints` holds every fingerprint in memory: tokens, shingles and
37 LSH band keys per passage window come to about twelve times the text, so a
1 GB corpus would need 12 GB. This is the same comparison (the same functions
for every decision, and a test that the reports are byte-identical) with the
bulky arrays on disk:

- workers fingerprint the documents; the process keeps a few numbers per
  document, and appends each document's shingles and window keys to spill
  files (window keys one file per LSH band, so a band is read back as one
  column);
- (shingle, document) pairs go to SHINGLE_PARTITIONS files by the shingle's
  top bits, so shingle document frequencies are counted one partition at a time;
- window buckets are found band by band, each band in key ranges of at most
  WINDOWS_PER_PART windows, with the local engine's own `Buckets` (pairs made a batch at a time); the
  window pairs are kept once each as they come (near-identical windows meet
  again in most of the bands), and past a few million written out as sorted
  runs that are merged back a range of pairs at a time (`Distinct`);
- candidate pairs are verified and aligned from the spilled arrays and texts.

Signatures and the keep-policy fields are spilled too (a band of signatures is
read at a time; a document's fields only when it is in a duplicate group), and
aligned pairs and their judged overlaps stream through files. What stays in
memory grows with the number of documents (about 150 bytes each: offsets,
counts, the text hash) and with the number of candidate pairs (8 bytes a
distinct window pair), never with the length of the texts or the number of
overlaps; every read and sort works on bounded pieces (the constants below).
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from audit.candidates import Buckets, ShingleFrequency, near_duplicate_bands, uncommon_windows
from audit.clusters import Candidate, check_keep_policy, groups_from_verified, jaccard
from audit.compare import (
    CandidateCounts,
    CompareDoc,
    Comparison,
    assemble_comparison,
    candidate_of,
    examine_pair,
    group_exact,
    judged_overlap,
    near_clusters,
    overlap_key,
    repeats_of,
    span_shingles,
    split_too_short,
)
from audit.engines.distinct import Distinct, Run
from audit.fingerprint import Shingled, fingerprint_text, shingle_text
from audit.lookup import find_sorted
from audit.settings import Settings
from audit.spill import SpillFile, SpillFolder
from audit.types import Overlap, Repeat

# Partitions of the (shingle, document) pairs: at 1 GB of text (~175M pairs,
# 2.8 GB) one partition is ~11 MB, at 100 MB ~1 MB. At most 256: a partition
# number is one byte.
SHINGLE_PARTITIONS = 256
# Pairs buffered before they are written out to their partitions (~70 MB to flush).
BUFFERED_PAIRS = 2_000_000
# Windows whose band keys are buffered before they are written (~30 MB).
BUFFERED_WINDOWS = 100_000
# Windows of one band sorted at once (~90 MB with the sort's temporaries).
WINDOWS_PER_PART = 1_000_000
# Documents' signatures read at a time (~25 MB at 128 permutations).
SIGNATURES_PER_READ = 50_000
# Values read from a spill file per read (window keys of a band, shingles of a range of documents; 8 MB).
READ_CHUNK = 1_000_000
# Passage windows per range of window pairs merged back from disk (a pair is merged with its range).
WINDOWS_PER_RANGE = 100_000
_U64, _I64 = np.uint64, np.int64
_PAIR_LOW = _U64(0xFFFFFFFF)  # a window pair is one uint64: two 32-bit window numbers


@dataclass(frozen=True, eq=False)
class Printed:
    """What a worker sends back for one document."""

    shingle_count: int
    text_hash: bytes
    signature: np.ndarray
    unique_shingles: np.ndarray
    shingles: np.ndarray
    window_starts: np.ndarray
    window_keys: np.ndarray
    repeats: tuple[Repeat, ...]


@dataclass(frozen=True, eq=False)
class _Positions:
    """The two arrays `uncommon_windows` reads from a fingerprint."""

    shingles: np.ndarray
    window_starts: np.ndarray


def print_document(doc: CompareDoc, settings: Settings) -> Printed:
    """Fingerprint one document (a worker's task); repeats too when it is long enough to compare."""
    fingerprint = fingerprint_text(doc.text, settings)
    long_enough = fingerprint.shingle_count >= settings.min_shingles
    return Printed(
        shingle_count=fingerprint.shingle_count,
        text_hash=hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).digest(),
        signature=fingerprint.signature,
        unique_shingles=fingerprint.unique_shingles,
        shingles=fingerprint.shingles,
        window_starts=fingerprint.window_starts,
        window_keys=fingerprint.window_keys,
        repeats=tuple(repeats_of(doc.id, fingerprint, settings)) if long_enough else (),
    )


@dataclass(frozen=True, eq=False)
class _Shingles(Shingled):
    """Tokens, shingles and the shingle set: what examining a pair needs (no MinHash)."""

    unique_shingles: np.ndarray


def _shingles(text: str, settings: Settings) -> _Shingles:
    shingled = shingle_text(text, settings)
    return _Shingles(shingled.tokens, shingled.shingles, np.unique(shingled.shingles))


def examine_documents(item: tuple[CompareDoc, CompareDoc], settings: Settings) -> tuple[Any, ...]:
    """A candidate pair's containment, lineage and aligned spans (a worker's task)."""
    a, b = item
    a_print, b_print = _shingles(a.text, settings), _shingles(b.text, settings)
    contained, lineage, alignments = examine_pair(a, b, a_print, b_print, settings)
    return contained, lineage, [(x, span_shingles(x, a_print, settings)) for x in alignments]


class _Column:
    """A spill file of values appended document after document and read back whole (an LSH band)."""

    def __init__(self, folder: SpillFolder, name: str, dtype: type) -> None:
        self.path = folder.path / name
        self.dtype = np.dtype(dtype)
        self._writer: BinaryIO = self.path.open("wb", buffering=1 << 20)

    def append(self, values: np.ndarray) -> None:
        self._writer.write(np.ascontiguousarray(values, dtype=self.dtype).tobytes())

    def close(self) -> None:
        self._writer.close()


class _Arrays(_Column):
    """A column whose values are also read back by document index.

    The document offsets are a compact `array` (8 bytes a document, not a list
    of Python ints): at a million documents the difference is hundreds of MB.
    """

    def __init__(self, folder: SpillFolder, name: str, dtype: type) -> None:
        super().__init__(folder, name, dtype)
        self.starts = array("q", [0])

    def append(self, values: np.ndarray) -> None:
        super().append(values)
        self.starts.append(self.starts[-1] + len(values))

    def read(self, index: int) -> np.ndarray:
        count = self.starts[index + 1] - self.starts[index]
        offset = self.starts[index] * self.dtype.itemsize
        return np.fromfile(self.path, dtype=self.dtype, count=count, offset=offset)

    def ranges(self, values: int) -> Iterator[tuple[int, int]]:
        """Consecutive document ranges [first, last) of about `values` values each (one read each)."""
        first = 0
        while first < len(self.starts) - 1:
            limit = self.starts[first] + values
            last = max(first + 1, bisect_right(self.starts, limit, lo=first) - 1)
            yield first, last
            first = last

    def read_range(self, first: int, last: int) -> list[np.ndarray]:
        """The arrays of documents first..last-1, from one read."""
        low = self.starts[first]
        values = np.fromfile(
            self.path, dtype=self.dtype, count=self.starts[last] - low, offset=low * self.dtype.itemsize
        )
        return [values[self.starts[i] - low : self.starts[i + 1] - low] for i in range(first, last)]


class _BandColumns:
    """The windows' LSH band keys, one file per band (a band is read back as one column).

    Written a batch of documents at a time: one write per band per batch, not per document.
    """

    def __init__(self, folder: SpillFolder) -> None:
        self.folder = folder
        self.columns: list[_Column] = []
        self._buffer: list[np.ndarray] = []
        self._buffered = 0

    def append(self, keys: np.ndarray) -> None:
        """One document's window keys, [windows, bands]."""
        if not self.columns:
            self.columns = [_Column(self.folder, f"band-{b:02d}.bin", _U64) for b in range(keys.shape[1])]
        self._buffer.append(keys)
        self._buffered += len(keys)
        if self._buffered >= BUFFERED_WINDOWS:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            keys = np.concatenate(self._buffer)
            self._buffer, self._buffered = [], 0
            for band, column in enumerate(self.columns):
                column.append(keys[:, band])

    def close(self) -> None:
        self.flush()
        for column in self.columns:
            column.close()


class _Partitions:
    """(shingle, document) pairs spread over files by the shingle's top bits.

    Buffered as each document's shingles and sorted by partition only when
    written: the pairs exist one partition at a time, so a flush needs about
    three times the buffer, not nine.
    """

    def __init__(self, folder: SpillFolder) -> None:
        self.paths = [folder.path / f"shingles-{p:03d}.bin" for p in range(SHINGLE_PARTITIONS)]
        for path in self.paths:
            path.touch()
        self._shingles: list[np.ndarray] = []
        self._documents: list[int] = []
        self._buffered = 0
        self._shift = _U64(64 - int(np.log2(SHINGLE_PARTITIONS)))

    def add(self, document: int, shingles: np.ndarray) -> None:
        self._shingles.append(shingles)
        self._documents.append(document)
        self._buffered += len(shingles)
        if self._buffered >= BUFFERED_PAIRS:
            self.flush()

    def flush(self) -> None:
        if not self._shingles:
            return
        lengths = [len(shingles) for shingles in self._shingles]
        shingles = np.concatenate(self._shingles)
        documents = np.repeat(np.array(self._documents, dtype=_U64), lengths)
        self._shingles, self._documents, self._buffered = [], [], 0
        parts = (shingles >> self._shift).astype(np.uint8)  # SHINGLE_PARTITIONS is at most 256
        order = np.argsort(parts, kind="stable")
        bounds = np.searchsorted(parts[order], np.arange(SHINGLE_PARTITIONS + 1))
        for part, (low, high) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)):
            if high > low:
                chosen = order[low:high]
                with self.paths[part].open("ab") as handle:
                    handle.write(np.column_stack((shingles[chosen], documents[chosen])).tobytes())

    def each(self) -> Iterator[np.ndarray]:
        """The pairs of each partition, as [n, 2] arrays of (shingle, document)."""
        self.flush()
        for path in self.paths:
            yield np.fromfile(path, dtype=_U64).reshape(-1, 2)


class _Store:
    """Everything the comparison keeps per document, and the spill files for the rest."""

    def __init__(self, settings: Settings) -> None:
        self.folder = SpillFolder()
        self.unique = _Arrays(self.folder, "unique.bin", _U64)
        self.shingles = _Arrays(self.folder, "shingles.bin", _U64)
        self.starts = _Arrays(self.folder, "starts.bin", _I64)
        self.partitions = _Partitions(self.folder)
        self.bands = _BandColumns(self.folder)
        self.window_offsets = array("q", [0])
        self.signatures = _Column(self.folder, "signatures.bin", np.uint32)
        self.counts: list[int] = []
        self.hashes: list[bytes] = []
        # Read back only for the members of duplicate groups, to choose the one kept.
        self.candidates: SpillFile[Candidate] = SpillFile(self.folder, "candidates.pickle")
        self.repeats: list[Repeat] = []
        self.settings = settings

    def add(self, doc: CompareDoc, printed: Printed) -> None:
        index = len(self.counts)
        self.candidates.append(candidate_of(doc))
        self.counts.append(printed.shingle_count)
        self.hashes.append(printed.text_hash)
        self.signatures.append(printed.signature)
        self.repeats.extend(printed.repeats)
        self.unique.append(printed.unique_shingles)
        self.shingles.append(printed.shingles)
        self.starts.append(printed.window_starts)
        self.partitions.add(index, printed.unique_shingles)
        self.bands.append(printed.window_keys)
        self.window_offsets.append(self.window_offsets[-1] + len(printed.window_keys))

    def close(self) -> None:
        for spill in (self.unique, self.shingles, self.starts, self.signatures, self.bands):
            spill.close()
        self.candidates.close()
        self.partitions.flush()


def compare_bounded(
    docs: Sequence[CompareDoc], settings: Settings, map_ordered: Any, part_windows: int = WINDOWS_PER_PART
) -> Comparison:
    """`compare_fingerprints` for documents sorted by id, with the bulky arrays on disk.

    `map_ordered(function, items, settings)` runs per-document work (the local
    engine's process pool); `part_windows` bounds the windows sorted at once.
    """
    check_keep_policy(settings.keep_policy)
    store = _Store(settings)
    ids: list[str] = []
    waiting: deque[CompareDoc] = deque()  # documents sent to workers, in order, until their print is back

    def each_document() -> Iterator[CompareDoc]:
        for doc in docs:
            if ids and doc.id <= ids[-1]:
                raise ValueError("document ids must be unique and sorted")
            ids.append(doc.id)
            waiting.append(doc)
            yield doc

    try:
        for printed in map_ordered(print_document, each_document(), settings):
            store.add(waiting.popleft(), printed)
        store.close()
        return _compare_stored(docs, ids, store, settings, map_ordered, part_windows)
    finally:
        store.close()
        store.folder.remove()


def _compare_stored(
    docs: Sequence[CompareDoc],
    ids: list[str],
    store: _Store,
    settings: Settings,
    map_ordered: Any,
    part_windows: int,
) -> Comparison:
    too_short, eligible = split_too_short(store.counts, settings)
    exact, active = group_exact(store.hashes, store.candidates, eligible, settings)
    is_active = np.zeros(len(ids), dtype=bool)
    is_active[active] = True

    near_pairs = _near_duplicate_pairs(store, active, settings)
    common = _common_shingles(store, is_active, settings)
    document_pairs, window_pairs, skipped = _window_candidates(
        store, active, common, settings, map_ordered, part_windows
    )
    verified: dict[tuple[int, int], float] = {}
    for a, b in sorted(set(near_pairs) | set(document_pairs)):
        score = jaccard(store.unique.read(a), store.unique.read(b))
        if score >= settings.near_duplicate_threshold:
            verified[(a, b)] = score
    groups = groups_from_verified(verified, len(ids))
    near, families = near_clusters(groups, store.candidates, settings)

    pairs = [(a, b) for a, b in document_pairs if families.find(a) != families.find(b)]
    examined: SpillFile[tuple[Any, ...]] = SpillFile(store.folder, "examined.pickle")
    needed = Distinct()  # the spans' shingles: a few per overlap, never spilled
    for result in map_ordered(examine_documents, ((docs[a], docs[b]) for a, b in pairs), settings):
        examined.append(result)
        needed.add(span for _, span in result[2])
    roots = np.array([families.find(i) for i in range(len(ids))], dtype=_U64)
    frequency = _family_frequency(store, is_active, roots, needed.held())
    # Pairs are in id order, so judging them pair by pair, each pair's spans in report
    # order, gives the overlaps already sorted: they stream to disk and never sit in memory.
    overlaps: SpillFile[Overlap] = SpillFile(SpillFolder(), "overlaps.pickle")
    contained = []
    for (a, b), (found, lineage, spans) in zip(pairs, examined, strict=True):
        if found is not None:
            contained.append(found)
        judged = [
            judged_overlap((ids[a], ids[b]), alignment, span, frequency, lineage, settings)
            for alignment, span in spans
        ]
        for overlap in sorted(judged, key=overlap_key):
            overlaps.append(overlap)
    overlaps.close()
    return assemble_comparison(
        exact,
        near,
        contained,
        [ids[i] for i in too_short],
        overlaps,
        store.repeats,
        CandidateCounts(
            len(near_pairs), len(verified), window_pairs, len(document_pairs), len(pairs), skipped
        ),
    )


def _near_duplicate_pairs(store: _Store, active: Sequence[int], settings: Settings) -> list[tuple[int, int]]:
    """What MinHashLSH returns: pairs whose signatures agree on every row of some band."""
    if not active:
        return []
    bands, rows = near_duplicate_bands(settings.near_duplicate_threshold, settings.num_perm)
    chosen = np.array(active, dtype=_I64)  # sorted
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        slices = _signature_band(store, chosen, slice(band * rows, (band + 1) * rows))
        _, inverse = np.unique(slices.view(f"V{rows * 4}").ravel(), return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        groups = np.split(chosen[order], np.flatnonzero(np.diff(inverse[order])) + 1)
        for members in groups:
            if len(members) > 1:
                pairs.update(combinations(members.tolist(), 2))
    return sorted(pairs)


def _signature_band(store: _Store, chosen: np.ndarray, columns: slice) -> np.ndarray:
    """`columns` of the signatures of the `chosen` documents (sorted), read a range of documents at a time.

    A memory map of the whole file would do the same, but every page it touched
    would count in this process' resident memory (111 MB at 1 GB of text).
    """
    documents = len(store.counts)
    width = store.settings.num_perm
    parts = []
    for first in range(0, documents, SIGNATURES_PER_READ):
        count = min(SIGNATURES_PER_READ, documents - first)
        rows = np.fromfile(
            store.signatures.path, dtype=np.uint32, count=count * width, offset=first * width * 4
        )
        low, high = np.searchsorted(chosen, [first, first + count])
        parts.append(rows.reshape(count, width)[chosen[low:high] - first, columns])
    return np.ascontiguousarray(np.concatenate(parts))


def _common_shingles(store: _Store, is_active: np.ndarray, settings: Settings) -> ShingleFrequency:
    """Shingles in more than `max_bucket_documents` active documents: the only counts the window mask reads."""
    common = []
    for pairs in store.partitions.each():
        kept = pairs[is_active[pairs[:, 1].astype(_I64)], 0]
        values, counts = np.unique(kept, return_counts=True)
        common.append(values[counts > settings.max_bucket_documents])
    hashes = np.concatenate(common) if common else np.zeros(0, _U64)
    return ShingleFrequency(
        np.sort(hashes), np.full(len(hashes), settings.max_bucket_documents + 1, dtype=_I64)
    )


def _window_candidates(
    store: _Store,
    active: Sequence[int],
    common: ShingleFrequency,
    settings: Settings,
    map_ordered: Any,
    part_windows: int,
) -> tuple[list[tuple[int, int]], int, int]:
    """(document pairs, distinct window pairs, skipped buckets), as `find_window_candidates` counts them."""
    offsets = np.array(store.window_offsets, dtype=_I64)
    chosen = [i for i in active if offsets[i + 1] > offsets[i]]
    if len(chosen) < 2 or not store.bands.columns:
        return [], 0, 0
    is_chosen = np.zeros(len(offsets) - 1, dtype=bool)
    is_chosen[chosen] = True
    if offsets[-1] > _PAIR_LOW:
        raise ValueError(
            f"{offsets[-1]:,} passage windows: more than this engine numbers; use the Spark engine"
        )
    kept = np.zeros(int(offsets[-1]), dtype=bool)
    for first, last in store.shingles.ranges(READ_CHUNK):
        documents = [i for i in range(first, last) if is_chosen[i]]
        if documents:
            shingles, starts = store.shingles.read_range(first, last), store.starts.read_range(first, last)
            positions = [_Positions(shingles[i - first], starts[i - first]) for i in documents]
            for index, mask in zip(documents, uncommon_windows(positions, common, settings), strict=True):
                kept[offsets[index] : offsets[index + 1]] = mask
    parts = max(1, -(-int(kept.sum()) // part_windows))
    kept_path, offsets_path = store.folder.path / "kept.bin", store.folder.path / "window-offsets.bin"
    kept.tofile(kept_path)
    offsets.tofile(offsets_path)
    bounds = _pair_ranges(len(kept))
    tasks = [_BandTask(column.path, kept_path, offsets_path, parts, bounds) for column in store.bands.columns]
    found = Distinct(store.folder.path, "window-pairs", bounds)
    skipped = 0
    for runs, band_skipped in map_ordered(band_window_pairs, tasks, settings):
        found.add_runs(runs)
        skipped += band_skipped
    distinct = 0
    documents = []
    for unique in found.chunks():
        distinct += len(unique)
        left, right = (unique >> _U64(32)).astype(_I64), (unique & _PAIR_LOW).astype(_I64)
        documents.append(
            np.unique(np.column_stack((_owners(offsets, left), _owners(offsets, right))), axis=0)
        )
    pairs = np.unique(np.concatenate(documents), axis=0)
    return [(int(a), int(b)) for a, b in pairs.tolist()], distinct, skipped


def _pair_ranges(windows: int) -> np.ndarray:
    """Where each range of window pairs starts (by left window): spilled pairs are merged a range at a time."""
    ranges = max(1, windows // WINDOWS_PER_RANGE)
    return (np.arange(ranges, dtype=_U64) * _U64(windows) // _U64(ranges)) << _U64(32)


@dataclass(frozen=True)
class _BandTask:
    """One LSH band's bucket search, by file: the band's keys, the kept-window mask, the window offsets."""

    band: Path
    kept: Path
    offsets: Path
    parts: int
    bounds: np.ndarray  # of the ranges the pairs are spilled in, when they are too many to hold


def band_window_pairs(task: _BandTask, settings: Settings) -> tuple[list[Run], int]:
    """(runs of distinct window pairs as left << 32 | right, on disk; skipped buckets) of one band.

    A worker's task: bands are independent, so the process pool searches them
    side by side. Pairs go back as files, not arrays: a worker returns a
    chunk of bands at once, and at 1 GB of text their arrays held in the
    workers and in the results waiting for the driver peaked at ~900 MB.
    """
    kept = np.fromfile(task.kept, dtype=bool)
    offsets = np.fromfile(task.offsets, dtype=_I64)
    found = Distinct(task.band.parent, f"{task.band.stem}-pairs", task.bounds)
    skipped = 0
    for part in range(task.parts):
        keys, windows = _band_part(task.band, kept, part, task.parts)
        buckets = Buckets.of(keys, _owners(offsets, windows), settings.max_bucket_documents)
        for pairs in buckets.pairs():
            found.add([(windows[pairs[:, 0]].astype(_U64) << _U64(32)) | windows[pairs[:, 1]].astype(_U64)])
        skipped += buckets.skipped
    return found.spill_all(), skipped


def _owners(offsets: np.ndarray, windows: np.ndarray) -> np.ndarray:
    """The document of each window number (an array per window would grow with the text)."""
    return np.searchsorted(offsets, windows, side="right") - 1


def _band_part(band: Path, kept: np.ndarray, part: int, parts: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys and window numbers of one band's kept windows whose key falls in range `part` of `parts`."""
    keys: list[np.ndarray] = []
    windows: list[np.ndarray] = []
    total = len(kept)
    for first in range(0, total, READ_CHUNK):
        count = min(READ_CHUNK, total - first)
        chunk = np.fromfile(band, dtype=_U64, count=count, offset=first * 8)
        select = kept[first : first + count]
        if parts > 1:
            select = select & ((chunk % _U64(parts)) == _U64(part))
        chosen = np.flatnonzero(select)
        keys.append(chunk[chosen])
        windows.append(chosen + first)
    return np.concatenate(keys), np.concatenate(windows).astype(_I64)


def _family_frequency(
    store: _Store, is_active: np.ndarray, roots: np.ndarray, needed: np.ndarray
) -> ShingleFrequency:
    """Families holding each needed shingle (a near-duplicate cluster counted once), active documents only."""
    hashes: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for pairs in store.partitions.each():
        documents = pairs[:, 1].astype(_I64)
        select = is_active[documents] & find_sorted(needed, pairs[:, 0])[1]  # `needed` is np.unique's: sorted
        if not select.any():
            continue
        family = np.unique(np.column_stack((roots[documents[select]], pairs[select, 0])), axis=0)
        values, per_value = np.unique(family[:, 1], return_counts=True)
        hashes.append(values)
        counts.append(per_value)
    if not hashes:
        return ShingleFrequency(np.zeros(0, _U64), np.zeros(0, _I64))
    merged = np.concatenate(hashes)
    order = np.argsort(merged)
    return ShingleFrequency(merged[order], np.concatenate(counts)[order].astype(_I64))
