"""Corpus statistics computed between the two per-document passes.

Today: in how many documents each block occurs, the signal behind site-template
removal (a navigation line or newsletter box that recurs on every page of a
site). Each document is sent only the counts for its own blocks, aligned with
its block list, so pass 2 stays cheap to ship to workers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from audit.types import JSONDict


def count_block_documents(block_keys_per_document: Iterable[Sequence[str]]) -> Counter[str]:
    """Number of documents each block key occurs in (once per document)."""
    counts: Counter[str] = Counter()
    for keys in block_keys_per_document:
        counts.update(set(keys))
    return counts


def corpus_view(block_keys: Sequence[str], counts: Counter[str], documents: int) -> JSONDict:
    """What one document's rules may know of the corpus."""
    return {"documents": documents, "block_documents": [counts[key] for key in block_keys]}
