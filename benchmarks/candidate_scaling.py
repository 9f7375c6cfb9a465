"""Candidate search scaling: pairs produced and time taken for 1k and 10k documents.

Shows that candidate search is sub-quadratic: the pairs LSH produces grow with
the number of documents that really share text, not with n*(n-1)/2.

The documents are synthetic but made of real text: sentences from
../shared/eval (lingua-testdata in 75 languages, article-extraction-benchmark
bodies), about 300 words per document in one language. Because 10,000
documents need more sentences than the eval sets hold, sentences are reused
across documents; to keep reused sentences from becoming (true) shared passages,
every fourth word is replaced by a random word of the same language. Then 1 %
of the documents receive a 60-word passage copied verbatim from another one:
those planted copies are the overlaps the search must find. A fifth of the
documents also end with the same boilerplate sentence, as scraped sites do: its
LSH buckets hold hundreds of documents and are counted (`skipped_buckets`)
rather than expanded into all their pairs.

Run: `.venv/bin/python benchmarks/candidate_scaling.py [--sizes 1000 10000] [--seed 3]`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from audit.candidates import (  # noqa: E402
    ShingleFrequency,
    find_near_duplicate_candidates,
    find_window_candidates,
)
from audit.compare import CompareDoc, compare_corpus  # noqa: E402
from audit.fingerprint import fingerprint_text  # noqa: E402
from audit.settings import Settings  # noqa: E402
from audit.shingle import token_texts, tokenize  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
UNSPACED = ("zh", "ja", "th")
WORDS_PER_DOCUMENT = 300
REPLACE_EVERY = 4
PLANTED_SHARE = 0.01
PLANTED_WORDS = 60
BOILERPLATE_SHARE = 0.2
BOILERPLATE = (
    "This article is distributed by our partner network. Republication of this content in whole or in part "
    "without the written permission of the publisher is prohibited, except for personal and non-commercial use."
)


def load_sentences() -> dict[str, list[str]]:
    """Sentences per language: lingua-testdata plus the English article bodies split at full stops."""
    pools: dict[str, list[str]] = {}
    for path in sorted((EVAL / "lingua-testdata" / "sentences").glob("*.txt")):
        pools[path.stem] = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    bodies = json.loads((EVAL / "article-extraction-benchmark" / "ground-truth.json").read_text("utf-8"))
    for key in sorted(bodies):
        pools["en"].extend(s for s in re.split(r"(?<=[.!?])\s+", bodies[key]["articleBody"]) if len(s) > 20)
    return pools


def make_documents(count: int, seed: int) -> tuple[list[CompareDoc], list[tuple[str, str]]]:
    """`count` documents and the (source, copy) pairs planted among them."""
    rng = random.Random(seed)
    pools = load_sentences()
    languages = sorted(pools)
    vocabulary = {
        lang: sorted({w for s in pools[lang][:200] for w in token_texts(s, tokenize(s))})
        for lang in languages
    }
    lengths = {lang: [len(tokenize(s)) for s in pools[lang]] for lang in languages}
    texts: list[str] = []
    for index in range(count):
        lang = languages[index % len(languages)]
        sentences: list[str] = []
        words = 0
        while words < WORDS_PER_DOCUMENT:
            pick = rng.randrange(len(pools[lang]))
            sentences.append(pools[lang][pick])
            words += lengths[lang][pick]
        text = ("" if lang in UNSPACED else " ").join(sentences)
        texts.append(_replace_words(text, vocabulary[lang], rng))
    planted = []
    for target in rng.sample(range(count), max(1, int(count * PLANTED_SHARE))):
        source = rng.randrange(count)
        tokens = tokenize(texts[source])
        if source == target or len(tokens) < PLANTED_WORDS:
            continue
        first = rng.randrange(len(tokens) - PLANTED_WORDS)
        passage = texts[source][tokens.starts[first] : tokens.ends[first + PLANTED_WORDS - 1]]
        texts[target] = f"{texts[target]}\n{passage}"
        planted.append((f"doc-{source:05d}", f"doc-{target:05d}"))
    for index in rng.sample(range(count), int(count * BOILERPLATE_SHARE)):
        texts[index] = f"{texts[index]}\n{BOILERPLATE}"
    return [CompareDoc(f"doc-{i:05d}", text) for i, text in enumerate(texts)], planted


def _replace_words(text: str, vocabulary: Sequence[str], rng: random.Random) -> str:
    tokens = tokenize(text)
    pieces, cursor = [], 0
    phase = rng.randrange(REPLACE_EVERY)
    for index, (start, end) in enumerate(zip(tokens.starts.tolist(), tokens.ends.tolist(), strict=True)):
        if index % REPLACE_EVERY == phase:
            pieces.append(text[cursor:start])
            pieces.append(rng.choice(vocabulary))
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def measure(count: int, seed: int, settings: Settings) -> dict[str, object]:
    """Time fingerprinting, candidate search (as compare_corpus runs it) and the whole comparison.

    Times are CPU seconds of this process (time.process_time), which other jobs
    on a shared machine disturb far less than wall-clock time.
    """
    docs, planted = make_documents(count, seed)
    started = time.process_time()
    prints = [fingerprint_text(d.text, settings) for d in docs]
    fingerprinted = time.process_time()
    everyone = list(range(len(prints)))
    find_near_duplicate_candidates(prints, everyone, settings)
    frequency = ShingleFrequency.from_families([[p.unique_shingles] for p in prints])
    find_window_candidates(prints, everyone, settings, frequency)
    searched = time.process_time()
    comparison = compare_corpus(docs, settings)
    compared = time.process_time()
    reported = {tuple(sorted((o.a.doc_id, o.b.doc_id))) for o in comparison.overlaps if o.kind != "stock"}
    return {
        "documents": count,
        "megabytes": round(sum(len(d.text.encode("utf-8")) for d in docs) / 1e6, 1),
        "all_pairs": count * (count - 1) // 2,
        **comparison.candidates,
        "planted_copies": len(planted),
        "planted_found": sum(tuple(sorted(p)) in reported for p in planted),
        "overlaps": {k: sum(o.kind == k for o in comparison.overlaps) for k in ("verbatim", "near", "stock")},
        "fingerprint_cpu_seconds": round(fingerprinted - started, 2),
        "candidate_search_cpu_seconds": round(searched - fingerprinted, 2),
        "compare_corpus_cpu_seconds": round(compared - searched, 2),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    for count in args.sizes:
        print(json.dumps(measure(count, args.seed, Settings())))


if __name__ == "__main__":
    main()
