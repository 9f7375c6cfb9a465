"""Property tests over whole runs: offsets, lossless cleaning, the index, arbitrary input.

They extend, not repeat, the unit-level properties: tests/test_clean_properties.py
proves `restore` on `clean_view` alone and tests/test_decode.py that decoding
never raises. Here the same invariants are driven through both per-document
passes (with and without site-template statistics), through whole corpora
(every reported offset slices the text it claims), and through the index
(stored documents come back exactly; batches give the one-shot result).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
from helpers import RULE_PIECES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.edits import OffsetMap, apply_edits, check_edits
from audit.engines.local import LocalEngine
from audit.incremental import run_indexed
from audit.index.serial import StoredDoc, stored_from_json, stored_to_json
from audit.pipeline import RunResult, run_pipeline
from audit.process import Prepared, Processed, finish_document, prepare_source
from audit.report.json_text import report_json
from audit.settings import Settings
from audit.shingle import tokenize
from audit.types import Problem, Source

REPO = Path(__file__).resolve().parents[1]
SEED_WORDS = sorted(
    {w for path in sorted((REPO / "seeds").glob("*.txt")) for w in path.read_text(encoding="utf-8").split()}
)
# Words of other scripts, so tokenization by characters (CJK) and by words (Korean) is exercised.
OTHER_WORDS = [
    "人工智能",
    "发展",
    "迅速",
    "인공지능은",
    "빠르게",
    "발전하고",
    "Größere",
    "Firmen",
    "ÉCOLE",
    "naïve",
]
# A planted passage uses words of its own, distinct within it (a passage, not a refrain such as "ha ha ha");
# the text around it draws from the other words, so what is shared is exactly what was planted.
PASSAGE_WORD = st.sampled_from(SEED_WORDS[::2] + OTHER_WORDS[::2])
WORD = st.sampled_from(SEED_WORDS[1::2] + OTHER_WORDS[1::2])
ENGINE = LocalEngine(1)
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ANY_TEXT = st.lists(st.one_of(RULE_PIECES, st.text(max_size=40)), min_size=1, max_size=12).map("".join)


def _both_passes(source: Source, block_documents: int) -> Processed | Problem | None:
    """Pass 1, then pass 2 as if every block occurred in `block_documents` documents."""
    prepared = prepare_source(source, Settings())
    if isinstance(prepared, Problem):
        assert prepared.kind != "internal-error", prepared.message
        return prepared
    assert isinstance(prepared, Prepared)
    corpus = {
        "documents": max(block_documents, 1),
        "block_documents": [block_documents] * len(prepared.block_keys),
    }
    return finish_document((prepared, corpus), Settings())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, block_documents=st.sampled_from([1, 3, 50]), fmt=st.sampled_from(["text", "html"]))
def test_both_passes_clean_any_text_losslessly_and_the_index_keeps_it_exactly(
    text: str, block_documents: int, fmt: str
) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    result = _both_passes(Source(id="doc", path=f"doc.{fmt}", raw=raw, format=fmt), block_documents)
    if not isinstance(result, Processed):
        return
    doc = result.doc
    normalized = doc.document.text
    check_edits(normalized, doc.edits)
    assert apply_edits(normalized, doc.edits) == doc.text
    assert doc.restore() == normalized
    offsets = OffsetMap(doc.edits)
    for position, char in enumerate(doc.text):
        assert normalized[offsets.to_normalized(position)] == char
    for block in doc.blocks:
        assert 0 <= block.start < block.end <= len(normalized)
        assert normalized[block.start : block.end] == block.text
    stored = StoredDoc(doc, "text", (), (), result.removed_repeats, ())
    assert stored_from_json(json.loads(json.dumps(stored_to_json(stored)))) == stored


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=2000), fmt=st.sampled_from(["text", "html", "jsonl-record"]))
def test_any_bytes_go_through_both_passes_without_an_internal_error(raw: bytes, fmt: str) -> None:
    source = Source(id="x", path="x.txt", raw=raw, format=fmt, record=1 if fmt == "jsonl-record" else None)
    result = _both_passes(source, 3)
    if isinstance(result, Problem):
        assert result.kind != "internal-error", result.message
    elif result is not None:
        result.doc.text.encode("utf-8")


@st.composite
def corpora(draw: st.DrawFn) -> tuple[dict[str, str], list[str]]:
    """2-4 documents of real words; a shared passage (40-80 words, maybe lightly edited) in two of them,
    and a passage repeated inside one. Returns the files and the planted passage."""
    count = draw(st.integers(2, 4))
    passage = draw(st.lists(PASSAGE_WORD, min_size=40, max_size=80, unique=True))
    files = {}
    for number in range(count):
        before = draw(st.lists(WORD, min_size=0, max_size=60))
        after = draw(st.lists(WORD, min_size=5, max_size=60))
        body = before + (passage if number < 2 else []) + after
        if number == 1 and draw(st.booleans()):  # a light edit of the copy: one word changed
            index = len(before) + draw(st.integers(0, len(passage) - 1))
            body[index] = "EDITED"
        if number == count - 1:
            repeated = draw(st.lists(WORD, min_size=12, max_size=20))
            body = repeated + body + ["\n\n"] + repeated
        files[f"doc{number}.txt"] = " ".join(body) + "\n"
    return files, passage


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _folded(text: str) -> list[int]:
    return tokenize(text).hashes.tolist()


def _check_offsets(result: RunResult, settings_used: Settings) -> None:
    texts = {doc.document.id: doc.text for doc in result.docs}
    normalized = {doc.document.id: doc.document.text for doc in result.docs}
    report = result.report
    for overlap in report["overlaps"]:
        sides = []
        for side in ("a", "b"):
            span = overlap[side]
            text = texts[span["id"]]
            assert 0 <= span["start"] < span["end"] <= len(text)
            passage = text[span["start"] : span["end"]]
            assert passage == passage.strip() and passage, "spans start and end on words"
            sides.append(_folded(passage))
        assert overlap["words"] == min(len(sides[0]), len(sides[1]))
        if overlap["similarity"] == 1.0:
            assert sides[0] == sides[1]
    for repeat in report["repeats"]:
        text = texts[repeat["id"]]
        first, second = repeat["first"], repeat["second"]
        assert 0 <= first["start"] < first["end"] <= second["start"] < second["end"] <= len(text)
        assert repeat["words"] >= settings_used.min_repeat_words
    for removed in report["removed_repeats"]:
        text = normalized[removed["id"]]
        for side in ("first", "second"):
            span = removed[side]
            assert text[span["start"] : span["end"]] == span["text"]


@SLOW
@given(corpus=corpora())
def test_reported_offsets_slice_the_passages_they_claim(corpus: tuple[dict[str, str], list[str]]) -> None:
    files, passage = corpus
    with tempfile.TemporaryDirectory() as temp:
        result = run_pipeline(_write(Path(temp) / "in", files), jobs=1)
    _check_offsets(result, Settings())
    report = result.report
    pair = {"doc0", "doc1"}
    grouped = any(
        pair <= set(group["members"]) for group in report["near_duplicates"] + report["exact_duplicates"]
    ) or any({c["id"], c["contained_in"]} == pair for c in report["contained"])
    if grouped:  # mostly the passage: the documents are duplicates, reported as such, not as passages
        return
    texts = {doc.document.id: doc.text for doc in result.docs}
    planted = _folded(" ".join(passage))
    found = [o for o in report["overlaps"] if {o["a"]["id"], o["b"]["id"]} == pair and o["kind"] != "stock"]
    covered = max(
        (
            len(set(_folded(texts[o["a"]["id"]][o["a"]["start"] : o["a"]["end"]])) & set(planted))
            for o in found
        ),
        default=0,
    )
    assert covered >= 0.8 * len(set(planted)), "the planted passage must be reported"


@SLOW
@given(corpus=corpora(), batches=st.lists(st.integers(0, 2), min_size=4, max_size=4))
def test_batches_through_the_index_give_the_one_shot_report(
    corpus: tuple[dict[str, str], list[str]], batches: list[int]
) -> None:
    files, _ = corpus
    tight = Settings(max_bucket_documents=2, stock_min_documents=2)
    names = sorted(files)
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        result = None
        for batch in sorted(set(batches[: len(names)])):
            chosen = {name: files[name] for name, b in zip(names, batches, strict=False) if b == batch}
            result = run_indexed(_write(base / f"batch{batch}", chosen), base / "out", tight, ENGINE)
        expected = run_pipeline(_write(base / "all", files), tight, jobs=1)
    assert result is not None
    _check_offsets(result.result, tight)
    assert report_json(result.result.report) == report_json(expected.report)


def test_token_hashes_used_here_fold_case_and_punctuation() -> None:
    """The offset checks compare folded tokens; make sure they fold what a light re-typing changes."""
    assert _folded("Hello, World!") == _folded("hello world")
    assert np.array_equal(tokenize("人工智能").hashes, tokenize("人 工 智 能").hashes)
