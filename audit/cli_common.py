"""What both halves of the `audit` command share: exit codes, the console, progress, error mapping.

audit/cli.py (the run command) and audit/cli_index.py (index, forget, the
indexed run) print and exit the same way; keeping that here means a library
error reads the same sentence and gives the same exit code whichever command
met it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from audit.errors import AuditError, UsageError

T = TypeVar("T")
ProgressFn = Callable[[str, int, "int | None"], None]

console = Console(stderr=True)


class ExitCode(IntEnum):
    OK = 0
    FATAL = 1
    USAGE = 2
    SKIPPED_INPUTS = 3


def with_progress(quiet: bool, work: Callable[[ProgressFn | None], T]) -> T:
    """Run `work`, drawing a progress bar on a terminal unless `quiet`."""
    if quiet or not sys.stderr.isatty():
        return work(None)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        return work(progress)


@contextmanager
def errors_as_exit_codes(out: Path) -> Iterator[None]:
    """Library errors as one sentence and an exit code: usage 2; index, outputs or disk trouble 1."""
    try:
        yield
    except UsageError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(ExitCode.USAGE) from None
    except AuditError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(ExitCode.FATAL) from None
    except OSError as error:
        console.print(f"[red]error:[/] cannot write under {out}: {error.strerror or error}.")
        raise typer.Exit(ExitCode.FATAL) from None
