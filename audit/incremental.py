"""`audit run` with the persistent index, `audit forget`, and what `audit index` shows.

Users scrape every day: each new folder must be cleaned and compared with
everything seen before without redoing the history. With the index (the
default), a run processes only what is new or changed, looks candidate pairs
up in the stored LSH bands, and reports on the whole indexed corpus, with the
same results as one run over all of it (audit/index/batch.py says how).

Each run is one SQLite transaction, and its outputs are staged and committed
with it (audit/commit.py): a run killed at any moment leaves the index and the
outputs as they were, or, once past its commit point, finished by the next
command. Nothing here prints or exits; the CLI does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from audit.commit import (
    discard_stage,
    install_outputs,
    kill_point,
    output_lock,
    recover_outputs,
    stage_outputs,
)
from audit.engines import Engine
from audit.engines.local import LocalEngine
from audit.errors import UsageError
from audit.index.batch import Batch, BatchCounts, BatchRunner
from audit.index.identity import GENERATION, generation_key
from audit.index.schema import SCHEMA_VERSION, IndexUnusable, connect, index_path
from audit.index.store import CorpusIndex
from audit.ingest import walk_inputs
from audit.pipeline import RunResult
from audit.report.contract import build_report, document_statuses
from audit.settings import Settings
from audit.types import JSONDict, Problem

Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class IndexedRun:
    """A run through the index: its result (over the whole indexed corpus) and what it did."""

    result: RunResult
    counts: BatchCounts
    run_problems: tuple[Problem, ...]  # problems of this run's own inputs: what the exit code reflects
    index: Path
    notes: tuple[str, ...]  # recovery of an interrupted run, rebuilds: one sentence each


def run_indexed(
    input_path: Path,
    out_dir: Path,
    settings: Settings | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> IndexedRun:
    """Add (or refresh) the documents under `input_path` to the index in `out_dir`; rewrite the outputs."""
    settings = settings or Settings()
    input_path = Path(input_path)
    if not input_path.exists():
        raise UsageError(f"input {input_path} does not exist")
    root = str(input_path.resolve())
    return _commit_batch(
        Path(out_dir),
        settings,
        engine,
        progress,
        ("run", root),
        lambda runner: runner.apply(walk_inputs(input_path, settings), root, kill=kill_point),
    )


def forget_documents(
    out_dir: Path,
    ids: Sequence[str],
    settings: Settings | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> IndexedRun:
    """Remove documents (with their bands, windows and pairs) from the index and rewrite the outputs."""
    settings = settings or Settings()
    path = index_path(out_dir)
    if not path.is_file():
        raise UsageError(f"no index at {path}: nothing to forget (is --out right?)")

    def forget(runner: BatchRunner) -> Batch:
        unknown = sorted(set(ids) - set(runner.rows))
        if unknown:
            raise UsageError(
                f"not in the index: {', '.join(unknown)}; `audit index --out {out_dir}` lists what it holds"
            )
        return runner.apply((), None, forget=sorted(set(ids)), kill=kill_point)

    return _commit_batch(Path(out_dir), settings, engine, progress, ("forget", " ".join(sorted(ids))), forget)


def _commit_batch(
    out_dir: Path,
    settings: Settings,
    engine: Engine | None,
    progress: Progress | None,
    what: tuple[str, str],
    apply: Callable[[BatchRunner], Batch],
) -> IndexedRun:
    owned = engine is None
    engine = engine or LocalEngine()
    try:
        return _commit_with(out_dir, settings, engine, progress, what, apply)
    finally:
        if owned:
            engine.close()


def _commit_with(
    out_dir: Path,
    settings: Settings,
    engine: Engine,
    progress: Progress | None,
    what: tuple[str, str],
    apply: Callable[[BatchRunner], Batch],
) -> IndexedRun:
    report = progress or (lambda stage, done, total: None)
    with output_lock(out_dir):
        index = CorpusIndex.open(out_dir, create=what[0] == "run")
        staged = None
        committed = False
        try:
            notes = recover_outputs(out_dir, lambda token, indexed: index.has_run(token) if indexed else True)
            index.begin()
            run = index.next_run()
            runner = BatchRunner(index, settings, engine, report, run)
            batch = apply(runner)
            if batch.counts.rebuilt:
                notes.append("the index was built by another audit version or other settings: rebuilt it")
            report("compare", 1, 1)
            result = _run_result(index, batch, settings)
            token = f"run-{run}-{uuid.uuid4().hex[:12]}"
            index.add_run(run, token, what[0], what[1], batch.counts.to_json())
            staged = stage_outputs(result, out_dir, token, indexed=True)
            index.commit()
            committed = True
            kill_point("committed")
            install_outputs(staged)
        except BaseException:
            if not committed:
                index.rollback()
                if staged is not None:
                    discard_stage(staged)
            raise
        finally:
            index.close()
    return IndexedRun(result, batch.counts, tuple(batch.problems), index.path, tuple(notes))


def _run_result(index: CorpusIndex, batch: Batch, settings: Settings) -> RunResult:
    problems = sorted(index.problems(), key=lambda p: (p.source, p.kind, p.message))
    report = build_report(batch.docs, problems, batch.comparison, batch.removed_repeats, settings)
    statuses = document_statuses(report, [doc.document.id for doc in batch.docs])
    return RunResult(tuple(batch.docs), tuple(problems), batch.comparison, statuses, report)


def commit_outputs(result: RunResult, out_dir: Path) -> tuple[str, ...]:
    """Write a run's outputs without the index, with the same staged, all-or-nothing install."""
    out_dir = Path(out_dir)
    with output_lock(out_dir):
        notes = recover_outputs(
            out_dir, lambda token, indexed: _indexed_run_committed(out_dir, token, indexed)
        )
        staged = stage_outputs(result, out_dir, f"oneshot-{uuid.uuid4().hex[:12]}", indexed=False)
        install_outputs(staged)
    return tuple(notes)


