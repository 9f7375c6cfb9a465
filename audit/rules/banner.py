"""banner@1: newsletter, subscription, paywall, app, follow and advertisement boxes.

A site speaks to its reader in boxes the extractor keeps: "Sign up for our
newsletter ... delivered to your inbox", "To view the full story, please
subscribe", "Already a subscriber? Log in", "¿Ya sabías que tenemos canal de
Telegram? Únete ...", "ANZEIGE - ...". The article never talks like that: it
does not address the reader as a customer of the site. Cues:

- a banner sentence holds a call-to-action phrase (`phrases/banner.txt`: "our
  newsletter", "your inbox", "already a subscriber", "click here", "follow us",
  "suscríbete", "abonnez-vous", 30+ languages), matched on whole words;
- a block is a banner when it is short and banner sentences hold most of its
  letters: a news paragraph that mentions subscribers is one sentence among
  others and stays;
- a label alone ("Advertisement", "Anzeige", "광고"), or a label with a dash
  and a short pitch ("ANZEIGE - Heute mal ausgehen?"), from
  `phrases/banner_labels.txt`, is an advertisement or newsletter box heading.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import ahocorasick

from audit.rules.base import DocView, Example, Rule
from audit.rules.measure import word_count
from audit.rules.phrasebook import LabelSet, load_phrases
from audit.types import Finding

RULE_ID = "banner@1"

# A banner box is short: the longest in the eval pages (a paywall pitch) has
# ~45 words a block; article paragraphs that happen to quote a pitch are longer.
MAX_BANNER_WORDS = 60

# Share of the block's letters that banner sentences must hold: most of it.
# 0.6 keeps a paragraph that ends with one pitch sentence after real content
# ("... said the editor. Sign up for our newsletter.") when the content is
# longer than the pitch, and removes "Get X delivered ... 12 issues for £11.99.
# Click here for more information." (0.8).
MIN_BANNER_SHARE = 0.6

# A labelled pitch ("ANZEIGE - ...", "Sponsored: ...") has at most this many words after the label.
MAX_PITCH_WORDS = 25

_SENTENCE = re.compile(r"[^.!?。！？]+(?:[.!?。！？]+|$)")
_NON_WORD = re.compile(r"[^\w]+")
_LABEL_SEPARATOR = re.compile(r"^\s*(?:[:：|]|[-–—]\s)\s*")
_WIDE_START = 0x2E80
_NOT_ALNUM = re.compile(r"[\W_]+")


def _normalize(text: str) -> str:
    """NFKC, casefolded, punctuation as single spaces, padded: " sign up for our newsletter "."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return " " + _NON_WORD.sub(" ", folded.replace("'", "")).strip() + " "


@lru_cache(maxsize=1)
def _phrase_automaton() -> ahocorasick.Automaton:
    """Banner phrases on word boundaries (CJK phrases inside words: those scripts have no spaces).

    In a normalized sentence words are separated by single spaces and padded
    by one, so a phrase on word boundaries is the phrase with a space on each
    side: every phrase is one literal, and one Aho-Corasick pass finds any.
    """
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for phrase in sorted({_normalize(p).strip() for p in load_phrases("banner")} - {""}):
        wide = any(ord(ch) >= _WIDE_START for ch in phrase)
        automaton.add_word(phrase if wide else f" {phrase} ", 1)
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def _labels() -> tuple[str, ...]:
    return tuple(
        sorted({label.casefold() for label in load_phrases("banner_labels")}, key=lambda s: (-len(s), s))
    )


@lru_cache(maxsize=1)
def _label_set() -> LabelSet:
    return LabelSet.of(_labels())


def is_banner_sentence(sentence: str) -> bool:
    """True when the sentence holds a call-to-action phrase."""
    return next(_phrase_automaton().iter(_normalize(sentence)), None) is not None


def label_reason(text: str) -> str | None:
    """Why a block is an advertisement/newsletter label line, or None."""
    stripped = text.strip().strip("*_-–—•·|[]() ")
    folded = stripped.casefold()
    for label in _label_set().starting(folded):
        if folded == label:
            return "advertisement or newsletter label"
        if folded.startswith(label):
            after = stripped[len(label) :]
            separator = _LABEL_SEPARATOR.match(after)
            if separator and 0 < len(after[separator.end() :].split()) <= MAX_PITCH_WORDS:
                return "labelled advertisement"
    return None


def banner_reason(text: str) -> str | None:
    """Why a block is a newsletter, subscription, app or follow box or an advertisement label, or None."""
    reason = label_reason(text)
    if reason:
        return reason
    if word_count(text) > MAX_BANNER_WORDS or not is_banner_sentence(text):
        # A sentence's words are a run of its block's words (sentences end at punctuation, which
        # normalizes to a space), so a block without a phrase has no banner sentence.
        return None
    letters = _alnum_count(text)
    if letters == 0:
        return None
    banner = sum(
        _alnum_count(match.group()) for match in _SENTENCE.finditer(text) if is_banner_sentence(match.group())
    )
    return "call-to-action box" if banner / letters >= MIN_BANNER_SHARE else None


def _alnum_count(text: str) -> int:
    """`sum(ch.isalnum() for ch in text)`: `[\\W_]` is exactly what `isalnum` rejects."""
    return len(_NOT_ALNUM.sub("", text))


def find(view: DocView) -> list[Finding]:
    findings = []
    for index, block in enumerate(view.blocks):
        reason = banner_reason(block.text)
        if reason:
            findings.append(Finding(*view.block_span(index), reason))
    return findings


_BODY = (
    "The city's only independent bookshop will close in March after forty years, its owners said on "
    "Friday, blaming rising rents and online competition.\n"
    "Regular customers started a petition on Saturday, and the council said it would look for a new site.\n"
)

RULE = Rule(
    id=RULE_ID,
    why="Newsletter, subscription, app and follow prompts and advertisement labels address the reader as a customer.",
    find=find,
    examples=(
        Example(
            text=_BODY + "Never miss the latest news by signing up to our newsletter today!\n"
            "Get the latest updates right in your inbox. Subscribe to our newsletters.\n",
            removed=("Never miss", "right in your inbox"),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "To view the full story, please subscribe to The Valley Times.\n"
            "If you’re seeing this message but you’re already a subscriber, you can log in for immediate access.\n",
            removed=("To view the full story", "already a subscriber"),
            kept=(_BODY.strip(),),
        ),
        Example(
            text=_BODY + "¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular en este enlace.\n"
            "Abonnez-vous à notre newsletter\nAdvertisement\nANZEIGE - Heute mal ausgehen? Wie wäre es mit:\n",
            removed=("canal de Telegram", "Abonnez-vous", "Advertisement", "ANZEIGE"),
            kept=(_BODY.strip(),),
        ),
        Example(
            # News about subscriptions is not a banner: no one is asked to do anything.
            text=_BODY
            + "The newspaper said its subscribers rose by a fifth last year, and that the newsletter "
            "it launched in May now reaches 40,000 readers.\n"
            "Advertising revenue fell again, the publisher said.\n",
            kept=("its subscribers rose by a fifth", "Advertising revenue fell again"),
        ),
        Example(
            # One pitch sentence after a real paragraph leaves the paragraph whole.
            text=_BODY
            + "The owners thanked their readers for four decades of loyalty and said the last reading "
            "will be held on the shop's final evening, with the authors who launched their first books there. "
            "Follow us on Instagram.\n",
            kept=("four decades of loyalty",),
        ),
    ),
)
