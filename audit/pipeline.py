"""Wire the stages: ingest, per-document processing, corpus comparison, report.

The pipeline returns data and reports progress through a callback; it never
prints, so the CLI, tests and benchmarks all drive the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from audit.compare import CompareDoc, Comparison, compare_corpus
from audit.corpus import corpus_view, count_block_documents
from audit.engines.local import default_jobs, map_ordered
from audit.ingest import walk_inputs
from audit.process import Prepared, Processed, finish_document, prepare_source
from audit.report.contract import Statuses, build_report, document_statuses
from audit.settings import Settings
from audit.types import CleanDoc, JSONDict, Problem, Source

# progress(stage, done, total): total is None while it is not known yet.
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class RunResult:
    docs: tuple[CleanDoc, ...]
    problems: tuple[Problem, ...]
    comparison: Comparison
    statuses: Statuses
    report: JSONDict


def run_pipeline(
    input_path: Path,
    settings: Settings | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Clean and compare every document under `input_path`."""
    settings = settings or Settings()
    report_progress = progress or (lambda stage, done, total: None)
    sources: list[Source] = []
    problems: list[Problem] = []
    for item in walk_inputs(input_path, settings):
        (problems if isinstance(item, Problem) else sources).append(item)

    workers = default_jobs() if jobs is None else max(1, jobs)
    prepared: list[Prepared] = []
    for done, result in enumerate(map_ordered(prepare_source, sources, settings, workers), start=1):
        (problems if isinstance(result, Problem) else prepared).append(result)
        report_progress("read", done, len(sources))

    counts = count_block_documents(item.block_keys for item in prepared)
    work = [(item, corpus_view(item.block_keys, counts, len(prepared))) for item in prepared]
    processed: list[Processed] = []
    for done, finished in enumerate(map_ordered(finish_document, work, settings, workers), start=1):
        (problems if isinstance(finished, Problem) else processed).append(finished)
        report_progress("clean", done, len(work))

    docs = tuple(sorted((p.doc for p in processed), key=lambda d: d.document.id))
    report_progress("compare", 0, None)
    comparison = compare_corpus([_compare_input(doc) for doc in docs], settings)
    removed_repeats = [repeat for p in processed for repeat in p.removed_repeats]
    problems.sort(key=lambda p: (p.source, p.kind, p.message))
    report = build_report(docs, problems, comparison, removed_repeats, settings)
    statuses = document_statuses(report, [doc.document.id for doc in docs])
    report_progress("compare", 1, 1)
    return RunResult(docs, tuple(problems), comparison, statuses, report)


def _compare_input(doc: CleanDoc) -> CompareDoc:
    return CompareDoc(
        id=doc.document.id,
        text=doc.text,
        dates=tuple(doc.provenance.get("dates", ())),
        source=doc.document.source,
    )
