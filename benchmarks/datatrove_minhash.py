"""datatrove's MinHash deduplication on a JSONL corpus, timed: a reference point for throughput.

Run by benchmarks/throughput.py with `--datatrove-python PATH`, the interpreter
of a separate environment where datatrove is installed (it pins its own
dependencies, so it is kept out of the project's environment). Runs the four
stages of datatrove's own example (signatures, buckets, clusters, filter) with
its default MinhashConfig (5-grams, 14 buckets x 8 hashes) on `tasks` tasks and
`workers` processes, and prints one JSON line: seconds per stage and in total.

Usage: `python benchmarks/datatrove_minhash.py CORPUS_JSONL_DIR WORK_DIR --workers 2`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    config = MinhashConfig()
    work = args.work
    tasks = args.workers
    stages = {
        "signatures": LocalPipelineExecutor(
            pipeline=[
                JsonlReader(str(args.corpus), glob_pattern="*.jsonl"),
                MinhashDedupSignature(output_folder=str(work / "signatures"), config=config),
            ],
            tasks=tasks,
            workers=args.workers,
            logging_dir=str(work / "logs" / "signatures"),
        ),
        "buckets": LocalPipelineExecutor(
            pipeline=[
                MinhashDedupBuckets(
                    input_folder=str(work / "signatures"), output_folder=str(work / "buckets"), config=config
                )
            ],
            tasks=config.num_buckets,
            workers=args.workers,
            logging_dir=str(work / "logs" / "buckets"),
        ),
        "clusters": LocalPipelineExecutor(
            pipeline=[
                MinhashDedupCluster(
                    input_folder=str(work / "buckets"), output_folder=str(work / "remove_ids"), config=config
                )
            ],
            tasks=1,
            logging_dir=str(work / "logs" / "clusters"),
        ),
        "filter": LocalPipelineExecutor(
            pipeline=[
                JsonlReader(str(args.corpus), glob_pattern="*.jsonl"),
                MinhashDedupFilter(input_folder=str(work / "remove_ids")),
                JsonlWriter(output_folder=str(work / "deduplicated")),
            ],
            tasks=tasks,
            workers=args.workers,
            logging_dir=str(work / "logs" / "filter"),
        ),
    }
    seconds = {}
    for name, executor in stages.items():
        started = time.perf_counter()
        executor.run()
        seconds[name] = time.perf_counter() - started
    kept = sum(1 for path in (work / "deduplicated").glob("*.jsonl*") for _ in _lines(path))
    print(json.dumps({"seconds": seconds, "total": sum(seconds.values()), "kept": kept}))


def _lines(path: Path) -> list[bytes]:
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return handle.readlines()


if __name__ == "__main__":
    main()
