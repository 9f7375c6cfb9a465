"""Small SQL helpers shared by the index modules: bulk lookups through temporary tables.

SQLite has no array parameters, and thousands of `?` in an IN list hit its
variable limit; a temporary table joined against the indexed one is one
statement however many keys there are, and lets the B-tree do the work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np


def signed(values: np.ndarray) -> list[int]:
    """uint64 hashes as the signed 64-bit integers SQLite stores (the same bits)."""
    return np.ascontiguousarray(values, dtype=np.uint64).view(np.int64).tolist()


def fill_temp(
    connection: sqlite3.Connection,
    name: str,
    columns: str,
    rows: Iterable[Sequence[object]],
    key: str | None = None,
) -> None:
    """(Re)fill the temporary table `name(columns)`, keyed by `key` (default: all columns).

    `columns` and `key` are trusted literals from this package (never user data),
    e.g. "band, key". Rows given in key order insert fastest.
    """
    width = len(columns.split(","))
    connection.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns}, PRIMARY KEY ({key or columns})) WITHOUT ROWID"
    )
    connection.execute(f"DELETE FROM {name}")
    marks = ", ".join("?" * width)
    connection.executemany(f"INSERT OR IGNORE INTO {name} VALUES ({marks})", rows)


def shingle_counts(connection: sqlite3.Connection, hashes: np.ndarray) -> np.ndarray:
    """For each hash (sorted unique uint64), in how many distinct stored texts it occurs."""
    if len(hashes) == 0:
        return np.zeros(0, dtype=np.int64)
    fill_temp(connection, "wanted_hashes", "hash", ((value,) for value in signed(hashes)))
    found = dict(
        connection.execute(
            "SELECT w.hash, count(s.tid) FROM wanted_hashes w JOIN shingles s ON s.hash = w.hash "
            "GROUP BY w.hash"
        ).fetchall()
    )
    return np.array([found.get(value, 0) for value in signed(hashes)], dtype=np.int64)


def texts_holding(connection: sqlite3.Connection, hashes: np.ndarray) -> dict[int, list[int]]:
    """hash (as signed int) -> ids of the stored texts holding it."""
    if len(hashes) == 0:
        return {}
    fill_temp(connection, "wanted_hashes", "hash", ((value,) for value in signed(hashes)))
    holding: dict[int, list[int]] = {}
    for value, tid in connection.execute(
        "SELECT s.hash, s.tid FROM wanted_hashes w JOIN shingles s ON s.hash = w.hash ORDER BY s.hash, s.tid"
    ):
        holding.setdefault(value, []).append(tid)
    return holding
