"""langdetect's trials as one compiled loop (numba), for `audit.fastdetect` when numba is installed.

The numpy replay in `audit.fastdetect` spends most of its time moving arrays
around between the few operations each update needs. Compiled, the trials run
exactly as langdetect writes them: one text after another, one update after
another, the same floating-point operations in the same order (no fast-math,
so nothing is reordered or fused; the Gaussian weights are computed in Python
beforehand, since `0.5 + z * 0.05` is the one spot a compiler could fuse).
`audit.fastdetect.check_identical` compares it with langdetect before it is
trusted, as it does the numpy replay.
"""

from __future__ import annotations

import numpy as np

try:
    from numba import njit
except ImportError:  # numba is optional: audit.fastdetect falls back to its numpy replay
    njit = None

AVAILABLE = njit is not None


def _replay_rows(
    gram_rows: np.ndarray,  # int64: every text's n-grams (vocabulary rows), texts end to end
    gram_offsets: np.ndarray,  # int64 [texts + 1]
    probabilities: np.ndarray,  # float64 [vocabulary, languages]
    stream: np.ndarray,  # int64: the 32-bit words Random(seed) produces
    weight_value: np.ndarray,  # float64 per stream position: alpha / BASE_FREQ of a fresh Gaussian pair
    weight_next: np.ndarray,  # ... of that pair's second value (the next trial's)
    trials: int,
    iteration_limit: int,
    threshold: float,
    out: np.ndarray,  # float64 [texts, languages]: langprob
    overflowed: np.ndarray,  # bool [texts]: ran past the precomputed stream
) -> None:
    languages = probabilities.shape[1]
    prob = np.empty(languages)
    size = len(stream)
    for text in range(len(gram_offsets) - 1):
        first = gram_offsets[text]
        count = gram_offsets[text + 1] - first
        shift = 32
        while (1 << (32 - shift)) <= count:  # 32 - count.bit_length()
            shift -= 1
        position = 0
        weight = 0.0
        following = 0.0
        for trial in range(trials):
            if trial % 2 == 0:  # gauss() draws a fresh pair of four words and keeps its second value
                if position + 4 > size:
                    overflowed[text] = True
                    break
                weight = weight_value[position]
                following = weight_next[position]
                position += 4
            else:
                weight = following
            for j in range(languages):
                prob[j] = 1.0 / languages
            i = 0
            while True:
                value = count
                while value >= count:  # Random._randbelow: rejection sampling on getrandbits(k)
                    if position >= size:
                        break
                    value = stream[position] >> shift
                    position += 1
                if value >= count:
                    overflowed[text] = True
                    break
                row = gram_rows[first + value]
                for j in range(languages):
                    prob[j] *= weight + probabilities[row, j]
                if i % 5 == 0:
                    total = 0.0
                    for j in range(languages):
                        total += prob[j]
                    best = 0.0
                    for j in range(languages):
                        p = prob[j] / total
                        if best < p:
                            best = p
                        prob[j] = p
                    if best > threshold or i >= iteration_limit:
                        break
                i += 1
            if overflowed[text]:
                break
            for j in range(languages):
                out[text, j] += prob[j] / trials


# cache=True: the compiled loop is kept in __pycache__, so a worker process starts without a ~1 s compile.
replay_rows = njit(nogil=True, cache=True)(_replay_rows) if AVAILABLE else None


# Fibonacci hashing of an n-gram code into a table of 2**bits slots (open addressing, linear probing).
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
EMPTY = -1


def _fill_table(codes: np.ndarray, rows: np.ndarray, keys: np.ndarray, values: np.ndarray, bits: int) -> None:
    mask = np.int64(len(keys) - 1)
    shift = np.uint64(64 - bits)
    for k in range(len(codes)):
        slot = np.int64((np.uint64(codes[k]) * _GOLDEN) >> shift)
        while keys[slot] != EMPTY:
            slot = (slot + 1) & mask
        keys[slot] = codes[k]
        values[slot] = rows[k]


def _gram_rows(
    points: np.ndarray,  # int64 code points: every text behind a space of its own, texts end to end
    starts: np.ndarray,  # int64 [texts]: where each text's leading space is
    upper: np.ndarray,  # bool per code point: str.isupper()
    keys: np.ndarray,  # int64 hash table of the vocabulary's n-gram codes (EMPTY where free)
    values: np.ndarray,  # int64: the vocabulary row of each key
    bits: int,
    out: np.ndarray,  # int64 [3 * len(points)]: the rows found, texts end to end
    offsets: np.ndarray,  # int64 [texts + 1]: where each text's rows start in `out`
) -> None:
    """`Detector._extract_ngrams` for many texts, as `audit.fastdetect.ngram_batch` documents it."""
    mask = np.int64(len(keys) - 1)
    shift = np.uint64(64 - bits)
    found = 0
    text = 0
    last_space = 0
    for i in range(len(points)):
        opening = text < len(starts) and starts[text] == i
        if opening:
            offsets[text] = found
            text += 1
        point = points[i]
        if point == 32:
            last_space = i
            if opening or points[i - 1] == 32:
                continue  # a text's own leading space, or a space after a space: nothing
            first, last = 2, 3  # a word ends: the 2- and 3-gram ending in the space
        elif upper[point] and upper[points[i - 1]]:
            continue  # inside a run of capitals
        else:
            first, last = 1, 3 if i - last_space >= 2 else 2
        for size in range(first, last + 1):
            code = point
            if size >= 2:
                code |= points[i - 1] << 21
            if size == 3:
                code |= points[i - 2] << 42
            slot = np.int64((np.uint64(code) * _GOLDEN) >> shift)
            while True:
                key = keys[slot]
                if key == code:
                    out[found] = values[slot]
                    found += 1
                    break
                if key == EMPTY:
                    break
                slot = (slot + 1) & mask
    offsets[len(starts)] = found


fill_table = njit(nogil=True, cache=True)(_fill_table) if AVAILABLE else None
gram_rows = njit(nogil=True, cache=True)(_gram_rows) if AVAILABLE else None
