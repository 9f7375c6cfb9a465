"""The naive baseline: the base libraries used plainly, one document at a time.

What a first version of this pipeline would do with the same libraries and no
care for speed, so the throughput benchmark can say how much the care buys:
ftfy.fix_text on every text, langdetect on the whole document (seeded),
Python shingling (lowercase, split, join five words), a datasketch MinHash
updated once per shingle, and a MinHashLSH over all documents. Each stage is
timed on its own, in this process.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import ftfy
from datasketch import MinHash, MinHashLSH
from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException

SHINGLE_WORDS = 5
NUM_PERM = 128
THRESHOLD = 0.8


@dataclass
class NaiveTimes:
    """Seconds spent per stage of the naive baseline, and what it found."""

    seconds: dict[str, float] = field(default_factory=dict)
    near_duplicate_pairs: int = 0

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


def run_naive(raw_documents: Sequence[bytes]) -> NaiveTimes:
    """Run the baseline over `raw_documents` (UTF-8 bytes) and time each stage."""
    DetectorFactory.seed = 0
    times = NaiveTimes()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    sketches: list[MinHash] = []
    for index, raw in enumerate(raw_documents):
        started = time.perf_counter()
        text = ftfy.fix_text(raw.decode("utf-8", errors="replace"))
        times.add("decode + ftfy.fix_text", time.perf_counter() - started)

        started = time.perf_counter()
        with contextlib.suppress(LangDetectException):  # a text with no letters has no language
            detect(text)
        times.add("langdetect (whole document)", time.perf_counter() - started)

        started = time.perf_counter()
        words = text.lower().split()
        shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
        times.add("python shingling", time.perf_counter() - started)

        started = time.perf_counter()
        sketch = MinHash(num_perm=NUM_PERM, seed=1)
        for shingle in shingles:
            sketch.update(shingle.encode("utf-8"))
        sketches.append(sketch)
        times.add("MinHash.update per shingle", time.perf_counter() - started)

        started = time.perf_counter()
        lsh.insert(index, sketch)
        times.add("MinHashLSH insert + query", time.perf_counter() - started)

    started = time.perf_counter()
    pairs = {(min(i, j), max(i, j)) for i, sketch in enumerate(sketches) for j in lsh.query(sketch) if i != j}
    times.add("MinHashLSH insert + query", time.perf_counter() - started)
    times.near_duplicate_pairs = len(pairs)
    return times
