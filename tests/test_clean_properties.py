"""Cleaning is lossless for any text: the edit log always rebuilds the normalized text."""

from __future__ import annotations

from helpers import RULE_PIECES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.clean import clean_view
from audit.edits import OffsetMap, apply_edits, check_edits, restore_text
from audit.prepare import prepare_view

TEXT = st.lists(st.one_of(RULE_PIECES, st.text(max_size=40)), max_size=12).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_restore_inverts_cleaning(text: str) -> None:
    view = prepare_view(text)
    cleaned, edits = clean_view(view)
    check_edits(text, edits)
    assert apply_edits(text, edits) == cleaned
    assert restore_text(cleaned, edits) == text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_offsets_map_between_cleaned_and_normalized(text: str) -> None:
    cleaned, edits = clean_view(prepare_view(text))
    offsets = OffsetMap(edits)
    for position, char in enumerate(cleaned):
        normalized_position = offsets.to_normalized(position)
        assert text[normalized_position] == char
        assert offsets.to_cleaned(normalized_position) == position
