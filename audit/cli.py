"""The `audit` command: a thin shell over the library.

Only this module prints or exits. It turns library results into a short summary
and an exit code, and library errors into one clear sentence (never a traceback
with local variables: they hold people's documents).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from audit.cli_common import ExitCode, console, errors_as_exit_codes, with_progress
from audit.cli_index import (
    INDEX_HELP,
    forget_command,
    index_command,
    print_index_lines,
    run_with_index,
    skipped_inputs,
)
from audit.engines import Engine, make_engine
from audit.errors import NOTE_KINDS
from audit.incremental import commit_outputs
from audit.pipeline import RunResult, run_pipeline
from audit.settings import MIB, Settings

EXIT_CODES_HELP = (
    "Exit codes: 0 every input processed; 1 fatal error (outputs or index not writable, index of another "
    "version or in use; nothing half-written is left); "
    "2 usage error (bad option or missing input); 3 finished, but some inputs were skipped "
    "(listed under 'problems' in reports/overlap.json)."
)

app = typer.Typer(
    help="Clean, deduplicate and trace scraped documents. " + INDEX_HELP + " " + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def run(
    input_path: Annotated[
        Path, typer.Argument(help="Folder (searched recursively) or file of .txt/.md/.html/.jsonl documents.")
    ] = Path("seeds"),
    out: Annotated[
        Path, typer.Option("--out", help="Where cleaned/ and reports/ are written (created if missing).")
    ] = Path(),
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0, max=1.0, help="Near-duplicate threshold on word-shingle Jaccard (default 0.8)."
        ),
    ] = None,
    keep: Annotated[
        str | None,
        typer.Option(help="Which near-duplicate to keep: earliest, longest, source:<text>, or none."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    engine: Annotated[
        str,
        typer.Option(
            help="Where the work runs: local (a process pool, the default) or spark "
            "(needs the spark extra; same results)."
        ),
    ] = "local",
    master: Annotated[
        str | None,
        typer.Option(
            help="Spark master URL for --engine spark (e.g. local[4], spark://host:7077, yarn); "
            "default: the one spark-submit was given, else local[*]."
        ),
    ] = None,
    no_index: Annotated[
        bool,
        typer.Option(
            "--no-index",
            help="One-shot run over INPUT_PATH only: the index under --out is neither read nor updated.",
        ),
    ] = False,
    max_file_mb: Annotated[
        float | None,
        typer.Option(
            "--max-file-mb",
            min=0.001,
            help="Refuse (as a problem) any input file or JSONL line larger than this many MiB (default 64).",
        ),
    ] = None,
) -> None:
    """Clean every document under INPUT_PATH and report overlaps and provenance.

    Writes cleaned/<id>.txt, cleaned/manifest.jsonl and reports/overlap.{json,md,html} under --out.
    Originals are never modified. Exit codes: 0 all processed; 1 fatal; 2 usage; 3 some inputs skipped.

    By default the index under --out (index/audit.sqlite) remembers every document: a run processes
    only what is new or changed, and its report covers every indexed document (earlier runs included).
    """
    if not input_path.exists():
        console.print(f"[red]error:[/] {input_path} does not exist; give a folder or file of documents.")
        raise typer.Exit(ExitCode.USAGE)
    settings = _settings_from_options(threshold, keep)
    if max_file_mb is not None:
        settings = replace(settings, max_file_bytes=max(1, int(max_file_mb * MIB)))
    with errors_as_exit_codes(out):
        runner = make_engine(engine, jobs=jobs, master=master)
    indexed = None
    try:
        with errors_as_exit_codes(out):
            if no_index:
                result = _run_with_progress(input_path, settings, runner, quiet)
                commit_outputs(result, out)
            else:
                indexed = run_with_index(input_path, out, settings, runner, quiet)
                result = indexed.result
    finally:
        runner.close()
    if not quiet:
        _print_summary(result, out)
        if indexed is not None:
            print_index_lines(indexed)
    if indexed is not None:
        raise typer.Exit(ExitCode.SKIPPED_INPUTS if skipped_inputs(indexed) else ExitCode.OK)
    skipped = [problem for problem in result.problems if problem.kind not in NOTE_KINDS]
    raise typer.Exit(ExitCode.SKIPPED_INPUTS if skipped else ExitCode.OK)


def _settings_from_options(threshold: float | None, keep: str | None) -> Settings:
    settings = Settings()
    if threshold is not None:
        settings = replace(settings, near_duplicate_threshold=threshold)
    if keep is not None:
        if keep not in {"earliest", "longest", "none"} and not keep.startswith("source:"):
            console.print(f"[red]error:[/] --keep {keep!r}: use earliest, longest, source:<text> or none.")
            raise typer.Exit(ExitCode.USAGE)
        settings = replace(settings, keep_policy=keep)
    return settings


def _run_with_progress(input_path: Path, settings: Settings, engine: Engine, quiet: bool) -> RunResult:
    return with_progress(
        quiet, lambda progress: run_pipeline(input_path, settings, progress=progress, engine=engine)
    )


def _print_summary(result: RunResult, out: Path) -> None:
    summary = result.report["summary"]
    table = Table(title="audit run", show_header=False, box=None, pad_edge=False)
    table.add_row("documents", str(summary["documents"]))
    characters = summary["characters"]
    table.add_row("characters", f"{characters['normalized']:,} read, {characters['removed']:,} removed")
    for rule, counts in summary["removed_by_rule"].items():
        table.add_row(f"  {rule}", f"{counts['characters']:,} chars in {counts['edits']} edits")
    languages = ", ".join(f"{lang} {count}" for lang, count in summary["languages"].items())
    table.add_row("languages", languages or "-")
    overlaps = summary["overlaps"]
    table.add_row(
        "overlaps",
        f"{overlaps['verbatim']} verbatim, {overlaps['near']} near, {overlaps['stock']} stock; "
        f"{summary['repeats']} repeats, {summary['removed_repeats']} removed repeats",
    )
    table.add_row(
        "duplicates",
        f"{summary['exact_duplicate_groups']} exact groups, {summary['near_duplicate_clusters']} near clusters",
    )
    table.add_row("problems", str(summary["problems"]))
    for problem in result.problems[:10]:
        table.add_row("", problem.message)
    if len(result.problems) > 10:
        table.add_row("", f"... and {len(result.problems) - 10} more in reports/overlap.json")
    table.add_row("outputs", f"{out / 'cleaned'}/, {out / 'reports'}/")
    console.print(table)


@app.command("rules")
def list_rules() -> None:
    """List the boilerplate rules in the order they apply, with why each exists."""
    from audit.rules import RULES

    table = Table(show_header=True, box=None)
    table.add_column("rule")
    table.add_column("why")
    for rule in RULES:
        table.add_row(rule.id, rule.why)
    Console().print(table)


app.command("index")(index_command)
app.command("forget")(forget_command)


def main() -> None:
    """Console-script entry point."""
    app()
