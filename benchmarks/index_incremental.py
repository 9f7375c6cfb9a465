"""What the persistent index saves: a day's new documents against a corpus already indexed.

Builds a corpus of real text (benchmarks/bench_corpus.py) as "day 1" and a
small "day 2" batch whose documents copy passages of day-1 documents, then
times, in one process:

1. a one-shot run over day 1 (no index) and the first indexed run over it;
2. a second indexed run over day 1 with nothing changed;
3. the indexed run over day 2 alone (the daily case), and, for comparison, a
   one-shot run over day 1 + day 2 (what every day costs without the index);

and checks that the day-2 report equals the one-shot report over both days.
Prints seconds, documents per second and the index size.

    .venv/bin/python benchmarks/index_incremental.py --mb 4 --new 20 --jobs 2
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_corpus import write_corpus

from audit.engines.local import LocalEngine
from audit.incremental import run_indexed
from audit.index.schema import index_path
from audit.pipeline import run_pipeline
from audit.report.json_text import report_json


def day_two(day_one: Path, folder: Path, count: int, seed: int) -> None:
    """`count` articles, each a passage of one day-1 document, words of another, and a new closing line."""
    rng = random.Random(seed)
    files = sorted(day_one.rglob("*.txt"))
    folder.mkdir(parents=True)
    for number in range(count):
        source, other = (path.read_text(encoding="utf-8").split() for path in rng.sample(files, 2))
        start = rng.randrange(max(len(source) - 80, 1))
        body = " ".join(source[start : start + 80])
        filler = " ".join(other[: rng.randint(60, 200)])
        text = (
            f"May {rng.randint(1, 28)}, 2026\n\n{filler}\n\n{body}\n\nWritten for day two, number {number}.\n"
        )
        (folder / f"day2_{number:03d}.txt").write_text(text, encoding="utf-8")


def timed(label: str, work, documents: int) -> object:
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    print(f"{label:<46} {seconds:8.2f} s  {documents / seconds:8.1f} docs/s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=float, default=4.0, help="size of the day-1 corpus in MB of text")
    parser.add_argument("--new", type=int, default=20, help="documents on day 2")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument(
        "--work", type=Path, default=None, help="folder to build in (default: a temporary one)"
    )
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp(prefix="audit-index-bench-"))
    day_one, both, out = work / "day1", work / "both", work / "out"
    documents, size = write_corpus(day_one, int(options.mb * 1e6))
    for folder in (work / "day2", both, out):
        shutil.rmtree(folder, ignore_errors=True)
    day_two(day_one, work / "day2", options.new, seed=11)
    shutil.copytree(day_one, both)  # same relative paths, so the same ids as the two indexed runs
    for path in sorted((work / "day2").iterdir()):
        shutil.copy(path, both / path.name)
    engine = LocalEngine(options.jobs)
    print(
        f"day 1: {documents} documents, {size / 1e6:.1f} MB; day 2: {options.new} documents; jobs {options.jobs}"
    )

    timed("one-shot run over day 1 (no index)", lambda: run_pipeline(day_one, engine=engine), documents)
    timed("first indexed run over day 1", lambda: run_indexed(day_one, out, engine=engine), documents)
    print(f"{'index size after day 1':<46} {index_path(out).stat().st_size / 1e6:8.1f} MB")
    again = timed(
        "indexed run over day 1 again (unchanged)",
        lambda: run_indexed(day_one, out, engine=engine),
        documents,
    )
    print(
        f"{'  unchanged / cleaned again':<46} {again.counts.unchanged} / {again.counts.added + again.counts.changed}"
    )
    # Day 2 is read from a folder of its own: day 1's documents stay in the index.
    indexed = timed(
        "indexed run over day 2 (the daily case)",
        lambda: run_indexed(work / "day2", out, engine=engine),
        options.new,
    )
    print(f"{'  new / refinished':<46} {indexed.counts.added} / {indexed.counts.refinished}")
    expected = timed(
        "one-shot run over day 1 + day 2 (no index)",
        lambda: run_pipeline(both, engine=engine),
        documents + options.new,
    )
    same = report_json(indexed.result.report) == report_json(expected.report)  # type: ignore[attr-defined]
    print(f"{'day-2 report equals the one-shot report':<46} {same}")
    print(f"{'index size after day 2':<46} {index_path(out).stat().st_size / 1e6:8.1f} MB")
    engine.close()


if __name__ == "__main__":
    main()
