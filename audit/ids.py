"""Make document ids that are safe as file names on every system and unique within a run.

Ids come from input names and JSONL fields, i.e. from strangers, and they become
output file names (`cleaned/<id>.txt`) and report keys. So an id keeps letters and
digits of any script (a Korean or Russian file name stays readable), turns every
other run of characters into `_`, can never contain a path separator or `..`,
never starts with a dot, is not a Windows device name, and is bounded in length.
Uniqueness is checked case-insensitively, because two ids differing only in case
would overwrite each other's output on macOS and Windows.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from audit.errors import make_problem
from audit.types import Problem

# Ids longer than this are cut and get a hash of the full name, keeping them distinct.
# File names are limited to 255 bytes on most file systems; 200 bytes (and 120
# characters, for readability) leaves room for a collision suffix and ".txt".
MAX_ID_CHARS = 120
MAX_ID_BYTES = 200
_HASH_CHARS = 10
FALLBACK_ID = "doc"
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)
_DOT_RUNS = re.compile(r"\.{2,}")
_EDGE = "._-"


def sanitize_id(raw: str, fallback: str = FALLBACK_ID) -> str:
    """Return a safe id for `raw`: same input, same id, on every machine and every run.

    Each run of unsafe characters becomes one `_` (existing underscores are kept, so
    `000_d33a64e44a47c077` stays itself); runs of dots become one dot; `._-` are
    trimmed from both ends. An empty result becomes `fallback`.
    """
    text = unicodedata.normalize("NFC", raw[: MAX_ID_CHARS * 4])
    pieces: list[str] = []
    replaced = False
    for char in text:
        if _is_safe_char(char):
            pieces.append(char)
            replaced = False
        elif not replaced:
            pieces.append("_")
            replaced = True
    cleaned = _DOT_RUNS.sub(".", "".join(pieces)).strip(_EDGE)
    # A mark cannot start an id: it would combine with whatever precedes the name.
    while cleaned and unicodedata.category(cleaned[0])[0] == "M":
        cleaned = cleaned[1:].lstrip(_EDGE)
    if not cleaned:
        return sanitize_id(fallback, FALLBACK_ID) if fallback != raw else FALLBACK_ID
    device, dot, rest = cleaned.partition(".")
    if device.casefold() in _WINDOWS_DEVICES:  # CON, nul.txt... are reserved on Windows
        cleaned = f"{device}_{dot}{rest}"
    too_long = len(cleaned) > MAX_ID_CHARS or len(cleaned.encode("utf-8")) > MAX_ID_BYTES
    if too_long or len(raw) > MAX_ID_CHARS * 4:
        cleaned = _shorten(cleaned, raw)
    return cleaned


def file_id(rel: str) -> str:
    """The id of a file: its path without extension, folders joined by `__` (`sub/a.txt` -> `sub__a`)."""
    parts = rel.split("/")
    stem = parts[-1].rsplit(".", 1)[0] if "." in parts[-1] else parts[-1]
    return join_id([*parts[:-1], stem])


def renamed_problem(source: str, where: str, wanted: str, given: str) -> Problem:
    """The note saying an input was renamed because its id was taken."""
    what = f"its id {wanted!r} is already taken by an earlier input, so it is {given!r}"
    return make_problem(
        source, "duplicate-id", what, "Rename one of the inputs to choose the id yourself.", where
    )


def join_id(parts: list[str]) -> str:
    """An id from path parts (`["sub", "a"]` -> `sub__a`), each sanitized, the whole bounded."""
    joined = "__".join(sanitize_id(part) for part in parts)
    if len(joined) > MAX_ID_CHARS or len(joined.encode("utf-8")) > MAX_ID_BYTES:
        return _shorten(joined, "/".join(parts))
    return joined


def _is_safe_char(char: str) -> bool:
    """Letters, digits and combining marks of any script, and `-`, `_`, `.`."""
    return char in "-_." or unicodedata.category(char)[0] in "LNM"


def _shorten(cleaned: str, raw: str) -> str:
    """Cut a long id and append a hash of the full original, so two long names stay distinct."""
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    head = cleaned[: MAX_ID_CHARS - _HASH_CHARS - 1]
    while len(head.encode("utf-8")) > MAX_ID_BYTES - _HASH_CHARS - 1:
        head = head[:-1]
    head = head.rstrip(_EDGE)
    return f"{head}-{digest}" if head else digest


def is_safe_id(value: str) -> bool:
    """Whether `value` has the shape sanitize_id guarantees (plus a `-N` collision suffix)."""
    return (
        bool(value)
        and value[0] not in _EDGE
        and unicodedata.category(value[0])[0] in "LN"
        and all(_is_safe_char(char) for char in value)
        and ".." not in value
        and "/" not in value
        and len(value) <= MAX_ID_CHARS + 8
        and len(value.encode("utf-8")) <= MAX_ID_BYTES + 8
        and value.split(".")[0].casefold() not in _WINDOWS_DEVICES
    )


class IdRegistry:
    """Hands out ids in input order; a taken id gets `-2`, `-3`, ... (first come keeps its name)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, wanted: str) -> tuple[str, bool]:
        """Return (id, renamed): `wanted` itself when free, else the first free suffixed form."""
        candidate, number = wanted, 1
        while candidate.casefold() in self._taken:
            number += 1
            candidate = f"{wanted}-{number}"
        self._taken.add(candidate.casefold())
        return candidate, candidate != wanted
