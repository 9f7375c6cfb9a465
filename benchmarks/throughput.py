"""Throughput: how fast `audit run` is per core, how it scales, what memory it needs.

Builds a corpus of real text of the requested size (benchmarks/bench_corpus.py:
real sentences from ../shared/eval and the seeds, laid out as scraped
articles, with planted reposts, exact copies, copied passages and site
footers), then measures, in one run:

- per stage, on one core, in this process: MB/s and docs/s of decode,
  normalize, segment + language, block keys, rules + clean, provenance,
  repeats, fingerprint, and the corpus comparison;
- the naive baseline (benchmarks/naive.py: ftfy on everything, langdetect on
  whole documents, Python shingling, MinHash.update per shingle, MinHashLSH) on
  the same documents, and the ratio;
- end to end, `run_pipeline` + `write_outputs` in a fresh process with 1 and
  with all cores: wall time, MB/s, MB/s per core, docs/s, the speed-up, and the
  peak resident memory of the driver and of the largest worker;
- peak memory at each `--memory-sizes` input size (same measure);
- the time 1M documents of this corpus would take, extrapolated linearly from
  the all-core run (candidate search is linear in practice: see
  benchmarks/candidate_scaling.py);
- datatrove's MinHash dedup on the same corpus, if datatrove is installed.

Run: `.venv/bin/python benchmarks/throughput.py --size-mb 100 [--memory-sizes 100 1000]`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for entry in (str(ROOT), str(ROOT / "benchmarks")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from bench_corpus import write_corpus  # noqa: E402
from stages import measure_stages  # noqa: E402

MB = 1_000_000
MILLION = 1_000_000


def run_child(input_dir: Path, jobs: int, engine: str) -> dict[str, object]:
    """Run the pipeline in a fresh process; its timings and peak memory as JSON."""
    with tempfile.TemporaryDirectory(prefix="audit-bench-out-") as out:
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            str(input_dir),
            "--out",
            out,
            "--jobs",
            str(jobs),
            "--engine",
            engine,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_main(input_dir: Path, out: Path, jobs: int, engine_name: str) -> None:
    """The measured run: pipeline + outputs, stage boundaries from the progress callback."""
    from audit.engines import make_engine
    from audit.outputs import write_outputs
    from audit.pipeline import run_pipeline

    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        marks.setdefault(f"{stage}:first", now)
        marks[f"{stage}:last"] = now

    engine = make_engine(engine_name, jobs=jobs)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    result = run_pipeline(input_dir, jobs=jobs, progress=progress, engine=engine)
    piped = time.perf_counter()
    write_outputs(result, out)
    finished = time.perf_counter()
    engine.close()
    stages = {
        "ingest + pass 1 (decode, normalize, languages)": marks.get("read:last", started) - started,
        "corpus stats + pass 2 (rules, clean, provenance)": marks.get("clean:last", piped)
        - marks.get("read:last", started),
        "compare (fingerprints, candidates, alignment) + report": piped - marks.get("clean:last", piped),
        "write outputs": finished - piped,
    }
    print(
        json.dumps(
            {
                "seconds": finished - started,
                "stages": stages,
                "documents": len(result.docs),
                "bytes": sum(len(doc.document.text.encode()) for doc in result.docs),
                "cpu_seconds": _cpu_seconds(),
                "load_average": [load_before, os.getloadavg()[0]],
                "driver_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "summary": {k: result.report["summary"][k] for k in ("near_duplicate_clusters", "overlaps")},
            }
        )
    )


def median_run(input_dir: Path, jobs: int, engine: str, repeat: int) -> dict[str, object]:
    """The run of median wall time among `repeat` fresh-process runs (one run is noisy: +-10 % here)."""
    runs = sorted(
        (run_child(input_dir, jobs, engine) for _ in range(repeat)), key=lambda r: float(r["seconds"])
    )  # type: ignore[arg-type]
    chosen = dict(runs[len(runs) // 2])
    chosen["all_seconds"] = [round(float(r["seconds"]), 2) for r in runs]  # type: ignore[arg-type]
    return chosen


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished workers."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def corpus_dir(base: Path, size_mb: float, seed: int) -> tuple[Path, int, int]:
    path = base / f"corpus-{size_mb:g}mb-seed{seed}"
    documents, size = write_corpus(path, int(size_mb * MB), seed)
    return path, documents, size


def print_table(title: str, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=100.0, help="corpus size for the end-to-end runs")
    parser.add_argument(
        "--stage-mb", type=float, default=5.0, help="sample size for per-stage and naive runs"
    )
    parser.add_argument(
        "--memory-sizes", type=float, nargs="*", default=[], help="input sizes (MB) for peak memory"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cores for the all-core run")
    parser.add_argument("--engine", default="local", help="engine for the end-to-end runs")
    parser.add_argument(
        "--repeat", type=int, default=3, help="end-to-end runs per core count; the median is reported"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "audit-throughput")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument(
        "--datatrove-python",
        type=Path,
        help="interpreter of an environment with datatrove installed: also time its MinHash dedup",
    )
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="only the peak-memory runs of --memory-sizes, no speed runs",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child_main(args.child, args.out, args.jobs, args.engine)
        return

    figures: dict[str, Any] = {}
    if not args.memory_only:
        _speed(args, figures)
    if args.memory_sizes:
        _memory(args, figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))


def _speed(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """Per stage, naive baseline, end to end on 1 and all cores, and datatrove: printed and kept in `figures`."""
    sample, sample_docs, sample_bytes = corpus_dir(args.work, args.stage_mb, args.seed)
    stages, naive = measure_stages(sample)
    figures["stages"], figures["naive"] = stages, naive
    print(f"per-stage sample: {sample_docs} documents, {sample_bytes / MB:.1f} MB")
    print_table(
        "Per stage, one core (this process)",
        ("stage", "MB/s", "docs/s", "share of time"),
        [(s["stage"], f"{s['mb_s']:.2f}", f"{s['docs_s']:.0f}", f"{s['share']:.0%}") for s in stages["rows"]],
    )
    print_table(
        "Naive baseline, one core, same documents",
        ("stage", "MB/s", "share of time"),
        [(s["stage"], f"{s['mb_s']:.2f}", f"{s['share']:.0%}") for s in naive["rows"]],
    )

    corpus, documents, size = corpus_dir(args.work, args.size_mb, args.seed)
    runs = {jobs: median_run(corpus, jobs, args.engine, args.repeat) for jobs in sorted({1, args.jobs})}
    figures["runs"] = runs
    rows = []
    for jobs, run in runs.items():
        seconds = float(run["seconds"])  # type: ignore[arg-type]
        cpu = float(run["cpu_seconds"])  # type: ignore[arg-type]
        rows.append(
            (
                jobs,
                f"{seconds:.1f}",
                f"{size / MB / seconds:.2f}",
                f"{size / MB / seconds / jobs:.2f}",
                f"{size / MB / cpu:.2f}",
                f"{documents / seconds:.0f}",
                f"{run['driver_rss_mb']:.0f} / {run['worker_rss_mb']:.0f}",
                " -> ".join(f"{x:.1f}" for x in run["load_average"]),  # type: ignore[union-attr]
            )
        )
    print(f"\nend-to-end corpus: {documents} documents, {size / MB:.1f} MB, engine {args.engine}")
    print_table(
        "End to end (run_pipeline + write_outputs, fresh process)",
        (
            "cores",
            "seconds",
            "MB/s",
            "MB/s per core",
            "MB per CPU-second",
            "docs/s",
            "peak RSS MB driver / worker",
            "load average before -> after",
        ),
        rows,
    )
    one, many = float(runs[1]["seconds"]), float(runs[args.jobs]["seconds"])  # type: ignore[arg-type]
    print(f"\nspeed-up 1 -> {args.jobs} cores: {one / many:.2f}x")
    naive_mb_s = naive["total_mb_s"]
    ours_mb_s = size / MB / one
    print(
        f"end to end on one core vs naive baseline: {ours_mb_s:.2f} / {naive_mb_s:.3f} MB/s = {ours_mb_s / naive_mb_s:.1f}x"
    )
    for jobs, run in runs.items():
        print(f"wall seconds of the {args.repeat} runs on {jobs} core(s): {run['all_seconds']}")
        print(f"stages with {jobs} core(s): " + ", ".join(f"{k} {v:.1f}s" for k, v in run["stages"].items()))  # type: ignore[union-attr]
    seconds_per_doc = many / documents
    print(
        f"1M documents of this corpus ({size / documents / 1000:.1f} KB each) on {args.jobs} cores: "
        f"{seconds_per_doc * MILLION / 3600:.2f} h (linear extrapolation of the {args.jobs}-core run)"
    )
    figures["speedup"] = one / many
    figures["million_docs_hours"] = seconds_per_doc * MILLION / 3600
    figures["corpus_path"] = corpus
    if args.datatrove_python:
        figures["datatrove"] = run_datatrove(args, size)


def _memory(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """Peak memory of an all-core run at each of --memory-sizes (the speed run's own where the corpus is the same)."""
    runs: dict[int, dict[str, object]] = figures.get("runs", {})
    corpus = figures.get("corpus_path")
    memory_rows = []
    for size_mb in args.memory_sizes:
        path, docs, nbytes = corpus_dir(args.work, size_mb, args.seed)
        run = (
            runs[args.jobs]
            if path == corpus and args.jobs in runs
            else run_child(path, args.jobs, args.engine)
        )
        memory_rows.append(
            (
                f"{nbytes / MB:.0f}",
                docs,
                f"{run['seconds']:.0f}",
                f"{run['driver_rss_mb']:.0f}",
                f"{run['worker_rss_mb']:.0f}",
            )
        )
        figures[f"memory_{size_mb:g}"] = run
    print_table(
        f"Peak memory, {args.jobs} cores",
        ("input MB", "documents", "seconds", "driver RSS MB", "largest worker RSS MB"),
        memory_rows,
    )


def run_datatrove(args: argparse.Namespace, size: int) -> dict[str, object]:
    """datatrove's four MinHash stages on the same documents (as JSONL), all cores."""
    jsonl = args.work / f"corpus-{args.size_mb:g}mb-seed{args.seed}-jsonl"
    write_corpus(jsonl, int(args.size_mb * MB), args.seed, fmt="jsonl")
    with tempfile.TemporaryDirectory(prefix="audit-bench-datatrove-") as work:
        command = [
            str(args.datatrove_python),
            str(Path(__file__).resolve().parent / "datatrove_minhash.py"),
            str(jsonl),
            work,
            "--workers",
            str(args.jobs),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"datatrove failed: {done.stderr[-2000:]}")
        return {}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    seconds = float(result["total"])
    print(
        f"\ndatatrove MinHash dedup (signatures, buckets, clusters, filter) on {args.jobs} cores: "
        f"{seconds:.1f} s, {size / MB / seconds:.2f} MB/s ({size / MB / seconds / args.jobs:.2f} per core); "
        + ", ".join(f"{k} {v:.1f}s" for k, v in result["seconds"].items())
    )
    return dict(result)


if __name__ == "__main__":
    main()
