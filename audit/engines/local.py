"""The default engine: the per-document stage on a local process pool.

Ordered results (imap, not imap_unordered) so outputs never depend on which
worker finished first; one process skips the pool entirely, which keeps small
runs and tests fast and debuggable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TypeVar

from audit.settings import Settings

In = TypeVar("In")
Out = TypeVar("Out")

# Documents per task sent to a worker: large enough to amortise pickling, small
# enough that progress moves smoothly on a few hundred files.
CHUNK_SIZE = 16


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_ordered(
    function: Callable[[In, Settings], Out], items: Iterable[In], settings: Settings, jobs: int
) -> Iterator[Out]:
    """Apply `function(item, settings)` to every item, yielding results in input order."""
    if jobs <= 1:
        for item in items:
            yield function(item, settings)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(partial(function, settings=settings), items, chunksize=CHUNK_SIZE)
