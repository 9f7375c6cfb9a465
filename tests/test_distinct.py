"""Distinct values in bounded memory: what comes back equals np.unique of everything added."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.engines.distinct import Distinct

batches = st.lists(st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 300), max_size=60), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=batches, held=st.integers(1, 40), merge_at=st.integers(1, 30), ranges=st.integers(1, 9))
def test_spilled_runs_merge_back_to_the_distinct_values(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batches: list[list[int]],
    held: int,
    merge_at: int,
    ranges: int,
) -> None:
    monkeypatch.setattr(Distinct, "HELD", held)
    monkeypatch.setattr(Distinct, "MERGE_AT", merge_at)
    bounds = np.linspace(0, 2**64 - 1, ranges, endpoint=False).astype(np.uint64)
    bounds[0] = 0
    # Two writers, as a worker and the driver: the worker's runs and what it still holds go to the driver.
    worker = Distinct(tmp_path, f"worker{len(list(tmp_path.iterdir()))}", bounds)
    driver = Distinct(tmp_path, f"driver{len(list(tmp_path.iterdir()))}", bounds)
    for number, batch in enumerate(batches):
        (worker if number % 2 else driver).add([np.array(batch, dtype=np.uint64)])
    driver.add([worker.held()])
    driver.add_runs(worker.runs)
    chunks = list(driver.chunks())
    everything = np.concatenate([np.array(b, dtype=np.uint64) for b in batches] or [np.zeros(0, np.uint64)])
    assert np.concatenate(chunks).tolist() == np.unique(everything).tolist()


def test_memory_holds_a_bounded_number_of_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Distinct, "HELD", 1_000)
    monkeypatch.setattr(Distinct, "MERGE_AT", 1_000)
    bounds = np.arange(64, dtype=np.uint64) << np.uint64(58)
    found = Distinct(tmp_path, "values", bounds)
    generator = np.random.default_rng(3)
    added = [generator.integers(0, 2**63, 500, dtype=np.uint64) for _ in range(100)]
    for values in added:
        found.add([values, values[:100]])  # every batch repeats some of its values
        assert len(found.held()) <= 2 * 1_000  # the distinct values so far plus one merge's intake
    assert found.runs  # past HELD the values went to disk
    chunks = list(found.chunks())
    assert len(chunks) > 1 and max(len(chunk) for chunk in chunks) <= 2 * 1_000
    assert np.concatenate(chunks).tolist() == np.unique(np.concatenate(added)).tolist()


def test_without_a_folder_nothing_is_spilled() -> None:
    found = Distinct()
    found.add([np.array([5, 3, 5], dtype=np.uint64)])
    found.add([np.array([3, 9], dtype=np.uint64)])
    assert found.held().tolist() == [3, 5, 9] and not found.runs
