"""What makes a stored document the same, changed or stale: the keys the index decides by.

An input is unchanged when its id, source and content key match the stored
row; a cleaned text is identified by its hash (equal texts are exact
duplicates and are compared once); and stored results are valid only for the
code and the settings that produced them, which the generation key sums up.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from audit.settings import Settings
from audit.types import Source

GENERATION = "generation"
# Settings applied only when the report is assembled (judging, keep policy) or
# at ingest: changing them needs no stored result recomputed.
FREE_SETTINGS = frozenset(
    {
        "max_file_bytes",
        "keep_policy",
        "containment_threshold",
        "min_copy_words",
        "stock_min_documents",
        "stock_max_words",
        "verbatim_similarity",
    }
)
# Files of the package whose content shapes stored results (code and phrase lists).
_CODE_SUFFIXES = (".py", ".txt", ".json")


@cache
def code_fingerprint() -> str:
    """A hash of the installed package's code and data files: any change makes stored results stale."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def generation_key(settings: Settings) -> str:
    shaping = {key: value for key, value in settings.to_json().items() if key not in FREE_SETTINGS}
    text = json.dumps({"code": code_fingerprint(), "settings": shaping}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def content_key(source: Source) -> str:
    """What decides "changed": the bytes read, their format, and for JSONL the record's other fields."""
    digest = hashlib.sha256(source.raw)
    digest.update(source.format.encode())
    digest.update(json.dumps(source.declared, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def document_source(source: Source) -> str:
    """Document.source as pass 1 names it (`data.jsonl#4` for a record)."""
    return source.path if source.record is None else f"{source.path}#{source.record}"


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
