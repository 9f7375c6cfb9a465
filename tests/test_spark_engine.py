"""The Spark engine writes the very same outputs as the local one (Spark in local[2] mode).

One SparkSession for the whole module: starting the JVM costs ~10-20 s. Needs
the `spark` extra (pyspark) and a Java runtime; on a machine without them the
module is skipped, but never in CI (the CI environment variable set), where a
missing pyspark or Java must fail loudly rather than hide the engine's test.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audit.engines.local import LocalEngine
from audit.outputs import write_outputs
from audit.pipeline import run_pipeline

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
CORPUS_DOCUMENTS = 1000
# ~1.4 KB articles: enough text per document for reposts, copies and footers to
# show, small enough that both engines finish the 1k corpus in CI time.
CORPUS_MEDIAN_BYTES = 900

if not os.environ.get("CI"):
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs a Java runtime", allow_module_level=True)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from audit.engines.spark import start_session

    session = start_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def thousand_documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 articles of real text with planted reposts, copies, copied passages and footers."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from bench_corpus import generate
    finally:
        sys.path.remove(str(BENCHMARKS))
    folder = tmp_path_factory.mktemp("corpus-1k")
    for count, doc in enumerate(generate(10_000_000, seed=11, median_bytes=CORPUS_MEDIAN_BYTES)):
        if count == CORPUS_DOCUMENTS:
            break
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    return folder


def _outputs(input_path: Path, out: Path, engine: Any) -> dict[str, bytes]:
    try:
        result = run_pipeline(input_path, engine=engine)
    finally:
        engine.close()
    write_outputs(result, out)
    return {
        str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()
    }


def _assert_same_outputs(local: dict[str, bytes], spark: dict[str, bytes]) -> None:
    assert sorted(local) == sorted(spark)
    different = [name for name in local if local[name] != spark[name]]
    assert different == []


def test_seeds_give_byte_identical_outputs_on_spark(spark: Any, seeds_dir: Path, tmp_path: Path) -> None:
    from audit.engines.spark import SparkEngine

    local = _outputs(seeds_dir, tmp_path / "local", LocalEngine(1))
    on_spark = _outputs(seeds_dir, tmp_path / "spark", SparkEngine(session=spark))
    _assert_same_outputs(local, on_spark)
    assert b'"near_duplicates": []' in on_spark["reports/overlap.json"]


def test_a_thousand_documents_give_byte_identical_outputs_on_spark(
    spark: Any, thousand_documents: Path, tmp_path: Path
) -> None:
    import json

    from audit.engines.spark import SparkEngine

    local = _outputs(thousand_documents, tmp_path / "local", LocalEngine(2))
    on_spark = _outputs(thousand_documents, tmp_path / "spark", SparkEngine(session=spark))
    _assert_same_outputs(local, on_spark)
    report = json.loads(on_spark["reports/overlap.json"])
    # The corpus plants reposts, exact copies and copied passages: the engines
    # agree on real findings, not on an empty report.
    assert report["summary"]["documents"] == CORPUS_DOCUMENTS
    assert report["near_duplicates"] and report["exact_duplicates"]
    assert any(overlap["kind"] in ("verbatim", "near") for overlap in report["overlaps"])
    assert report["candidates"]["window_pairs"] > 0


def test_the_engine_keeps_the_input_order_of_per_document_results(spark: Any) -> None:
    from audit.engines.spark import SparkEngine
    from audit.settings import Settings

    def negate(item: int, settings: Settings) -> int:  # nested: Spark ships it by value
        return -item

    engine = SparkEngine(session=spark)
    items = list(range(2000, 0, -1))
    assert list(engine.map_ordered(negate, items, Settings())) == [-item for item in items]


def _random_graph(seed: int, nodes: int, edges: int) -> list[tuple[int, int]]:
    """`edges` distinct random pairs (a < b) over `nodes` nodes: many separate components."""
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        a, b = rng.sample(range(nodes), 2)
        pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


@pytest.mark.parametrize(
    ("name", "pairs"),
    [
        ("no edges", []),
        ("chain of 40", [(i, i + 1) for i in range(39)]),
        ("star", [(0, i) for i in range(1, 30)]),
        ("star centred on its largest node", [(i, 30) for i in range(30)]),
        ("random, sparse", _random_graph(1, 300, 200)),
        ("random, dense", _random_graph(3, 60, 150)),
    ],
)
def test_spark_components_equal_the_union_find(spark: Any, name: str, pairs: list[tuple[int, int]]) -> None:
    """The clusters, their order and their lowest Jaccard are exactly the union-find's.

    A chain needs the most rounds, a star centred on its largest node moves
    every edge, the sparse random graph has 31 components (one of 124 nodes),
    the dense one a single component full of cycles; pairs come in random order.
    """
    from audit.clusters import groups_from_verified
    from audit.engines.spark_components import verified_groups

    rng = random.Random(name)
    verified = {pair: rng.uniform(0.5, 1.0) for pair in pairs}
    shuffled = list(verified.items())
    rng.shuffle(shuffled)
    rdd = spark.sparkContext.parallelize(shuffled, 3)
    expected = groups_from_verified(verified, 1 + max((b for _, b in pairs), default=0))
    assert verified_groups(rdd) == (expected, len(pairs))
