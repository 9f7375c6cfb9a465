"""Split normalized text into line blocks, the unit rules and language detection see.

Lines, not paragraphs: scraped text mixes one-line paragraphs with blank-line
paragraphs, and boilerplate (tags, credits, prompts) almost always sits on its
own line, so a line is the smallest unit that is never split across content and
boilerplate.
"""

from __future__ import annotations

import re

from audit.types import Block

_LINE = re.compile(r"[^\n]+")


def split_blocks(text: str) -> list[Block]:
    """Return one Block per line that holds something other than whitespace."""
    blocks: list[Block] = []
    for match in _LINE.finditer(text):
        if match.group().strip():
            blocks.append(Block(match.start(), match.end(), match.group()))
    return blocks
