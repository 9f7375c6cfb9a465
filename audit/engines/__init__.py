"""Where the work runs: the per-document passes and the corpus comparison, behind one small protocol.

The pipeline never knows whether it runs on a local process pool or on Spark:
it hands an engine pure, picklable per-document functions (`map_ordered`) and
the cleaned corpus (`compare`), and gets back results in input order and a
Comparison. Both engines run the very same stage code, so their reports are
byte-identical (tests/test_spark_engine.py checks it); they differ only in
where the work happens and how candidate grouping is executed (numpy sorts on
one machine, joins and aggregations on a cluster).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol, TypeVar

from audit.compare import CompareDoc, Comparison
from audit.errors import UsageError
from audit.settings import Settings

In = TypeVar("In")
Out = TypeVar("Out")

ENGINES = ("local", "spark")


class Engine(Protocol):
    """An ordered map for per-document stages, and the corpus comparison."""

    name: str

    def map_ordered(
        self, function: Callable[[In, Settings], Out], items: Iterable[In], settings: Settings
    ) -> Iterator[Out]:
        """`function(item, settings)` for every item, yielded in input order."""
        ...

    def compare(self, docs: Sequence[CompareDoc], settings: Settings) -> Comparison:
        """The corpus comparison of the cleaned documents, sorted by id (ids unique)."""
        ...

    def close(self) -> None:
        """Release workers or the Spark session this engine started."""
        ...


def make_engine(name: str = "local", jobs: int | None = None, master: str | None = None) -> Engine:
    """The engine called `name`: "local" (a process pool of `jobs`) or "spark" (on `master`).

    Spark is an optional extra (`pip install 'seed-audit[spark]'`); asking for
    it without pyspark installed is a usage error with the command to run.
    """
    if name == "local":
        if master is not None:
            raise UsageError("--master only applies to --engine spark")
        from audit.engines.local import LocalEngine

        return LocalEngine(jobs)
    if name == "spark":
        try:
            from audit.engines.spark import SparkEngine
        except ImportError as error:
            raise UsageError(
                f"--engine spark needs pyspark ({error}); install it with: pip install 'seed-audit[spark]'"
            ) from None
        return SparkEngine(master=master)
    raise UsageError(f"--engine {name!r}: use one of {', '.join(ENGINES)}")
