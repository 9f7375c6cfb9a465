"""The few errors that stop a run, and the vocabulary of per-file problems that never do.

Two kinds of trouble need opposite handling. A bad input file must never stop a
run (it becomes a `Problem` in the report), while a bad command line or an output
folder that cannot be written must stop it with one clear sentence. Keeping both
vocabularies here lets the CLI map exceptions to exit codes and lets the report
explain every problem kind without either side guessing.
"""

from __future__ import annotations

from audit.types import Problem


class AuditError(Exception):
    """Base of every error the library raises on purpose; its message is one sentence for people."""


class UsageError(AuditError):
    """The command was asked for something impossible (missing input, bad option value)."""


class OutputNotWritable(AuditError):
    """An output file or folder cannot be created or replaced."""


class UnsafePath(AuditError):
    """A name would place an output file outside its output folder."""


# Every Problem.kind the input side produces, with its meaning in one line. The
# report and the README quote these, so a kind is added here before it is used.
PROBLEM_KINDS: dict[str, str] = {
    "binary": "the file is not text (an image, archive, PDF, executable or NUL-heavy data); skipped",
    "broken-symlink": "a symbolic link whose target does not exist; skipped",
    "duplicate-id": "two inputs would share one id; the later one was renamed (it was still processed)",
    "bad-jsonl": "a JSONL line that is not a JSON object with a string 'text'; that line skipped",
    "empty": "the file or record holds no text (zero bytes or only whitespace); skipped",
    "html-no-text": "an HTML page with markup but no readable text; skipped",
    "internal-error": "processing this input hit a bug; skipped (please report the file)",
    "symlink-escape": "a symbolic link that points outside the input folder; not followed",
    "symlink-loop": "a symbolic link that loops or leads back to a folder already read; not followed",
    "too-large": "the file (or JSONL line) is over the size limit; not read",
    "undecodable": "the bytes fit no known text encoding; skipped",
    "unreadable": "the operating system refused to read it (permissions, I/O error, vanished); skipped",
    "unsupported": "not a kind of input that is read (extension or special file); skipped",
}

# Kinds after which the input was still processed: informational, not a skipped input.
NOTE_KINDS: frozenset[str] = frozenset({"duplicate-id"})

# What the run did about each kind, as the middle part of every message.
_OUTCOMES: dict[str, str] = {
    "bad-jsonl": "line skipped",
    "duplicate-id": "renamed and still processed",
    "symlink-escape": "not followed",
    "symlink-loop": "not followed",
    "too-large": "not read",
}


def make_problem(source: str, kind: str, what: str, action: str, where: str | None = None) -> Problem:
    """Build a Problem whose message names the file, what is wrong, what happened and what to do.

    One builder keeps every message in the same shape
    (`path: what is wrong; what happened. What to do.`) and refuses unknown kinds,
    so the report never shows a kind the documentation does not explain. `where`
    is how the message names the input when that differs from `source`
    (`data.jsonl, line 4` for the record `data.jsonl#4`).
    """
    if kind not in PROBLEM_KINDS:
        raise ValueError(f"unknown problem kind {kind!r}")
    message = f"{where or source}: {what}; {_OUTCOMES.get(kind, 'skipped')}."
    if action:
        message += f" {action}"
    return Problem(source=source, kind=kind, message=message)


def record_source(path: str, line: int) -> tuple[str, str]:
    """How a JSONL record is named: as a source (`data.jsonl#4`, as Document.source) and in messages."""
    return f"{path}#{line}", f"{path}, line {line}"


def os_reason(error: OSError) -> str:
    """What the operating system said, in lower case, for the middle of a message."""
    return (error.strerror or type(error).__name__).lower()


def mib(size: int) -> str:
    """A byte count as people read it in a message: `64.0 MiB`."""
    return f"{size / (1024 * 1024):.1f} MiB"
