"""Decide what a shared span is: stock wording, a verbatim copy or an edited copy.

Two documents about one subject share phrases ("world leader in AI by 2030")
without one copying the other; a reviewer needs those set apart from real
copying, and needs to see why. Each verdict names the rule and the statistic
that decided it. The rules, in order:

1. short-span@1: fewer words than `min_copy_words` is stock wording;
2. common-span@1: a span whose shingles occur in at least `stock_min_documents`
   documents (the caller counts near-duplicate clusters once, so reposts do not
   make a passage common) is stock, unless it is `stock_max_words` long or more;
3. similarity@1: otherwise a copy, "verbatim" at `verbatim_similarity` or
   above and "near" below.

Words are tokens: in Chinese, Japanese or Thai text a "word" is one character.
"""

from __future__ import annotations

from audit.settings import Settings

SHORT_SPAN_RULE = "short-span@1"
COMMON_SPAN_RULE = "common-span@1"
SIMILARITY_RULE = "similarity@1"


def judge_span(words: int, similarity: float, documents: int, settings: Settings) -> tuple[str, str]:
    """(kind, decided_by) for a shared span of `words` words found in `documents` documents."""
    if words < settings.min_copy_words:
        return "stock", f"{SHORT_SPAN_RULE}: {words} words < min_copy_words {settings.min_copy_words}"
    if documents >= settings.stock_min_documents and words < settings.stock_max_words:
        return "stock", (
            f"{COMMON_SPAN_RULE}: in {documents} documents >= stock_min_documents "
            f"{settings.stock_min_documents} and {words} words < stock_max_words {settings.stock_max_words}"
        )
    if similarity >= settings.verbatim_similarity:
        return "verbatim", (
            f"{SIMILARITY_RULE}: {similarity:.3f} >= verbatim_similarity {settings.verbatim_similarity}"
        )
    return "near", f"{SIMILARITY_RULE}: {similarity:.3f} < verbatim_similarity {settings.verbatim_similarity}"
