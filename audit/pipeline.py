"""Wire the stages: ingest, per-document processing, corpus comparison, report.

The pipeline returns data and reports progress through a callback; it never
prints, so the CLI, tests and benchmarks all drive the same function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from audit.compare import CompareDoc, Comparison
from audit.engines import Engine
from audit.engines.local import LocalEngine
from audit.ingest import walk_inputs
from audit.process import Prepared, finish_document, prepare_source
from audit.report.contract import Statuses, build_report, document_statuses
from audit.settings import Settings
from audit.spill import BlockCounter, SpilledDocs, SpillFile, SpillFolder
from audit.types import CleanDoc, JSONDict, Problem, Source

# progress(stage, done, total): total is None while it is not known yet.
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class RunResult:
    docs: Sequence[CleanDoc]  # sorted by id; read from disk when iterated (audit/spill.py)
    problems: tuple[Problem, ...]
    comparison: Comparison
    statuses: Statuses
    report: JSONDict


def run_pipeline(
    input_path: Path,
    settings: Settings | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> RunResult:
    """Clean and compare every document under `input_path`.

    `engine` runs the per-document passes and the comparison: by default a
    local process pool of `jobs` workers (all cores); `make_engine("spark")`
    runs them on Spark with the same results.
    """
    settings = settings or Settings()
    if engine is None:
        own = LocalEngine(jobs)
        try:
            return run_pipeline(input_path, settings, jobs, progress, own)
        finally:
            own.close()
    report_progress = progress or (lambda stage, done, total: None)
    problems: list[Problem] = []
    # Documents stream from the walk through pass 1 into a spill file; only
    # block keys are counted in memory. Pass 2 streams them back, and the
    # cleaned documents go to disk too (see audit/spill.py).
    folder = SpillFolder()
    prepared: SpillFile[Prepared] = SpillFile(folder, "prepared.pickle")
    blocks = BlockCounter()
    sources = _sources(walk_inputs(input_path, settings), problems)
    for done, result in enumerate(engine.map_ordered(prepare_source, sources, settings), start=1):
        if isinstance(result, Problem):
            problems.append(result)
        else:
            prepared.append(result)
            blocks.add(result.block_keys)
        report_progress("read", done, None)
    blocks.finish()

    work = ((item, blocks.view(item.block_keys)) for item in prepared)
    cleaned: SpillFile[CleanDoc] = SpillFile(folder, "cleaned.pickle")
    ids: list[str] = []
    removed_repeats: list[JSONDict] = []
    for done, finished in enumerate(engine.map_ordered(finish_document, work, settings), start=1):
        if isinstance(finished, Problem):
            problems.append(finished)
        else:
            cleaned.append(finished.doc)
            ids.append(finished.doc.document.id)
            removed_repeats.extend(finished.removed_repeats)
        report_progress("clean", done, len(prepared))
    prepared.close()
    prepared.path.unlink()

    docs = SpilledDocs(cleaned, ids)
    report_progress("compare", 0, None)
    comparison = engine.compare(_CompareInputs(docs), settings)
    problems.sort(key=lambda p: (p.source, p.kind, p.message))
    report = build_report(docs, problems, comparison, removed_repeats, settings)
    statuses = document_statuses(report, docs.ids)
    report_progress("compare", 1, 1)
    return RunResult(docs, tuple(problems), comparison, statuses, report)


def _sources(items: Iterable[Source | Problem], problems: list[Problem]) -> Iterator[Source]:
    """The Sources of a walk, as they are found; its Problems go to `problems`."""
    for item in items:
        if isinstance(item, Problem):
            problems.append(item)
        else:
            yield item


class _CompareInputs(Sequence[CompareDoc]):
    """The cleaned documents as the comparison sees them, built from disk when asked for."""

    def __init__(self, docs: SpilledDocs) -> None:
        self._docs = docs

    def __len__(self) -> int:
        return len(self._docs)

    def __getitem__(self, index: int) -> CompareDoc:  # type: ignore[override]
        return compare_input(self._docs[index])

    def __iter__(self) -> Iterator[CompareDoc]:
        return (compare_input(doc) for doc in self._docs)


def compare_input(doc: CleanDoc) -> CompareDoc:
    """The comparison's view of a cleaned document: its id, cleaned text, dates and source."""
    return CompareDoc(
        id=doc.document.id,
        text=doc.text,
        dates=tuple(doc.provenance.get("dates", ())),
        source=doc.document.source,
    )
