"""The `audit` command as a user meets it: exit codes, messages, help, determinism, safety."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def audit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=cwd or REPO, env=env
    )


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root by content; the index (run state with times and input paths) is not an output."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] != "index"
    }


@pytest.fixture
def messy_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, corpus / seed.name)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "photo.html").write_bytes(PNG_HEADER)
    (corpus / "broken.html").write_text(
        "<html><body><p>Unclosed <b>bold <div>text that matters here", "utf-8"
    )
    (corpus / "legacy.txt").write_bytes("Café au lait, naïve façade — “quoted”.".encode("cp1252"))
    (corpus / "records.jsonl").write_text(
        '{"id": "r1", "text": "A record about the weather in Lisbon today."}\n{not json}\n{"id": "r2"}\n',
        "utf-8",
    )
    return corpus


def test_help_explains_commands_and_exit_codes():
    result = audit("--help")
    assert result.returncode == 0
    assert "run" in result.stdout
    assert "Exit codes" in result.stdout
    run_help = audit("run", "--help")
    assert run_help.returncode == 0
    for option in ("--out", "--jobs", "--threshold", "--keep"):
        assert option in run_help.stdout


def test_clean_corpus_exits_zero_with_summary(tmp_path: Path):
    result = audit("run", str(SEEDS), "--out", str(tmp_path), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "documents" in result.stderr
    assert "problems" in result.stderr
    assert (tmp_path / "reports" / "overlap.json").is_file()
    assert len(list((tmp_path / "cleaned").glob("*.txt"))) == 5


def test_bad_inputs_are_problems_not_crashes(messy_corpus: Path, tmp_path: Path):
    before = tree_digest(messy_corpus)
    out = tmp_path / "out"
    result = audit("run", str(messy_corpus), "--out", str(out))
    assert result.returncode == 3, result.stderr
    assert tree_digest(messy_corpus) == before, "originals must never be modified"
    report = json.loads((out / "reports" / "overlap.json").read_text(encoding="utf-8"))
    kinds = {problem["kind"] for problem in report["problems"]}
    sources = {problem["source"] for problem in report["problems"]}
    assert {"empty.txt", "photo.html"} <= sources
    assert any(source.startswith("records.jsonl") for source in sources)
    assert "binary" in kinds
    for problem in report["problems"]:
        assert problem["message"].strip()
    ids = {doc["id"] for doc in report["documents"]}
    assert {"r1", "legacy", "broken"} <= ids
    legacy = (out / "cleaned" / "legacy.txt").read_text(encoding="utf-8")
    assert "Café au lait, naïve façade" in legacy


def test_missing_input_is_a_usage_error(tmp_path: Path):
    result = audit("run", str(tmp_path / "nowhere"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_bad_option_is_a_usage_error(tmp_path: Path):
    assert audit("run", str(SEEDS), "--keep", "biggest", "--out", str(tmp_path)).returncode == 2
    assert audit("run", str(SEEDS), "--threshold", "7").returncode == 2


def test_unwritable_output_is_fatal(tmp_path: Path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", "utf-8")
    result = audit("run", str(SEEDS), "--out", str(blocker), "--jobs", "1")
    assert result.returncode == 1
    assert "error" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_runs_are_byte_identical_across_folders_and_orders(tmp_path: Path):
    first_in = tmp_path / "a" / "in"
    second_in = tmp_path / "b" / "elsewhere" / "in"
    first_in.mkdir(parents=True)
    second_in.mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        shutil.copy(seed, first_in / seed.name)
    for seed in reversed(seeds):  # different creation order on disk
        shutil.copy(seed, second_in / seed.name)
    assert audit("run", str(first_in), "--out", str(tmp_path / "a" / "out"), "--jobs", "2").returncode == 0
    assert audit("run", str(second_in), "--out", str(tmp_path / "b" / "out"), "--jobs", "1").returncode == 0
    assert tree_digest(tmp_path / "a" / "out") == tree_digest(tmp_path / "b" / "out")


def test_rerun_removes_outputs_of_documents_that_are_gone(tmp_path: Path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(seed, corpus / seed.name)
    out = tmp_path / "out"
    assert audit("run", str(corpus), "--out", str(out), "-j", "1").returncode == 0
    gone = sorted(corpus.glob("*.txt"))[0]
    gone.unlink()
    (out / "cleaned" / "notes-by-user.txt").write_text("mine", "utf-8")
    assert audit("run", str(corpus), "--out", str(out), "-j", "1").returncode == 0
    assert not (out / "cleaned" / f"{gone.stem}.txt").exists()
    assert (out / "cleaned" / "notes-by-user.txt").exists(), "files audit did not write are left alone"
