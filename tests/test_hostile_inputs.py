"""A folder of hostile and broken inputs through the input side (walk, decode, normalize).

Each case must end as either text or a Problem of the expected kind with a
message that names the file; nothing may raise, nothing may be modified, and a
copy of the folder elsewhere must give exactly the same results.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from audit.decode import decode_source
from audit.errors import PROBLEM_KINDS
from audit.fsutil import SafeFolder
from audit.ids import is_safe_id
from audit.ingest import walk_inputs
from audit.normalize import normalize_text
from audit.settings import Settings
from audit.types import Problem

LIMIT = 4 * 1024 * 1024  # a small limit keeps the "enormous" cases fast
PARAGRAPH = "Die künstliche Intelligenz entwickelt sich schnell. Größere Firmen investieren viel.\n"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "zipped")
    return buffer.getvalue()


# relative path -> bytes written
CASES: dict[str, bytes] = {
    "empty.txt": b"",
    "whitespace.md": b" \n\t \r\n",
    "photo.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
    "archive.txt": _zip(),
    "nul-inside.txt": PARAGRAPH.encode() + b"\x00\x00" + PARAGRAPH.encode(),
    "undecodable.txt": bytes((i * 151 + 7) % 128 + 128 for i in range(2000)),
    "legacy/cp1252.txt": PARAGRAPH.encode("cp1252"),
    "legacy/gb18030.txt": "中国人工智能发展迅速，政府发布了新一代人工智能发展规划。".encode("gb18030"),
    "legacy/euc-kr.txt": "답글 남기기. 이메일 주소는 공개되지 않습니다.".encode("euc-kr"),
    "legacy/shift_jis.txt": "日本語のテキストです。人工知能の技術が急速に発展しています。".encode(
        "shift_jis"
    ),
    "legacy/utf-16.txt": PARAGRAPH.encode("utf-16"),
    "legacy/utf-16-no-bom.txt": PARAGRAPH.encode("utf-16-le"),
    "one-long-line.txt": b"word " * (3 * 1024 * 1024 // 5),  # 3 MiB without a newline
    "malformed.html": b"<html><body><p>Unclosed <b>bold<div>inner</p></span>tail",
    "markup-only.html": b"<html><head><script>x()</script></head><body><nav><a>Home</a></nav></body></html>",
    "deep.html": b"<div>" * 30_000 + b"deep" + b"</div>" * 30_000,
    "feed.jsonl": b"\n".join(
        [
            json.dumps({"id": "ok", "text": PARAGRAPH}).encode(),
            b'{"id": "broken", "text": ',
            json.dumps({"id": "ok", "text": "same id again"}).encode(),
            json.dumps({"id": "../../escape", "text": "id with dots"}).encode(),
            b"[" * 50_000,
        ]
    ),
    "names/report (1).txt": b"first",
    "names/report [1].txt": b"second",
    "names/..sneaky..txt": b"hidden by its leading dot",
    "names/with ..dots.txt": b"dots inside",
    "names/Ünïcödé 名前.txt": b"non-ASCII name",
}
EXPECTED: dict[str, str] = {
    "empty.txt": "empty",
    "whitespace.md": "empty",
    "photo.html": "binary",
    "archive.txt": "binary",
    "nul-inside.txt": "text",
    "undecodable.txt": "undecodable",
    "legacy/cp1252.txt": "text",
    "legacy/gb18030.txt": "text",
    "legacy/euc-kr.txt": "text",
    "legacy/shift_jis.txt": "text",
    "legacy/utf-16.txt": "text",
    "legacy/utf-16-no-bom.txt": "text",
    "one-long-line.txt": "text",
    "malformed.html": "text",
    "markup-only.html": "html-no-text",
    "deep.html": "text",
    "huge.txt": "too-large",
    "loop": "symlink-loop",
    "names/report (1).txt": "text",
    "names/report [1].txt": "text",
    "names/with ..dots.txt": "text",
    "names/Ünïcödé 名前.txt": "text",
}


def build_corpus(root: Path) -> None:
    for rel, data in CASES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with (root / "huge.txt").open("wb") as handle:
        handle.truncate(LIMIT * 4)  # sparse: refused from its size, never read
    (root / "loop").symlink_to(root / "loop", target_is_directory=True)


def run_input_side(root: Path) -> list[tuple[str, str, str, str]]:
    """(source, id or kind, outcome, text or message) for every input, as the pipeline would see it."""
    rows = []
    for item in walk_inputs(root, Settings(max_file_bytes=LIMIT)):
        if isinstance(item, Problem):
            rows.append((item.source, item.kind, "problem", item.message))
            continue
        decoded = decode_source(item)
        name = item.path if item.record is None else f"{item.path}#{item.record}"
        if isinstance(decoded, Problem):
            rows.append((name, decoded.kind, "problem", decoded.message))
        else:
            rows.append((name, item.id, "text", normalize_text(decoded.text)))
    return rows


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "in"
    root.mkdir()
    build_corpus(root)
    return root


@pytest.fixture(scope="module")
def results(corpus: Path) -> list[tuple[str, str, str, str]]:
    return run_input_side(corpus)


def test_every_case_ends_as_expected(results: list[tuple[str, str, str, str]]) -> None:
    outcome = {}
    for source, kind_or_id, status, _ in results:
        if kind_or_id != "duplicate-id":
            outcome.setdefault(source, "text" if status == "text" else kind_or_id)
    for rel, expected in EXPECTED.items():
        assert outcome.get(rel) == expected, rel
    assert "names/..sneaky..txt" not in outcome  # hidden (leading dot): skipped silently


def test_every_problem_names_its_file_and_a_documented_kind(results: list[tuple[str, str, str, str]]) -> None:
    for source, kind, status, message in results:
        if status == "problem":
            assert kind in PROBLEM_KINDS
            assert message.startswith(source.split("#")[0])
            assert message.rstrip().endswith(".")


def test_jsonl_keeps_good_lines_around_bad_ones(results: list[tuple[str, str, str, str]]) -> None:
    feed = [
        (source, kind_or_id, status) for source, kind_or_id, status, _ in results if source.startswith("feed")
    ]
    assert feed == [
        ("feed.jsonl#1", "ok", "text"),
        ("feed.jsonl#2", "bad-jsonl", "problem"),
        ("feed.jsonl#3", "duplicate-id", "problem"),
        ("feed.jsonl#3", "ok-2", "text"),
        ("feed.jsonl#4", "escape", "text"),
        ("feed.jsonl#5", "bad-jsonl", "problem"),
    ]


def test_text_survives_the_hostile_wrapping(results: list[tuple[str, str, str, str]]) -> None:
    texts = {source: text for source, _, status, text in results if status == "text"}
    assert texts["nul-inside.txt"] == PARAGRAPH * 2
    assert texts["legacy/cp1252.txt"] == PARAGRAPH
    assert texts["legacy/utf-16-no-bom.txt"] == PARAGRAPH
    assert texts["legacy/euc-kr.txt"].startswith("답글 남기기")
    assert len(texts["one-long-line.txt"]) == 3 * 1024 * 1024 // 5 * 5 - 1  # trailing space stripped
    assert texts["deep.html"] == "deep"
    assert "inner" in texts["malformed.html"]


def test_ids_are_safe_output_names(
    corpus: Path, results: list[tuple[str, str, str, str]], tmp_path: Path
) -> None:
    ids = [doc_id for _, doc_id, status, _ in results if status == "text"]
    assert len(ids) == len({doc_id.casefold() for doc_id in ids})
    for doc_id in ids:
        assert is_safe_id(doc_id), doc_id
        assert SafeFolder(tmp_path).child(f"{doc_id}.txt").parent == tmp_path


def test_originals_are_untouched(corpus: Path) -> None:
    for rel, data in CASES.items():
        path = corpus / rel
        before = path.stat().st_mtime_ns
        run_input_side(path)  # each file alone as the root, too
        assert path.read_bytes() == data
        assert path.stat().st_mtime_ns == before


def test_a_copy_elsewhere_gives_identical_results(
    corpus: Path, results: list[tuple[str, str, str, str]], tmp_path: Path
) -> None:
    copy = tmp_path / "somewhere" / "else"
    shutil.copytree(corpus, copy, symlinks=True, ignore=shutil.ignore_patterns("loop"))
    (copy / "loop").symlink_to(copy / "loop", target_is_directory=True)
    assert run_input_side(copy) == results
