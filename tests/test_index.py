"""The index file itself: its tables and lookups, `audit index`, `audit forget`, versions and refusals."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from audit.engines.local import LocalEngine
from audit.fingerprint import fingerprint_text
from audit.incremental import forget_documents, run_indexed
from audit.index.bands import BandTables
from audit.index.schema import SCHEMA_VERSION, IndexUnusable, connect, index_path
from audit.index.serial import stored_from_json, stored_to_json, unpack
from audit.pipeline import run_pipeline
from audit.report.json_text import report_json
from audit.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ENGINE = LocalEngine(1)


def audit(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=REPO, env=env
    )


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("indexed")
    run_indexed(SEEDS, out, engine=ENGINE)
    return out


def test_the_index_holds_documents_bands_windows_and_shingles(indexed: Path):
    connection = sqlite3.connect(index_path(indexed))
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = [row[0] for row in connection.execute("SELECT id FROM documents ORDER BY id")]
    assert ids == sorted(path.stem for path in SEEDS.glob("*.txt"))
    for table in ("texts", "shingles", "doc_bands", "windows", "blocks"):
        assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    # A candidate lookup is an indexed search by (band, key), never a scan of the history.
    plan = " ".join(
        str(row[-1])
        for row in connection.execute(
            "EXPLAIN QUERY PLAN SELECT tid, pos FROM windows WHERE band = 3 AND key = 42"
        )
    )
    assert "USING PRIMARY KEY (band=? AND key=?)" in plan
    plan = " ".join(
        str(row[-1])
        for row in connection.execute(
            "EXPLAIN QUERY PLAN SELECT tid FROM doc_bands WHERE band = 1 AND key = x'00'"
        )
    )
    assert "USING PRIMARY KEY (band=? AND key=?)" in plan


def test_stored_documents_come_back_exactly(indexed: Path):
    expected = {doc.document.id: doc for doc in run_pipeline(SEEDS, jobs=1).docs}
    connection = sqlite3.connect(index_path(indexed))
    for doc_id, blob in connection.execute("SELECT id, doc FROM documents"):
        stored = stored_from_json(unpack(blob))
        assert stored.doc == expected[doc_id]
        assert stored.doc.restore() == stored.doc.document.text
        assert stored_from_json(json.loads(json.dumps(stored_to_json(stored)))) == stored


def test_audit_index_shows_documents_sources_runs_and_sizes(tmp_path: Path):
    indexed = tmp_path / "out"  # built by the command itself, so it is current for the code that reads it
    assert audit("run", str(SEEDS), "--out", str(indexed), "-j", "1").returncode == 0
    shown = audit("index", "--out", str(indexed))
    assert shown.returncode == 0, shown.stderr
    for expected in ("documents", "5", str(SEEDS), "last run", "window bands"):
        assert expected in shown.stderr
    described = json.loads(audit("index", "--out", str(indexed), "--json").stdout)
    assert described["documents"] == 5 and described["runs"] == 1 and described["current"]
    assert described["sources"] == [{"input": str(SEEDS), "documents": 5, "last_run": 1}]
    assert described["last_run"]["added"] == 5 and described["bytes"] > 0


def test_audit_index_without_an_index_is_a_usage_error(tmp_path: Path):
    shown = audit("index", "--out", str(tmp_path))
    assert shown.returncode == 2
    assert "no index" in shown.stderr and "Traceback" not in shown.stderr


def test_forget_removes_a_document_everywhere_and_matches_a_run_without_it(tmp_path: Path):
    out = tmp_path / "out"
    run_indexed(SEEDS, out, engine=ENGINE)
    gone = sorted(SEEDS.glob("*.txt"))[2].stem
    forgotten = audit("forget", gone, "--out", str(out), "-j", "1")
    assert forgotten.returncode == 0, forgotten.stderr
    assert "forgot" in forgotten.stderr and "adds them again" in forgotten.stderr
    assert not (out / "cleaned" / f"{gone}.txt").exists()
    report = json.loads((out / "reports" / "overlap.json").read_text(encoding="utf-8"))
    assert gone not in {doc["id"] for doc in report["documents"]}
    connection = sqlite3.connect(index_path(out))
    assert connection.execute("SELECT count(*) FROM documents WHERE id = ?", (gone,)).fetchone()[0] == 0
    assert connection.execute("SELECT count(*) FROM texts").fetchone()[0] == 4
    rest = tmp_path / "rest"
    rest.mkdir()
    for path in SEEDS.glob("*.txt"):
        if path.stem != gone:
            shutil.copy(path, rest / path.name)
    expected = run_pipeline(rest, jobs=1).report
    assert report_json(report) == report_json(expected)


def test_forget_refuses_unknown_ids_and_missing_indexes(tmp_path: Path, indexed: Path):
    unknown = audit("forget", "no-such-document", "--out", str(indexed))
    assert unknown.returncode == 2
    assert "not in the index: no-such-document" in unknown.stderr
    missing = audit("forget", "x", "--out", str(tmp_path))
    assert missing.returncode == 2 and "no index" in missing.stderr
    with pytest.raises(Exception, match="not in the index"):
        forget_documents(indexed, ["nope"], engine=ENGINE)


def test_an_index_of_another_schema_version_is_refused_with_what_to_do(tmp_path: Path):
    out = tmp_path / "out"
    run_indexed(SEEDS, out, engine=ENGINE)
    connection = sqlite3.connect(index_path(out))
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    with pytest.raises(IndexUnusable, match="another version of audit"):
        connect(index_path(out), create=True)
    refused = audit("run", str(SEEDS), "--out", str(out), "-j", "1")
    assert refused.returncode == 1
    assert "--no-index" in refused.stderr and "Traceback" not in refused.stderr
    assert audit("run", str(SEEDS), "--out", str(out), "--no-index", "-j", "1").returncode == 0


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path):
    path = index_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not SQLite at all" * 100)
    refused = audit("run", str(SEEDS), "--out", str(tmp_path), "-j", "1")
    assert refused.returncode == 1
    assert "not a usable audit index" in refused.stderr and "Traceback" not in refused.stderr
    assert path.read_bytes() == b"this is not SQLite at all" * 100, "a foreign file is never overwritten"


def test_no_index_leaves_an_existing_index_untouched(tmp_path: Path):
    out = tmp_path / "out"
    run_indexed(SEEDS, out, engine=ENGINE)
    before = index_path(out).read_bytes()
    single = sorted(SEEDS.glob("*.txt"))[0]
    assert audit("run", str(single), "--out", str(out), "--no-index", "-j", "1").returncode == 0
    assert index_path(out).read_bytes() == before
    report = json.loads((out / "reports" / "overlap.json").read_text(encoding="utf-8"))
    assert [doc["id"] for doc in report["documents"]] == [single.stem]


def test_a_second_process_on_the_same_output_folder_is_refused(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    handle = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        blocked = audit("run", str(SEEDS), "--out", str(out), "-j", "1")
    finally:
        os.close(handle)
    assert blocked.returncode == 1
    assert "another audit process is writing" in blocked.stderr
    assert not (out / "reports").exists()


def test_a_text_id_is_never_given_again_within_a_batch(tmp_path: Path):
    """The newest text retired and a new one added in one batch: the new one must get a fresh id.

    Text keys are chosen so the retired one is handled first; with reused ids the
    new text would inherit the retired text's shingle and band rows.
    """
    connection = connect(tmp_path / "index.sqlite", create=True)
    words = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8").split()
    texts = [" ".join(words[start : start + 120]) for start in (0, 150, 300)]
    settings = Settings()
    prints = [fingerprint_text(text, settings) for text in texts]
    tables = BandTables(connection, settings, lambda tid: texts[tid - 1])
    connection.execute("BEGIN")
    tables.apply([], [("a-first", prints[0]), ("b-second", prints[1])])
    tables = BandTables(connection, settings, lambda tid: texts[1])
    applied = tables.apply(["b-second"], [("c-third", prints[2])])
    (new_tid,) = applied.appeared
    assert new_tid not in applied.vanished
    stored = {row[0] for row in connection.execute("SELECT hash FROM shingles WHERE tid = ?", (new_tid,))}
    assert stored == set(prints[2].unique_shingles.view(np.int64).tolist())
    connection.execute("ROLLBACK")
