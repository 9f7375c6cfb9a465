"""share-residue@1: what share bars, follow/subscribe boxes and post navigation leave in text.

Share buttons are icons whose text is a letter or two ("f", "in", "G"): seed 000
ends its last sentence with `... forefront! 🌐 G`. Text extraction also keeps
whole chrome lines: "Share this article", "Facebook Twitter LinkedIn",
"Abonnez-vous à notre newsletter", "Previous post", "We use cookies...". Cues:

- shape: one to four one- or two-letter tokens after a sentence's final
  punctuation or emoji at the end of a block (no sentence goes on like that), or
  making up a whole line among the last blocks;
- a short line made only of share-bar words and network names
  (`phrases/share_tokens.txt`), at least two of them;
- a short line made mostly of share, follow, newsletter, navigation or cookie
  phrases (`phrases/share.txt`, many languages).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from audit.rules.base import DocView, Example, Rule
from audit.rules.measure import word_count
from audit.rules.phrasebook import load_phrases, normalize_key, phrase_book
from audit.types import Finding

RULE_ID = "share-residue@1"

# Residue tokens: at most this many, each a single letter ("f", "t", "G", "P") or
# one of the two-letter icon labels below. Two-letter words in general are not
# residue: "Is it free? No" ends with a real answer.
MAX_RESIDUE_TOKENS = 4
# Characters at the end of a block tokenized to find its residue (enough for the tokens above).
TAIL_CHARS = 200
_ICON_LABELS = frozenset({"in", "fb", "tw", "li", "wa", "vk", "ok", "yt", "ig", "g+", "pin"})

# A line of residue alone counts only among the last blocks, where share bars sit.
RESIDUE_LAST_BLOCKS = 3

# Chrome lines are short: a share/newsletter/navigation line has at most this many
# words, a cookie banner sentence at most COOKIE_WORDS.
MAX_CHROME_WORDS = 12
COOKIE_WORDS = 40

# Share of a chrome line's letters the phrases must cover: a line that is mostly
# "Share this article" or "Lesen Sie auch", not a sentence that mentions sharing.
# A cookie banner is wordier, but must also say "cookie": a quarter suffices.
CHROME_COVERAGE = 0.6
COOKIE_COVERAGE = 0.25

_SENTENCE_END = set('.!?…。！？»”")')
_TOKEN = re.compile(r"\S+")
_TOKEN_PUNCT = ".,;:|·•/+"


def _is_emoji_or_symbol(char: str) -> bool:
    return unicodedata.category(char) in {"So", "Sk"} or 0x1F000 <= ord(char) <= 0x1FAFF


def _residue_token(token: str) -> bool:
    if token[-1:] in ".!?":
        return False
    core = token.strip(_TOKEN_PUNCT.replace("+", ""))
    return (len(core) == 1 and core.isalpha()) or core.casefold() in _ICON_LABELS


def trailing_residue(text: str) -> int | None:
    """Offset where icon residue starts at the end of `text`, or None.

    The residue must follow a sentence end or an emoji: `forefront! 🌐 G` yes,
    `plan B` or `Vitamin D` no.
    """
    # Only the last few tokens matter: tokenize a tail of the text when it holds enough of them
    # (its first one may be cut, so two more than are looked at), the whole text otherwise.
    tokens = list(_TOKEN.finditer(text, max(len(text) - TAIL_CHARS, 0)))
    if len(tokens) < MAX_RESIDUE_TOKENS + 3 and len(text) > TAIL_CHARS:
        tokens = list(_TOKEN.finditer(text))
    count = 0
    while count < min(MAX_RESIDUE_TOKENS, len(tokens) - 1) and _residue_token(tokens[-1 - count].group()):
        count += 1
    if count == 0:
        return None
    before = tokens[-1 - count].group().rstrip("\ufe0f\u200d")
    if not before:
        return None
    last = before[-1]
    if last in _SENTENCE_END or _is_emoji_or_symbol(last):
        return tokens[-count].start()
    return None


@lru_cache(maxsize=1)
def _share_tokens() -> frozenset[str]:
    return frozenset(normalize_key(token) for token in load_phrases("share_tokens"))


def _is_share_bar(text: str) -> bool:
    keys = [normalize_key(t) for t in re.split(r"[\s|,·•/]+", text)]
    keys = [k for k in keys if k]
    return len(keys) >= 2 and all(k in _share_tokens() for k in keys)


def _is_residue_line(text: str) -> bool:
    tokens = text.split()
    return 0 < len(tokens) <= MAX_RESIDUE_TOKENS and all(_residue_token(t) for t in tokens)


def chrome_reason(text: str) -> str | None:
    """Why a whole block is share/follow/newsletter/navigation/cookie chrome, or None."""
    words = word_count(text)
    if words > COOKIE_WORDS:
        return None
    if words <= MAX_CHROME_WORDS and _is_share_bar(text):
        return "share bar"
    coverage = phrase_book("share").coverage(text)
    if words <= MAX_CHROME_WORDS and coverage >= CHROME_COVERAGE:
        return "share, follow or navigation line"
    if coverage >= COOKIE_COVERAGE and "cookie" in normalize_key(text):
        return "cookie banner"
    return None


def find(view: DocView) -> list[Finding]:
    findings = []
    last_blocks = len(view.blocks) - RESIDUE_LAST_BLOCKS
    for index, block in enumerate(view.blocks):
        reason = chrome_reason(block.text)
        if reason is None and index >= last_blocks and _is_residue_line(block.text):
            reason = "share-icon residue line"
        if reason:
            findings.append(Finding(*view.block_span(index), reason))
            continue
        cut = trailing_residue(block.text)
        if cut is not None:
            # Take the space before the residue too, so the sentence ends cleanly.
            start = block.start + len(block.text[:cut].rstrip())
            findings.append(Finding(start, block.end, "share-icon residue after the last sentence"))
    return findings


_BODY = (
    "The festival closed on Sunday with a concert by the city orchestra in the old harbour.\n"
    "Organisers counted more than forty thousand visitors over the three days, a record! 🎉"
)

RULE = Rule(
    id=RULE_ID,
    why="Share icons, share bars, newsletter boxes and post navigation are page chrome, not article text.",
    find=find,
    examples=(
        Example(text=_BODY + " G\n", removed=("🎉 G",), kept=("a record! 🎉",)),
        Example(text=_BODY + " f in\n", removed=(" f in",), kept=("a record! 🎉",)),
        Example(
            text=_BODY + "\nShare this article\nFacebook Twitter LinkedIn Email\n",
            removed=("Share this article", "Facebook Twitter LinkedIn"),
            kept=("a record! 🎉",),
        ),
        Example(
            text=_BODY + "\nPartager sur Facebook\nAbonnez-vous à notre newsletter\nÀ lire aussi\n",
            removed=("Partager sur Facebook", "Abonnez-vous", "À lire aussi"),
            kept=("forty thousand visitors",),
        ),
        Example(
            text=_BODY
            + "\nDiese Website verwendet Cookies. Wenn Sie die Website weiter nutzen, gehen wir von "
            "Ihrem Einverständnis aus.\n",
            removed=("verwendet Cookies",),
            kept=("forty thousand visitors",),
        ),
        Example(
            text="Plan B was never needed, said the organisers, who also thanked Vitamin D\n"
            "Visitors shared photos on Facebook and Twitter all weekend.\nThe next festival is planned for "
            "2026, with a new stage for bands from the region. Tickets go on sale in March.\n",
            kept=("Vitamin D", "shared photos on Facebook and Twitter", "Tickets go on sale in March."),
        ),
    ),
)
