"""The default engine: the per-document stages on a local process pool.

Ordered results, so outputs never depend on which worker finished first; one
process skips the pool entirely, which keeps small runs and tests fast and
debuggable. Items are submitted a bounded window at a time (not all at once,
as `Executor.map` does), so a corpus streamed in from disk never sits in
memory whole while it waits for a worker. The comparison fingerprints and
aligns on the pool too, and runs the corpus stages in this process with
their bulky arrays on disk.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from itertools import islice
from typing import TypeVar

from audit.compare import CompareDoc, Comparison
from audit.engines.bounded import compare_bounded
from audit.settings import Settings

In = TypeVar("In")
Out = TypeVar("Out")

# Documents per task sent to a worker: large enough to amortise pickling (a
# task costs ~0.1 ms of overhead, a 4 KB document ~2 ms of work), small enough
# that progress moves smoothly on a few hundred files.
CHUNK_SIZE = 16
# Tasks in flight per worker: enough that no worker waits for the next one,
# few enough that the documents waiting in the queue stay a bounded handful.
TASKS_PER_WORKER = 4


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_ordered(
    function: Callable[[In, Settings], Out],
    items: Iterable[In],
    settings: Settings,
    jobs: int,
    pool: ProcessPoolExecutor | None = None,
) -> Iterator[Out]:
    """Apply `function(item, settings)` to every item, yielding results in input order.

    With more than one job the work goes to `pool` (one of `jobs` workers is
    started for this call when none is given).
    """
    return map_batches(partial(_apply_each, function), items, settings, jobs, pool)


def map_batches(
    function: Callable[[list[In], Settings], list[Out]],
    items: Iterable[In],
    settings: Settings,
    jobs: int,
    pool: ProcessPoolExecutor | None = None,
) -> Iterator[Out]:
    """`function(batch, settings)` on batches of CHUNK_SIZE items; results flattened, in input order."""
    if jobs <= 1:
        source = iter(items)
        while chunk := list(islice(source, CHUNK_SIZE)):
            yield from function(chunk, settings)
        return
    if pool is None:
        with ProcessPoolExecutor(max_workers=jobs) as own_pool:
            yield from map_batches(function, items, settings, jobs, own_pool)
        return
    work = partial(function, settings=settings)
    source = iter(items)
    pending: deque[Future[list[Out]]] = deque()
    while True:
        while len(pending) < jobs * TASKS_PER_WORKER:
            chunk = list(islice(source, CHUNK_SIZE))
            if not chunk:
                break
            pending.append(pool.submit(work, chunk))
        if not pending:
            return
        yield from pending.popleft().result()


def _apply_each(function: Callable[[In, Settings], Out], items: list[In], settings: Settings) -> list[Out]:
    return [function(item, settings) for item in items]


class LocalEngine:
    """A process pool of `jobs` workers (or this process alone when `jobs` is 1).

    The pool starts on first use and lives until `close`, so workers load the
    language profiles and lookup tables once per run rather than once per stage.
    """

    name = "local"

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def map_ordered(
        self, function: Callable[[In, Settings], Out], items: Iterable[In], settings: Settings
    ) -> Iterator[Out]:
        return map_ordered(function, items, settings, self.jobs, self._workers())

    def _workers(self) -> ProcessPoolExecutor | None:
        if self.jobs > 1 and self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
        return self._pool

    def compare(self, docs: Sequence[CompareDoc], settings: Settings) -> Comparison:
        """The comparison with its bulky arrays on disk (audit/engines/bounded.py); docs sorted by id."""
        return compare_bounded(docs, settings, self.map_ordered)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
