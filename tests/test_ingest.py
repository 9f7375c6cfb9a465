"""walk_inputs on real folders: order, stable and safe ids, JSONL records, and every per-file problem."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.errors import PROBLEM_KINDS, UsageError
from audit.ids import MAX_ID_BYTES, IdRegistry, is_safe_id, sanitize_id
from audit.ingest import walk_inputs
from audit.settings import Settings
from audit.types import Problem, Source

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def walk(root: Path, **overrides: int) -> list[Source | Problem]:
    return list(walk_inputs(root, Settings(**overrides)))


def sources(items: list[Source | Problem]) -> list[Source]:
    return [item for item in items if isinstance(item, Source)]


def problems(items: list[Source | Problem]) -> list[Problem]:
    return [item for item in items if isinstance(item, Problem)]


def write(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_seeds_keep_their_file_stems_as_ids() -> None:
    items = walk(SEEDS)
    assert problems(items) == []
    assert [(s.id, s.path, s.format) for s in sources(items)] == [
        (p.stem, p.name, "text") for p in sorted(SEEDS.glob("*.txt"))
    ]
    assert all(s.raw == (SEEDS / s.path).read_bytes() for s in sources(items))


def test_a_single_file_can_be_the_root() -> None:
    seed = sorted(SEEDS.glob("*.txt"))[2]
    (source,) = walk(seed)
    assert isinstance(source, Source)
    assert (source.id, source.path) == (seed.stem, seed.name)


def test_a_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        walk(tmp_path / "nope")


def test_order_is_sorted_by_relative_path_and_ids_include_folders(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.md", "a/b/c.html", "a.txt", "Z.htm"]:
        write(tmp_path, rel, f"text of {rel}")
    items = walk(tmp_path)
    assert [(s.path, s.id, s.format) for s in sources(items)] == [
        ("Z.htm", "Z", "html"),
        ("a.txt", "a", "text"),
        ("a/b/c.html", "a__b__c", "html"),
        ("a/z.md", "a__z", "text"),
        ("b.txt", "b", "text"),
    ]


def test_hidden_files_are_skipped_and_other_types_listed(tmp_path: Path) -> None:
    write(tmp_path, "doc.txt", "kept")
    write(tmp_path, ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(tmp_path, ".git/config", "[core]")
    write(tmp_path, ".notes.txt", "hidden")
    write(tmp_path, "photo.PNG", b"\x89PNG\r\n\x1a\n")
    write(tmp_path, "README", "no extension")
    items = walk(tmp_path)
    assert [s.path for s in sources(items)] == ["doc.txt"]
    assert [(p.source, p.kind) for p in problems(items)] == [
        ("README", "unsupported"),
        ("photo.PNG", "unsupported"),
    ]
    assert problems(items)[1].message == (
        "photo.PNG: has an unsupported type (.PNG); skipped. Inputs are .txt, .md, .html, .htm and .jsonl."
    )


def test_extensions_are_case_insensitive(tmp_path: Path) -> None:
    write(tmp_path, "UPPER.TXT", "upper")
    write(tmp_path, "page.HTML", "<p>page</p>")
    assert [(s.id, s.format) for s in sources(walk(tmp_path))] == [("UPPER", "text"), ("page", "html")]


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"", "is empty"),
        (b"  \n\t\r\n ", "holds only whitespace"),
        (b"\xef\xbb\xbf", "holds only whitespace"),
    ],
)
def test_empty_files_are_problems(tmp_path: Path, data: bytes, what: str) -> None:
    write(tmp_path, "blank.md", data)
    (problem,) = walk(tmp_path)
    assert isinstance(problem, Problem)
    assert (problem.kind, problem.message) == ("empty", f"blank.md: {what}; skipped.")


def test_too_large_files_are_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # a sparse 3 GiB file: reading it whole would need 3 GiB
    write(tmp_path, "small.txt", "x" * 100)
    items = walk(tmp_path, max_file_bytes=1024 * 1024)
    assert [s.path for s in sources(items)] == ["small.txt"]
    (problem,) = problems(items)
    assert problem.kind == "too-large"
    assert problem.message == (
        "huge.txt: is 3072.0 MiB, over the 1.0 MiB limit; not read. Split it, or raise the limit (audit run --max-file-mb)."
    )


def test_jsonl_records_become_sources_with_declared_fields(tmp_path: Path) -> None:
    lines = [
        {"id": "art-1", "text": "First article.", "url": "https://example.org/1", "date": "2025-02-07"},
        {"id": "art-2", "text": "Zweiter Artikel.", "title": "Titel", "lang": "de"},
        {"text": "No id here."},
        {"id": 42, "text": "Numeric id."},
    ]
    write(tmp_path, "batch.jsonl", "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n\n")
    items = walk(tmp_path)
    assert problems(items) == []
    got = [(s.id, s.path, s.format, s.record, s.raw.decode("utf-8"), s.declared) for s in sources(items)]
    assert got == [
        (
            "art-1",
            "batch.jsonl",
            "jsonl-record",
            1,
            "First article.",
            {"date": "2025-02-07", "url": "https://example.org/1"},
        ),
        ("art-2", "batch.jsonl", "jsonl-record", 2, "Zweiter Artikel.", {"lang": "de", "title": "Titel"}),
        ("batch_3", "batch.jsonl", "jsonl-record", 3, "No id here.", {}),
        ("42", "batch.jsonl", "jsonl-record", 4, "Numeric id.", {}),
    ]


def test_bad_jsonl_lines_are_reported_and_good_lines_still_come_through(tmp_path: Path) -> None:
    content = "\n".join(
        [
            '{"id": "ok-1", "text": "good"}',
            "{not json",
            '{"id": "no-text"}',
            '{"id": "num", "text": 5}',
            '{"id": "null", "text": null}',
            "[1, 2, 3]",
            '{"id": "blank", "text": "   "}',
            "[" * 100_000 + "]" * 100_000,
            '{"id": "ok-2", "text": "also good"}',
        ]
    )
    write(tmp_path, "mixed.jsonl", content.encode("utf-8") + b'\n{"id": "latin", "text": "caf\xe9"}\n')
    items = walk(tmp_path)
    assert [s.id for s in sources(items)] == ["ok-1", "ok-2"]
    assert [(p.source, p.kind, p.message) for p in problems(items)] == [
        ("mixed.jsonl#2", "bad-jsonl", "mixed.jsonl, line 2: line is not valid JSON "
         "(Expecting property name enclosed in double quotes at column 2); line skipped. Fix or remove that line."),
        ("mixed.jsonl#3", "bad-jsonl", 'mixed.jsonl, line 3: record has no "text" field; line skipped. '
         "Fix or remove that line."),
        ("mixed.jsonl#4", "bad-jsonl", 'mixed.jsonl, line 4: record\'s "text" is a number, not a string; '
         "line skipped. Fix or remove that line."),
        ("mixed.jsonl#5", "bad-jsonl", 'mixed.jsonl, line 5: record\'s "text" is a null, not a string; '
         "line skipped. Fix or remove that line."),
        ("mixed.jsonl#6", "bad-jsonl", "mixed.jsonl, line 6: line is a JSON array, not an object; line skipped. "
         "Fix or remove that line."),
        ("mixed.jsonl#7", "empty", 'mixed.jsonl, line 7: record\'s "text" is empty or only whitespace; skipped.'),
        ("mixed.jsonl#8", "bad-jsonl", "mixed.jsonl, line 8: line is not valid JSON (nested too deeply); "
         "line skipped. Fix or remove that line."),
        ("mixed.jsonl#10", "bad-jsonl", "mixed.jsonl, line 10: line is not valid UTF-8 (JSON Lines must be UTF-8); "
         "line skipped. Fix or remove that line."),
    ]  # fmt: skip


def test_jsonl_half_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    line = (
        '{"id": "s", "text": "half \\ud800 pair", "title": "\\udc00", "tags": [["\\ud83d"]], "\\ud800k": 1}'
    )
    write(tmp_path, "s.jsonl", line + "\n")
    (source,) = sources(walk(tmp_path))
    assert source.raw.decode("utf-8") == "half \ufffd pair"
    assert source.declared == {"title": "\ufffd", "tags": [["\ufffd"]], "\ufffdk": 1}
    json.dumps(source.declared, ensure_ascii=False).encode("utf-8")  # writable


def test_a_jsonl_line_over_the_limit_is_skipped_alone(tmp_path: Path) -> None:
    long_line = json.dumps({"id": "long", "text": "x" * 5000})
    write(
        tmp_path,
        "big.jsonl",
        f'{{"id": "a", "text": "before"}}\n{long_line}\n{{"id": "b", "text": "after"}}\n',
    )
    items = walk(tmp_path, max_file_bytes=1000)
    assert [s.id for s in sources(items)] == ["a", "b"]
    (problem,) = problems(items)
    assert (problem.source, problem.kind) == ("big.jsonl#2", "too-large")


def test_a_jsonl_file_without_any_record_is_empty(tmp_path: Path) -> None:
    write(tmp_path, "nothing.jsonl", "\n\n   \n")
    assert [(p.kind, p.message) for p in problems(walk(tmp_path))] == [
        ("empty", "nothing.jsonl: holds no usable JSONL record; skipped.")
    ]


def test_duplicate_ids_are_renamed_deterministically(tmp_path: Path) -> None:
    write(tmp_path, "story.txt", "text")
    write(tmp_path, "story.html", "<p>html</p>")
    write(tmp_path, "Story.md", "markdown")
    write(tmp_path, "feed.jsonl", '{"id": "story", "text": "record"}\n{"id": "story-2", "text": "taken"}\n')
    items = walk(tmp_path)
    assert [(s.path, s.id) for s in sources(items)] == [
        ("Story.md", "Story"),
        ("feed.jsonl", "story-2"),
        ("feed.jsonl", "story-2-2"),
        ("story.html", "story-3"),
        ("story.txt", "story-4"),
    ]
    renamed = problems(items)
    assert all(p.kind == "duplicate-id" for p in renamed)
    assert renamed[0].message == (
        "feed.jsonl, line 1: its id 'story' is already taken by an earlier input, so it is 'story-2'; "
        "renamed and still processed. Rename one of the inputs to choose the id yourself."
    )
    assert walk(tmp_path) == items  # same input, same ids


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000_d33a64e44a47c077", "000_d33a64e44a47c077"),
        ("my file (final).v2", "my_file_final_.v2"),
        ("../../etc/passwd", "etc_passwd"),
        ("..", "doc"),
        ("a/../b", "a_._b"),
        ("Ünïcödé 名前 한국어", "Ünïcödé_名前_한국어"),
        ("cafe\u0301", "café"),
        ("CON", "CON_"),
        ("nul.txt", "nul_.txt"),
        ("-rf", "rf"),
        (".hidden", "hidden"),
        ("emoji 🚀 rocket", "emoji_rocket"),
        ("tab\there\nnewline", "tab_here_newline"),
        ("back\\slash:colon*star?", "back_slash_colon_star"),
    ],
)
def test_ids_are_sanitized(name: str, expected: str) -> None:
    assert sanitize_id(name) == expected
    assert is_safe_id(sanitize_id(name))


def test_long_ids_are_cut_with_a_hash_that_keeps_them_apart() -> None:
    first, second = sanitize_id("x" * 300 + "1"), sanitize_id("x" * 300 + "2")
    assert first != second
    assert len(first.encode("utf-8")) <= MAX_ID_BYTES
    korean = sanitize_id("한" * 300)
    assert len(korean.encode("utf-8")) <= MAX_ID_BYTES
    assert is_safe_id(first) and is_safe_id(korean)


def test_collisions_after_sanitizing_are_resolved(tmp_path: Path) -> None:
    write(tmp_path, "report (1).txt", "one")
    write(tmp_path, "report [1].txt", "two")
    write(tmp_path, "report_1_.txt", "three")
    items = walk(tmp_path)
    assert [(s.path, s.id) for s in sources(items)] == [
        ("report (1).txt", "report_1"),
        ("report [1].txt", "report_1-2"),
        ("report_1_.txt", "report_1-3"),
    ]
    assert [p.kind for p in problems(items)] == ["duplicate-id", "duplicate-id"]


def test_registry_treats_case_variants_as_the_same_id() -> None:
    registry = IdRegistry()
    assert [registry.claim(name) for name in ["Doc", "doc", "DOC", "doc-2"]] == [
        ("Doc", False),
        ("doc-2", True),
        ("DOC-3", True),
        ("doc-2-2", True),
    ]


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_sanitized_ids_are_always_safe(name: str) -> None:
    result = sanitize_id(name)
    assert is_safe_id(result)
    assert sanitize_id(result) == result  # sanitizing is idempotent: stored ids survive a reload


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=6, unique=True))
def test_ids_from_real_file_names_are_safe_and_unique(
    tmp_path_factory: pytest.TempPathFactory, names: list[str]
) -> None:
    root = tmp_path_factory.mktemp("names")
    written = 0
    for index, name in enumerate(names):
        safe_name = name.replace("/", "_").replace("\x00", "_").lstrip(".") or "x"
        try:
            write(root, f"{safe_name}.txt", f"document {index}")
            written += 1
        except OSError:
            continue  # a name the file system itself refuses (too long, invalid encoding)
    ids = [s.id for s in sources(walk(root))]
    assert all(is_safe_id(doc_id) for doc_id in ids)
    assert len({doc_id.casefold() for doc_id in ids}) == len(ids)


def test_hostile_file_names_are_escaped_in_paths_and_safe_in_ids(tmp_path: Path) -> None:
    # POSIX file names are bytes: one not valid UTF-8, one with a newline, one with a bidi override.
    for raw_name in [b"caf\xe9 latin-1.txt", b"evil\nname.txt", "photo\u202egnp.txt".encode()]:
        (tmp_path / os.fsdecode(raw_name)).write_bytes(b"text")
    items = walk(tmp_path)
    assert [(s.path, s.id) for s in sources(items)] == [
        ("caf\\xe9 latin-1.txt", "caf_xe9_latin-1"),
        ("evil\\u000aname.txt", "evil_u000aname"),
        ("photo\\u202egnp.txt", "photo_u202egnp"),
    ]
    for source in sources(items):
        source.path.encode("utf-8")  # writable into a UTF-8 report
        assert source.path.isprintable()


def test_symlinks_inside_the_root_are_followed_others_reported(tmp_path: Path) -> None:
    root = tmp_path / "in"
    outside = write(tmp_path, "outside/secret.txt", "not yours")
    write(root, "real/doc.txt", "real")
    (root / "inside.txt").symlink_to(root / "real" / "doc.txt")
    (root / "escape.txt").symlink_to(outside)
    (root / "escape_dir").symlink_to(outside.parent, target_is_directory=True)
    (root / "dangling.txt").symlink_to(root / "missing.txt")
    (root / "loop_a").symlink_to(root / "loop_b")
    (root / "loop_b").symlink_to(root / "loop_a")
    (root / "real" / "up").symlink_to(root, target_is_directory=True)
    (root / "again").symlink_to(root / "real", target_is_directory=True)
    items = walk(root)
    assert [(s.path, s.raw) for s in sources(items)] == [("inside.txt", b"real"), ("real/doc.txt", b"real")]
    assert [(p.source, p.kind) for p in problems(items)] == [
        ("again", "symlink-loop"),
        ("dangling.txt", "broken-symlink"),
        ("escape.txt", "symlink-escape"),
        ("escape_dir", "symlink-escape"),
        ("loop_a", "symlink-loop"),
        ("loop_b", "symlink-loop"),
        ("real/up", "symlink-loop"),
    ]
    assert "outside the input folder; not followed" in problems(items)[2].message


def test_special_files_are_never_opened(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    (problem,) = walk(tmp_path)
    assert isinstance(problem, Problem)
    assert (problem.kind, problem.source) == ("unsupported", "pipe.txt")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read every file")
def test_unreadable_files_and_folders_are_problems(tmp_path: Path) -> None:
    locked = write(tmp_path, "locked.txt", "secret")
    write(tmp_path, "closed/inner.txt", "inner")
    write(tmp_path, "open.txt", "fine")
    locked.chmod(0)
    (tmp_path / "closed").chmod(0)
    try:
        items = walk(tmp_path)
    finally:
        locked.chmod(0o644)
        (tmp_path / "closed").chmod(0o755)
    assert [s.path for s in sources(items)] == ["open.txt"]
    assert [(p.source, p.kind) for p in problems(items)] == [
        ("closed", "unreadable"),
        ("locked.txt", "unreadable"),
    ]


def test_originals_are_never_modified(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "text")
    write(tmp_path, "b.jsonl", '{"text": "x"}\nbad\n')
    write(tmp_path, "c.html", b"\x89PNG\r\n\x1a\n")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode) for p in tmp_path.iterdir()}
    walk(tmp_path)
    walk(tmp_path)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode) for p in tmp_path.iterdir()} == before


def test_every_problem_kind_used_is_documented(tmp_path: Path) -> None:
    write(tmp_path, "e.txt", "")
    write(tmp_path, "x.pdf", "%PDF-")
    write(tmp_path, "j.jsonl", "nope\n")
    write(tmp_path, "d.txt", "a")
    write(tmp_path, "d.md", "b")
    assert {p.kind for p in problems(walk(tmp_path))} <= set(PROBLEM_KINDS)
