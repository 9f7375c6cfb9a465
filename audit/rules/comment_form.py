"""comment-form@1: the comment form (and what follows it) at the end of a scraped article.

A CMS comment form is the most common tail boilerplate in scraped blog posts:
"Leave a Reply", "Your email address will not be published. Required fields are
marked *", "Post Comment", name/email/website fields. Three cues, strongest first:

1. a block made mostly of known form phrases (WordPress' own translations in 30+
   languages, Disqus, Blogger, Ghost, Drupal; `phrases/comment_form.txt`);
2. the shape of a form in any language: short field lines with a `*` required
   marker, bare field labels ("Name", "E-Mail", `phrases/comment_fields.txt`),
   comment-count headings ("12 Comments", `phrases/comment_counts.txt`);
3. position: only in the tail, after the body, where everything that follows a
   form is comments or site furniture.

The form is removed from its first block to the end of the text. A lone form
phrase elsewhere ("Leave a comment" under a title) is removed as a single line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from audit.rules.base import DocView, Example, Rule
from audit.rules.measure import word_count
from audit.rules.phrasebook import LabelSet, normalize_key, phrase_book
from audit.types import Block, Finding

RULE_ID = "comment-form@1"

# A form can only start after this share of the text: a body comes first. 0.3
# rather than 0.5 because comment sections are often longer than the post; no
# gold article body of article-extraction-benchmark has a form phrase line at all.
TAIL_START_SHARE = 0.3

# Share of a block's letters that form phrases must cover for the block to count
# as form text: 0.5 keeps "Leave a Reply to Maria" and "Logged in as X. Log out?"
# and rejects a prose sentence that merely mentions "comments".
STRONG_COVERAGE = 0.5

# Form lines are short; a block longer than this (key characters) is prose, even
# if it quotes a form phrase.
MAX_FORM_BLOCK_KEY = 400

# A field line ("Name *", "E-Mail-Adresse *") has at most this many words.
MAX_FIELD_WORDS = 6

# A required-fields notice in an unlisted language ("... *로 표시됩니다") is a short
# sentence: at most this many words, among the last NOTICE_LAST_BLOCKS blocks.
MAX_NOTICE_WORDS = 25
NOTICE_LAST_BLOCKS = 4

# A form heading in an unlisted language ("답글 남기기") just above a notice: short,
# without sentence punctuation.
MAX_HEADING_WORDS = 6

# Field lines needed to call a run of blocks a form without any phrase: two, one of
# them with a `*`, within this many consecutive blocks.
FIELD_WINDOW = 4

# A lone `*` marker inside or at the end of a line (not a leading bullet, not `**`).
_REQUIRED_MARK = re.compile(r"(?<=[^\s*])\s*\*(?!\*)|(?<=\s)\*(?=[^\s*])")
_COUNT_HEADING = re.compile(r"^\W*(\d+)\W*(.*?)\W*(\d+)?\W*$")
_SENTENCE_END = re.compile(r"[.!?。！？]\W*$")


def is_strong(block: Block) -> bool:
    """True when the block is mostly comment-form phrases."""
    key = normalize_key(block.text)
    if not key or len(key) > MAX_FORM_BLOCK_KEY:
        return False
    return phrase_book("comment_form").coverage(block.text) >= STRONG_COVERAGE


def _has_required_mark(text: str) -> bool:
    stripped = text.strip()
    return not stripped.startswith("*") and bool(_REQUIRED_MARK.search(stripped))


def _is_count_heading(text: str) -> bool:
    """ "12 Comments", "3 thoughts on “Title”", "댓글 3개": a number plus a comment noun."""
    if word_count(text) > 12 or not any(ch.isdigit() for ch in text):
        return False
    key = normalize_key(re.sub(r"[“”\"«»„].*", "", text))
    rest = re.sub(r"\d+", "", key)
    if len(rest) > 24:
        return False
    heads, tails = _count_nouns()
    return bool(heads.starting(rest) or tails.starting(rest[::-1]))


@lru_cache(maxsize=1)
def _count_nouns() -> tuple[LabelSet, LabelSet]:
    """The comment nouns a count heading may start with, and (reversed) end with."""
    nouns = phrase_book("comment_counts").keys
    return LabelSet.of(nouns), LabelSet.of(noun[::-1] for noun in nouns)


def is_field(block: Block) -> bool:
    """A bare field label, a short line with a required marker, or a comment-count heading."""
    text = block.text.strip()
    if word_count(text) <= MAX_FIELD_WORDS:
        if phrase_book("comment_fields").matches_whole(text.rstrip("*:： ")):
            return True
        if _has_required_mark(text):
            return True
    return _is_count_heading(text)


# The last view asked about and its answer: comment-form@1 and foreign-footer@1
# (twice) ask about the same view one after another.
_LAST_ANSWER: list[tuple[DocView, int | None]] = []


def find_form_start(view: DocView) -> int | None:
    """Index of the block where the tail comment form starts, or None."""
    if _LAST_ANSWER and _LAST_ANSWER[0][0] is view:
        return _LAST_ANSWER[0][1]
    start = _form_start(view)
    _LAST_ANSWER[:] = [(view, start)]
    return start


def _form_start(view: DocView) -> int | None:
    tail_from = len(view.text) * TAIL_START_SHARE
    blocks = view.blocks
    candidates = [i for i, b in enumerate(blocks) if b.start >= tail_from]
    if not candidates:
        return None
    first_tail = candidates[0]
    start = next((i for i in candidates if is_strong(blocks[i])), None)
    if start is None:
        start = _field_run_start(blocks, first_tail)
    if start is None:
        start = _notice_start(view, first_tail)
    if start is None:
        return None
    # A comment-count heading ("3 Comments") above the form opens the comment
    # section, and the comments between it and the form go with it.
    counts = [i for i in range(first_tail, start) if _is_count_heading(blocks[i].text)]
    if counts:
        start = counts[0]
    return _extend_upward(blocks, start, first_tail)


def _is_notice(block: Block) -> bool:
    """A short sentence with a lone `*`: a required-fields notice in any language."""
    return _has_required_mark(block.text) and 3 <= word_count(block.text) <= MAX_NOTICE_WORDS


def _is_heading_line(block: Block) -> bool:
    return word_count(block.text) <= MAX_HEADING_WORDS and not _SENTENCE_END.search(block.text)


def _extend_upward(blocks: tuple[Block, ...], start: int, first_tail: int) -> int:
    """Take the bare labels and the `*` notice just above the form, and the heading above a notice.

    In a language no list covers, a form reads "Heading / notice with * / Field * /
    Field *": the fields are found by shape, and the notice and its heading belong with them.
    """
    took_notice = False
    while start > first_tail and (is_field(blocks[start - 1]) or _is_notice(blocks[start - 1])):
        took_notice = took_notice or _is_notice(blocks[start - 1])
        start -= 1
    if took_notice and start > first_tail and _is_heading_line(blocks[start - 1]):
        start -= 1
    return start


def _field_run_start(blocks: tuple[Block, ...], first_tail: int) -> int | None:
    """First block of a run of field lines (two within FIELD_WINDOW, one with `*`)."""
    for i in range(first_tail, len(blocks)):
        if not is_field(blocks[i]):
            continue
        window = blocks[i : i + FIELD_WINDOW]
        fields = [b for b in window if is_field(b)]
        if len(fields) >= 2 and any(_has_required_mark(b.text) for b in fields):
            return i
    return None


def _notice_start(view: DocView, first_tail: int) -> int | None:
    """A required-fields notice in an unlisted language among the last blocks, with its heading.

    The notice is a short sentence with a lone `*`, in another language than the
    body (a form a theme left untranslated, as in seed 000), followed only by short
    lines; one short heading line just above it is taken too.
    """
    blocks = view.blocks
    last = len(blocks)
    for i in range(max(first_tail, last - NOTICE_LAST_BLOCKS), last):
        block = blocks[i]
        if not (_has_required_mark(block.text) and 3 <= word_count(block.text) <= MAX_NOTICE_WORDS):
            continue
        if block.lang in (view.language, "und"):
            continue
        if any(
            word_count(b.text) > MAX_HEADING_WORDS or _SENTENCE_END.search(b.text) for b in blocks[i + 1 :]
        ):
            continue
        above = blocks[i - 1] if i - 1 >= first_tail else None
        if above and word_count(above.text) <= MAX_HEADING_WORDS and not _SENTENCE_END.search(above.text):
            return i - 1
        return i
    return None


def find(view: DocView) -> list[Finding]:
    findings = []
    start = find_form_start(view)
    limit = len(view.blocks) if start is None else start
    for index in range(limit):
        block = view.blocks[index]
        if word_count(block.text) <= MAX_FIELD_WORDS and phrase_book("comment_form").matches_whole(
            block.text
        ):
            begin, end = view.block_span(index)
            findings.append(Finding(begin, end, "comment-form phrase line"))
    if start is not None:
        begin, end = view.tail_span(start)
        findings.append(Finding(begin, end, f"comment form from {view.blocks[start].text[:40]!r} to the end"))
    return findings


_BODY_EN = (
    "The city council approved the new budget on Tuesday after a long debate about public transport. "
    "Officials said the plan adds three bus lines and extends the tram network by four kilometres.\n"
    "Residents who spoke at the meeting welcomed the bus lines but asked for more cycling lanes.\n"
)
_BODY_DE = (
    "Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt beschlossen. "
    "Der Plan sieht drei neue Buslinien und eine um vier Kilometer längere Straßenbahn vor.\n"
    "Anwohner begrüßten die Buslinien, forderten aber zusätzlich mehr Radwege in der Innenstadt.\n"
)
_BODY_JA = (
    "市議会は火曜日、公共交通をめぐる長い議論の末に新しい予算を承認した。"
    "計画ではバス路線を三つ増やし、路面電車を四キロ延伸する。\n"
    "会合で発言した住民はバス路線を歓迎したが、自転車専用レーンの拡充も求めた。\n"
)

RULE = Rule(
    id=RULE_ID,
    why="A CMS comment form (prompts, required-field notice, fields, submit) is site furniture, not the article.",
    find=find,
    examples=(
        Example(
            text=_BODY_EN
            + "Leave a Reply\nYour email address will not be published. Required fields are marked *\n"
            "Comment *\nName *\nEmail *\nWebsite\nSave my name, email, and website in this browser for the next "
            "time I comment.\nPost Comment\n",
            removed=("Leave a Reply", "Required fields are marked", "Name *", "Post Comment"),
            kept=("Residents who spoke at the meeting",),
        ),
        Example(
            text=_BODY_DE + "Schreibe einen Kommentar\nDeine E-Mail-Adresse wird nicht veröffentlicht. "
            "Erforderliche Felder sind mit * markiert\nKommentar *\nName *\nE-Mail *\nKommentar abschicken\n",
            removed=("Schreibe einen Kommentar", "Deine E-Mail-Adresse", "Kommentar abschicken"),
            kept=("mehr Radwege in der Innenstadt",),
        ),
        Example(
            text=_BODY_JA
            + "コメントを残す\nメールアドレスが公開されることはありません。 * が付いている欄は必須項目です\n"
            "コメント *\n名前 *\nメール *\nコメントを送信\n",
            removed=("コメントを残す", "メールアドレスが公開", "コメントを送信"),
            kept=("自転車専用レーンの拡充も求めた。",),
        ),
        Example(
            text=_BODY_EN + "3 Comments\nMaria\nGreat news for commuters.\nLeave a Reply\nCancel reply\n",
            removed=("3 Comments", "Great news for commuters", "Cancel reply"),
            kept=("Officials said the plan adds three bus lines",),
        ),
        Example(
            # An unlisted language (Georgian): found by shape, a `*` notice at the tail.
            text=_BODY_EN
            + "დატოვეთ პასუხი\nთქვენი ელ-ფოსტა არ გამოქვეყნდება. სავალდებულო ველები მონიშნულია *\n",
            removed=("დატოვეთ პასუხი", "სავალდებულო ველები"),
            kept=("asked for more cycling lanes",),
        ),
        Example(
            text=_BODY_EN
            + "Readers left more than 300 comments on the proposal, and the council said it would "
            "reply to each of them before the final vote. Comments are closed on Friday.\n",
            kept=("Readers left more than 300 comments", "Comments are closed on Friday."),
        ),
        Example(
            text=_BODY_EN
            + "Footnotes\nPrices include VAT *\nThe council will publish the minutes next week.\n",
            kept=("Prices include VAT *", "publish the minutes next week"),
        ),
    ),
)
