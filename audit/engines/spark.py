"""The Spark engine: the same stages as the local one, as Spark tasks, joins and aggregations.

For corpora one machine cannot handle in time. Per-document work (decode,
clean, trace, fingerprint, find repeats, align a candidate pair) runs in Spark
tasks, calling exactly the functions the local engine calls. Candidate search
is expressed as Spark aggregations: each LSH band slice of a document signature
and each band key of a passage window becomes a (bucket, document) record,
`groupByKey` gathers a bucket's documents, pairs come out deduplicated with
`distinct`, and verification joins each candidate pair with the two documents'
shingle sets. The verified pairs stay in Spark: their connected components
(`spark_components`) and each cluster's members and lowest Jaccard are
aggregations too. Only small things come back to the driver: per-document
counts, candidate pairs, the clusters and the aligned spans. Every result is
sorted the way `compare_fingerprints` sorts it, so the report is
byte-identical to a local run.

pyspark is an optional extra (`pip install 'seed-audit[spark]'`); nothing else
in the package imports this module.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import combinations
from operator import add
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pyspark import SparkContext, StorageLevel
from pyspark.sql import SparkSession

from audit.candidates import ShingleFrequency, near_duplicate_bands, uncommon_windows
from audit.clusters import check_keep_policy, jaccard
from audit.compare import (
    CandidateCounts,
    CompareDoc,
    Comparison,
    assemble_comparison,
    candidate_of,
    examine_pair,
    group_exact,
    judged_overlap,
    near_clusters,
    repeats_of,
    span_shingles,
    split_too_short,
)
from audit.engines.spark_components import verified_groups
from audit.fingerprint import Fingerprint, fingerprint_text
from audit.settings import Settings
from audit.types import Overlap

In = TypeVar("In")
Out = TypeVar("Out")

# Items per Spark partition: a task should do a few seconds of work (a 4 KB
# document costs ~2-5 ms), and a 1k-document corpus should still spread over
# every core of local[2].
ITEMS_PER_PARTITION = 256
APP_NAME = "audit"
# Errors only, to stderr: what the driver JVM may say without a user asking for it.
QUIET_LOG4J = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
"""


