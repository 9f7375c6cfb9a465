"""The shared value types every stage passes along; nothing else lives here.

They are frozen so a stage can never change what an earlier stage produced: the
normalized text is the reference for every offset, and cleaning only *describes*
removals (Edits) instead of rewriting text, which is what makes it reversible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]


@dataclass(frozen=True)
class Source:
    """What ingest found: the only type that holds raw bytes.

    `path` is relative to the input root (POSIX separators) so outputs do not
    depend on where the corpus lives; `record` is the line number for JSONL.
    """

    id: str
    path: str
    raw: bytes
    format: str  # "text" | "html" | "jsonl-record"
    record: int | None = None
    declared: JSONDict = field(default_factory=dict)  # fields a JSONL record carried besides text


@dataclass(frozen=True)
class Block:
    """A line-level unit of the normalized text (offsets exclude the newline)."""

    start: int
    end: int
    text: str
    lang: str = "und"  # ISO 639-1, or "und" when too short to judge
    lang_prob: float = 0.0


@dataclass(frozen=True)
class Document:
    """A decoded, normalized document: `text` is the reference for all offsets."""

    id: str
    source: str
    sha256: str  # of the raw bytes (the JSONL record's text for records)
    text: str
    encoding: str
    format: str
    metadata: JSONDict = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """What a rule reports: a span of the normalized text it thinks is boilerplate.

    Rules never edit; the framework turns findings into Edits and resolves overlaps.
    """

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Edit:
    """One removal from the normalized text; `removed == normalized[start:end]`."""

    rule: str
    start: int
    end: int
    removed: str
    reason: str

    def to_json(self) -> JSONDict:
        return {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "removed": self.removed,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Span:
    """A passage of a cleaned text: `cleaned[doc_id][start:end]`."""

    doc_id: str
    start: int
    end: int

    def to_json(self) -> JSONDict:
        return {"id": self.doc_id, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Problem:
    """Per-file trouble: reported, never raised, so the run goes on."""

    source: str
    kind: str  # e.g. "empty", "binary", "undecodable", "bad-jsonl", "too-large", "html-no-text"
    message: str

    def to_json(self) -> JSONDict:
        return {"source": self.source, "kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class CleanDoc:
    """A document after cleaning: the cleaned text plus everything needed to undo it."""

    document: Document
    text: str
    edits: tuple[Edit, ...]
    blocks: tuple[Block, ...]
    language: str
    language_prob: float
    provenance: JSONDict = field(default_factory=dict)
    warnings: tuple[JSONDict, ...] = ()

    def restore(self) -> str:
        """Rebuild the normalized text from the cleaned text and the edit log."""
        from audit.edits import restore_text  # local: edits imports this module

        return restore_text(self.text, self.edits)


@dataclass(frozen=True)
class Overlap:
    """A passage shared by two documents, with offsets into both cleaned texts."""

    a: Span
    b: Span
    words: int
    similarity: float
    kind: str  # "verbatim" | "near" | "stock"
    source: str | None
    evidence: JSONDict = field(default_factory=dict)
    decided_by: str = ""  # the judging rule and statistic, e.g. "short-span@1: 12 words < min_copy_words 30"

    def to_json(self) -> JSONDict:
        return {
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "words": self.words,
            "similarity": self.similarity,
            "kind": self.kind,
            "decided_by": self.decided_by,
            "source": self.source,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Repeat:
    """A passage that occurs twice inside one document."""

    doc_id: str
    first: Span
    second: Span
    similarity: float
    words: int = 0

    def to_json(self) -> JSONDict:
        return {
            "id": self.doc_id,
            "first": {"start": self.first.start, "end": self.first.end},
            "second": {"start": self.second.start, "end": self.second.end},
            "similarity": self.similarity,
            "words": self.words,
        }


@dataclass(frozen=True)
class Cluster:
    """Near-duplicate documents; `keep` is the one the keep policy retains."""

    members: tuple[str, ...]
    similarity: float
    keep: str | None
    reason: str

    def to_json(self) -> JSONDict:
        return {
            "members": list(self.members),
            "similarity": self.similarity,
            "keep": self.keep,
            "reason": self.reason,
        }
