"""Measures of a block that many rules ask for, computed once per distinct text.

Fourteen rules look at every block, and most of them first ask how many words
it has: the same `split` of the same text a dozen times. Cached by text, a
block is split once (and a footer a corpus repeats, once per process).
"""

from __future__ import annotations

from functools import lru_cache

# Every character `str.isspace` (and so `str.split()` and regex `\s`) counts as white
# space; all of them lie in the Basic Multilingual Plane (tests/test_rules.py checks).
WHITESPACE = "".join(chr(code) for code in range(0x10000) if chr(code).isspace())


@lru_cache(maxsize=65536)
def word_count(text: str) -> int:
    """`len(text.split())`."""
    return len(text.split())
