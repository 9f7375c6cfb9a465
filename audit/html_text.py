"""Turn an HTML page into plain text that keeps its block structure, plus the page's own metadata.

Rules and language detection work on lines, so the one thing HTML conversion
must get right is where lines break: every block element becomes its own line,
paragraphs are separated by a blank line, list items keep a bullet, and inline
whitespace collapses the way a browser collapses it. Page furniture that is
never article text (scripts, styles, navigation, forms, page header and footer,
asides, templates, SVG, hidden elements) is dropped here; everything else is left
for the boilerplate rules, which record what they remove as evidence.

The walk over the tree is iterative (an explicit stack), so pathologically deep
pages cannot hit Python's recursion limit, and it never mutates the soup, so the
metadata is read from the same parse. audit/extract.py runs trafilatura's
main-content extraction first and lays its result out with this walker, which
is also the fallback that always works.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import (
    NavigableString,
    PreformattedString,
    RubyParenthesisString,
    RubyTextString,
    Script,
    Stylesheet,
    Tag,
    TemplateString,
)

from audit.html_meta import extract_metadata


def _tag_set(names: str) -> frozenset[str]:
    return frozenset(names.split())


# Elements whose content is never article text, wherever they are.
DROPPED_TAGS = _tag_set(
    "script style template svg math head iframe object embed canvas button select textarea input map "
    "audio video rt rp"
)
# Page chrome: dropped, unless it wraps most of the page. Real pages put the whole
# body in a <form> (ASP.NET), in <noscript> (script-rendered sites) or in an unclosed
# <header>. Measured on the 229 pages of shared/eval (trafilatura-eval and
# article-extraction-benchmark): of 2,252 chrome elements, 97% hold under 20% of the
# page's text and the 6 wrappers 90-100%; half the page separates them.
CHROME_TAGS = _tag_set("nav form header footer aside noscript dialog")
WRAPPER_SHARE = 0.5
# ...and a wrapper holds at least a paragraph: a page whose only text is its menu has no text.
MIN_WRAPPER_CHARS = 200
# An <article>'s own header holds its headline and byline, and its footer the tags and
# credits that provenance needs: kept inside <article>/<main>.
_KEPT_INSIDE = frozenset({"article", "main"})
_ARTICLE_CHROME = frozenset({"header", "footer"})

# Blocks that end a paragraph (a blank line) and blocks that only end a line.
PARAGRAPH_TAGS = _tag_set(
    "p h1 h2 h3 h4 h5 h6 blockquote pre table ul ol dl figure hr section article main address details "
    "fieldset header footer"
)
LINE_TAGS = _tag_set(
    "div li dt dd tr figcaption caption summary legend center hgroup body html menu dir option"
)
CELL_TAGS = frozenset({"td", "th"})
_LIST_TAGS = frozenset({"ul", "ol", "menu", "dir"})
BULLET = "• "
# Nested lists indent by two spaces a level, as the seeds' plain-text bullets do;
# capped so a hostile page cannot produce lines of pure indentation.
MAX_LIST_INDENT = 8

_SURROGATE = re.compile("[\ud800-\udfff]")
_ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_TEXT_SKIPPED = (
    PreformattedString,
    Script,
    Stylesheet,
    TemplateString,
    RubyTextString,
    RubyParenthesisString,
)


@dataclass(frozen=True)
class HtmlText:
    """Text of a page, its metadata, and which extractor produced the text."""

    text: str
    meta: dict[str, str] = field(default_factory=dict)
    extractor: str = "blocks"


def html_to_text(markup: str) -> HtmlText:
    """Convert a page; never raises on malformed markup (lxml repairs what it can)."""
    markup = _SURROGATE.sub("\ufffd", markup)  # lxml cannot take lone surrogates
    soup = parse_html(markup)
    meta = extract_metadata(soup)
    return HtmlText(extract_block_text(soup), meta, "blocks")


def parse_html(markup: str) -> BeautifulSoup:
    """Parse with lxml, silencing bs4's guesses about what the markup might be (they are not errors here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "lxml")


class _Exit:
    """Stack marker: the walk has finished the children of `tag`."""

    __slots__ = ("tag",)

    def __init__(self, tag: Tag) -> None:
        self.tag = tag


def extract_block_text(soup: BeautifulSoup) -> str:
    """Return the visible text with one line per block element and blank lines between paragraphs."""
    out = _Writer()
    chrome_lengths, total = _chrome_text_lengths(soup)
    keep_chrome = 0  # depth inside <article>/<main>
    pre_depth = 0
    lists: list[list[int]] = []  # per open list: [next number] for <ol>, [] for <ul>
    stack: list[object] = list(reversed(soup.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, _Exit):
            name = node.tag.name
            keep_chrome -= name in _KEPT_INSIDE
            pre_depth -= name == "pre"
            if name in _LIST_TAGS and lists:
                lists.pop()
            out.block_break(name, nested_list=bool(lists))
            continue
        if isinstance(node, Tag):
            name = node.name
            if _is_hidden(node) or _is_chrome(node, keep_chrome, chrome_lengths.get(id(node), 0), total):
                continue
            if name == "br":
                out.hard_newline()
                continue
            keep_chrome += name in _KEPT_INSIDE
            pre_depth += name == "pre"
            if name in ("ul", "menu", "dir"):
                lists.append([])
            elif name == "ol":
                lists.append([_ordered_start(node)])
            out.block_break(name, nested_list=len(lists) > 1)
            if name == "li":
                out.set_prefix(_list_prefix(lists))
            elif name in CELL_TAGS:
                out.cell_separator()
            stack.append(_Exit(node))
            stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, _TEXT_SKIPPED):
            out.add_text(str(node), preformatted=pre_depth > 0)
    return out.result()