class SparkEngine:
    """Runs on a SparkSession: the one given, or one started on `master` (stopped by `close`)."""

    name = "spark"

    def __init__(self, master: str | None = None, session: SparkSession | None = None) -> None:
        self._owned = session is None
        self._session = session if session is not None else start_session(master)

    @property
    def context(self) -> SparkContext:
        return self._session.sparkContext

    def _slices(self, count: int) -> int:
        parallelism = max(self.context.defaultParallelism, 1)
        return max(1, min(count, max(4 * parallelism, -(-count // ITEMS_PER_PARTITION))))

    def map_ordered(
        self, function: Callable[[In, Settings], Out], items: Iterable[In], settings: Settings
    ) -> Iterator[Out]:
        """`function(item, settings)` as Spark tasks; `collect` keeps the partitions' order."""
        batch = list(items)
        if not batch:
            return iter(())
        rdd = self.context.parallelize(batch, self._slices(len(batch)))
        return iter(rdd.map(partial(function, settings=settings)).collect())

    def compare(self, docs: Sequence[CompareDoc], settings: Settings) -> Comparison:
        check_keep_policy(settings.keep_policy)
        ordered = sorted(docs, key=lambda d: d.id)
        ids = [d.id for d in ordered]
        if len(set(ids)) != len(ids):
            raise ValueError("document ids must be unique")
        records = (
            self.context.parallelize(list(enumerate(ordered)), self._slices(len(ordered)))
            .mapValues(partial(_record, settings=settings))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        try:
            return self._compare(ordered, records, settings)
        finally:
            records.unpersist()

    def _compare(self, docs: list[CompareDoc], records: Any, settings: Settings) -> Comparison:
        sc = self.context
        counts = dict(records.mapValues(lambda record: record[1].shingle_count).collect())
        candidates = [candidate_of(d) for d in docs]
        too_short, eligible = split_too_short([counts[i] for i in range(len(docs))], settings)
        exact, active = group_exact([d.text for d in docs], candidates, eligible, settings)
        active_set = sc.broadcast(frozenset(active))
        chosen = records.filter(lambda item: item[0] in active_set.value)

        near_pairs = _near_duplicate_pairs(chosen, settings)
        common = _common_shingles(chosen, settings)
        buckets = (
            chosen.flatMap(partial(_window_entries, common=sc.broadcast(common), settings=settings))
            .groupByKey()
            .mapValues(_first_window_per_document)
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        limit = settings.max_bucket_documents
        skipped = buckets.filter(lambda bucket: len(bucket[1]) > limit).count()
        window_pairs = (
            buckets.filter(lambda bucket: 2 <= len(bucket[1]) <= limit)
            .flatMap(lambda bucket: combinations(bucket[1], 2))
            .map(lambda pair: (pair[0][0], pair[0][1], pair[1][0], pair[1][1]))
            .distinct()
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        window_pair_count = window_pairs.count()
        document_pairs = sorted(window_pairs.map(lambda w: (w[0], w[2])).distinct().collect())
        buckets.unpersist()
        window_pairs.unpersist()

        candidate_pairs = sorted(set(near_pairs) | set(document_pairs))
        verified = self._verify(candidate_pairs, chosen, settings).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            groups, verified_count = verified_groups(verified)
        finally:
            verified.unpersist()
        near, families = near_clusters(groups, candidates, settings)
        aligned = [(a, b) for a, b in document_pairs if families.find(a) != families.find(b)]
        examined = sorted(
            self._pair_join(aligned, records).map(partial(_examine, settings=settings)).collect()
        )
        needed = np.unique(
            np.concatenate([span for *_, spans in examined for _, span in spans] or [np.zeros(0, np.uint64)])
        )
        roots = {index: families.find(index) for index in active}
        frequency = _family_frequency(chosen, sc.broadcast((roots, needed)))

        ids = [d.id for d in docs]
        overlaps: list[Overlap] = []
        contained = []
        for a, b, found, lineage, spans in examined:
            if found is not None:
                contained.append(found)
            for alignment, span in spans:
                overlaps.append(
                    judged_overlap((ids[a], ids[b]), alignment, span, frequency, lineage, settings)
                )
        eligible_set = sc.broadcast(frozenset(eligible))
        repeats = (
            records.filter(lambda item: item[0] in eligible_set.value)
            .flatMap(partial(_repeats, settings=settings))
            .collect()
        )
        return assemble_comparison(
            exact,
            near,
            contained,
            [ids[i] for i in too_short],
            overlaps,
            repeats,
            CandidateCounts(
                len(near_pairs), verified_count, window_pair_count, len(document_pairs), len(aligned), skipped
            ),
        )

    def _pair_join(self, pairs: list[tuple[int, int]], records: Any) -> Any:
        """(a, b, record a, record b) for each pair: two joins on the document index."""
        rdd = self.context.parallelize(pairs, self._slices(max(len(pairs), 1)))
        return (
            rdd.join(records)
            .map(lambda item: (item[1][0], (item[0], item[1][1])))
            .join(records)
            .map(lambda item: (item[1][0][0], item[0], item[1][0][1], item[1][1]))
        )

    def _verify(self, pairs: list[tuple[int, int]], chosen: Any, settings: Settings) -> Any:
        """RDD of ((a, b), exact Jaccard) for the candidate pairs at or above the threshold."""
        threshold = settings.near_duplicate_threshold
        scored = self._pair_join(pairs, chosen).map(
            lambda item: ((item[0], item[1]), jaccard(item[2][1].unique_shingles, item[3][1].unique_shingles))
        )
        return scored.filter(lambda pair: pair[1] >= threshold)

    def close(self) -> None:
        if self._owned:
            self._session.stop()


def start_session(master: str | None = None) -> SparkSession:
    """A quiet SparkSession whose Python workers run this interpreter (and so this package).

    The library never prints: the driver JVM logs errors only (its default
    profile logs warnings about the host name and native libraries to stderr).
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    logging = Path(tempfile.gettempdir()) / "audit-spark-log4j2.properties"
    if not logging.is_file() or logging.read_text() != QUIET_LOG4J:
        logging.write_text(QUIET_LOG4J)
    builder = (
        SparkSession.builder.appName(APP_NAME)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={logging.as_uri()}")
    )
    if master is not None:
        builder = builder.master(master)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _record(doc: CompareDoc, settings: Settings) -> tuple[CompareDoc, Fingerprint]:
    return doc, fingerprint_text(doc.text, settings)


def _near_duplicate_pairs(chosen: Any, settings: Settings) -> list[tuple[int, int]]:
    """What MinHashLSH returns: pairs whose signatures agree on every row of some band."""
    bands, rows = near_duplicate_bands(settings.near_duplicate_threshold, settings.num_perm)

    def band_slices(item: tuple[int, tuple[CompareDoc, Fingerprint]]) -> list[tuple[Any, int]]:
        signature = item[1][1].signature
        return [
            ((band, signature[band * rows : (band + 1) * rows].tobytes()), item[0]) for band in range(bands)
        ]

    pairs = (
        chosen.flatMap(band_slices)
        .groupByKey()
        .flatMap(lambda bucket: combinations(sorted(bucket[1]), 2))
        .distinct()
        .collect()
    )
    return sorted(pairs)


def _common_shingles(chosen: Any, settings: Settings) -> np.ndarray:
    """Shingles printed by more than `max_bucket_documents` documents (sorted): boilerplate."""
    limit = settings.max_bucket_documents
    common = (
        chosen.flatMap(lambda item: ((value, 1) for value in item[1][1].unique_shingles.tolist()))
        .reduceByKey(add)
        .filter(lambda counted: counted[1] > limit)
        .keys()
        .collect()
    )
    return np.array(sorted(common), dtype=np.uint64)


def _window_entries(
    item: tuple[int, tuple[CompareDoc, Fingerprint]], common: Any, settings: Settings
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """((band, key), (document, window)) for each band of each window not made of boilerplate."""
    index, (_, fingerprint) = item
    if not len(fingerprint.window_keys):
        return []
    hashes = common.value
    frequency = ShingleFrequency(hashes, np.full(len(hashes), settings.max_bucket_documents + 1))
    kept = np.flatnonzero(uncommon_windows([fingerprint], frequency, settings)[0])
    keys = fingerprint.window_keys[kept].tolist()
    windows = kept.tolist()
    return [
        ((band, row[band]), (index, window))
        for window, row in zip(windows, keys, strict=True)
        for band in range(len(row))
    ]


def _first_window_per_document(members: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """A bucket's documents (ascending), each with its first window in the bucket."""
    first: dict[int, int] = {}
    for document, window in members:
        first[document] = min(window, first.get(document, window))
    return sorted(first.items())


def _examine(item: tuple[int, int, Any, Any], settings: Settings) -> tuple[Any, ...]:
    a, b, (a_doc, a_print), (b_doc, b_print) = item
    contained, lineage, alignments = examine_pair(a_doc, b_doc, a_print, b_print, settings)
    spans = [(alignment, span_shingles(alignment, a_print, settings)) for alignment in alignments]
    return a, b, contained, lineage, spans


def _family_frequency(chosen: Any, context: Any) -> ShingleFrequency:
    """Families (near-duplicate clusters counted once) holding each shingle the judged spans use."""

    def family_shingles(item: tuple[int, tuple[CompareDoc, Fingerprint]]) -> list[tuple[int, int]]:
        roots, needed = context.value
        shared = np.intersect1d(item[1][1].unique_shingles, needed, assume_unique=True)
        return [(roots[item[0]], value) for value in shared.tolist()]

    counted = (
        chosen.flatMap(family_shingles).distinct().map(lambda pair: (pair[1], 1)).reduceByKey(add).collect()
    )
    counted.sort()
    hashes = np.array([value for value, _ in counted], dtype=np.uint64)
    return ShingleFrequency(hashes, np.array([count for _, count in counted], dtype=np.int64))


def _repeats(item: tuple[int, tuple[CompareDoc, Fingerprint]], settings: Settings) -> list[Any]:
    doc, fingerprint = item[1]
    return repeats_of(doc.id, fingerprint, settings)
