"""The fast paths give the plain libraries' answers: same languages, same signatures, same report.

Each fast path is checked against the plain use of the library it replaces, on
real text: the replayed langdetect against langdetect itself (75 languages of
lingua-testdata plus the lines of scraped-style articles), numpy MinHash
against datasketch's `MinHash.update` per shingle, the numpy banding and the
on-disk comparison against datasketch's `MinHashLSH` and the in-memory one. The
last test runs both all the way to clusters and overlaps on a fixed corpus.
"""

from __future__ import annotations

import json
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from audit import candidates, fastdetect
from audit.candidates import COMMON_WINDOW_SHARE, Buckets, ShingleFrequency, uncommon_windows
from audit.compare import CompareDoc, compare_fingerprints
from audit.engines.local import LocalEngine
from audit.fastdetect import _langdetect_langprob, _model, check_identical, langprobs
from audit.fingerprint import (
    Fingerprint,
    band_keys,
    fingerprint_text,
    minhash_inputs,
    passage_bands,
    window_layout,
)
from audit.report.json_text import report_json
from audit.settings import Settings
from audit.shingle import shingle_hashes, tokenize

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
LINES_PER_FILE = 12


@pytest.fixture(scope="module")
def articles() -> list[CompareDoc]:
    """300 scraped-style articles with planted reposts, exact copies and copied passages (fixed seed)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from bench_corpus import generate
    finally:
        sys.path.remove(str(BENCHMARKS))
    docs = [
        CompareDoc(doc.id, doc.text)
        for doc, _ in zip(generate(10_000_000, seed=23), range(300), strict=False)
    ]
    return sorted(docs, key=lambda d: d.id)


def _lingua_texts(eval_dir: Path) -> list[str]:
    texts = []
    for kind in ("sentences", "word-pairs", "single-words"):
        for path in sorted((eval_dir / "lingua-testdata" / kind).glob("*.txt")):
            lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
            texts.extend(lines[:LINES_PER_FILE])
    return texts


def test_the_replayed_langdetect_passes_its_self_check() -> None:
    assert check_identical(0)


def test_replayed_langdetect_equals_langdetect_in_75_languages(
    eval_dir: Path, seed_texts: dict[str, str], articles: list[CompareDoc]
) -> None:
    texts = _lingua_texts(eval_dir)
    texts += [line for text in seed_texts.values() for line in text.splitlines() if line.strip()]
    texts += [line[:1200] for doc in articles[:60] for line in doc.text.splitlines() if line.strip()]
    texts += ["", "   ", "12345 !!!", "https://example.org/only-a-link", "A" * 50, "ＦＵＬＬ ｗｉｄｔｈ"]
    model = _model(0)
    expected = [_langdetect_langprob(text, model) for text in texts]
    fastdetect._RESULTS.clear()  # answers cached by earlier tests would hide a wrong replay
    assert langprobs(texts) == expected
    assert sum(row is not None for row in expected) > 2000
    # One text alone takes other numpy paths (a batch of one row) than a batch does.
    sample = range(0, len(texts), 17)
    alone = [fastdetect._compute([texts[i]], 0, False)[0] for i in sample]
    assert [None if row is None else row.tolist() for row in alone] == [expected[i] for i in sample]


def test_the_numpy_replay_equals_the_compiled_one(articles: list[CompareDoc]) -> None:
    """Both replays of langdetect agree (the compiled one is checked against langdetect above)."""
    if not fastdetect.kernel.AVAILABLE:
        pytest.skip("numba is not installed: the numpy replay is the one in use, checked above")
    model = _model(0)
    texts = [line[:1200] for doc in articles[:40] for line in doc.text.splitlines() if len(line) > 30]
    grams = [g for g in fastdetect.ngram_batch(texts, model) if len(g)]
    compiled, compiled_short = fastdetect._replay_compiled(grams, model)
    numpy_rows, numpy_short = fastdetect._replay(grams, model, fastdetect.MAX_DRAWS)
    assert not compiled_short.any() and not numpy_short.any()
    assert compiled.tolist() == numpy_rows.tolist()
    assert len(grams) > 300


def _plain_fingerprint(text: str, settings: Settings) -> Fingerprint:
    """A Fingerprint whose signatures come from datasketch, one `MinHash.update` per shingle."""
    tokens = tokenize(text)
    shingles = shingle_hashes(tokens.hashes, settings.shingle_size)
    values = minhash_inputs(shingles).tolist()
    starts, width = window_layout(len(shingles), settings)
    windows = []
    for start in starts.tolist():
        sketch = MinHash(num_perm=settings.num_perm, seed=settings.minhash_seed, hashfunc=int)
        for value in values[start : start + width]:
            sketch.update(value)
        windows.append(sketch.hashvalues.astype(np.uint32))
    whole = MinHash(num_perm=settings.num_perm, seed=settings.minhash_seed, hashfunc=int)
    for value in values:
        whole.update(value)
    matrix = np.array(windows, dtype=np.uint32).reshape(len(windows), settings.num_perm)
    return Fingerprint(
        tokens=tokens,
        shingles=shingles,
        unique_shingles=np.unique(shingles),
        signature=whole.hashvalues.astype(np.uint32),
        window_starts=starts,
        window_keys=band_keys(matrix, *passage_bands(settings.passage_threshold, settings.num_perm)),
    )


def test_fast_paths_give_the_same_clusters_and_overlaps_as_the_plain_ones(articles: list[CompareDoc]) -> None:
    """Plain: datasketch MinHash per shingle, MinHashLSH, everything in memory.

    Fast: numpy MinHash in worker processes, numpy banding, arrays on disk.
    """
    settings = Settings()
    plain = compare_fingerprints(articles, [_plain_fingerprint(d.text, settings) for d in articles], settings)
    engine = LocalEngine(2)
    try:
        fast = engine.compare(articles, settings)
    finally:
        engine.close()
    assert report_json(fast.to_json()) == report_json(plain.to_json())
    # The corpus plants duplication: the agreement is on real findings.
    assert plain.near_duplicates and plain.exact_duplicates
    assert any(overlap.kind != "stock" for overlap in plain.overlaps)


def test_the_key_regex_keeps_exactly_what_isalnum_keeps() -> None:
    from audit.rules.phrasebook import _NOT_ALNUM

    text = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    assert _NOT_ALNUM.sub("", text) == "".join(char for char in text if char.isalnum())


def test_phrase_books_match_what_the_plain_alternations_match(
    seed_texts: dict[str, str], articles: list[CompareDoc]
) -> None:
    import re

    from audit.rules.phrasebook import (
        MIN_INNER_PHRASE_KEY,
        PHRASE_FOLDER,
        _key_weight,
        normalize_key,
        phrase_book,
    )

    folder = Path(__file__).resolve().parents[1] / "audit" / "rules" / PHRASE_FOLDER
    lines = [line for text in seed_texts.values() for line in text.splitlines()]
    lines += [line for doc in articles[:100] for line in doc.text.splitlines()]
    keys = [normalize_key(line) for line in lines if line.strip()]
    checked = 0
    for path in sorted(folder.glob("*.txt")):
        book = phrase_book(path.stem)
        inner = [k for k in book.keys if _key_weight(k) >= MIN_INNER_PHRASE_KEY]
        if not inner:
            continue
        plain = re.compile("|".join(re.escape(k) for k in sorted(inner, key=lambda k: (-len(k), k))))
        # Keys glued together make matches overlap and nest, where leftmost-longest is decided.
        glued = ["".join(inner[i : i + 3]) for i in range(0, len(inner), 2)] + [k[1:] + k for k in inner]
        for key in keys + inner + glued:
            found = book.spans(key)
            assert found == [(m.start(), m.end()) for m in plain.finditer(key)], (path.stem, key)
        checked += 1
    assert checked >= 10


def _word_lists(value: object) -> list[list[str]]:
    """Every list of strings inside a phrase file's JSON."""
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return [value]
    if isinstance(value, dict):
        return [
            found
            for key, item in value.items()
            if not str(key).startswith("_")
            for found in _word_lists(item)
        ]
    return []


