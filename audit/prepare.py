"""Pass 1 for one document's text: blocks, their languages, the document language.

Kept apart from the pipeline so rules, their tests and the benchmarks build the
exact view the pipeline builds, from nothing but a string.
"""

from __future__ import annotations

from collections.abc import Mapping

from audit.langid import document_language, label_blocks
from audit.rules.base import DocView
from audit.segment import split_blocks
from audit.settings import Settings

DEFAULT_SETTINGS = Settings()


def prepare_view(
    text: str, settings: Settings = DEFAULT_SETTINGS, corpus: Mapping[str, object] | None = None
) -> DocView:
    """The DocView rules receive for normalized `text`."""
    blocks = tuple(
        label_blocks(split_blocks(text), settings.min_letters_for_language, settings.langdetect_seed)
    )
    language, _ = document_language(blocks)
    return DocView(text=text, blocks=blocks, language=language, corpus=dict(corpus or {}))
