"""Everything that happens to one document on its own: decode, normalize, clean, trace.

Two pure, picklable passes (prepare, then finish once corpus statistics are
known), so the local process pool and a distributed engine run the very same
code, and one bad file can only ever produce a Problem, never stop the run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from audit.checks import find_warnings
from audit.clean import clean_view
from audit.compare import find_repeats
from audit.decode import Decoded, decode_source
from audit.langid import document_language
from audit.normalize import normalize_text
from audit.prepare import prepare_view
from audit.provenance import extract_provenance
from audit.rules.base import DocView
from audit.segment import block_key
from audit.settings import Settings
from audit.types import CleanDoc, Document, Edit, JSONDict, Problem, Repeat, Source

# Where metadata the container declared comes from, as provenance names it.
_DECLARED_ORIGIN = {"html": "html-meta", "jsonl-record": "jsonl"}

T = TypeVar("T")


@dataclass(frozen=True)
class Prepared:
    """Pass 1 of one document: decoded, normalized, segmented, languages known.

    `block_keys` feed the corpus statistics (site templates) computed between
    the two passes.
    """

    source_format: str
    document: Document
    view: DocView
    block_keys: tuple[str, ...]
    notes: tuple[str, ...] = ()  # what decoding had to repair, shown as warnings


@dataclass(frozen=True)
class Processed:
    """One document's per-document results, ready for the corpus stages."""

    doc: CleanDoc
    removed_repeats: tuple[JSONDict, ...]


def prepare_source(source: Source, settings: Settings) -> Prepared | Problem:
    """Pass 1: turn one Source into a prepared document, or a Problem saying why not."""
    return _guarded(source.path, _prepare, source, settings)


def finish_document(item: tuple[Prepared, JSONDict], settings: Settings) -> Processed | Problem:
    """Pass 2: clean with the corpus statistics for this document's blocks, then trace."""
    prepared, corpus = item
    return _guarded(prepared.document.source, _finish, prepared, corpus, settings)


def _guarded(path: str, function: Callable[..., T], *args: object) -> T | Problem:
    try:
        return function(*args)
    except Exception as error:  # a bug on one odd file must not cost the rest of the run
        return Problem(
            path,
            "internal-error",
            f"{path}: could not be processed ({type(error).__name__}: {error}); skipped. "
            "Please report this file.",
        )


def _prepare(source: Source, settings: Settings) -> Prepared | Problem:
    staged = _document(source, settings)
    return staged if isinstance(staged, Problem) else _view(*staged, settings)


def _document(source: Source, settings: Settings) -> tuple[Source, Document, Decoded] | Problem:
    """Decode and normalize one source into its Document (the part of pass 1 before blocks)."""
    decoded = decode_source(source)
    if isinstance(decoded, Problem):
        return decoded
    text = normalize_text(decoded.text)
    if not text.strip():
        return Problem(source.path, "empty", f"{source.path}: no text left after decoding; skipped.")
    document = Document(
        id=source.id,
        source=source.path if source.record is None else f"{source.path}#{source.record}",
        sha256=hashlib.sha256(source.raw).hexdigest(),
        text=text,
        encoding=decoded.encoding,
        format=decoded.format,
        metadata=_declared_metadata(source, decoded),
    )
    return source, document, decoded


def _view(source: Source, document: Document, decoded: Decoded, settings: Settings) -> Prepared:
    """Blocks, their languages and keys for a decoded document (the rest of pass 1)."""
    view = prepare_view(document.text, settings)
    keys = tuple(block_key(block.text) for block in view.blocks)
    return Prepared(source.format, document, view, keys, decoded.notes)


def _finish(prepared: Prepared, corpus: JSONDict, settings: Settings) -> Processed:
    document = prepared.document
    text = document.text
    view = replace(prepared.view, corpus=corpus)
    cleaned, edits = clean_view(view)
    provenance = extract_provenance(
        text,
        edits,
        view.blocks,
        document.metadata,
        declared_origin=_DECLARED_ORIGIN.get(prepared.source_format, "declared"),
    )
    language, language_prob = document_language(view.blocks)
    doc = CleanDoc(
        document=document,
        text=cleaned,
        edits=edits,
        blocks=view.blocks,
        language=language,
        language_prob=language_prob,
        provenance=provenance,
        warnings=tuple(_decode_warnings(prepared.notes) + find_warnings(cleaned)),
    )
    repeats = find_repeats(document.id, text, settings)
    return Processed(doc, tuple(_removed_repeats(repeats, edits, text)))


def _decode_warnings(notes: Sequence[str]) -> list[JSONDict]:
    return [{"kind": "decoding", "message": note, "start": None, "end": None} for note in notes]


def _declared_metadata(source: Source, decoded: Decoded) -> JSONDict:
    """Metadata the container declared (HTML meta, JSONL fields): provenance input."""
    declared: JSONDict = dict(decoded.meta)
    declared.update(source.declared)
    return declared


def _removed_repeats(repeats: Sequence[Repeat], edits: Sequence[Edit], text: str) -> list[JSONDict]:
    """Repeats in the normalized text that cleaning removed (one side or both).

    Reported separately because their offsets index the normalized text: the
    repeated title/teaser of a scraped page is real evidence even once removed.
    """
    found = []
    for repeat in repeats:
        rules = sorted(
            {
                edit.rule
                for edit in edits
                for span in (repeat.first, repeat.second)
                if edit.start < span.end and span.start < edit.end and edit.rule != "whitespace-tidy@1"
            }
        )
        if rules:
            found.append(
                {
                    "id": repeat.doc_id,
                    "first": {
                        "start": repeat.first.start,
                        "end": repeat.first.end,
                        "text": text[repeat.first.start : repeat.first.end],
                    },
                    "second": {
                        "start": repeat.second.start,
                        "end": repeat.second.end,
                        "text": text[repeat.second.start : repeat.second.end],
                    },
                    "similarity": repeat.similarity,
                    "words": repeat.words,
                    "removed_by": rules,
                }
            )
    return found