def test_word_tries_match_what_the_plain_word_alternations_match(
    seed_texts: dict[str, str], articles: list[CompareDoc]
) -> None:
    import re

    from audit.dates import _plain_words_pattern, words_pattern

    folder = Path(__file__).resolve().parents[1] / "audit" / "rules" / "phrases"
    lines = [line for text in seed_texts.values() for line in text.splitlines()]
    lines += [line for doc in articles[:100] for line in doc.text.splitlines()]
    lists = [
        words
        for path in sorted(folder.glob("*.json"))
        for words in _word_lists(json.loads(path.read_text("utf-8")))
    ]
    for words in lists:
        fast = re.compile(words_pattern(words), re.IGNORECASE)
        plain = re.compile(
            _plain_words_pattern(sorted(set(words), key=lambda w: (-len(w), w))), re.IGNORECASE
        )
        for line in lines + [f"x {w} y" for w in words] + [w.upper() for w in words]:
            assert [m.span() for m in fast.finditer(line)] == [m.span() for m in plain.finditer(line)], (
                words[:3],
                line,
            )
    assert len(lists) >= 10


def test_the_window_mask_of_many_documents_equals_each_document_alone(articles: list[CompareDoc]) -> None:
    # The mask is computed for many documents laid end to end; each window must get what the plain
    # per-document count of its over-common shingles gives.
    settings = Settings(max_bucket_documents=3)
    # Long articles with short ones between them: a short one's only window is cut at its end.
    texts = [text for doc in articles[:120] for text in (doc.text, " ".join(doc.text.split()[:12]))]
    prints = [fingerprint_text(text, settings) for text in texts]
    hashes, counts = np.unique(np.concatenate([p.unique_shingles for p in prints]), return_counts=True)
    frequency = ShingleFrequency(hashes, counts.astype(np.int64))
    width = settings.window_words - settings.shingle_size + 1
    masks = uncommon_windows(prints, frequency, settings)
    common_windows = 0
    for fingerprint, mask in zip(prints, masks, strict=True):
        common = frequency.counts_of(fingerprint.shingles) > settings.max_bucket_documents
        plain = [
            common[start : start + width].sum()
            < COMMON_WINDOW_SHARE * max(len(common[start : start + width]), 1)
            for start in fingerprint.window_starts.tolist()
        ]
        assert mask.tolist() == plain
        common_windows += plain.count(False)
    assert common_windows > 0  # the corpus has stock passages: some windows are left out


