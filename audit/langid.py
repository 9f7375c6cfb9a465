"""Language per block and per document: langdetect, seeded, guarded by script and a document prior.

langdetect is random unless seeded and unreliable on short text; both matter
here because footers and prompts are short, and a footer is found by its block
language differing from the body. So:

- scripts that identify a language on their own (Hangul, kana, Thai, Greek...)
  decide without the statistical model, and Han, kana and Hangul count as several
  Latin letters each, so a Chinese line with a few English words stays Chinese;
- text too short to judge is "und" rather than a guess;
- a short block in a script several languages share (Latin, Cyrillic, Arabic)
  is judged with the document language as a prior:
  langdetect calls a four-word English heading German or Romanian about as often
  as English, but a real German sentence gives English no probability at all, so
  a prior flips the first and never the second;
- the document language is a vote of its blocks weighted by letters, so a few
  foreign names never flip it.

langdetect itself is replayed by `audit.fastdetect` (same answers, bit for bit,
~30x faster), best for many blocks at once: `detect_languages` judges a whole
document's blocks with one run of the model.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter

import numpy as np

from audit.fastdetect import langprob_arrays, languages
from audit.types import Block

UNDETERMINED = "und"

# langdetect reads at most this many characters: accuracy saturates long before
# (measured on lingua sentences: no change beyond ~300 characters), and it is the
# slowest stage of the pipeline on whole documents.
SAMPLE_CHARS = 1200

# Share of (weighted) letters a script needs before it decides the language by itself.
SCRIPT_MAJORITY = 0.5

# One Han, kana or Hangul character counts as this many Latin letters when scripts
# are weighed: an English word averages ~4.7 letters, a Chinese or Korean word
# ~1.5-2 characters, so 3 puts a character and a word's worth of letters on a par.
# With it "使用 ChatGPT 和 OpenAI API 开发应用程序" is Chinese, as a reader would say.
CJK_LETTER_WEIGHT = 3

# Blocks with fewer letters than this, in a shared script, are judged with the document
# language as a prior. Chosen on lingua-testdata: below ~60 letters (word pairs,
# headings) langdetect's top guess for English text is wrong ~25% of the time;
# whole sentences (~100+ letters) need no help.
SHORT_BLOCK_LETTERS = 60

# How much more likely the document language is, a priori, for a short block.
# langdetect's probabilities on short text move in steps of 1/7 (seven seeded
# trials), so 8 lets the document language win once it won at least one trial
# in seven while the rival won fewer than all the others; measured on lingua
# word pairs (see tests/test_langid.py) it fixes most English headings and
# leaves German/Spanish/French sentences alone (they give English probability 0).
PRIOR_WEIGHT = 8.0

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
_CJK_SCRIPTS = frozenset({"HAN", "HIRAGANA", "KATAKANA", "HANGUL"})

_LANGDETECT_ALIASES = {"zh-cn": "zh", "zh-tw": "zh"}
# Every byte but the ASCII letters: deleting them from the UTF-8 bytes leaves one byte per ASCII
# letter (multi-byte sequences are all >= 0x80), counted in C without a string per letter.
_NOT_ASCII_LETTER_BYTES = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalpha())
_NON_ASCII = re.compile("[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _script_of(char: str) -> str:
    """The Unicode script of a letter, from its name (stdlib has no script property)."""
    name = unicodedata.name(char, "")
    if name.startswith("CJK") or "IDEOGRAPH" in name:
        return "HAN"
    return name.split(" ", 1)[0] if name else ""


# Scripts that write vowels as combining marks (Unicode Mn/Mc, which are not
# `isalpha`): their marks count as letters, or a Hindi sentence would hold a
# third fewer "letters" than it has and short ones would be "too short to
# judge". Measured on lingua sentences: Hindi 0.80 -> 0.95, Marathi 0.79 -> 0.94.
_VOWEL_MARK_SCRIPTS = frozenset(
    {
        "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
        "MALAYALAM", "SINHALA", "THAI", "LAO", "TIBETAN", "MYANMAR", "KHMER",
    }
)  # fmt: skip


def _is_vowel_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc") and _script_of(char) in _VOWEL_MARK_SCRIPTS


@lru_cache(maxsize=16384)
def script_profile(text: str) -> tuple[Counter[str], int]:
    """Letters counted per script (vowel marks of the scripts above included), and the total.

    Cached (rules and the language guards ask about the same block several
    times); ASCII letters are counted on the UTF-8 bytes in one pass, other characters one by
    one. Callers must not change the Counter they get.
    """
    counts: Counter[str] = Counter()
    ascii_letters = _ascii_letters(text)
    if ascii_letters:
        counts["LATIN"] = ascii_letters
    if not text.isascii():
        for char, times in Counter(_NON_ASCII.findall(text)).items():
            if char.isalpha() or _is_vowel_mark(char):
                counts[_script_of(char)] += times
    return counts, sum(counts.values())


def _ascii_letters(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_ASCII_LETTER_BYTES))


@lru_cache(maxsize=65536)
def letter_count(text: str) -> int:
    """`sum(ch.isalpha() for ch in text)`, with ASCII letters counted on the bytes."""
    count = _ascii_letters(text)
    if not text.isascii():
        count += sum(times for char, times in Counter(_NON_ASCII.findall(text)).items() if char.isalpha())
    return count


# Answers of `detect_language` by (text, min_letters, seed); cleared when full. The same
# footer or prompt recurs across a corpus, and a document's blocks are judged in one batch.
DETECTED_CACHE_SIZE = 65536
_DETECTED: dict[tuple[str, int, int], tuple[str, float]] = {}


def detect_language(text: str, min_letters: int = 20, seed: int = 0) -> tuple[str, float]:
    """(language, probability) for a piece of text; ("und", 0.0) when too short to judge."""
    return detect_languages([text], min_letters, seed)[0]


def detect_languages(texts: Sequence[str], min_letters: int = 20, seed: int = 0) -> list[tuple[str, float]]:
    """`detect_language` of each text, with the model run once for all the texts it must judge."""
    if len(_DETECTED) > DETECTED_CACHE_SIZE:
        _DETECTED.clear()
    missing = []
    for text in texts:
        key = (text, min_letters, seed)
        if key in _DETECTED:
            continue
        by_script = _language_by_script(text)
        if by_script is not None:
            _DETECTED[key] = by_script
        elif script_profile(text)[1] < min_letters:
            _DETECTED[key] = (UNDETERMINED, 0.0)
        else:
            _DETECTED[key] = (UNDETERMINED, 0.0)  # until the model answers, below
            missing.append(text)
    for text, best in zip(missing, _best_scores(missing, seed), strict=True):
        if best is not None:
            _DETECTED[(text, min_letters, seed)] = best
    return [_DETECTED[(text, min_letters, seed)] for text in texts]


@lru_cache(maxsize=65536)
def _language_by_script(text: str) -> tuple[str, float] | None:
    """The language a dominant script names on its own, or None when the model must decide."""
    counts, letters = script_profile(text)
    if letters == 0:
        return UNDETERMINED, 0.0
    weighted = {
        script: count * (CJK_LETTER_WEIGHT if script in _CJK_SCRIPTS else 1)
        for script, count in counts.items()
    }
    total = sum(weighted.values())
    cjk_share = sum(weighted.get(s, 0) for s in _CJK_SCRIPTS) / total
    if cjk_share >= SCRIPT_MAJORITY:
        share = round(min(1.0, cjk_share), 4)
        if counts["HIRAGANA"] + counts["KATAKANA"] > 0:
            return "ja", share
        if counts["HANGUL"] >= counts["HAN"]:
            return "ko", share
        return "zh", share
    script, count = max(weighted.items(), key=lambda item: (item[1], item[0]))
    share = count / total
    if share >= SCRIPT_MAJORITY and script in _SCRIPT_LANGUAGE:
        return _SCRIPT_LANGUAGE[script], round(share, 4)
    return None


@lru_cache(maxsize=8192)  # each entry holds a full vector (~5 KB): 8,192 keeps the cache ~40 MB
def language_scores(text: str, seed: int = 0) -> tuple[tuple[str, float], ...]:
    """langdetect's full probability vector for `text`, best first, zeros left out.

    The full vector (not only the languages above langdetect's 0.1 cut) is what
    lets the document prior tell "English was a close second" from "English never
    came up". It comes from `audit.fastdetect`, which replays langdetect exactly
    (the same probabilities, bit for bit) at a fraction of the cost.
    """
    (probabilities,) = langprob_arrays([text[:SAMPLE_CHARS]], seed)
    if probabilities is None:
        return ()
    merged: dict[str, float] = {}
    for lang, prob in zip(_merged_names(seed), probabilities.tolist(), strict=True):
        if prob > 0:
            merged[lang] = merged.get(lang, 0) + prob
    # Best first, ties by name: sort by name, then stably by probability, descending.
    ranked = sorted(merged.items())
    ranked.sort(key=itemgetter(1), reverse=True)
    return tuple((lang, round(prob, 4)) for lang, prob in ranked)


def _best_scores(texts: Sequence[str], seed: int) -> list[tuple[str, float] | None]:
    """`language_scores(text, seed)[0]` of each text (None when empty), without ranking whole vectors.

    The aliases' probabilities are added in vector order onto zeros, as the
    ranking adds them; columns ordered by name make the first maximum the
    tie-break by name.
    """
    rows = langprob_arrays([text[:SAMPLE_CHARS] for text in texts], seed)
    present = [index for index, row in enumerate(rows) if row is not None]
    answers: list[tuple[str, float] | None] = [None] * len(texts)
    if not present:
        return answers
    names, columns = _merge_plan(seed)
    vectors = np.stack([rows[index] for index in present])
    merged = np.zeros((len(present), len(names)))
    for source, target in enumerate(columns):
        merged[:, target] += vectors[:, source]
    best = merged.argmax(axis=1)
    for index, column, prob in zip(
        present, best.tolist(), merged[np.arange(len(present)), best].tolist(), strict=True
    ):
        if prob > 0:
            answers[index] = names[column], round(prob, 4)
    return answers


@lru_cache(maxsize=4)
def _merge_plan(seed: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The merged language names sorted, and for each vector position the column it adds to."""
    names = tuple(sorted(set(_merged_names(seed))))
    return names, tuple(names.index(name) for name in _merged_names(seed))


@lru_cache(maxsize=4)
def _merged_names(seed: int) -> tuple[str, ...]:
    """langdetect's languages in vector order, with the aliases (zh-cn, zh-tw) merged."""
    return tuple(_LANGDETECT_ALIASES.get(lang, lang) for lang in languages(seed))


def detect_with_prior(
    text: str, prior_language: str, min_letters: int = 20, seed: int = 0
) -> tuple[str, float]:
    """Like `detect_language`, but a short Latin-script text leans towards `prior_language`.

    The prior multiplies the document language's probability by PRIOR_WEIGHT and
    renormalises; it only matters when langdetect gave that language some
    probability, which it does not for a real sentence of another language.
    """
    lang, prob = detect_language(text, min_letters, seed)
    if lang in (UNDETERMINED, prior_language) or prior_language == UNDETERMINED:
        return lang, prob
    _, letters = script_profile(text)
    if letters >= SHORT_BLOCK_LETTERS or _language_by_script(text) is not None:
        return lang, prob
    scores = dict(language_scores(text, seed))
    prior_score = scores.get(prior_language, 0.0) * PRIOR_WEIGHT
    if prior_score <= scores.get(lang, 0.0):
        return lang, prob
    total = prior_score + sum(p for other, p in scores.items() if other != prior_language)
    return prior_language, round(prior_score / total, 4)


def label_blocks(blocks: Sequence[Block], min_letters: int = 20, seed: int = 0) -> list[Block]:
    """Blocks with their language and probability filled in.

    Two passes: every block on its own, then the short Latin-script blocks again
    with the document language (from the first pass) as a prior.
    """
    detected = detect_languages([b.text for b in blocks], min_letters, seed)
    first = [Block(b.start, b.end, b.text, *answer) for b, answer in zip(blocks, detected, strict=True)]
    language, _ = document_language(first)
    if language == UNDETERMINED:
        return first
    return [
        Block(b.start, b.end, b.text, *detect_with_prior(b.text, language, min_letters, seed))
        if b.lang not in (UNDETERMINED, language)
        else b
        for b in first
    ]


def document_language(blocks: Sequence[Block]) -> tuple[str, float]:
    """The language holding most letters among judged blocks, with its share of them.

    A vote by letters rather than langdetect on the whole text: a long body
    outweighs a foreign footer, and the share says how mixed the document is.
    """
    letters_by_language: Counter[str] = Counter()
    for block in blocks:
        if block.lang != UNDETERMINED:
            letters_by_language[block.lang] += letter_count(block.text)
    total = sum(letters_by_language.values())
    if not total:
        return UNDETERMINED, 0.0
    lang, letters = max(letters_by_language.items(), key=lambda item: (item[1], item[0]))
    return lang, round(letters / total, 4)