def _indexed_run_committed(out_dir: Path, token: str, indexed: bool) -> bool:
    if not indexed:
        return True
    try:
        connection = connect(index_path(out_dir), create=False)
    except IndexUnusable:
        return False
    try:
        return connection.execute("SELECT 1 FROM runs WHERE token = ?", (token,)).fetchone() is not None
    finally:
        connection.close()


def describe_index(out_dir: Path, settings: Settings | None = None) -> JSONDict:
    """What the index of `out_dir` holds, for `audit index` (finishing an interrupted run first)."""
    settings = settings or Settings()
    out_dir = Path(out_dir)
    path = index_path(out_dir)
    if not path.is_file():
        raise UsageError(f"no index at {path}: run `audit run INPUT --out {out_dir}` first")
    with output_lock(out_dir):
        index = CorpusIndex.open(out_dir, create=False)
        try:
            notes = recover_outputs(out_dir, lambda token, indexed: index.has_run(token) if indexed else True)
            return _describe(index, settings, notes)
        finally:
            index.close()


def _describe(index: CorpusIndex, settings: Settings, notes: list[str]) -> JSONDict:
    connection = index.connection
    rows = index.rows()
    minimum = settings.min_shingles
    roots: dict[str, JSONDict] = {}
    for row in rows.values():
        entry = roots.setdefault(row.root, {"input": row.root, "documents": 0, "last_run": 0})
        entry["documents"] += 1
        entry["last_run"] = max(entry["last_run"], row.run)
    runs = [
        dict(
            zip(
                (
                    "run",
                    "command",
                    "input",
                    "started",
                    "added",
                    "changed",
                    "unchanged",
                    "removed",
                    "refinished",
                    "problems",
                ),
                values,
                strict=True,
            )
        )
        for values in connection.execute(
            "SELECT id, command, input, started, added, changed, unchanged, removed, refinished, problems "
            "FROM runs ORDER BY id"
        )
    ]
    tables = {
        table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("texts", "shingles", "doc_bands", "windows", "skipped", "pairs", "blocks", "problems")
    }
    stored = connection.execute("SELECT coalesce(sum(size), 0) FROM documents").fetchone()[0]
    return {
        "index": str(index.path),
        "schema": SCHEMA_VERSION,
        "bytes": index.path.stat().st_size,
        "documents": len(rows),
        "too_short": sum(1 for row in rows.values() if row.shingles < minimum),
        "distinct_texts": tables["texts"],
        "stored_document_bytes": int(stored),
        "sources": sorted(roots.values(), key=lambda entry: str(entry["input"])),
        "runs": len(runs),
        "last_run": runs[-1] if runs else None,
        "recent_runs": runs[-10:],
        "rows": tables,
        "current": index.meta(GENERATION) == generation_key(settings),
        "notes": notes,
    }
