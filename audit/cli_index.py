"""The index side of the `audit` command: `audit index`, `audit forget`, and `audit run` with the index.

Kept apart from audit/cli.py so the run command stays readable: cli.py owns the
options every run has, this module what the persistent index adds (counts of
new, changed and unchanged documents, what the index holds, forgetting).
Like cli.py, only this module prints or exits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from audit.cli_common import ExitCode, console, errors_as_exit_codes, with_progress
from audit.engines import Engine
from audit.engines.local import LocalEngine
from audit.errors import NOTE_KINDS
from audit.incremental import IndexedRun, describe_index, forget_documents, run_indexed
from audit.index.schema import INDEX_DIR, INDEX_FILE
from audit.settings import Settings

INDEX_HELP = (
    f"The index ({INDEX_DIR}/{INDEX_FILE} under --out) remembers every document read: a later run "
    "processes only what is new or changed and reports on everything indexed."
)


def run_with_index(
    input_path: Path, out: Path, settings: Settings, engine: Engine, quiet: bool
) -> IndexedRun:
    """`audit run` through the index (errors propagate to the run command, which maps them)."""
    return with_progress(
        quiet, lambda progress: run_indexed(input_path, out, settings, engine=engine, progress=progress)
    )


def print_index_lines(indexed: IndexedRun) -> None:
    """What the index did in this run, under the run summary."""
    counts = indexed.counts
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row(
        "index",
        f"{counts.added} new, {counts.changed} changed, {counts.unchanged} unchanged (not cleaned again), "
        f"{counts.removed} removed",
    )
    if counts.refinished:
        table.add_row(
            "", f"{counts.refinished} earlier documents cleaned again (site-template counts changed)"
        )
    table.add_row("", f"the report covers all {len(indexed.result.docs)} indexed documents ({indexed.index})")
    for note in indexed.notes:
        table.add_row("note", note)
    console.print(table)


def _size(count: int) -> str:
    """A byte count as people read it."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def skipped_inputs(indexed: IndexedRun) -> bool:
    return any(problem.kind not in NOTE_KINDS for problem in indexed.run_problems)


def index_command(
    out: Annotated[Path, typer.Option("--out", help="The output folder whose index to show.")] = Path(),
    as_json: Annotated[bool, typer.Option("--json", help="Print the description as JSON on stdout.")] = False,
) -> None:
    """Show what the index under --out holds: documents, input folders, runs, sizes, the last run.

    Exit codes: 0 shown; 1 the index is unusable (another version, corrupt, busy); 2 no index there.
    """
    with errors_as_exit_codes(out):
        description = describe_index(out)
    if as_json:
        typer.echo(json.dumps(description, ensure_ascii=False, indent=2))
        raise typer.Exit(ExitCode.OK)
    table = Table(title="audit index", show_header=False, box=None, pad_edge=False)
    table.add_row(
        "index",
        f"{description['index']} ({_size(description['bytes'])}, schema {description['schema']})",
    )
    table.add_row(
        "documents",
        f"{description['documents']} ({description['distinct_texts']} distinct comparable texts, "
        f"{description['too_short']} too short to compare; "
        f"{_size(description['stored_document_bytes'])} stored)",
    )
    for source in description["sources"]:
        table.add_row(
            "  from", f"{source['input']}: {source['documents']} documents (last run {source['last_run']})"
        )
    rows = description["rows"]
    table.add_row(
        "rows",
        f"{rows['windows']:,} window bands, {rows['doc_bands']:,} document bands, {rows['shingles']:,} shingles, "
        f"{rows['pairs']:,} candidate pairs, {rows['problems']} problems",
    )
    last = description["last_run"]
    if last:
        table.add_row(
            "last run",
            f"#{last['run']} {last['command']} {last['input']} at {last['started']}: {last['added']} new, "
            f"{last['changed']} changed, {last['unchanged']} unchanged, {last['removed']} removed",
        )
    table.add_row("runs", str(description["runs"]))
    if not description["current"]:
        table.add_row("note", "built by another audit version or other settings: the next run rebuilds it")
    for note in description["notes"]:
        table.add_row("note", note)
    console.print(table)
    raise typer.Exit(ExitCode.OK)


def forget_command(
    ids: Annotated[
        list[str], typer.Argument(help="Ids of the documents to remove (as in reports/overlap.json).")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="The output folder whose index and outputs to update.")
    ] = Path(),
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
) -> None:
    """Remove documents from the index (with their bands and pairs) and rewrite cleaned/ and reports/.

    A forgotten document comes back if its input folder is run again: remove the file too.
    Exit codes: 0 removed and outputs rewritten; 1 fatal (index unusable, outputs not writable);
    2 usage (no index under --out, unknown id).
    """
    engine = LocalEngine(jobs)
    try:
        with errors_as_exit_codes(out):
            indexed = with_progress(
                quiet, lambda progress: forget_documents(out, ids, engine=engine, progress=progress)
            )
    finally:
        engine.close()
    if not quiet:
        console.print(
            f"forgot {', '.join(sorted(set(ids)))}; {len(indexed.result.docs)} documents remain; "
            f"outputs rewritten under {out}. Delete or move the file(s) too, or the next run of their folder "
            "adds them again."
        )
        for note in indexed.notes:
            console.print(f"note: {note}")
    raise typer.Exit(ExitCode.OK)
