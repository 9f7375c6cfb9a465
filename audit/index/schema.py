"""The index's SQLite file: where it lives, its tables, and opening it safely.

One file, `<out>/index/audit.sqlite`, next to the outputs it explains, so an
output folder is self-contained: copy it and the next run picks up where the
last one stopped. The schema is versioned with `PRAGMA user_version`; a file
written by another schema version is refused with a sentence that says what
to do, never guessed at. Tables, by purpose:

- documents, problems, runs, meta: what was read, from where, by which run;
- blocks: which documents hold which block (site-template statistics across runs);
- texts, shingles: distinct cleaned texts (ids never reused) and the shingles each holds (how many
  documents print a shingle: stock-phrase judging and the "too common" guards);
- doc_bands, windows, skipped: the LSH bands of document and passage-window
  signatures as rows indexed by (band, key), and the buckets too common to expand;
- pairs: candidate pairs found so far with their verified similarity and aligned spans.

Rows are written inside one transaction per run (see audit/incremental.py), and
the journal mode is SQLite's default rollback journal with full sync: a process
killed mid-run leaves a hot journal that the next open rolls back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from audit.errors import AuditError

SCHEMA_VERSION = 1
INDEX_DIR = "index"
INDEX_FILE = "audit.sqlite"
# Page cache for one connection: band rows of a batch are written in key order, but the table
# they go into grows with the corpus; 64 MiB keeps the B-tree's upper levels in memory.
CACHE_KIB = 64 * 1024
# How long to wait for another process holding the index before giving up with a clear message.
BUSY_TIMEOUT_MS = 2000

TABLES = (
    "meta",
    "runs",
    "documents",
    "problems",
    "blocks",
    "texts",
    "shingles",
    "doc_bands",
    "windows",
    "skipped",
    "pairs",
)

_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    command TEXT NOT NULL,
    input TEXT NOT NULL,
    started TEXT NOT NULL,
    added INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    refinished INTEGER NOT NULL,
    problems INTEGER NOT NULL
);
CREATE TABLE documents (
    did INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    root TEXT NOT NULL,
    content TEXT NOT NULL,
    text_key TEXT NOT NULL,
    shingles INTEGER NOT NULL,
    first_run INTEGER NOT NULL,
    run INTEGER NOT NULL,
    size INTEGER NOT NULL,
    doc BLOB NOT NULL
);
CREATE INDEX documents_root ON documents(root);
CREATE INDEX documents_text ON documents(text_key);
CREATE TABLE problems (root TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL);
CREATE INDEX problems_root ON problems(root);
CREATE TABLE blocks (key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE TABLE texts (tid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, docs INTEGER NOT NULL);
CREATE TABLE shingles (
    hash INTEGER NOT NULL, tid INTEGER NOT NULL, PRIMARY KEY (hash, tid)
) WITHOUT ROWID;
CREATE TABLE doc_bands (
    band INTEGER NOT NULL, key BLOB NOT NULL, tid INTEGER NOT NULL, PRIMARY KEY (band, key, tid)
) WITHOUT ROWID;
CREATE TABLE windows (
    band INTEGER NOT NULL, key INTEGER NOT NULL, tid INTEGER NOT NULL, pos INTEGER NOT NULL,
    PRIMARY KEY (band, key, tid, pos)
) WITHOUT ROWID;
CREATE TABLE skipped (band INTEGER NOT NULL, key INTEGER NOT NULL, PRIMARY KEY (band, key)) WITHOUT ROWID;
CREATE TABLE pairs (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    lsh INTEGER NOT NULL,
    windows INTEGER NOT NULL,
    jaccard REAL NOT NULL,
    part INTEGER NOT NULL,
    containment REAL NOT NULL,
    aligned_ab BLOB,
    aligned_ba BLOB,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX pairs_b ON pairs(b);
"""


class IndexUnusable(AuditError):
    """The index cannot be used: another schema version, not a database, busy or unwritable."""


def index_path(out_dir: Path) -> Path:
    """Where the index of an output folder lives."""
    return Path(out_dir) / INDEX_DIR / INDEX_FILE


def connect(path: Path, create: bool) -> sqlite3.Connection:
    """Open (and with `create`, make) the index at `path`, checking its schema version.

    Transactions are managed explicitly (`isolation_level=None`): a run opens
    one with BEGIN IMMEDIATE and commits it once, at its commit point.
    """
    path = Path(path)
    if not create and not path.is_file():
        raise IndexUnusable(f"no index at {path}: run `audit run INPUT --out {path.parent.parent}` first")
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except (OSError, sqlite3.Error) as error:
        raise IndexUnusable(f"cannot open the index {path}: {error}") from None
    try:
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        connection.execute("PRAGMA foreign_keys = OFF")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        has_tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if version == 0 and not has_tables:
            if not create:
                raise IndexUnusable(f"{path} is an empty database, not an audit index")
            _create(connection)
        elif version != SCHEMA_VERSION:
            raise IndexUnusable(
                f"{path} was written by another version of audit (index schema {version}; this audit reads "
                f"schema {SCHEMA_VERSION}). Use another --out, run with --no-index, or delete {path} and "
                "run your input folders again to rebuild it."
            )
    except sqlite3.DatabaseError as error:
        connection.close()
        raise IndexUnusable(
            f"{path} is not a usable audit index ({error}); move it away or delete it"
        ) from None
    except BaseException:
        connection.close()
        raise
    return connection


def _create(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        for statement in _DDL.split(";"):
            if statement.strip():
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def begin(connection: sqlite3.Connection, path: Path) -> None:
    """Start the run's one write transaction, or say that another process holds the index."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise IndexUnusable(
                f"the index {path} is in use by another audit process; try again when it ends"
            ) from None
        raise IndexUnusable(f"cannot write the index {path}: {error}") from None