def test_bucket_pairs_made_in_batches_are_the_plain_pairs_of_each_bucket(
    articles: list[CompareDoc], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Buckets are expanded a few pairs at a time on large corpora; the pairs must be exactly those
    # of a plain dictionary of buckets: one window per document (its first), buckets too big skipped.
    settings = Settings(max_bucket_documents=4)
    prints = [fingerprint_text(doc.text, settings) for doc in articles[:150]]
    keys = np.concatenate([p.window_keys[:, 0] for p in prints])
    owners = np.repeat(np.arange(len(prints)), [len(p.window_keys) for p in prints])
    buckets: dict[int, dict[int, int]] = {}
    for window, (key, owner) in enumerate(zip(keys.tolist(), owners.tolist(), strict=True)):
        buckets.setdefault(key, {}).setdefault(owner, window)
    plain = {
        pair
        for members in buckets.values()
        if 2 <= len(members) <= settings.max_bucket_documents
        for pair in combinations(sorted(members.values()), 2)
    }
    monkeypatch.setattr(candidates, "PAIRS_PER_BATCH", 3)
    found = Buckets.of(keys, owners, settings.max_bucket_documents)
    batches = list(found.pairs())
    assert max(len(batch) for batch in batches) < len(plain)  # several batches, not one
    pairs = [tuple(pair) for batch in batches for pair in batch.tolist()]
    assert len(pairs) == len(set(pairs)) and set(pairs) == plain
    assert found.skipped == sum(len(m) > settings.max_bucket_documents for m in buckets.values()) > 0
