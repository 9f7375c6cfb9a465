"""Turn decoded text into the one reference text that every offset in the project points into.

Scraped text carries invisible noise that changes nothing for a reader but
breaks exact matching and offsets: mixed newlines, zero-width characters, bidi
controls, soft hyphens, stray BOMs, C1 controls left by cp1252 text decoded as
Latin-1, and mojibake. This module removes exactly that and nothing a reader can
see: spaces and indentation are kept (bullets like "  • " are content), only
spaces at line ends go. `normalize_text` is idempotent, so normalizing an already
normalized text (a second run, a re-import) never shifts an offset.

Choices worth knowing:
- ftfy repairs mojibake only when `ftfy.badness.is_bad` fires: the full fixer is
  slow and, on clean text, would also rewrite curly quotes and widths.
- U+0085 is read the way ftfy reads every C1 control, as the cp1252 byte it almost
  always is on the web (an ellipsis), not as the EBCDIC "next line".
- ZWJ stays inside emoji sequences and between letters of scripts that shape with
  it (Arabic, Indic, ...); ZWNJ stays between letters of those scripts. Elsewhere
  both are removed.
- Bidi marks (LRM/RLM/ALM) are removed with the embeddings, overrides and isolates:
  they only steer display, and they hide inside words where they break matching.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES
from ftfy.fixes import fix_c1_controls

# ftfy's fixer, limited to repairs: quotes, character widths, ligatures and HTML
# entities are content, and the line-break, control and normalization steps are
# done below the same way for every text.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
# A repair can reveal more mojibake (double-encoded text); four rounds covers
# triple encoding, the deepest seen in practice, and keeps the loop bounded.
MAX_REPAIR_ROUNDS = 4

_NEWLINES = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c]")
_C1 = re.compile("[\x80-\x9f]")
# Terminal colour/cursor sequences (ESC [ ... letter) from scraped console output:
# removing only the ESC would leave "[31m" behind as visible junk.
_TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Always invisible, never needed in running text: C0 controls except \t and \n,
# DEL, C1 controls (after the cp1252 repair), soft hyphen, Arabic letter mark,
# zero-width space, LRM/RLM, bidi embeddings/overrides/isolates, word joiner and
# invisible operators, deprecated format characters, BOM/ZWNBSP, interlinear
# annotation controls, noncharacters.
_ALWAYS_INVISIBLE = (
    "\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff"
)
_INVISIBLE = re.compile(f"[{_ALWAYS_INVISIBLE}]+")
_JOINER = re.compile("[\u200c\u200d]")
# Tag characters are legitimate only inside a subdivision flag (🏴 + tags + cancel tag);
# elsewhere they are hidden text ("ASCII smuggling").
_TAG_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
_TAG_CHARS = re.compile("[\U000e0000-\U000e007f]+")
_TRAILING_SPACE = re.compile(r"[^\S\n]+(?=\n|\Z)")

# ftfy's badness regex tries a long alternation at every position: about 1 MB/s. Every
# one of its alternatives contains at least one "suspect" character (a character of its
# mojibake categories, or a non-ASCII literal of the pattern), and no match is longer
# than 8 characters, so searching only around clusters of suspects finds exactly the
# same matches. Runs of plain text (ASCII, CJK, Arabic...) are then skipped in C.
_SUSPECT_CLASS = "".join(MOJIBAKE_CATEGORIES.values()) + "".join(
    sorted({re.escape(char) for char in BADNESS_RE.pattern if ord(char) > 0x7F})
)
_SUSPECT_CLUSTER = re.compile(f"[{_SUSPECT_CLASS}](?:[^{_SUSPECT_CLASS}]{{0,16}}[{_SUSPECT_CLASS}])*")
_BADNESS_REACH = 8


def normalize_text(text: str) -> str:
    """Return the reference text: newlines as \\n, invisible noise removed, mojibake repaired, NFC.

    The first repair sees the text as it came, because the C1 controls that tidying
    removes are part of the mojibake (`â€\\x9d` is a mis-decoded `”`). Idempotent by
    construction: `_tidy` is idempotent, and the loop only stops on a text that is
    either not bad or that a further repair leaves unchanged.
    """
    bad = is_bad(text)
    out = _tidy(ftfy.fix_text(text, _FTFY_CONFIG) if bad else text)
    for _ in range(MAX_REPAIR_ROUNDS):
        if (out == text and not bad) or not is_bad(out):
            break  # (a text tidying left as it was is not bad: it was just checked)
        repaired = _tidy(ftfy.fix_text(out, _FTFY_CONFIG))
        if repaired == out:
            break
        out = repaired
    return out


def is_bad(text: str) -> bool:
    """Exactly `ftfy.badness.is_bad(text)`, searched only where mojibake could be (see above)."""
    end = len(text)
    for cluster in _SUSPECT_CLUSTER.finditer(text):
        start, stop = max(cluster.start() - _BADNESS_REACH, 0), min(cluster.end() + _BADNESS_REACH, end)
        if BADNESS_RE.search(text, start, stop):
            return True
    return False


def _tidy(text: str) -> str:
    """The cheap, always-applied steps; each is idempotent and none undoes another."""
    text = _NEWLINES.sub("\n", text)
    if "\x1b" in text:
        text = _TERMINAL_ESCAPE.sub("", text)
    if _C1.search(text):
        text = fix_c1_controls(text)  # U+0091/U+0092 -> ‘ ’, U+0085 -> … (cp1252 bytes)
    text = _SURROGATE.sub("\ufffd", text)
    text = _remove_invisible(text)
    return _TRAILING_SPACE.sub("", text)


def _remove_invisible(text: str) -> str:
    """Drop invisible characters, keeping the joiners and tags that change what is displayed; NFC.

    Joiners are judged on NFC text, by the base character before them (combining
    marks skipped), so the decision cannot change when NFC later reorders or
    composes marks: that keeps the whole function idempotent.
    """
    text = _INVISIBLE.sub("", text)
    if _TAG_CHARS.search(text):
        text = _strip_stray_tags(text)
    text = unicodedata.normalize("NFC", text)
    if "\u200c" in text or "\u200d" in text:
        decided = text
        text = _JOINER.sub(lambda m: m.group() if _joiner_is_needed(decided, m.start()) else "", text)
        text = unicodedata.normalize("NFC", text)
    return text


def _joiner_is_needed(text: str, index: int) -> bool:
    """Whether the ZWJ/ZWNJ at `index` shapes its neighbours (emoji sequence or joining script)."""
    before_index = index - 1
    while before_index >= 0 and unicodedata.combining(text[before_index]):
        before_index -= 1  # marks that NFC may reorder: judge by their base
    if before_index < 0 or index + 1 >= len(text):
        return False
    before, after = text[before_index], text[index + 1]
    if text[index] == "\u200d" and _is_emoji_part(before) and _is_emoji_like(after):
        return True
    return _is_joining_script_letter(before) and unicodedata.category(after)[0] in "LM"


def _is_emoji_part(char: str) -> bool:
    """Emoji, skin-tone modifier or variation selector 16: what may precede a ZWJ in an emoji sequence."""
    return char == "\ufe0f" or unicodedata.category(char) in ("So", "Sk")


def _is_emoji_like(char: str) -> bool:
    return unicodedata.category(char) == "So"


def _is_joining_script_letter(char: str) -> bool:
    """A letter or mark of a script where ZWJ/ZWNJ change shaping (Hebrew to Mongolian, Indic, Arabic forms).

    The ranges skip Latin, Greek, Cyrillic and CJK, where joiners have no effect
    on ordinary text and only break matching.
    """
    if unicodedata.category(char)[0] not in "LM":
        return False
    code = ord(char)
    if 0x1100 <= code <= 0x11FF:
        return False  # Hangul jamo compose into syllables outside these ranges and never need joiners
    return 0x0590 <= code <= 0x1CFF or 0xA800 <= code <= 0xABFF or 0xFB1D <= code <= 0xFEFE


def _strip_stray_tags(text: str) -> str:
    """Remove tag characters except those forming subdivision flags."""
    pieces: list[str] = []
    cursor = 0
    for flag in _TAG_FLAG.finditer(text):
        pieces.append(_TAG_CHARS.sub("", text[cursor : flag.start()]))
        pieces.append(flag.group())
        cursor = flag.end()
    pieces.append(_TAG_CHARS.sub("", text[cursor:]))
    return "".join(pieces)
