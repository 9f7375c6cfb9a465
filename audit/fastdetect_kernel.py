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
