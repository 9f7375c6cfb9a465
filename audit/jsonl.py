"""Read JSON Lines corpora: one Source per good record, one Problem per bad line, streamed.

A JSONL file is a corpus, not a document, so it is never read whole: lines are
read one at a time with a byte cap (a line over `max_file_bytes` is skipped and
reported, the next line is read normally), and a broken line costs that line
only. Each record is `{"id", "text", ...}`; the other fields travel in
`Source.declared` (url, date, title: provenance input).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from audit.errors import make_problem, mib, os_reason, record_source
from audit.ids import IdRegistry, file_id, renamed_problem, sanitize_id
from audit.settings import Settings
from audit.types import Problem, Source

_SPACE_BYTES = b" \t\r\n\x0b\x0c"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# JSONL fields that are the record itself rather than what it declares about itself.
_RECORD_FIELDS = ("id", "text")


def read_jsonl(path: Path, rel: str, settings: Settings, ids: IdRegistry) -> Iterator[Source | Problem]:
    """One Source per good line; bad lines become Problems with their line number, the rest go on."""
    limit = settings.max_file_bytes
    good = 0
    try:
        with path.open("rb") as handle:
            for number, line, too_long in _capped_lines(handle, limit):
                source, where = record_source(rel, number)
                if too_long:
                    what = f"line is longer than the {mib(limit)} limit"
                    action = "Split the record, or raise the limit (audit run --max-file-mb)."
                    yield make_problem(source, "too-large", what, action, where)
                    continue
                record = _parse_record(line, source, where, first=number == 1)
                if isinstance(record, Problem) or record is None:
                    if record is not None:
                        yield record
                    continue
                good += 1
                yield from _record_source(record, rel, number, ids)
    except OSError as error:
        yield make_problem(
            rel, "unreadable", f"cannot be read ({os_reason(error)})", "Check its permissions."
        )
        return
    if good == 0:
        yield make_problem(rel, "empty", "holds no usable JSONL record", "")


def _capped_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """Lines of a binary file, never holding more than `limit` bytes: longer lines are skipped, flagged."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the long line in pieces
                line = handle.readline(1 << 20)
            yield number, b"", True
            continue
        yield number, line, False


def _parse_record(line: bytes, source: str, where: str, first: bool) -> dict[str, object] | Problem | None:
    """A JSON object with a string `text`, a Problem saying what is wrong, or None for a blank line."""
    if first and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    if not line.strip(_SPACE_BYTES):
        return None
    fix = "Fix or remove that line."
    try:
        value = json.loads(line.rstrip(b"\r\n").decode("utf-8"))
    except UnicodeDecodeError:
        return make_problem(
            source, "bad-jsonl", "line is not valid UTF-8 (JSON Lines must be UTF-8)", fix, where
        )
    except (ValueError, RecursionError) as error:
        return make_problem(
            source, "bad-jsonl", f"line is not valid JSON ({_json_reason(error)})", fix, where
        )
    if not isinstance(value, dict):
        return make_problem(
            source, "bad-jsonl", f"line is a JSON {_json_type(value)}, not an object", fix, where
        )
    if "text" not in value:
        return make_problem(source, "bad-jsonl", 'record has no "text" field', fix, where)
    if not isinstance(value["text"], str):
        what = f'record\'s "text" is a {_json_type(value["text"])}, not a string'
        return make_problem(source, "bad-jsonl", what, fix, where)
    if not value["text"].strip():
        return make_problem(source, "empty", 'record\'s "text" is empty or only whitespace', "", where)
    return value


def _record_source(
    record: dict[str, object], rel: str, number: int, ids: IdRegistry
) -> Iterator[Source | Problem]:
    text = _LONE_SURROGATE.sub("\ufffd", str(record["text"]))  # JSON may escape half a surrogate pair
    raw_id = record.get("id")
    fallback = f"{file_id(rel)}_{number}"
    wanted = (
        sanitize_id(str(raw_id), fallback)
        if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool)
        else fallback
    )
    source_id, renamed = ids.claim(wanted)
    if renamed:
        yield renamed_problem(*record_source(rel, number), wanted, source_id)
    declared = {key: record[key] for key in sorted(record) if key not in _RECORD_FIELDS}
    _replace_lone_surrogates(declared)
    yield Source(source_id, rel, text.encode("utf-8"), "jsonl-record", number, declared)


def _replace_lone_surrogates(value: dict[str, object]) -> None:
    """Make every string of a parsed JSON value writable as UTF-8, in place, without recursion.

    JSON can escape half a surrogate pair (`"\\ud800"`); such a string cannot be
    written to the UTF-8 manifest. Iterative, because a record may nest as deep as
    the JSON parser allowed, which is about Python's recursion limit.
    """
    pending: list[object] = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            for key in list(node):
                item = node[key]
                if isinstance(item, str):
                    node[key] = _LONE_SURROGATE.sub("\ufffd", item)
                else:
                    pending.append(item)
                if isinstance(key, str) and _LONE_SURROGATE.search(key):
                    node[_LONE_SURROGATE.sub("\ufffd", key)] = node.pop(key)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = _LONE_SURROGATE.sub("\ufffd", item)
                else:
                    pending.append(item)


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _json_reason(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at column {error.colno}"
    return str(error).split("\n")[0][:80]
