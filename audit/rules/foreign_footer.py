"""foreign-footer@1: a run of blocks at the end of the text in another language than the body.

Aggregators and reposting sites append their own footer (discussion invitation,
"material source", tags, update line) in the site's language, whatever the
article's: seed 004 is an English article with a Traditional Chinese footer.
No phrase list can enumerate such footers, but two signals that do not depend on
the words find them: block-level language differing from the body's, and
position (a run that reaches the end of the text). Short lines, URL-only lines
and lines mixing in the footer's script ride along; a long line in the body's
language ends the run.

Guards against taking body text: the body language must be known and hold most
of the text; the footer must be a small part of the document; a document that
uses the footer's language elsewhere as well (a bilingual text, a translation
section) has no footer by this rule; a quoted or attributed line ("... (Albert
Einstein)") is body; and a run the body introduces with a colon ("Folgende
Universitäten sind betroffen:") is what the body announced, not a footer.
"""

from __future__ import annotations

import re
from collections import Counter

from audit.langid import UNDETERMINED, script_profile
from audit.rules.base import DocView, Example, Rule
from audit.rules.comment_form import find_form_start
from audit.rules.measure import word_count
from audit.types import Block, Finding

RULE_ID = "foreign-footer@1"

# The footer must hold at least this many letters in the foreign language: a
# single foreign word ("Danke!") is a sign-off, not a footer. CJK characters
# count three (see langid.CJK_LETTER_WEIGHT).
MIN_FOREIGN_LETTERS = 12

# The footer may be at most this share of the document's characters: a real
# footer is a few lines under a full article (seed 004: 8%); half a document in
# another language is a bilingual text.
MAX_FOOTER_SHARE = 0.35
# ...except under a short article, where a footer of a few lines may reach this
# many characters as long as the body above it is longer still.
MAX_FOOTER_CHARS = 600

# A footer in a language that shares the body's script (Spanish under English)
# needs at least a sentence of it: langdetect on a short Latin line ("Hasbro
# Gaming – L'ALLEGRO CHIRURGO" under an Italian list) guesses; 50 letters is
# about eight words, where its guesses become reliable (lingua word pairs vs sentences).
MIN_SAME_SCRIPT_LETTERS = 50

# Letters in the foreign language that may appear before the footer (names,
# a quoted phrase) before we call the document bilingual and stay away.
MAX_FOREIGN_LETTERS_IN_BODY = 40

# A block in the body's language with at most this many words can still be part
# of the footer (a tag list, a site name); longer ones are body and end the run.
MAX_NEUTRAL_WORDS = 8

# A closing quote with its attribution ("... (Albert Einstein)", "... — Goethe") is
# an epigraph the author chose, in whatever language: body.
_ATTRIBUTED = re.compile(r"(?:\(\s*[^\W\d_][^()]{1,40}\)|[—–]\s*[^\W\d_][^—–]{1,40})\s*$")
MIN_QUOTE_LETTERS = 20  # a quoted sentence before the attribution: a few words at least
_LEAD_IN = re.compile(r"[:：]\s*$")
_URL_ONLY = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$", re.IGNORECASE)
_QUOTE_OPENERS = "\"“„«‘'「『"
_WIDE_SCRIPTS = frozenset({"HAN", "HIRAGANA", "KATAKANA", "HANGUL"})


def _weighted_letters(text: str) -> int:
    counts, _ = script_profile(text)
    return sum(count * (3 if script in _WIDE_SCRIPTS else 1) for script, count in counts.items())


def _body_scripts(view: DocView) -> set[str]:
    """Scripts that hold a real share of the body-language blocks' letters."""
    counts: Counter[str] = Counter()
    for block in view.blocks:
        if block.lang == view.language:
            counts.update(script_profile(block.text)[0])  # each block's profile is cached already
    letters = sum(counts.values())
    return {script for script, count in counts.items() if letters and count / letters >= 0.2}


def _foreign_script(text: str, body_scripts: set[str]) -> bool:
    """True when most of the text's letters are in a script the body does not use."""
    counts, letters = script_profile(text)
    outside = sum(count for script, count in counts.items() if script not in body_scripts)
    return letters > 0 and outside / letters >= 0.5


def _is_attributed_quote(text: str) -> bool:
    """A sentence followed by its author; a bare "— Site name" signature line is not one."""
    match = _ATTRIBUTED.search(text)
    return match is not None and sum(ch.isalpha() for ch in text[: match.start()]) >= MIN_QUOTE_LETTERS


def _kind(block: Block, view: DocView, body_scripts: set[str]) -> str:
    """'foreign', 'neutral' (can ride along in a footer) or 'body' (ends a footer)."""
    text = block.text.strip()
    if text[:1] in _QUOTE_OPENERS or (block.lang != view.language and _is_attributed_quote(text)):
        return "body"
    if block.lang not in (UNDETERMINED, view.language):
        return "foreign"
    counts, _ = script_profile(text)
    if any(script not in body_scripts and count >= 2 for script, count in counts.items()):
        return "neutral"  # mixes in another script: a tag line of the footer, a credit
    if block.lang == UNDETERMINED or _URL_ONLY.match(text) or word_count(text) <= MAX_NEUTRAL_WORDS:
        return "neutral"
    return "body"


