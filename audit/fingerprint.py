"""MinHash signatures for whole documents and for overlapping passage windows.

Everything a corpus comparison needs from one text is computed here, in one
pure, picklable function, so the process pool (and later Spark) can run it per
document and only the corpus stages see more than one text.

The signatures are datasketch's: the permutations are taken from
`datasketch.MinHash(num_perm, seed, scheme="affine32")` and applied exactly as
datasketch applies them (MurmurHash3 32-bit pre-mix, then `a*h + b mod 2**32`),
so a document signature equals the one `MinHash.update_batch` would build from
the same 32-bit shingle hashes (a test checks it) and can go straight into a
`MinHashLSH`. The difference is speed: one numpy matrix per document instead of
one Python call per shingle, and window signatures come from a single
`minimum.reduceat` over that matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from audit.settings import Settings
from audit.shingle import Tokens, mix64, shingle_hashes, tokenize

SCHEME = "affine32"
_U32 = np.uint32
_MAX32 = np.iinfo(np.uint32).max
# Rows of the shingle x permutation matrix built at once: 8,192 x 128 x 4 bytes
# is 4 MiB, small enough to stay in cache, large enough to amortise numpy calls.
ROWS_PER_BATCH = 8192


@dataclass(frozen=True, eq=False)
class Shingled:
    """Tokens and shingles of one text: all that alignment needs."""

    tokens: Tokens
    shingles: np.ndarray  # uint64, one per shingle position (token i .. i+size-1)


@dataclass(frozen=True, eq=False)
class Fingerprint(Shingled):
    """What the corpus stages need from one text: tokens, shingles and signatures."""

    unique_shingles: np.ndarray  # sorted, uint64: the set for exact Jaccard and containment
    signature: np.ndarray  # uint32 [num_perm]: the document's MinHash
    window_starts: np.ndarray  # int64: first shingle position of each window
    window_keys: np.ndarray  # uint64 [windows, bands]: LSH band keys of each window

    @property
    def shingle_count(self) -> int:
        return len(self.shingles)

    def lean_minhash(self, settings: Settings) -> LeanMinHash:
        """The document signature as a datasketch LeanMinHash (for MinHashLSH)."""
        return LeanMinHash(seed=settings.minhash_seed, hashvalues=self.signature, scheme=SCHEME)


@cache
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters (a, b) for this num_perm and seed."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return a.astype(_U32), b.astype(_U32)


@cache
def passage_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) datasketch's MinHashLSH picks for this threshold: the window banding."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def mix32(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finalizer, as datasketch pre-mixes affine32 inputs."""
    values = values ^ (values >> _U32(16))
    values = values * _U32(0x85EBCA6B)
    values = values ^ (values >> _U32(13))
    values = values * _U32(0xC2B2AE35)
    return values ^ (values >> _U32(16))


def minhash_inputs(shingles: np.ndarray) -> np.ndarray:
    """The 32-bit values MinHash sees: the low half of each 64-bit shingle hash."""
    return (shingles & np.uint64(0xFFFFFFFF)).astype(_U32)


def window_layout(shingle_count: int, settings: Settings) -> tuple[np.ndarray, int]:
    """Start positions of the passage windows and their width, both in shingles.

    Windows step by `window_stride` words and a last window is added flush with
    the end, so every shingle lies in some window and the document signature
    is the minimum of the window signatures.
    """
    width = max(settings.window_words - settings.shingle_size + 1, 1)
    if shingle_count <= width:
        return np.zeros(1 if shingle_count else 0, dtype=np.int64), max(shingle_count, 1)
    last = shingle_count - width
    starts = np.arange(0, last + 1, settings.window_stride, dtype=np.int64)
    if starts[-1] != last:
        starts = np.append(starts, last)
    return starts, width


