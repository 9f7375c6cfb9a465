"""Distinct uint64 values of arrays that keep coming, in bounded memory.

The bounded comparison finds the same window pair again in most LSH bands, and
the number of distinct pairs grows faster than the corpus (every new copy of a
passage pairs with all the earlier ones). So values are merged to distinct ones
as they come, and once more than HELD are distinct they are written out as a
sorted run: memory stays at HELD values (plus the merge's temporaries), and the
runs are merged back a range of values at a time, the way an external sort
does. Runs are plain files in a folder the caller owns, so a worker process can
write runs and hand them to another process by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_U64 = np.uint64


@dataclass(frozen=True)
class Run:
    """A sorted run of distinct values on disk; `offsets[r]` is where value range r starts in it."""

    path: Path
    offsets: np.ndarray

    def read(self, first_range: int, last_range: int) -> np.ndarray:
        """The run's values in ranges first_range .. last_range - 1."""
        low, high = int(self.offsets[first_range]), int(self.offsets[last_range])
        return np.fromfile(self.path, dtype=_U64, count=high - low, offset=low * 8)


class Distinct:
    """Distinct values of what is `add`ed, held in memory up to HELD values and spilled as runs beyond.

    `bounds` (sorted, first 0) split the values into ranges; a run records where
    each starts, so `chunks` can merge the runs one group of ranges at a time.
    With `folder` None nothing is ever spilled (for value sets known to be small).
    """

    MERGE_AT = 4_000_000  # values added before they are merged with the distinct ones so far
    HELD = 4_000_000  # distinct values kept in memory before they are written out as a run

    def __init__(self, folder: Path | None = None, name: str = "", bounds: np.ndarray | None = None) -> None:
        self._folder, self._name = folder, name
        self._bounds = np.zeros(1, dtype=_U64) if bounds is None else bounds
        self._parts: list[np.ndarray] = []
        self._merged = 0  # distinct values at the last merge
        self._new = 0  # values added since
        self.runs: list[Run] = []

    def add(self, arrays: Iterable[np.ndarray]) -> None:
        for values in arrays:
            self._parts.append(values)
            self._new += len(values)
        if self._new >= max(self.MERGE_AT, self._merged):  # merging costs about what has come in
            merged = self.held()
            self._parts, self._merged, self._new = [merged], len(merged), 0
            if self._folder is not None and len(merged) > self.HELD:
                self._spill(merged)

    def add_runs(self, runs: Iterable[Run]) -> None:
        """Take over runs another `Distinct` wrote (with the same bounds)."""
        self.runs.extend(runs)

    def held(self) -> np.ndarray:
        """The values held in memory, sorted and distinct (all of them when nothing was spilled)."""
        if not self._parts:
            return np.zeros(0, _U64)
        return np.unique(np.concatenate(self._parts)) if len(self._parts) > 1 or self._new else self._parts[0]

    def spill_all(self) -> list[Run]:
        """Write what is held as a run too; returns every run (a worker hands them to its caller)."""
        held = self.held()
        if len(held):
            self._spill(held)
        return self.runs

    def chunks(self) -> Iterator[np.ndarray]:
        """All the distinct values, sorted, a group of ranges at a time (about HELD values a group)."""
        held = self.held()
        if not self.runs:
            yield held
            return
        ranges = len(self._bounds)
        held_offsets = _offsets(held, self._bounds)
        sizes = sum(np.diff(run.offsets) for run in self.runs) + np.diff(held_offsets)
        first = 0
        while first < ranges:
            last = first + 1
            while last < ranges and sizes[first : last + 1].sum() <= self.HELD:
                last += 1
            parts = [run.read(first, last) for run in self.runs]
            parts.append(held[held_offsets[first] : held_offsets[last]])
            yield np.unique(np.concatenate(parts))
            first = last

    def _spill(self, values: np.ndarray) -> None:
        assert self._folder is not None
        path = self._folder / f"{self._name}-{len(self.runs)}.bin"
        values.tofile(path)
        self.runs.append(Run(path, _offsets(values, self._bounds)))
        self._parts, self._merged, self._new = [], 0, 0


def _offsets(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Where each range starts in sorted `values`, and their end: len(bounds) + 1 positions."""
    return np.append(np.searchsorted(values, bounds), len(values)).astype(np.int64)