def _is_hidden(tag: Tag) -> bool:
    """Never shown to a reader: dropped tags, `hidden`, `aria-hidden`, `display:none`."""
    if tag.name in DROPPED_TAGS:
        return True
    attrs = tag.attrs
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    style = attrs.get("style")
    return isinstance(style, str) and _HIDDEN_STYLE.search(style) is not None


def _is_chrome(tag: Tag, keep_chrome: int, length: int, total: int) -> bool:
    if tag.name not in CHROME_TAGS or (tag.name in _ARTICLE_CHROME and keep_chrome > 0):
        return False
    return length <= WRAPPER_SHARE * total or length < MIN_WRAPPER_CHARS


def _chrome_text_lengths(soup: BeautifulSoup) -> tuple[dict[int, int], int]:
    """Visible characters inside each chrome element (by id()) and in the whole page, in one walk."""
    lengths: dict[int, int] = {}
    open_chrome: list[list[int]] = []  # [id, characters so far] for the chrome elements being walked
    total = 0
    stack: list[object] = list(reversed(soup.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, _Exit):
            key, length = open_chrome.pop()
            lengths[key] = length
            if open_chrome:
                open_chrome[-1][1] += length
        elif isinstance(node, Tag):
            if _is_hidden(node):
                continue
            if node.name in CHROME_TAGS:
                open_chrome.append([id(node), 0])
                stack.append(_Exit(node))
            stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, _TEXT_SKIPPED):
            length = len(node.strip())
            total += length
            if open_chrome:
                open_chrome[-1][1] += length
    return lengths, total


def _ordered_start(tag: Tag) -> int:
    start = tag.get("start")
    if isinstance(start, str) and start.strip().lstrip("-").isdigit() and len(start.strip()) < 9:
        return int(start)
    return 1


def _list_prefix(lists: list[list[int]]) -> str:
    indent = "  " * min(max(len(lists) - 1, 0), MAX_LIST_INDENT)
    if lists and lists[-1]:
        number = lists[-1][0]
        lists[-1][0] += 1
        return f"{indent}{number}. "
    return indent + BULLET


class _Writer:
    """Accumulates text, turning block boundaries into newlines the way a browser lays them out.

    Breaks are pending until the next text arrives, so wrappers nested ten deep
    still give one blank line, and a page never starts or ends with blank lines.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending_newlines = 0
        self.pending_space = False
        self.prefix = ""
        self.line_has_text = False

    def block_break(self, name: str, nested_list: bool) -> None:
        """Where a block starts or ends: a blank line for paragraphs, a newline for lines.

        A list inside a list item only starts a new line, like the items around it.
        """
        if name in PARAGRAPH_TAGS and not (nested_list and name in _LIST_TAGS):
            self.pending_newlines = max(self.pending_newlines, 2)
        elif name in PARAGRAPH_TAGS or name in LINE_TAGS:
            self.pending_newlines = max(self.pending_newlines, 1)

    def hard_newline(self) -> None:
        """A <br>: ends the line; two in a row make a blank line, more are still one blank line."""
        if self.parts:
            self.pending_newlines = min(self.pending_newlines + 1, 2)

    def set_prefix(self, prefix: str) -> None:
        self.prefix = prefix

    def cell_separator(self) -> None:
        if self.line_has_text and not self.pending_newlines:
            self.parts.append("\t")
            self.pending_space = False

    def add_text(self, text: str, preformatted: bool) -> None:
        if preformatted:
            if text:
                self._emit(text)
                self.line_has_text = not text.endswith("\n")
            return
        collapsed = _ASCII_SPACE.sub(" ", text)
        if not collapsed.strip(" "):
            if collapsed:
                self.pending_space = True
            return
        if collapsed.startswith(" "):
            self.pending_space = True
        self._emit(collapsed.strip(" "))
        self.pending_space = collapsed.endswith(" ")

    def _emit(self, text: str) -> None:
        if self.pending_newlines and self.parts:
            self.parts.append("\n" * self.pending_newlines)
            self.line_has_text = False
        elif self.pending_space and self.line_has_text:
            self.parts.append(" ")
        self.pending_newlines = 0
        self.pending_space = False
        if self.prefix:
            self.parts.append(self.prefix)
            self.prefix = ""
        self.parts.append(text)
        self.line_has_text = True

    def result(self) -> str:
        return "".join(self.parts).strip("\n")