def window_signatures(values: np.ndarray, starts: np.ndarray, width: int, settings: Settings) -> np.ndarray:
    """MinHash signature of every window [start, start+width) of the 32-bit shingle values.

    Windows on the stride grid are assembled from minima of stride-long blocks
    (a window of 21 shingles at stride 10 is two whole blocks and the first
    shingle of a third), so each permuted value is read about once; a window
    flush with the end, off the grid, is computed directly.
    """
    a, b = permutations(settings.num_perm, settings.minhash_seed)
    mixed = mix32(values)
    stride = settings.window_stride
    whole, rest = divmod(width, stride)
    block_count = -(-len(mixed) // stride)
    blocks = np.empty((block_count, len(a)), dtype=_U32)
    heads = np.empty((block_count, len(a)), dtype=_U32)
    per_batch = max(ROWS_PER_BATCH // stride, 1)
    # One buffer per call, filled in place: allocating a fresh matrix per batch
    # (and its temporaries) cost more than the arithmetic itself.
    buffer = np.empty((min(per_batch, block_count) * stride, len(a)), dtype=_U32)
    for first in range(0, block_count, per_batch):
        rows = mixed[first * stride : (first + per_batch) * stride]
        count = -(-len(rows) // stride)
        matrix = buffer[: count * stride]
        np.multiply(rows[:, None], a[None, :], out=matrix[: len(rows)])
        matrix[: len(rows)] += b
        matrix[len(rows) :] = _MAX32  # pad the short last block with a value that never wins a minimum
        shaped = matrix.reshape(count, stride, len(a))
        blocks[first : first + len(shaped)] = shaped.min(axis=1)
        if rest:
            heads[first : first + len(shaped)] = shaped[:, :rest].min(axis=1)
    result = np.empty((len(starts), len(a)), dtype=_U32)
    on_grid = (starts % stride == 0) & (starts + width <= max(len(mixed), width))
    grid = starts[on_grid] // stride
    windows = np.full((len(grid), len(a)), _MAX32, dtype=_U32)
    for offset in range(whole):
        np.minimum(windows, blocks[np.minimum(grid + offset, block_count - 1)], out=windows)
    if rest:
        tail = grid + whole
        present = tail < block_count
        windows[present] = np.minimum(windows[present], heads[tail[present]])
    result[on_grid] = windows
    for index in np.flatnonzero(~on_grid).tolist():
        start = int(starts[index])
        result[index] = (mixed[start : start + width, None] * a[None, :] + b[None, :]).min(axis=0)
    return result


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (window, band): equal keys mean equal band rows, as in MinHashLSH."""
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    for row in range(rows):
        column = signatures[:, row : bands * rows : rows].astype(np.uint64)
        keys = keys * np.uint64(0x100000001B3) + column  # exact for rows <= 2, a polynomial hash beyond
    return mix64(keys) ^ _band_salts(bands)[None, :]


@cache
def _band_salts(bands: int) -> np.ndarray:
    return mix64(np.arange(1, bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))


def shingle_text(text: str, settings: Settings) -> Shingled:
    """Tokens and shingles only: enough to find repeats inside one text."""
    tokens = tokenize(text)
    return Shingled(tokens, shingle_hashes(tokens.hashes, settings.shingle_size))


def fingerprint_text(text: str, settings: Settings) -> Fingerprint:
    """Tokens, shingles, document signature and window band keys of one text."""
    shingled = shingle_text(text, settings)
    tokens, shingles = shingled.tokens, shingled.shingles
    starts, width = window_layout(len(shingles), settings)
    bands, rows = passage_bands(settings.passage_threshold, settings.num_perm)
    if len(shingles):
        windows = window_signatures(minhash_inputs(shingles), starts, width, settings)
        signature = windows.min(axis=0)
    else:
        windows = np.zeros((0, settings.num_perm), dtype=_U32)
        signature = np.full(settings.num_perm, _MAX32, dtype=_U32)
    return Fingerprint(
        tokens=tokens,
        shingles=shingles,
        unique_shingles=np.unique(shingles),
        signature=signature,
        window_starts=starts,
        window_keys=band_keys(windows, bands, rows),
    )
