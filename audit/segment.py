"""Split normalized text into line blocks, the unit rules and language detection see.

Lines, not paragraphs: scraped text mixes one-line paragraphs with blank-line
paragraphs, and boilerplate (tags, credits, prompts) almost always sits on its
own line, so a line is the smallest unit that is never split across content and
boilerplate.
"""

from __future__ import annotations

import re

import xxhash

from audit.types import Block

_LINE = re.compile(r"[^\n]+")


def split_blocks(text: str) -> list[Block]:
    """Return one Block per line that holds something other than whitespace."""
    blocks: list[Block] = []
    for match in _LINE.finditer(text):
        if match.group().strip():
            blocks.append(Block(match.start(), match.end(), match.group()))
    return blocks


def block_key(text: str) -> str:
    """A stable key for "the same block" across documents: case and spacing ignored.

    Site templates recur with different whitespace or capitalisation from page
    to page; a 64-bit xxhash keeps corpus statistics small and deterministic.
    """
    return xxhash.xxh64_hexdigest(" ".join(text.casefold().split()).encode("utf-8"))
