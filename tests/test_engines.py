"""The local engine: ordered, bounded streaming over a real process pool; spilled stages; engine choice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit import candidates
from audit.cli import app
from audit.compare import CompareDoc, compare_corpus
from audit.corpus import corpus_view, count_block_documents
from audit.engines import bounded, make_engine
from audit.engines.bounded import compare_bounded
from audit.engines.distinct import Distinct
from audit.engines.local import CHUNK_SIZE, TASKS_PER_WORKER, LocalEngine, map_ordered
from audit.errors import UsageError
from audit.outputs import write_outputs
from audit.pipeline import run_pipeline
from audit.report.json_text import report_json
from audit.settings import Settings
from audit.spill import BlockCounter, SpilledDocs, SpillFile, SpillFolder, remove_abandoned

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _square(item: int, settings: Settings) -> int:
    return item * item


@pytest.fixture(scope="module")
def benchmark_modules() -> object:
    sys.path.insert(0, str(BENCHMARKS))
    yield
    sys.path.remove(str(BENCHMARKS))


def test_results_come_back_in_input_order_from_a_real_pool() -> None:
    items = list(range(500, 0, -1))
    assert list(map_ordered(_square, items, Settings(), jobs=2)) == [i * i for i in items]


def test_the_pool_reads_its_input_a_bounded_window_ahead() -> None:
    pulled = 0

    def numbers() -> object:
        nonlocal pulled
        for number in range(10_000):
            pulled += 1
            yield number

    results = map_ordered(_square, numbers(), Settings(), jobs=2)
    assert next(results) == 0
    # The window: jobs x TASKS_PER_WORKER chunks in flight, plus the one being cut.
    assert pulled <= (2 * TASKS_PER_WORKER + 1) * CHUNK_SIZE
    assert sum(1 for _ in results) == 9_999


def test_an_unknown_engine_or_a_master_without_spark_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--engine 'flink'"):
        make_engine("flink")
    with pytest.raises(UsageError, match="--master"):
        make_engine("local", master="local[2]")


def test_the_cli_refuses_an_unknown_engine_with_exit_code_2(seeds_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(seeds_dir), "--out", str(tmp_path), "--engine", "flink"])
    assert result.exit_code == 2
    assert "--engine 'flink'" in result.output


def test_spilled_objects_come_back_in_order_and_by_position() -> None:
    store: SpillFile[dict[str, object]] = SpillFile(SpillFolder(), "items.pickle")
    items = [{"id": f"doc-{i}", "text": "ü" * i} for i in range(50)]
    for item in items:
        store.append(item)
    assert list(store) == items
    assert store.read(17) == items[17]
    store.folder.remove()
    assert not store.path.exists()


def test_spill_folders_of_a_killed_run_are_removed_by_the_next_one_and_live_ones_kept(tmp_path: Path) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, str(tmp_path)], capture_output=True, text=True, check=True
    )
    (abandoned,) = [Path(line) for line in killed.stdout.split()]
    assert (abandoned / "cleaned.pickle").exists()  # os._exit: no finalizer ran, as after SIGKILL
    live = SpillFolder(tmp_path)
    assert remove_abandoned(tmp_path) == []  # too young to tell from one not locked yet
    assert remove_abandoned(tmp_path, min_age=0) == [abandoned]
    assert not abandoned.exists() and live.path.exists()  # this process holds its folder
    unmarked = tmp_path / "audit-spill-older-version"
    unmarked.mkdir()  # a folder without the lock marker: an older version's, maybe still running
    assert remove_abandoned(tmp_path, min_age=0) == [] and unmarked.exists()
    SpillFolder(tmp_path).remove()
    assert live.path.exists()


KILLED_RUN = """
import os, sys
from pathlib import Path
from audit.spill import SpillFile, SpillFolder
spill = SpillFile(SpillFolder(Path(sys.argv[1])), "cleaned.pickle")
spill.append({"id": "doc"})
spill.close()
print(spill.folder.path, flush=True)
os._exit(0)
"""


def test_block_counts_from_arrays_equal_the_counter_version(seed_texts: dict[str, str]) -> None:
    from audit.segment import block_key, split_blocks

    keys = [tuple(block_key(b.text) for b in split_blocks(text)) for text in seed_texts.values()]
    keys.append(keys[0][:3] + keys[1][:2])  # blocks shared between documents
    counter = BlockCounter()
    for doc_keys in keys:
        counter.add(doc_keys)
    counter.finish()
    counts = count_block_documents(keys)
    assert [counter.view(k) for k in keys] == [corpus_view(k, counts, len(keys)) for k in keys]


def test_a_seeds_run_reads_its_documents_back_from_disk_sorted_by_id(seeds_dir: Path) -> None:
    result = run_pipeline(seeds_dir, jobs=1)
    assert isinstance(result.docs, SpilledDocs)
    ids = [doc.document.id for doc in result.docs]
    assert ids == sorted(ids) and len(ids) == 5
    assert result.docs[2].document.id == ids[2]
    assert result.docs.texts()[ids[4]] == result.docs[4].text


def test_one_and_two_workers_write_byte_identical_outputs(seeds_dir: Path, tmp_path: Path) -> None:
    outputs = []
    for jobs in (1, 2):
        engine = LocalEngine(jobs)
        try:
            write_outputs(run_pipeline(seeds_dir, engine=engine), tmp_path / str(jobs))
        finally:
            engine.close()
        folder = tmp_path / str(jobs)
        outputs.append(
            {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
        )
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "settings", [Settings(), Settings(max_bucket_documents=4)], ids=["default", "tiny-buckets"]
)
def test_the_bounded_comparison_equals_the_in_memory_one(
    benchmark_modules: object, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import overlap_quality

    # Merge the distinct window pairs and span shingles at every addition, spill the pairs as runs
    # past a few values and merge them back in small ranges, write and read the spilled arrays a
    # few documents at a time, as a large corpus would.
    monkeypatch.setattr(Distinct, "MERGE_AT", 1)
    monkeypatch.setattr(Distinct, "HELD", 20)
    monkeypatch.setattr(bounded, "WINDOWS_PER_RANGE", 7)
    monkeypatch.setattr(bounded, "READ_CHUNK", 2_000)
    monkeypatch.setattr(bounded, "BUFFERED_WINDOWS", 50)
    monkeypatch.setattr(bounded, "BUFFERED_PAIRS", 500)
    monkeypatch.setattr(bounded, "SIGNATURES_PER_READ", 7)
    monkeypatch.setattr(candidates, "PAIRS_PER_BATCH", 3)
    labelled = overlap_quality.build_corpus(40, 2, seed=5)
    docs = sorted(labelled.docs, key=lambda d: d.id)
    expected = report_json(compare_corpus(docs, settings).to_json())
    engine = LocalEngine(2)
    try:
        # part_windows=500 splits every band into several key ranges, as a large corpus would.
        got = compare_bounded(docs, settings, engine.map_ordered, part_windows=500)
    finally:
        engine.close()
    assert report_json(got.to_json()) == expected
    assert got.overlaps and got.near_duplicates


def test_the_bounded_comparison_refuses_unsorted_ids() -> None:
    docs = [CompareDoc("b", "one two three four five six"), CompareDoc("a", "seven eight nine ten eleven")]
    with pytest.raises(ValueError, match="sorted"):
        compare_bounded(docs, Settings(), LocalEngine(1).map_ordered)
