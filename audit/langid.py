"""Language per block and per document: langdetect, seeded, guarded by script.

langdetect is random unless seeded and unreliable on short text; both matter
here because footers and prompts are short. So: scripts that identify a language
on their own (Hangul, kana, Thai, Greek...) decide without the statistical model,
text too short to judge is "und" rather than a guess, and the document language
is a vote of its blocks weighted by letters, so a few foreign names never flip it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from audit.types import Block

UNDETERMINED = "und"

# langdetect reads at most this many characters: accuracy saturates long before
# (measured on lingua sentences: no change beyond ~300 characters), and it is the
# slowest stage of the pipeline on whole documents.
SAMPLE_CHARS = 1200

# Share of letters a script needs before it decides the language by itself.
SCRIPT_MAJORITY = 0.5

# Scripts that name one language (or one we report for the script).
_SCRIPT_LANGUAGE = {
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "THAI": "th",
    "GREEK": "el",
    "HEBREW": "he",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
    "BENGALI": "bn",
    "GUJARATI": "gu",
    "GURMUKHI": "pa",
    "TAMIL": "ta",
    "TELUGU": "te",
    "KANNADA": "kn",
    "MALAYALAM": "ml",
    "SINHALA": "si",
    "KHMER": "km",
    "LAO": "lo",
    "MYANMAR": "my",
    "ETHIOPIC": "am",
    "TIBETAN": "bo",
}

_LANGDETECT_ALIASES = {"zh-cn": "zh", "zh-tw": "zh"}


def _script_of(char: str) -> str:
    """The Unicode script of a letter, from its name (stdlib has no script property)."""
    name = unicodedata.name(char, "")
    if name.startswith("CJK") or "IDEOGRAPH" in name:
        return "HAN"
    return name.split(" ", 1)[0] if name else ""


def script_profile(text: str) -> tuple[Counter[str], int]:
    """Letters counted per script, and the total number of letters."""
    counts: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            counts[_script_of(char)] += 1
    return counts, sum(counts.values())


@lru_cache(maxsize=65536)
def detect_language(text: str, min_letters: int = 20, seed: int = 0) -> tuple[str, float]:
    """(language, probability) for a piece of text; ("und", 0.0) when too short to judge.

    Cached: the same footer or prompt recurs across a corpus, and langdetect is slow.
    """
    counts, letters = script_profile(text)
    if letters == 0:
        return UNDETERMINED, 0.0
    script, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    share = count / letters
    if share >= SCRIPT_MAJORITY:
        if script in {"HIRAGANA", "KATAKANA"} or (script == "HAN" and _has_kana(counts)):
            return "ja", share
        if script in _SCRIPT_LANGUAGE:
            return _SCRIPT_LANGUAGE[script], share
        if script == "HAN":
            return "zh", share
    if letters < min_letters:
        return UNDETERMINED, 0.0
    return _langdetect(text[:SAMPLE_CHARS], seed)


def _has_kana(counts: Counter[str]) -> bool:
    return counts["HIRAGANA"] + counts["KATAKANA"] > 0


def _langdetect(text: str, seed: int) -> tuple[str, float]:
    DetectorFactory.seed = seed
    try:
        candidates = detect_langs(text)
    except LangDetectException:
        return UNDETERMINED, 0.0
    best = candidates[0]
    return _LANGDETECT_ALIASES.get(best.lang, best.lang), round(float(best.prob), 4)


def label_blocks(blocks: Sequence[Block], min_letters: int = 20, seed: int = 0) -> list[Block]:
    """Blocks with their language and probability filled in."""
    labelled = []
    for block in blocks:
        lang, prob = detect_language(block.text, min_letters, seed)
        labelled.append(Block(block.start, block.end, block.text, lang, prob))
    return labelled


def document_language(blocks: Sequence[Block]) -> tuple[str, float]:
    """The language holding most letters among judged blocks, with its share of them.

    A vote by letters rather than langdetect on the whole text: a long body
    outweighs a foreign footer, and the share says how mixed the document is.
    """
    letters_by_language: Counter[str] = Counter()
    for block in blocks:
        if block.lang != UNDETERMINED:
            letters_by_language[block.lang] += sum(ch.isalpha() for ch in block.text)
    total = sum(letters_by_language.values())
    if not total:
        return UNDETERMINED, 0.0
    lang, letters = max(letters_by_language.items(), key=lambda item: (item[1], item[0]))
    return lang, round(letters / total, 4)
