"""What every provenance extractor shares: the document as evidence, and the phrase data.

Provenance reads the normalized text, not the cleaned one, because the most
telling evidence (a reprint notice, a credit line, an update date in a footer)
is exactly what cleaning removes. `Evidence` bundles the text, its blocks and
the edit log so an extractor can ask "which rule removed this?" and "is this
at the head or the tail?" without each re-deriving it.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from audit.types import Block, Edit

_PHRASES = Path(__file__).resolve().parent.parent / "rules" / "phrases"

# Head and tail windows, in blocks. Bylines, datelines and credits sit in the
# first few lines; footers (credits, tags, update lines, notices) in the last
# few. Six covers the longest footer in the seeds (seed 004 has six lines).
HEAD_BLOCKS = 4
TAIL_BLOCKS = 6
# A line up to this long can be a label line (credit, tag, date, disclosure);
# longer lines are prose. 160 characters is two lines of a typical caption.
SHORT_LINE_CHARS = 160


@cache
def load_phrases(name: str) -> dict[str, Any]:
    """The JSON data file rules/phrases/provenance_<name>.json, without its `_why` note."""
    data = json.loads((_PHRASES / f"provenance_{name}.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


@dataclass(frozen=True)
class Evidence:
    """The normalized text with its blocks and the edit log that cleaning produced."""

    text: str
    blocks: tuple[Block, ...]
    edits: tuple[Edit, ...]
    _edit_starts: tuple[int, ...] = field(default=(), repr=False)

    @classmethod
    def build(cls, text: str, edits: Sequence[Edit], blocks: Sequence[Block]) -> Evidence:
        ordered = tuple(sorted(edits, key=lambda e: (e.start, e.end)))
        return cls(text, tuple(blocks), ordered, tuple(e.start for e in ordered))

    def removed_by(self, start: int, end: int) -> str | None:
        """The rule of the first edit overlapping [start, end), or None if the span was kept."""
        index = max(bisect_right(self._edit_starts, start) - 1, 0)
        for edit in self.edits[index:]:
            if edit.start >= end:
                break
            if edit.end > start and edit.rule != "whitespace-tidy@1":
                return edit.rule
        return None

    def is_head(self, index: int) -> bool:
        return index < HEAD_BLOCKS

    def is_tail(self, index: int) -> bool:
        return index >= len(self.blocks) - TAIL_BLOCKS

    def is_short(self, index: int) -> bool:
        return len(self.blocks[index].text.strip()) <= SHORT_LINE_CHARS


def span_json(start: int, end: int, removed_by: str | None) -> dict[str, Any]:
    """Offsets into the normalized text, plus the rule that removed the span (null if kept)."""
    return {"start": start, "end": end, "removed_by": removed_by}
