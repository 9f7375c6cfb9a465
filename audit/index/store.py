"""CorpusIndex: the documents, problems, runs and block statistics an index holds.

The row-level vocabulary of the index, so the incremental run reads as a
sequence of decisions (what is new, what changed, what to forget) rather than
SQL. Comparison tables (bands, shingles, pairs) live in audit/index/bands.py
and pairs.py; this module owns everything keyed by document.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from audit.index.schema import TABLES, begin, connect, index_path
from audit.index.serial import StoredDoc, pack, stored_from_json, stored_to_json, unpack
from audit.index.sql import fill_temp
from audit.types import Problem


@dataclass(frozen=True)
class DocRow:
    """A stored document without its body: what deciding "new, changed or unchanged" needs."""

    did: int
    id: str
    source: str
    root: str
    content: str  # sha256 of what was read (see incremental.content_key)
    text_key: str  # sha256 of the cleaned text
    shingles: int
    run: int


class CorpusIndex:
    """One open index file; all writes happen inside the run's single transaction."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    def open(cls, out_dir: Path, create: bool = True) -> CorpusIndex:
        path = index_path(out_dir)
        return cls(connect(path, create), path)

    def close(self) -> None:
        self.connection.close()

    def begin(self) -> None:
        begin(self.connection, self.path)

    def commit(self) -> None:
        self.connection.execute("COMMIT")

    def rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    # --- meta and runs --------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def next_run(self) -> int:
        return int(self.connection.execute("SELECT coalesce(max(id), 0) + 1 FROM runs").fetchone()[0])

    def add_run(self, run: int, token: str, command: str, source: str, counts: dict[str, int]) -> None:
        started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        self.connection.execute(
            "INSERT INTO runs (id, token, command, input, started, added, changed, unchanged, removed, "
            "refinished, problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run,
                token,
                command,
                source,
                started,
                *(counts.get(name, 0) for name in ("added", "changed", "unchanged", "removed", "refinished")),
                counts.get("problems", 0),
            ),
        )

    def has_run(self, token: str) -> bool:
        return self.connection.execute("SELECT 1 FROM runs WHERE token = ?", (token,)).fetchone() is not None

    # --- documents ------------------------------------------------------------------------------

    def rows(self) -> dict[str, DocRow]:
        """Every stored document by id (no bodies)."""
        return {
            row[1]: DocRow(*row)
            for row in self.connection.execute(
                "SELECT did, id, source, root, content, text_key, shingles, run FROM documents ORDER BY id"
            )
        }

    def load(self, dids: Iterable[int]) -> dict[int, StoredDoc]:
        wanted = sorted(set(dids))
        fill_temp(self.connection, "wanted_docs", "did", ((did,) for did in wanted))
        return {
            did: stored_from_json(unpack(blob))  # type: ignore[arg-type]
            for did, blob in self.connection.execute(
                "SELECT d.did, d.doc FROM wanted_docs w JOIN documents d ON d.did = w.did"
            )
        }

    def put(self, row: DocRow, stored: StoredDoc, first_run: int) -> int:
        """Insert or replace the document with this id; return its did (kept across versions)."""
        blob = pack(stored_to_json(stored))
        existing = self.connection.execute("SELECT did FROM documents WHERE id = ?", (row.id,)).fetchone()
        values = (row.source, row.root, row.content, row.text_key, row.shingles, row.run, len(blob), blob)
        if existing is not None:
            self.connection.execute(
                "UPDATE documents SET source = ?, root = ?, content = ?, text_key = ?, shingles = ?, run = ?, "
                "size = ?, doc = ? WHERE did = ?",
                (*values, existing[0]),
            )
            return int(existing[0])
        cursor = self.connection.execute(
            "INSERT INTO documents (id, source, root, content, text_key, shingles, run, size, doc, first_run) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row.id, *values, first_run),
        )
        return int(cursor.lastrowid or 0)

    def set_root(self, dids: Sequence[int], root: str) -> None:
        self.connection.executemany(
            "UPDATE documents SET root = ? WHERE did = ?", ((root, did) for did in dids)
        )

    def delete(self, dids: Iterable[int]) -> None:
        self.connection.executemany(
            "DELETE FROM documents WHERE did = ?", ((did,) for did in sorted(set(dids)))
        )

    # --- block statistics (site templates across runs) ------------------------------------------

    def add_blocks(self, doc_id: str, keys: Iterable[str]) -> None:
        self.connection.executemany(
            "INSERT OR IGNORE INTO blocks (key, doc) VALUES (?, ?)",
            ((key, doc_id) for key in sorted(set(keys))),
        )

    def remove_blocks(self, doc_id: str, keys: Iterable[str]) -> None:
        self.connection.executemany(
            "DELETE FROM blocks WHERE key = ? AND doc = ?", ((key, doc_id) for key in sorted(set(keys)))
        )

    def block_counts(self, keys: Iterable[str]) -> dict[str, int]:
        """In how many stored documents each block key occurs."""
        fill_temp(self.connection, "wanted_blocks", "key", ((key,) for key in sorted(set(keys))))
        return dict(
            self.connection.execute(
                "SELECT w.key, count(b.doc) FROM wanted_blocks w JOIN blocks b ON b.key = w.key GROUP BY w.key"
            ).fetchall()
        )

    def documents_with_blocks(self, keys: Iterable[str]) -> set[str]:
        fill_temp(self.connection, "wanted_blocks", "key", ((key,) for key in sorted(set(keys))))
        return {
            doc
            for (doc,) in self.connection.execute(
                "SELECT DISTINCT b.doc FROM wanted_blocks w JOIN blocks b ON b.key = w.key"
            )
        }

    # --- problems -------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        return [
            Problem(source, kind, message)
            for source, kind, message in self.connection.execute(
                "SELECT source, kind, message FROM problems ORDER BY source, kind, message"
            )
        ]

    def replace_problems(self, root: str, problems: Sequence[Problem]) -> None:
        """The problems of one input folder are those of its latest run."""
        self.connection.execute("DELETE FROM problems WHERE root = ?", (root,))
        self.connection.executemany(
            "INSERT INTO problems (root, source, kind, message) VALUES (?, ?, ?, ?)",
            ((root, p.source, p.kind, p.message) for p in problems),
        )

    def drop_problems(self, sources: Iterable[str]) -> None:
        self.connection.executemany(
            "DELETE FROM problems WHERE source = ?", ((s,) for s in sorted(set(sources)))
        )

    def text_ids(self) -> dict[str, int]:
        return dict(self.connection.execute("SELECT key, tid FROM texts").fetchall())

    def clear_comparison(self) -> None:
        """Forget every derived table (bands, shingles, pairs, blocks): a rebuild fills them again."""
        for table in ("blocks", "texts", "shingles", "doc_bands", "windows", "skipped", "pairs"):
            self.connection.execute(f"DELETE FROM {table}")

    def dump(self) -> dict[str, list[tuple[object, ...]]]:
        """Every row of every table, sorted: what tests compare before and after a killed run."""
        return {
            table: sorted(self.connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in TABLES
        }