def find_footer_start(view: DocView) -> int | None:
    """Index of the first block of a foreign-language footer, or None."""
    if view.language == UNDETERMINED or not view.blocks:
        return None
    body_scripts = _body_scripts(view)
    form_start = find_form_start(view)
    end = len(view.blocks) if form_start is None else form_start
    start = None
    index = end - 1
    while index >= 0:
        kind = _kind(view.blocks[index], view, body_scripts)
        if kind == "body":
            break
        if kind == "foreign":
            start = index
        index -= 1
    if start is None or (start > 0 and _LEAD_IN.search(view.blocks[start - 1].text)):
        return None  # no footer, or the body announced what follows ("Betroffen sind:")
    footer = view.blocks[start:end]
    foreign = [b for b in footer if b.lang not in (UNDETERMINED, view.language)]
    other_script = sum(_weighted_letters(b.text) for b in foreign if _foreign_script(b.text, body_scripts))
    same_script = sum(_weighted_letters(b.text) for b in foreign if not _foreign_script(b.text, body_scripts))
    if other_script < MIN_FOREIGN_LETTERS and same_script < MIN_SAME_SCRIPT_LETTERS:
        return None
    footer_chars = view.blocks[end - 1].end - view.blocks[start].start
    body_chars = view.blocks[start].start
    if footer_chars > MAX_FOOTER_SHARE * len(view.text) and not footer_chars <= min(
        MAX_FOOTER_CHARS, body_chars
    ):
        return None
    footer_languages = {b.lang for b in foreign}
    before = sum(_weighted_letters(b.text) for b in view.blocks[:start] if b.lang in footer_languages)
    if before > MAX_FOREIGN_LETTERS_IN_BODY:
        return None
    return start


def find(view: DocView) -> list[Finding]:
    start = find_footer_start(view)
    if start is None:
        return []
    form_start = find_form_start(view)
    end = len(view.text) if form_start is None else view.blocks[form_start].start
    language = next(b.lang for b in view.blocks[start:] if b.lang not in (UNDETERMINED, view.language))
    return [Finding(view.blocks[start].start, end, f"tail in {language} under a {view.language} body")]


_BODY_EN = (
    "Shares in the chipmaker rose 4% on Monday after it reported stronger than expected demand for "
    "data-centre processors in the second quarter.\n"
    "Analysts said the results eased concerns about a slowdown in cloud spending, though supply "
    "constraints remain a risk for the rest of the year.\n"
)

RULE = Rule(
    id=RULE_ID,
    why="A reposting site's footer in its own language under an article in another is not part of the article.",
    find=find,
    examples=(
        Example(
            text=_BODY_EN
            + "── 科技新闻 from bot (英)💬 参与讨论:对这篇文章有想法吗?\n欢迎到我们的论坛留言交流:\n"
            "https://example.com/forum/topic/chip-demand/\n📌 相关标签:Chips、Cloud、Semiconductors\n"
            "✏️ 科技新闻 | 更新日期:2025/03/01\n",
            removed=("参与讨论", "https://example.com/forum/topic/chip-demand/", "相关标签", "更新日期"),
            kept=("supply constraints remain a risk",),
        ),
        Example(
            text=_BODY_EN
            + "Fuente: agencia de noticias. Todos los artículos se publican con permiso del autor "
            "original y pueden contener errores de traducción.\nSíguenos en nuestras redes sociales\n",
            removed=("Fuente: agencia de noticias", "Síguenos en nuestras redes sociales"),
            kept=("Analysts said the results eased concerns",),
        ),
        Example(
            # A foreign sentence quoted mid-article is body, and so is the English text after it.
            text=_BODY_EN
            + "«Wir sehen eine sehr starke Nachfrage in allen Regionen», sagte der Finanzchef.\n"
            "The company will report its full-year results in February.\n",
            kept=("Wir sehen eine sehr starke Nachfrage", "full-year results in February"),
        ),
        Example(
            # A closing epigraph in another language, with its attribution, is the author's choice.
            text=_BODY_EN
            + "You can't solve a problem with the same thinking that created it (Albert Einstein)\n",
            kept=("You can't solve a problem",),
        ),
        Example(
            # The body announces the foreign passage with a colon: it is quoted material.
            text=_BODY_EN + "The affected universities, according to the union's statement:\n"
            "Até agora tiveram atividades interrompidas as seguintes universidades públicas:\nUFRJ\nUFMG\nUFBA\n",
            kept=("Até agora tiveram atividades interrompidas", "UFBA"),
        ),
        Example(
            # A bilingual text: the same language earlier in the document means no footer.
            text="Der Rat hat den Haushalt beschlossen und drei neue Buslinien genehmigt.\n"
            + _BODY_EN
            + "Die Anwohner begrüßten die Entscheidung, wünschen sich aber mehr Radwege.\n",
            kept=("Die Anwohner begrüßten die Entscheidung",),
        ),
    ),
)
