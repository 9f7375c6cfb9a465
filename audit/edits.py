"""Apply and undo removals: the two inverse functions that make cleaning lossless.

Edits are sorted, disjoint spans of the normalized text. Keeping this tiny and
pure lets a property test prove `restore_text(apply_edits(t, e), e) == t` for
arbitrary text, and lets every offset be mapped between the two texts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from audit.types import Edit


def check_edits(text: str, edits: Sequence[Edit]) -> None:
    """Raise ValueError unless edits are sorted, disjoint, in bounds and self-checking."""
    previous_end = 0
    for edit in edits:
        if edit.start < previous_end or edit.end <= edit.start or edit.end > len(text):
            raise ValueError(f"edit {edit.rule} [{edit.start}, {edit.end}) is out of order or bounds")
        if text[edit.start : edit.end] != edit.removed:
            raise ValueError(f"edit {edit.rule} [{edit.start}, {edit.end}) does not match the text")
        previous_end = edit.end


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Return `text` with every edited span removed."""
    pieces: list[str] = []
    cursor = 0
    for edit in edits:
        pieces.append(text[cursor : edit.start])
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def restore_text(cleaned: str, edits: Sequence[Edit]) -> str:
    """Re-insert every removed span; the exact inverse of `apply_edits`."""
    pieces: list[str] = []
    cleaned_cursor = 0
    normalized_cursor = 0
    for edit in edits:
        kept = edit.start - normalized_cursor
        pieces.append(cleaned[cleaned_cursor : cleaned_cursor + kept])
        pieces.append(edit.removed)
        cleaned_cursor += kept
        normalized_cursor = edit.end
    pieces.append(cleaned[cleaned_cursor:])
    return "".join(pieces)


class OffsetMap:
    """Maps offsets of the cleaned text to the normalized text and back."""

    def __init__(self, edits: Sequence[Edit]) -> None:
        # For each edit: the cleaned offset where it sits and the cumulative removed length after it.
        self._cleaned_at: list[int] = []
        self._shift_after: list[int] = []
        self._normalized_start: list[int] = []
        self._normalized_end: list[int] = []
        removed = 0
        for edit in edits:
            self._cleaned_at.append(edit.start - removed)
            removed += edit.end - edit.start
            self._shift_after.append(removed)
            self._normalized_start.append(edit.start)
            self._normalized_end.append(edit.end)

    def to_normalized(self, cleaned_offset: int) -> int:
        """Offset in the normalized text of the character at `cleaned_offset`."""
        index = bisect_right(self._cleaned_at, cleaned_offset) - 1
        return cleaned_offset if index < 0 else cleaned_offset + self._shift_after[index]

    def to_cleaned(self, normalized_offset: int) -> int | None:
        """Offset in the cleaned text, or None when the character was removed."""
        index = bisect_right(self._normalized_start, normalized_offset) - 1
        if index >= 0 and normalized_offset < self._normalized_end[index]:
            return None
        shift = self._shift_after[index] if index >= 0 else 0
        return normalized_offset - shift
