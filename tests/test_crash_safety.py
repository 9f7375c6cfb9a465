"""Real runs killed with SIGKILL: the index and the outputs survive, and the next run completes.

Each test starts from an output folder holding a finished run over the seeds,
then runs `python -m audit run NEWS` in a subprocess and kills it, either at a
named point (AUDIT_TEST_KILL_AT, audit/commit.py) or after a random delay.

The guarantee checked: killed before the commit point, the index (every row
of every table, `PRAGMA integrity_check`) and every output file are exactly
as before, immediately; killed after it, the index holds the new run and the
next audit command (here `audit index`) finishes installing the outputs, which
then equal those of an uninterrupted run. Either way the next run succeeds.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import output_files

from audit.commit import KILL_POINTS, STAGING_DIR
from audit.engines.local import LocalEngine
from audit.incremental import run_indexed
from audit.index.schema import TABLES, index_path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
BEFORE_COMMIT = ("read", "index-write", "staged", "journaled")
AFTER_COMMIT = ("committed", "installing", "installed")


def test_every_kill_point_the_code_names_is_tested_on_its_side_of_the_commit() -> None:
    assert BEFORE_COMMIT + AFTER_COMMIT == KILL_POINTS


def audit(*args: str, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "AUDIT_TEST_KILL_AT"}
    if kill_at:
        env["AUDIT_TEST_KILL_AT"] = kill_at
    return subprocess.run(
        [sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=REPO, env=env
    )


def dump(out: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every index table (opening the file also rolls back a killed transaction)."""
    connection = sqlite3.connect(index_path(out))
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {
            table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in TABLES
        }
    finally:
        connection.close()


def indexed_ids(out: Path) -> set[str]:
    connection = sqlite3.connect(index_path(out))
    try:
        return {row[0] for row in connection.execute("SELECT id FROM documents")}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one new article copying passages of two seeds, and one changed seed."""
    folder = tmp_path_factory.mktemp("news")
    seeds = sorted(SEEDS.glob("*.txt"))
    words = seeds[2].read_text(encoding="utf-8").split()
    (folder / "new_article.txt").write_text(
        "March 3, 2026\n\n" + " ".join(words[100:220]) + "\n\nAnd a closing paragraph of our own.\n", "utf-8"
    )
    (folder / "second.txt").write_text(" ".join(words[300:420]) + "\n", "utf-8")
    return folder


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder after one finished run over the seeds (copied for each test)."""
    out = tmp_path_factory.mktemp("pristine") / "out"
    run_indexed(SEEDS, out, engine=LocalEngine(1))
    return out


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory, pristine: Path, news: Path) -> dict[str, bytes]:
    """The outputs of the news run when nothing interrupts it."""
    out = tmp_path_factory.mktemp("finished") / "out"
    shutil.copytree(pristine, out)
    result = audit("run", str(news), "--out", str(out), "-j", "1")
    assert result.returncode == 0, result.stderr
    return output_files(out)


def fresh(pristine: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(pristine, out)
    return out


@pytest.mark.parametrize("point", BEFORE_COMMIT)
def test_a_run_killed_before_its_commit_point_changes_nothing(
    tmp_path: Path, pristine: Path, news: Path, finished: dict[str, bytes], point: str
):
    out = fresh(pristine, tmp_path)
    index_before, outputs_before = dump(out), output_files(out)
    killed = audit("run", str(news), "--out", str(out), "-j", "1", kill_at=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert dump(out) == index_before
    assert output_files(out) == outputs_before
    again = audit("run", str(news), "--out", str(out), "-j", "1")
    assert again.returncode == 0, again.stderr
    assert "2 new" in again.stderr
    assert output_files(out) == finished
    assert not (out / STAGING_DIR).exists()


@pytest.mark.parametrize("point", AFTER_COMMIT)
def test_a_run_killed_after_its_commit_point_is_finished_by_the_next_command(
    tmp_path: Path, pristine: Path, news: Path, finished: dict[str, bytes], point: str
):
    out = fresh(pristine, tmp_path)
    killed = audit("run", str(news), "--out", str(out), "-j", "1", kill_at=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    dump(out)  # integrity
    assert {"new_article", "second"} <= indexed_ids(out)
    shown = audit("index", "--out", str(out))
    assert shown.returncode == 0, shown.stderr
    if point != "installed":
        assert "finished installing" in shown.stderr
    assert output_files(out) == finished
    assert not (out / STAGING_DIR).exists()
    again = audit("run", str(news), "--out", str(out), "-j", "1")
    assert again.returncode == 0 and "0 new, 0 changed, 2 unchanged" in again.stderr
    assert output_files(out) == finished


def test_a_run_without_the_index_killed_before_its_journal_changes_nothing(
    tmp_path: Path, pristine: Path, news: Path
):
    out = fresh(pristine, tmp_path)
    before = output_files(out)
    killed = audit("run", str(news), "--out", str(out), "--no-index", "-j", "1", kill_at="staged")
    assert killed.returncode == -signal.SIGKILL
    assert output_files(out) == before
    journaled = audit("run", str(news), "--out", str(out), "--no-index", "-j", "1", kill_at="journaled")
    assert journaled.returncode == -signal.SIGKILL
    assert output_files(out) == before, "the journal is written, nothing installed yet"
    reference = tmp_path / "reference"
    assert audit("run", str(news), "--out", str(reference), "--no-index", "-j", "1").returncode == 0
    assert audit("index", "--out", str(out)).returncode == 0  # finishes the interrupted install
    assert output_files(out) == output_files(reference)


@pytest.mark.slow
def test_kills_at_random_moments_leave_the_old_or_the_new_state_and_the_next_run_completes(
    tmp_path: Path, pristine: Path, news: Path, finished: dict[str, bytes]
):
    started = time.monotonic()
    probe = fresh(pristine, tmp_path / "probe")
    assert audit("run", str(news), "--out", str(probe), "-j", "1").returncode == 0
    duration = time.monotonic() - started
    rng = random.Random(20260401)
    outcomes = set()
    for attempt in range(4):
        out = fresh(pristine, tmp_path / f"attempt{attempt}")
        index_before, outputs_before = dump(out), output_files(out)
        env = {**os.environ, "COLUMNS": "200"}
        process = subprocess.Popen(
            [sys.executable, "-m", "audit", "run", str(news), "--out", str(out), "-j", "1"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.05, duration * 1.1))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        committed = "new_article" in indexed_ids(out)
        if not committed:
            assert dump(out) == index_before
        assert audit("index", "--out", str(out)).returncode == 0
        assert output_files(out) == (finished if committed else outputs_before)
        outcomes.add(committed)
        again = audit("run", str(news), "--out", str(out), "-j", "1")
        assert again.returncode == 0, again.stderr
        assert output_files(out) == finished
    assert outcomes, "at least one kill landed"
