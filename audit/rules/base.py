"""The shape of a boilerplate rule and the view of a document it receives.

A rule is data plus one function: an id with a version (it appears in outputs),
one sentence of why, examples it must remove and must keep, and `find`, which
returns Findings and never edits. The framework (audit.clean) turns findings
into Edits, so every rule gets lossless, auditable removal for free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from audit.types import Block, Finding


@dataclass(frozen=True)
class DocView:
    """What a rule may look at: the normalized text, its blocks and languages.

    `corpus` carries corpus statistics (e.g. how many documents share a block
    hash) for rules that need them; per-document rules ignore it.
    """

    text: str
    blocks: tuple[Block, ...]
    language: str
    corpus: dict[str, object] = field(default_factory=dict)

    def block_span(self, index: int) -> tuple[int, int]:
        """The block's span including its trailing newline, so removal leaves no empty line."""
        block = self.blocks[index]
        end = block.end + 1 if block.end < len(self.text) and self.text[block.end] == "\n" else block.end
        return block.start, end

    def tail_span(self, index: int) -> tuple[int, int]:
        """From the start of block `index` to the end of the text: for footers and comment forms."""
        return self.blocks[index].start, len(self.text)


@dataclass(frozen=True)
class Example:
    """A rule example: `text` is a whole document; `removed` must all be removed, `kept` must all stay.

    `corpus` is the corpus statistics the example's document sees (as in
    `DocView.corpus`); only corpus rules (site templates) need it.
    """

    text: str
    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    corpus: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    id: str  # kebab-case with version, e.g. "hashtag-line@1"
    why: str
    find: Callable[[DocView], Iterable[Finding]]
    examples: Sequence[Example]
