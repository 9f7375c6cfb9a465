"""Turn what the index keeps per document and per pair into bytes and back, exactly.

The index must give back documents that produce, byte for byte, the outputs a
fresh run would write: the cleaned text, the edit log, blocks, provenance and
warnings of every document, and the aligned spans of every compared pair. So
these are stored as plain JSON (readable with any SQLite tool once inflated)
and rebuilt into the very dataclasses the pipeline passes along. Floats go
through `repr`, which JSON round-trips exactly; key order is kept, because the
report writes some provenance dicts without sorting them.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from audit.align import Alignment
from audit.types import Block, CleanDoc, Document, Edit, JSONDict, Repeat, Span

# zlib level 6: the default; documents shrink ~3x, and inflating is far cheaper than re-cleaning.
ZLIB_LEVEL = 6


@dataclass(frozen=True)
class StoredDoc:
    """One document as the index keeps it: enough to report it and to clean it again.

    `source_format`, `notes` and `block_keys` rebuild pass 1 (`process.Prepared`)
    without decoding again, so a document can be re-cleaned when the corpus
    statistics it was cleaned with change. `repeats` are its passages repeated
    inside the cleaned text (the comparison's), `removed_repeats` those the
    cleaning removed (offsets into the normalized text).
    """

    doc: CleanDoc
    source_format: str
    notes: tuple[str, ...]
    block_keys: tuple[str, ...]
    removed_repeats: tuple[JSONDict, ...]
    repeats: tuple[Repeat, ...]


def pack(value: object) -> bytes:
    """JSON, UTF-8, deflated: the one encoding of every stored blob."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return zlib.compress(text.encode("utf-8", "surrogatepass"), ZLIB_LEVEL)


def unpack(blob: bytes) -> object:
    return json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))


def stored_to_json(stored: StoredDoc) -> JSONDict:
    doc = stored.doc
    document = doc.document
    normalized = document.text
    return {
        "document": {
            "id": document.id,
            "source": document.source,
            "sha256": document.sha256,
            "text": normalized,
            "encoding": document.encoding,
            "format": document.format,
            "metadata": document.metadata,
        },
        "text": doc.text,
        # `removed` is normalized[start:end] by construction (clean.check_edits), so it is not stored twice.
        "edits": [[e.rule, e.start, e.end, e.reason] for e in doc.edits],
        "blocks": [_block_to_json(b, normalized) for b in doc.blocks],
        "language": doc.language,
        "language_prob": doc.language_prob,
        "provenance": doc.provenance,
        "warnings": list(doc.warnings),
        "source_format": stored.source_format,
        "notes": list(stored.notes),
        "block_keys": list(stored.block_keys),
        "removed_repeats": list(stored.removed_repeats),
        "repeats": [_repeat_to_json(r) for r in stored.repeats],
    }


def stored_from_json(value: JSONDict) -> StoredDoc:
    raw = value["document"]
    normalized = raw["text"]
    document = Document(
        id=raw["id"],
        source=raw["source"],
        sha256=raw["sha256"],
        text=normalized,
        encoding=raw["encoding"],
        format=raw["format"],
        metadata=raw["metadata"],
    )
    doc = CleanDoc(
        document=document,
        text=value["text"],
        edits=tuple(
            Edit(rule, start, end, normalized[start:end], reason)
            for rule, start, end, reason in value["edits"]
        ),
        blocks=tuple(_block_from_json(b, normalized) for b in value["blocks"]),
        language=value["language"],
        language_prob=value["language_prob"],
        provenance=value["provenance"],
        warnings=tuple(value["warnings"]),
    )
    doc_id = document.id
    return StoredDoc(
        doc=doc,
        source_format=value["source_format"],
        notes=tuple(value["notes"]),
        block_keys=tuple(value["block_keys"]),
        removed_repeats=tuple(value["removed_repeats"]),
        repeats=tuple(_repeat_from_json(doc_id, r) for r in value["repeats"]),
    )


def _block_to_json(block: Block, normalized: str) -> list[object]:
    fields: list[object] = [block.start, block.end, block.lang, block.lang_prob]
    if block.text != normalized[block.start : block.end]:
        fields.append(block.text)  # never seen, but a block may one day hold other text than its span
    return fields


def _block_from_json(fields: Sequence[object], normalized: str) -> Block:
    start, end, lang, prob = fields[:4]
    if not isinstance(start, int) or not isinstance(end, int):
        raise ValueError("stored block offsets are not integers")
    text = str(fields[4]) if len(fields) > 4 else normalized[start:end]
    return Block(start, end, text, str(lang), float(prob))  # type: ignore[arg-type]


def _repeat_to_json(repeat: Repeat) -> list[object]:
    first, second = repeat.first, repeat.second
    return [first.start, first.end, second.start, second.end, repeat.similarity, repeat.words]


def _repeat_from_json(doc_id: str, fields: Sequence[object]) -> Repeat:
    a0, a1, b0, b1, similarity, words = fields
    return Repeat(
        doc_id,
        Span(doc_id, int(a0), int(a1)),  # type: ignore[call-overload]
        Span(doc_id, int(b0), int(b1)),  # type: ignore[call-overload]
        float(similarity),  # type: ignore[arg-type]
        int(words),  # type: ignore[call-overload]
    )


@dataclass(frozen=True)
class StoredAlignment:
    """An aligned span of a pair and the shingles of its `a` side (what judging counts documents by)."""

    alignment: Alignment
    shingles: np.ndarray  # uint64


def alignments_to_json(found: Sequence[StoredAlignment]) -> list[object]:
    return [
        [
            list(s.alignment.a_tokens),
            list(s.alignment.b_tokens),
            list(s.alignment.a_chars),
            list(s.alignment.b_chars),
            s.alignment.words,
            s.alignment.similarity,
            s.shingles.astype(np.uint64).view(np.int64).tolist(),
        ]
        for s in found
    ]


def alignments_from_json(value: Sequence[Sequence[object]]) -> list[StoredAlignment]:
    result = []
    for a_tokens, b_tokens, a_chars, b_chars, words, similarity, shingles in value:
        alignment = Alignment(
            tuple(a_tokens),  # type: ignore[arg-type]
            tuple(b_tokens),  # type: ignore[arg-type]
            tuple(a_chars),  # type: ignore[arg-type]
            tuple(b_chars),  # type: ignore[arg-type]
            int(words),  # type: ignore[call-overload]
            float(similarity),  # type: ignore[arg-type]
        )
        hashes = np.asarray(shingles, dtype=np.int64).view(np.uint64)
        result.append(StoredAlignment(alignment, hashes))
    return result
