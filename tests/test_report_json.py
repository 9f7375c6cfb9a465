"""overlap.json written section by section: the same text `json.dumps` gives, with the big sections on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.outputs import write_outputs
from audit.pipeline import run_pipeline
from audit.report.json_text import report_json
from audit.spill import MappedSequence, SpillFile, SpillFolder, spill_sorted


def _spilled(items: list[Any]) -> SpillFile[Any]:
    spill: SpillFile[Any] = SpillFile(SpillFolder(), "items.pickle")
    for item in items:
        spill.append(item)
    spill.close()
    return spill


def _plain(report: dict[str, Any]) -> dict[str, Any]:
    """The report with every section read into a list: what `json.dumps` can encode."""
    return {
        key: list(value) if isinstance(value, SpillFile | MappedSequence) else value
        for key, value in report.items()
    }


def test_a_seeds_report_is_the_text_json_dumps_gives_for_its_lists(seeds_dir: Path, tmp_path: Path) -> None:
    result = run_pipeline(seeds_dir, jobs=1)
    report = result.report
    assert isinstance(report["documents"], SpillFile) and isinstance(report["overlaps"], MappedSequence)
    assert len(report["documents"]) == 5 and len(report["overlaps"]) > 0
    expected = json.dumps(_plain(report), ensure_ascii=False, indent=2)
    assert report_json(report) == expected
    write_outputs(result, tmp_path)
    assert (tmp_path / "reports" / "overlap.json").read_text(encoding="utf-8") == expected + "\n"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    report=st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=6),
    sections=st.dictionaries(st.text(max_size=10), st.lists(JSON_VALUES, max_size=5), max_size=3),
)
def test_any_report_with_sections_on_disk_is_written_as_json_dumps_writes_it(
    report: dict[str, Any], sections: dict[str, list[Any]]
) -> None:
    lazy = {**report, **{key: _spilled(items) for key, items in sections.items()}}
    text = report_json(lazy)
    assert text == json.dumps(_plain(lazy), ensure_ascii=False, indent=2)
    assert json.loads(text) == _plain(lazy)


def test_a_spill_file_reads_like_the_list_it_was_written_from() -> None:
    items = [{"id": f"doc-{i}", "n": i} for i in range(7)]
    spill = _spilled(items)
    assert spill == items and spill == tuple(items) and items == list(spill)
    assert spill != items[:-1] and spill != [*items[:-1], {"id": "other"}]
    assert spill[-1] == items[-1] and spill[2:5] == items[2:5] and spill[::3] == items[::3]
    assert MappedSequence(spill, lambda item: item["n"]) == list(range(7))
    assert MappedSequence(spill, lambda item: item["n"])[1:3] == [1, 2]


def test_spill_sorted_streams_items_in_order_and_sorts_the_others_stably() -> None:
    in_order = _spilled([(1, "a"), (1, "b"), (2, "c")])
    assert spill_sorted(in_order, lambda item: item[0], "sorted.pickle") is in_order  # nothing rewritten
    shuffled = [(3, "a"), (1, "b"), (2, "c"), (1, "d"), (0, "e")]
    result = spill_sorted(shuffled, lambda item: item[0], "sorted.pickle")
    assert list(result) == sorted(shuffled, key=lambda item: item[0])
    assert list(spill_sorted([], lambda item: item, "empty.pickle")) == []
